"""Whom a go-round calls on, and who joins one running (bot/domain/rounds)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.domain.phases import Phase, SessionState
from bot.domain.rounds import RoundJoined, arrive_in_round, owed_a_turn, round_candidates


def test_only_the_members_present_are_called_on_in_the_groups_order() -> None:
    assert round_candidates([1, 2, 3, 4, 5], present={4, 2, 5}, away=()) == [2, 4, 5]


def test_a_member_present_but_away_is_not_called_on() -> None:
    assert round_candidates([1, 2, 3], present={1, 2, 3}, away={2}) == [1, 3]


def test_with_no_presence_seen_yet_every_member_not_away_is_called_on() -> None:
    assert round_candidates([1, 2, 3], present=set(), away={3}) == [1, 2]


def test_presence_of_someone_outside_the_members_changes_nothing() -> None:
    """A leader's own presence (leaders are not in rounds) does not empty the round."""
    assert round_candidates([1, 2], present={99}, away=()) == [1, 2]


def _round(order: tuple[int, ...], index: int = 0, **changes: object) -> SessionState:
    state = SessionState(
        session_id=1,
        phase=Phase.CHECK_IN,
        phase_started_at=datetime(2026, 1, 1, 19, 0, tzinfo=UTC),
        phase_deadline=None,
        leaders=frozenset({100}),
    )
    return replace(state, round_order=order, round_index=index, **changes)  # type: ignore[arg-type]


def test_a_member_seen_while_a_round_runs_without_them_speaks_after_the_last() -> None:
    """First seen, or added (back) to the group, after the round began: a turn at its end."""
    state, effects = arrive_in_round(_round((1, 2)), 3)
    assert state.round_order == (1, 2, 3) and effects == [RoundJoined(3)]


def test_one_whose_turn_has_passed_gets_no_second_turn() -> None:
    """Removed after speaking and added back: still in the order, so nothing changes."""
    state = _round((1, 2, 3), index=2)
    assert not owed_a_turn(state, 1)
    assert arrive_in_round(state, 1) == (state, [])


def test_no_turn_is_owed_outside_a_round_to_leaders_or_to_one_away() -> None:
    away = {3: datetime(2026, 1, 1, 19, 5, tzinfo=UTC)}
    assert not owed_a_turn(_round(()), 3)
    assert not owed_a_turn(_round((1, 2)), 100)
    assert not owed_a_turn(_round((1, 2), away=away), 3)


def test_the_listening_presenter_is_owed_no_turn() -> None:
    state = _round((1, 2), phase=Phase.DISCUSSION, presenter_id=3)
    assert not owed_a_turn(state, 3)
