"""The per-group settings leaders may change, and what a valid value of each is.

Why: each capability reads its own column of `groups` (voice mode, auto-advance,
guard mode, reminder lead times, phase minutes, ...); this module is the single
list of those settings, so `/settings` writes exactly what the readers read:

* booleans are stored as 0/1, enums as their lower-case word;
* ``reminder_lead_minutes`` as ``'1440,60'`` (bot/domain/recurrence.lead_minutes);
* phase durations as one JSON object ``{phase value: minutes}`` in
  ``phase_minutes`` (cogs/_session_engine.durations_of), one setting per phase.

Pure: `parse` turns the leader's text into the stored value or raises
`SettingError` whose `reason` is the setting's key for the refusal sentence.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.phases import LIVE_PHASES, Phase


class Kind(StrEnum):
    FLAG = "flag"  # on | off
    CHOICE = "choice"  # one of `choices`
    NUMBER = "number"  # an integer in [low, high]
    LEADS = "leads"  # comma-separated minutes, each in [low, high]
    PHASE = "phase"  # minutes of one phase, inside the phase_minutes JSON


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its key (the `setting` choice), the column it lives in, its rule."""

    key: str
    column: str
    kind: Kind
    low: int = 0
    high: int = 0
    choices: tuple[str, ...] = ()
    # The value a NOT NULL column goes back to on reset (None: the column becomes NULL,
    # or, for quorum/max_cases, the configured default that /group create uses).
    reset_to: int | str | None = None
    phase: Phase | None = None


class SettingError(ValueError):
    """The value does not fit the setting; `reason` is the setting's key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


MAX_LEAD_MINUTES = 14 * 24 * 60  # as recurrence.lead_minutes accepts
MAX_LEADS = 5
PHASE_PREFIX = "minutes_"

_BASE: tuple[Setting, ...] = (
    Setting(
        "voice_mode",
        "voice_mode",
        Kind.CHOICE,
        choices=("advisory", "enforced"),
        reset_to="advisory",
    ),
    Setting("voice_enabled", "voice_enabled", Kind.FLAG, reset_to=1),
    Setting("auto_advance", "auto_advance", Kind.FLAG, reset_to=0),
    Setting("auto_end", "auto_end", Kind.FLAG, reset_to=0),
    Setting("silence_nudge_minutes", "silence_nudge_minutes", Kind.NUMBER, low=1, high=60),
    Setting("max_cases", "max_cases", Kind.NUMBER, low=1, high=4),
    Setting("quorum", "quorum", Kind.NUMBER, low=1, high=100),
    Setting(
        "reminder_lead_minutes", "reminder_lead_minutes", Kind.LEADS, low=1, high=MAX_LEAD_MINUTES
    ),
    Setting("events_enabled", "events_enabled", Kind.FLAG, reset_to=1),
    Setting("case_prompts_enabled", "case_prompts_enabled", Kind.FLAG, reset_to=1),
    Setting("guard_mode", "guard_mode", Kind.CHOICE, choices=("warn", "remove", "off")),
    Setting("purge_delay_minutes", "purge_delay_minutes", Kind.NUMBER, low=0, high=7 * 24 * 60),
    Setting(
        "session_channel",
        "session_channel",
        Kind.CHOICE,
        choices=("new", "permanent"),
        reset_to="new",
    ),
)
_PHASES: tuple[Setting, ...] = tuple(
    Setting(f"{PHASE_PREFIX}{p.value}", "phase_minutes", Kind.PHASE, low=1, high=120, phase=p)
    for p in LIVE_PHASES
)
SETTINGS: dict[str, Setting] = {s.key: s for s in (*_BASE, *_PHASES)}
# Reset to the configured default (the columns are NOT NULL; /group create fills them).
CONFIGURED_NOT_NULL = frozenset({"quorum", "max_cases"})

_ON = {"on", "yes", "true", "1", "enabled"}
_OFF = {"off", "no", "false", "0", "disabled"}


def _number(text: str, setting: Setting) -> int:
    cleaned = text.strip()
    # Decimal digits only: "²" passes str.isdigit() and int() refuses it; int() takes "1_0".
    if not re.fullmatch(r"[+-]?\d+", cleaned):
        raise SettingError(setting.key)
    value = int(cleaned)
    if not setting.low <= value <= setting.high:
        raise SettingError(setting.key)
    return value


def parse(key: str, text: str) -> int | str:
    """The value to store for `key` given the leader's text (phase: the minutes only).

    Raises KeyError for an unknown setting, SettingError for a value that does not fit.
    """
    setting = SETTINGS[key]
    word = text.strip().casefold()
    if setting.kind is Kind.FLAG:
        if word in _ON:
            return 1
        if word in _OFF:
            return 0
        raise SettingError(key)
    if setting.kind is Kind.CHOICE:
        if word not in setting.choices:
            raise SettingError(key)
        return word
    if setting.kind is Kind.LEADS:
        parts = [p for p in word.replace(" ", "").split(",") if p]
        if not parts or len(parts) > MAX_LEADS:
            raise SettingError(key)
        leads = sorted({_number(p, setting) for p in parts}, reverse=True)
        return ",".join(str(v) for v in leads)
    return _number(text, setting)


def phase_json(current: str | None, phase: Phase, minutes: int | None) -> str | None:
    """The group's phase_minutes JSON with one phase set (or removed when minutes is None).

    An unreadable stored value is replaced (the reader falls back to defaults for it anyway).
    """
    own: dict[str, int] = {}
    if current:
        try:
            loaded = json.loads(current)
            if isinstance(loaded, dict):
                own = {str(k): int(v) for k, v in loaded.items() if k in {p.value for p in Phase}}
        except (ValueError, TypeError):
            own = {}
    if minutes is None:
        own.pop(phase.value, None)
    else:
        own[phase.value] = minutes
    if not own:
        return None
    return json.dumps({p.value: own[p.value] for p in LIVE_PHASES if p.value in own})


def phase_value(current: str | None, phase: Phase) -> int | None:
    """The group's own minutes for one phase, or None when it uses the default."""
    if not current:
        return None
    try:
        loaded = json.loads(current)
        value = loaded.get(phase.value) if isinstance(loaded, dict) else None
        return int(value) if value is not None else None
    except (ValueError, TypeError, AttributeError):
        return None
