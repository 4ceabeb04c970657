"""What a valid value of each group setting is, in the form its reader reads."""

from __future__ import annotations

import json

import pytest

from bot.domain.phases import DEFAULT_DURATIONS, LIVE_PHASES, Phase
from bot.domain.schedule_rules import lead_minutes
from bot.domain.settings import (
    SETTINGS,
    Kind,
    SettingError,
    parse,
    phase_json,
    phase_value,
)
from bot.texts import settings as texts


def test_every_setting_has_a_name_and_a_sentence() -> None:
    assert len(SETTINGS) <= 25  # one slash-command choice list
    for key, setting in SETTINGS.items():
        assert key in texts.NAMES
        assert setting.kind is Kind.PHASE or key in texts.BAD_VALUE


def test_one_phase_setting_per_live_phase() -> None:
    phases = {s.phase for s in SETTINGS.values() if s.kind is Kind.PHASE}
    assert phases == set(LIVE_PHASES) == set(DEFAULT_DURATIONS)
    assert "minutes_discussion" in SETTINGS and "minutes_return" in SETTINGS


@pytest.mark.parametrize(
    ("key", "text", "stored"),
    [
        ("voice_mode", "Enforced", "enforced"),
        ("voice_mode", " advisory ", "advisory"),
        ("voice_enabled", "off", 0),
        ("auto_advance", "ON", 1),
        ("auto_end", "yes", 1),
        ("case_prompts_enabled", "false", 0),
        ("events_enabled", "on", 1),
        ("guard_mode", "remove", "remove"),
        ("guard_mode", "off", "off"),
        ("silence_nudge_minutes", "5", 5),
        ("max_cases", "1", 1),
        ("max_cases", "4", 4),
        ("quorum", "3", 3),
        ("purge_delay_minutes", "0", 0),
        ("reminder_lead_minutes", "60, 1440", "1440,60"),
        ("reminder_lead_minutes", "30,30", "30"),
        ("minutes_discussion", "30", 30),
        ("minutes_check_in", "120", 120),
    ],
)
def test_good_values(key: str, text: str, stored: object) -> None:
    assert parse(key, text) == stored


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("voice_mode", "strict"),
        ("voice_enabled", "maybe"),
        ("guard_mode", "delete"),
        ("silence_nudge_minutes", "0"),
        ("silence_nudge_minutes", "61"),
        ("max_cases", "0"),
        ("max_cases", "5"),
        ("max_cases", "two"),
        ("quorum", "-1"),
        ("purge_delay_minutes", "10081"),
        ("purge_delay_minutes", "1.5"),
        ("reminder_lead_minutes", ""),
        ("reminder_lead_minutes", "0,60"),
        ("reminder_lead_minutes", "1440,abc"),
        ("reminder_lead_minutes", "20161"),
        ("reminder_lead_minutes", "1,2,3,4,5,6"),
        ("minutes_discussion", "0"),
        ("minutes_discussion", "121"),
    ],
)
def test_bad_values_name_the_setting(key: str, text: str) -> None:
    with pytest.raises(SettingError) as caught:
        parse(key, text)
    assert caught.value.reason == key


def test_unknown_setting() -> None:
    with pytest.raises(KeyError):
        parse("colour", "blue")


def test_lead_times_are_what_the_reminders_read() -> None:
    stored = parse("reminder_lead_minutes", "60,1440,10")
    assert lead_minutes(str(stored), [5]) == [1440, 60, 10]


def test_phase_json_sets_and_removes_one_phase() -> None:
    one = phase_json(None, Phase.DISCUSSION, 30)
    assert one is not None and json.loads(one) == {"discussion": 30}
    two = phase_json(one, Phase.RETURN, 8)
    assert two is not None and json.loads(two) == {"discussion": 30, "return": 8}
    assert phase_value(two, Phase.RETURN) == 8
    assert phase_value(two, Phase.CLOSING) is None
    back = phase_json(two, Phase.DISCUSSION, None)
    assert back is not None and json.loads(back) == {"return": 8}
    assert phase_json(back, Phase.RETURN, None) is None


def test_phase_json_replaces_an_unreadable_value() -> None:
    fixed = phase_json("not json", Phase.CLOSING, 7)
    assert fixed is not None and json.loads(fixed) == {"closing": 7}
    assert phase_value("not json", Phase.CLOSING) is None
    assert phase_value('{"closing": 7, "bogus": 3}', Phase.CLOSING) == 7
