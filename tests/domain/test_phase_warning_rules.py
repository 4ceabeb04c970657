"""What the 2-minute phase warning may promise: who moves on when the phase's time is up."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.domain.phases import Phase
from bot.domain.session import at_deadline, start

STATE, _ = start(1, datetime(2026, 11, 23, 19, 0, tzinfo=UTC), frozenset({1}))


def test_without_auto_advance_the_leaders_move_on() -> None:
    assert at_deadline(STATE, auto_advance=False, auto_end=True) == "leaders"


def test_with_auto_advance_the_bot_moves_on() -> None:
    assert at_deadline(STATE, auto_advance=True, auto_end=False) == "next"
    discussion = replace(STATE, phase=Phase.DISCUSSION, presenter_id=2, cases_done=1)
    assert at_deadline(discussion, auto_advance=True, auto_end=False) == "next"


def test_a_case_call_with_no_presenter_waits_for_the_leaders() -> None:
    """The bot cannot choose a presenter: the leaders act even with auto-advance."""
    call = replace(STATE, phase=Phase.CASE_CALL)
    assert at_deadline(call, auto_advance=True, auto_end=True) == "leaders"
    assert at_deadline(replace(call, presenter_id=2), auto_advance=True, auto_end=True) == "next"


def test_the_closing_ends_the_meeting_only_with_auto_end() -> None:
    closing = replace(STATE, phase=Phase.CLOSING)
    assert at_deadline(closing, auto_advance=True, auto_end=False) == "leaders"
    assert at_deadline(closing, auto_advance=True, auto_end=True) == "end"
