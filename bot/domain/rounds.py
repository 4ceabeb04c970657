"""Go-rounds: each member present speaks once, in order; the base of bot/domain/turns.py.

Balint check-in and closing rounds give everyone present a turn. A round is a
pure transition on `SessionState` like the other turn rules; these live apart
from the hand queue and the away rules (turns.py), which build on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.domain import phases
from bot.domain.phases import (
    DomainError,
    FloorChanged,
    Phase,
    RoundEnded,
    SessionState,
)

__all__ = [
    "RoundAdvanced",
    "RoundEffect",
    "RoundJoined",
    "RoundStarted",
    "TurnError",
    "advance_round",
    "arrive_in_round",
    "check_live",
    "owed_a_turn",
    "pushed_back",
    "rejoin_round",
    "round_candidates",
    "round_done",
    "round_order",
    "round_pass",
    "round_timeout",
    "start_round",
]


@dataclass(frozen=True, slots=True)
class RoundStarted:
    """A go-round began; members speak in `order`."""

    order: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RoundAdvanced:
    """The round moved on. `how` is done|pass|timeout|away|skip: never a rebuke."""

    previous: int
    current: int | None
    how: str


@dataclass(frozen=True, slots=True)
class RoundJoined:
    """A member back from away takes a turn at the end of the running round."""

    user_id: int


RoundEffect = phases.Effect | RoundStarted | RoundAdvanced | RoundJoined
Transition = tuple[SessionState, list[RoundEffect]]


class TurnError(DomainError):
    """A turn action the rules refuse; `reason` is a key for texts.py."""


def check_live(state: SessionState) -> None:
    if not state.live:
        raise TurnError("ended")


def pushed_back(state: SessionState, user_id: int) -> bool:
    """The presenter listens during the discussion and may not take the floor."""
    return state.phase is Phase.DISCUSSION and user_id == state.presenter_id


def round_candidates(
    members_in_order: Iterable[int], present: Iterable[int], away: Iterable[int]
) -> list[int]:
    """Whom `/round start` calls on: the members present at this meeting, not away.

    Present means a presence seen this meeting (in the voice channel, a message, a button,
    the frame's acknowledgement): a member who never came is not called on for the leader
    to skip. With no presence seen yet (a text meeting before anyone acted), every member
    not away is called on: leaving out someone who is there would be the worse mistake.
    One who arrives later joins the round at its end (`rejoin_round`).
    """
    here, gone = set(present), set(away)
    members = [u for u in members_in_order if u not in gone]
    return [u for u in members if u in here] or members


def round_order(
    members_present_ordered: Iterable[int], phase: Phase, presenter_id: int | None
) -> tuple[int, ...]:
    """Who speaks in a go-round, in the given order, each once.

    The presenter is left out during the discussion: they listen.
    """
    order: list[int] = []
    for user_id in members_present_ordered:
        if user_id in order:
            continue
        if phase is Phase.DISCUSSION and user_id == presenter_id:
            continue
        order.append(user_id)
    return tuple(order)


def start_round(state: SessionState, members_present_ordered: Iterable[int]) -> Transition:
    """`/round start`: each present member in turn gets the floor.

    Starting a new round while one runs restarts it (the leaders decide).
    Hands raised before the round stay in the queue for afterwards.
    """
    check_live(state)
    order = round_order(members_present_ordered, state.phase, state.presenter_id)
    if not order:
        raise TurnError("nobody_for_round")
    first = order[0]
    effects: list[RoundEffect] = [RoundStarted(order)]
    if first != state.floor_holder:
        effects.append(FloorChanged(state.floor_holder, first))
    new_state = replace(state, round_order=order, round_index=0, floor_holder=first)
    return new_state, effects


def round_done(state: SessionState, user_id: int) -> Transition:
    """The member whose turn it is has finished."""
    _check_round_turn(state, user_id)
    return advance_round(state, "done")


def round_pass(state: SessionState, user_id: int) -> Transition:
    """The member whose turn it is passes: nobody is forced to speak."""
    _check_round_turn(state, user_id)
    return advance_round(state, "pass")


def round_timeout(state: SessionState) -> Transition:
    """The per-turn timer ran out: move on quietly, without rebuking anyone."""
    check_live(state)
    if not state.in_round:
        raise TurnError("no_round")
    return advance_round(state, "timeout")


def _check_round_turn(state: SessionState, user_id: int) -> None:
    check_live(state)
    if not state.in_round:
        raise TurnError("no_round")
    if state.round_order[state.round_index] != user_id:
        raise TurnError("not_your_turn")


def advance_round(state: SessionState, how: str) -> Transition:
    """Give the floor to the next member of the round, or end it after the last.

    A member away when their turn moves on without them (they dropped out on it, or it
    was skipped or ran out while they were gone) missed it: they leave the order, so
    coming back before the round ends gives them a turn at its end (`rejoin_round`).
    """
    previous = state.round_order[state.round_index]
    order, index = state.round_order, state.round_index + 1
    if how not in ("done", "pass") and previous in state.away:
        order = order[: state.round_index] + order[index:]
        index = state.round_index
        state = replace(state, round_order=order)
    if index >= len(state.round_order):
        new_state = replace(state, round_order=(), round_index=0, floor_holder=None)
        return new_state, [
            RoundAdvanced(previous, None, how),
            FloorChanged(state.floor_holder, None),
            RoundEnded(),
        ]
    current = state.round_order[index]
    new_state = replace(state, round_index=index, floor_holder=current)
    return new_state, [
        RoundAdvanced(previous, current, how),
        FloorChanged(state.floor_holder, current),
    ]


def rejoin_round(state: SessionState, user_id: int) -> tuple[SessionState, list[RoundJoined]]:
    """Back during a round they are not in (away when it began, or their turn passed while
    they were gone): everyone present has their turn, so they speak after the last one.
    A member still in the order keeps their place; leaders and a listening presenter are
    never in a round."""
    if (
        not state.in_round
        or user_id in state.round_order
        or state.is_leader(user_id)
        or pushed_back(state, user_id)
    ):
        return state, []
    order = (*state.round_order, user_id)
    return replace(state, round_order=order), [RoundJoined(user_id)]


def owed_a_turn(state: SessionState, user_id: int) -> bool:
    """Does a present member's signal put them at the end of the running round?

    Everyone present has a turn: one seen at the meeting while a round runs without them
    (first seen now, or added to the group, or made a member again, after it began) speaks
    after the last one. Not one away (their /back does it), a leader, a listening
    presenter (the caller leaves out who is not a member of the group); one already in the
    order keeps their place, and one whose turn has passed does not get a second.
    """
    return (
        state.in_round
        and user_id not in state.round_order
        and user_id not in state.away
        and not state.is_leader(user_id)
        and not pushed_back(state, user_id)
    )


def arrive_in_round(state: SessionState, user_id: int) -> tuple[SessionState, list[RoundJoined]]:
    """A presence seen while a round runs: a turn at its end if one is owed (`owed_a_turn`)."""
    if not owed_a_turn(state, user_id):
        return state, []
    return rejoin_round(state, user_id)
