"""The meeting's plan against the session's length."""

from __future__ import annotations

from bot.domain.meeting_fit import overrun, plan_minutes
from bot.domain.phases import DEFAULT_DURATIONS, Phase


def test_the_default_plan_of_two_cases_is_longer_than_the_default_session() -> None:
    assert plan_minutes(DEFAULT_DURATIONS, 2) == 110
    assert overrun(DEFAULT_DURATIONS, 2, 90) == 20


def test_one_case_fits_and_shorter_phases_fit() -> None:
    assert overrun(DEFAULT_DURATIONS, 1, 90) == 0
    shorter = {**DEFAULT_DURATIONS, Phase.DISCUSSION: 15}
    assert plan_minutes(shorter, 2) == 90 and overrun(shorter, 2, 90) == 0
