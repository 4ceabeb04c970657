"""Whom a go-round calls on (bot/domain/rounds.round_candidates)."""

from __future__ import annotations

from bot.domain.rounds import round_candidates


def test_only_the_members_present_are_called_on_in_the_groups_order() -> None:
    assert round_candidates([1, 2, 3, 4, 5], present={4, 2, 5}, away=()) == [2, 4, 5]


def test_a_member_present_but_away_is_not_called_on() -> None:
    assert round_candidates([1, 2, 3], present={1, 2, 3}, away={2}) == [1, 3]


def test_with_no_presence_seen_yet_every_member_not_away_is_called_on() -> None:
    assert round_candidates([1, 2, 3], present=set(), away={3}) == [1, 2]


def test_presence_of_someone_outside_the_members_changes_nothing() -> None:
    """A leader's own presence (leaders are not in rounds) does not empty the round."""
    assert round_candidates([1, 2], present={99}, away=()) == [1, 2]
