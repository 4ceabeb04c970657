"""Speaking turns: the hand queue, the floor, go-rounds and members who dropped out.

Online groups speak in turn when picture or sound fails, say when they have
finished, and wait a couple of minutes for someone who dropped out. These
functions keep those habits as pure transitions on `SessionState`, returning
(new_state, effects). Invariants (property-tested): the queue never holds a
member twice, the presenter never holds the floor during the discussion (they
"push back" and listen), and a round gives each eligible member one turn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.domain import phases
from bot.domain.phases import (
    DomainError,
    FloorChanged,
    Phase,
    QueueChanged,
    RoundEnded,
    SessionState,
    TurnMode,
)

__all__ = [
    "AWAY_WAIT",
    "AwayChanged",
    "HandsDropped",
    "RoundAdvanced",
    "RoundStarted",
    "TurnEffect",
    "TurnModeChanged",
    "TurnError",
    "TurnMode",
    "come_back",
    "done",
    "expire_away",
    "give_floor",
    "go_away",
    "lower_hand",
    "next_speaker",
    "raise_hand",
    "round_done",
    "round_order",
    "round_pass",
    "round_timeout",
    "set_mode",
    "start_round",
]

# "If someone drops out, they say so in the chat and the group waits a couple of minutes."
AWAY_WAIT = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class TurnModeChanged:
    """The leaders switched the turn mode."""

    old: TurnMode
    new: TurnMode


@dataclass(frozen=True, slots=True)
class RoundStarted:
    """A go-round began; members speak in `order`."""

    order: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RoundAdvanced:
    """The round moved on. `how` is done|pass|timeout|away: never a rebuke."""

    previous: int
    current: int | None
    how: str


@dataclass(frozen=True, slots=True)
class AwayChanged:
    """A member said they dropped out (`since` set) or came back (`since` None)."""

    user_id: int
    since: datetime | None


@dataclass(frozen=True, slots=True)
class HandsDropped:
    """Hands of members away longer than the wait were taken out of the queue."""

    user_ids: tuple[int, ...]


Effect = phases.Effect | TurnModeChanged | RoundStarted | RoundAdvanced | AwayChanged | HandsDropped
TurnEffect = Effect
Transition = tuple[SessionState, list[Effect]]


class TurnError(DomainError):
    """A turn action the rules refuse; `reason` is a key for texts.py."""


def _check_live(state: SessionState) -> None:
    if not state.live:
        raise TurnError("ended")


def _pushed_back(state: SessionState, user_id: int) -> bool:
    """The presenter listens during the discussion and may not take the floor."""
    return state.phase is Phase.DISCUSSION and user_id == state.presenter_id


def set_mode(state: SessionState, mode: TurnMode) -> Transition:
    """`/turns mode`: switching keeps the queue; the floor stays where it is."""
    _check_live(state)
    if mode is state.turn_mode:
        return state, []
    return replace(state, turn_mode=mode), [TurnModeChanged(state.turn_mode, mode)]


def raise_hand(state: SessionState, user_id: int) -> Transition:
    """A member asks to speak; raising twice changes nothing.

    Raising a hand also proves the member is back if they had said they were away.
    """
    _check_live(state)
    if state.is_leader(user_id):
        raise TurnError("leader_may_speak")
    if _pushed_back(state, user_id):
        raise TurnError("presenter_listens")
    if user_id == state.floor_holder:
        raise TurnError("has_floor")
    effects: list[Effect] = []
    away = state.away
    if user_id in away:
        away = {u: t for u, t in away.items() if u != user_id}
        effects.append(AwayChanged(user_id, None))
    queue = state.hand_queue
    if user_id not in queue:
        queue = (*queue, user_id)
        effects.append(QueueChanged(queue))
    if not effects:
        return state, []
    return replace(state, hand_queue=queue, away=away), effects


def lower_hand(state: SessionState, user_id: int) -> Transition:
    """A member withdraws their hand; lowering an unraised hand changes nothing."""
    _check_live(state)
    if user_id not in state.hand_queue:
        return state, []
    queue = tuple(u for u in state.hand_queue if u != user_id)
    return replace(state, hand_queue=queue), [QueueChanged(queue)]


def next_speaker(state: SessionState) -> Transition:
    """A leader calls the first raised hand (FIFO) to the floor.

    Members who said they were away keep their place while the group waits for
    them; the first present member in the queue is called instead. During a round
    it moves the round on: a member who is not there must not hold the group up.
    """
    _check_live(state)
    if state.in_round:
        return _advance_round(state, "skip")
    if not state.hand_queue:
        raise TurnError("queue_empty")
    candidates = [u for u in state.hand_queue if u not in state.away and not _pushed_back(state, u)]
    if not candidates:
        raise TurnError("all_away")
    chosen = candidates[0]
    queue = tuple(u for u in state.hand_queue if u != chosen)
    new_state = replace(state, hand_queue=queue, floor_holder=chosen)
    return new_state, [FloorChanged(state.floor_holder, chosen), QueueChanged(queue)]


def give_floor(state: SessionState, user_id: int | None) -> Transition:
    """A leader hands the floor to a member (or takes it back with None).

    An explicit choice by the leader cuts a running round short.
    """
    _check_live(state)
    if user_id is not None and _pushed_back(state, user_id):
        raise TurnError("presenter_listens_floor")
    effects: list[Effect] = []
    if state.in_round:
        effects.append(RoundEnded(cut_short=True))
    if user_id != state.floor_holder:
        effects.append(FloorChanged(state.floor_holder, user_id))
    queue = state.hand_queue
    if user_id is not None and user_id in queue:
        queue = tuple(u for u in queue if u != user_id)
        effects.append(QueueChanged(queue))
    new_state = replace(
        state, floor_holder=user_id, hand_queue=queue, round_order=(), round_index=0
    )
    return new_state, effects


def done(state: SessionState, user_id: int) -> Transition:
    """The floor holder says they have finished; in a round, the next one speaks."""
    _check_live(state)
    if user_id != state.floor_holder:
        raise TurnError("not_floor_holder")
    if state.in_round:
        return _advance_round(state, "done")
    return replace(state, floor_holder=None), [FloorChanged(user_id, None)]


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
    _check_live(state)
    order = round_order(members_present_ordered, state.phase, state.presenter_id)
    if not order:
        raise TurnError("nobody_for_round")
    first = order[0]
    effects: list[Effect] = [RoundStarted(order)]
    if first != state.floor_holder:
        effects.append(FloorChanged(state.floor_holder, first))
    new_state = replace(state, round_order=order, round_index=0, floor_holder=first)
    return new_state, effects


def round_done(state: SessionState, user_id: int) -> Transition:
    """The member whose turn it is has finished."""
    _check_round_turn(state, user_id)
    return _advance_round(state, "done")


def round_pass(state: SessionState, user_id: int) -> Transition:
    """The member whose turn it is passes: nobody is forced to speak."""
    _check_round_turn(state, user_id)
    return _advance_round(state, "pass")


def round_timeout(state: SessionState) -> Transition:
    """The per-turn timer ran out: move on quietly, without rebuking anyone."""
    _check_live(state)
    if not state.in_round:
        raise TurnError("no_round")
    return _advance_round(state, "timeout")


def _check_round_turn(state: SessionState, user_id: int) -> None:
    _check_live(state)
    if not state.in_round:
        raise TurnError("no_round")
    if state.round_order[state.round_index] != user_id:
        raise TurnError("not_your_turn")


def _advance_round(state: SessionState, how: str) -> Transition:
    """Give the floor to the next member of the round, or end it after the last."""
    previous = state.round_order[state.round_index]
    index = state.round_index + 1
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


def go_away(state: SessionState, user_id: int, now: datetime) -> Transition:
    """A member says they dropped out; their hand keeps its place for a while.

    Saying it twice keeps the first time. If they held the floor, it moves on.
    """
    _check_live(state)
    if now.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    if user_id in state.away:
        return state, []
    new_state = replace(state, away={**state.away, user_id: now})
    return _floor_moves_on(new_state, user_id, [AwayChanged(user_id, now)])


def _floor_moves_on(state: SessionState, user_id: int, effects: list[Effect]) -> Transition:
    """If `user_id` holds the floor, it moves on: to the round's next member, else to nobody."""
    if user_id != state.floor_holder:
        return state, effects
    if state.in_round:
        more_state, more = _advance_round(state, "away")
        return more_state, effects + more
    return replace(state, floor_holder=None), [*effects, FloorChanged(user_id, None)]


