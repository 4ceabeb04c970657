"""What the 2-minute phase warning may promise: who acts when the phase's time is up."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.domain.phases import Phase
from bot.domain.session import AtDeadline, at_deadline, start

NOW = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
STATE, _ = start(1, NOW, frozenset({1}))  # check-in, due to end at 19:05


def test_without_auto_advance_the_leaders_move_on() -> None:
    assert at_deadline(STATE, auto_advance=False, auto_end=True) == AtDeadline("leaders")


def test_with_auto_advance_the_bot_moves_on_to_the_next_phase() -> None:
    found = at_deadline(STATE, auto_advance=True, auto_end=False)
    assert found == AtDeadline("next", Phase.CASE_CALL)
    discussion = replace(STATE, phase=Phase.DISCUSSION, presenter_id=2, cases_done=1)
    found = at_deadline(discussion, auto_advance=True, auto_end=False)
    assert found == AtDeadline("next", Phase.RETURN)
    last_return = replace(STATE, phase=Phase.RETURN, presenter_id=2, cases_done=2)
    found = at_deadline(last_return, auto_advance=True, auto_end=False)
    assert found == AtDeadline("next", Phase.CLOSING)


def test_a_case_call_with_no_presenter_waits_for_the_leaders() -> None:
    """The bot cannot choose a presenter: the leaders act even with auto-advance."""
    call = replace(STATE, phase=Phase.CASE_CALL)
    assert at_deadline(call, auto_advance=True, auto_end=True) == AtDeadline("wait_presenter")
    assert at_deadline(call, auto_advance=False, auto_end=False) == AtDeadline("no_presenter")
    chosen = replace(call, presenter_id=2)
    found = at_deadline(chosen, auto_advance=True, auto_end=True)
    assert found == AtDeadline("next", Phase.PRESENTATION)


def test_the_closing_ends_the_meeting_only_with_auto_advance_and_auto_end() -> None:
    closing = replace(STATE, phase=Phase.CLOSING)
    assert at_deadline(closing, auto_advance=True, auto_end=False) == AtDeadline("close")
    assert at_deadline(closing, auto_advance=False, auto_end=True) == AtDeadline("close")
    assert at_deadline(closing, auto_advance=False, auto_end=False) == AtDeadline("close")
    assert at_deadline(closing, auto_advance=True, auto_end=True) == AtDeadline("end")


def test_a_scheduled_end_first_ends_the_meeting_with_auto_end() -> None:
    deadline = STATE.phase_deadline
    assert deadline is not None
    soon = deadline - timedelta(minutes=1)
    found = at_deadline(STATE, auto_advance=True, auto_end=True, scheduled_end=soon, now=NOW)
    assert found == AtDeadline("session_end")
    at_once = at_deadline(STATE, False, True, scheduled_end=deadline, now=NOW)
    assert at_once == AtDeadline("session_end")


def test_a_scheduled_end_is_ignored_without_auto_end_or_once_past_or_later() -> None:
    deadline = STATE.phase_deadline
    assert deadline is not None
    soon = deadline - timedelta(minutes=1)
    assert at_deadline(STATE, True, False, scheduled_end=soon, now=NOW).act == "next"
    past = at_deadline(STATE, True, True, scheduled_end=soon, now=soon)  # auto-end failed
    assert past.act == "next"
    later = deadline + timedelta(minutes=1)
    assert at_deadline(STATE, True, True, scheduled_end=later, now=NOW).act == "next"