def member_gone(state: SessionState, user_id: int) -> Transition:
    """A member left the group or the server mid-meeting: their hand and their turns go.

    If they held the floor it moves on (in a round, to the next member), as when
    someone is away; unlike away, nobody waits for them. A presenter stays the
    presenter: what happens to the case is the leaders' call.
    """
    _check_live(state)
    effects: list[Effect] = []
    new_state = state
    if user_id in state.hand_queue:
        queue = tuple(u for u in state.hand_queue if u != user_id)
        new_state = replace(new_state, hand_queue=queue)
        effects.append(QueueChanged(queue))
    if user_id in state.away:
        new_state = replace(new_state, away={u: t for u, t in state.away.items() if u != user_id})
    if new_state.in_round:
        done_part = new_state.round_order[: new_state.round_index + 1]
        to_come = tuple(
            u for u in new_state.round_order[new_state.round_index + 1 :] if u != user_id
        )
        new_state = replace(new_state, round_order=done_part + to_come)
    return _floor_moves_on(new_state, user_id, effects)


def come_back(state: SessionState, user_id: int, now: datetime) -> Transition:
    """A member is back; their raised hand (if still queued) is theirs again."""
    _check_live(state)
    if now.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    if user_id not in state.away:
        return state, []
    away = {u: t for u, t in state.away.items() if u != user_id}
    return replace(state, away=away), [AwayChanged(user_id, None)]


def expire_away(state: SessionState, now: datetime, wait: timedelta = AWAY_WAIT) -> Transition:
    """Drop the hands of members away for `wait` or longer who have not come back.

    They stay marked away (they may still return); only their place in the
    queue is given up so the group is not held waiting.
    """
    _check_live(state)
    if now.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    expired = tuple(u for u in state.hand_queue if u in state.away and now - state.away[u] >= wait)
    if not expired:
        return state, []
    queue = tuple(u for u in state.hand_queue if u not in expired)
    return replace(state, hand_queue=queue), [HandsDropped(expired), QueueChanged(queue)]
