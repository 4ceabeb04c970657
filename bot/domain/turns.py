"""Speaking turns: the hand queue, the floor, go-rounds and members who dropped out.

Online groups speak in turn when picture or sound fails, say when they have
finished, and wait a couple of minutes for someone who dropped out. These
functions keep those habits as pure transitions on `SessionState`, returning
(new_state, effects). Invariants (property-tested): the queue never holds a
member twice, the presenter never holds the floor during the discussion (they
"push back" and listen), and a round gives each eligible member one turn.
The round rules themselves are in bot/domain/rounds.py; they are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.domain.phases import (
    FloorChanged,
    QueueChanged,
    RoundEnded,
    SessionState,
    TurnMode,
)
from bot.domain.rounds import (
    RoundAdvanced,
    RoundEffect,
    RoundJoined,
    RoundStarted,
    TurnError,
    advance_round,
    arrive_in_round,
    check_live,
    pushed_back,
    rejoin_round,
    round_done,
    round_order,
    round_pass,
    round_timeout,
    start_round,
)

__all__ = [
    "AWAY_WAIT",
    "AwayChanged",
    "HandsDropped",
    "RoundAdvanced",
    "RoundJoined",
    "RoundStarted",
    "TurnEffect",
    "TurnModeChanged",
    "TurnError",
    "TurnMode",
    "arrive_in_round",
    "come_back",
    "done",
    "expire_away",
    "give_floor",
    "go_away",
    "lower_hand",
    "member_erased",
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
class AwayChanged:
    """A member said they dropped out (`since` set) or came back (`since` None)."""

    user_id: int
    since: datetime | None


@dataclass(frozen=True, slots=True)
class HandsDropped:
    """Hands of members away longer than the wait were taken out of the queue."""

    user_ids: tuple[int, ...]


Effect = RoundEffect | TurnModeChanged | AwayChanged | HandsDropped
TurnEffect = Effect
Transition = tuple[SessionState, list[Effect]]


def set_mode(state: SessionState, mode: TurnMode) -> Transition:
    """`/turns mode`: switching keeps the queue; the floor stays where it is."""
    check_live(state)
    if mode is state.turn_mode:
        return state, []
    return replace(state, turn_mode=mode), [TurnModeChanged(state.turn_mode, mode)]


def raise_hand(state: SessionState, user_id: int) -> Transition:
    """A member asks to speak; raising twice changes nothing.

    Raising a hand also proves the member is back if they had said they were away.
    """
    check_live(state)
    if state.is_leader(user_id):
        raise TurnError("leader_may_speak")
    if pushed_back(state, user_id):
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
    new_state = replace(state, hand_queue=queue, away=away)
    if user_id in state.away:
        new_state, joined = rejoin_round(new_state, user_id)
        effects.extend(joined)
    return new_state, effects


def lower_hand(state: SessionState, user_id: int) -> Transition:
    """A member withdraws their hand; lowering an unraised hand changes nothing."""
    check_live(state)
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
    check_live(state)
    if state.in_round:
        return advance_round(state, "skip")
    if not state.hand_queue:
        raise TurnError("queue_empty")
    candidates = [u for u in state.hand_queue if u not in state.away and not pushed_back(state, u)]
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
    check_live(state)
    if user_id is not None and pushed_back(state, user_id):
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
    check_live(state)
    if user_id != state.floor_holder:
        raise TurnError("not_floor_holder")
    if state.in_round:
        return advance_round(state, "done")
    return replace(state, floor_holder=None), [FloorChanged(user_id, None)]


def go_away(state: SessionState, user_id: int, now: datetime) -> Transition:
    """A member says they dropped out; their hand keeps its place for a while.

    Saying it twice keeps the first time. If they held the floor, it moves on.
    """
    check_live(state)
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
        more_state, more = advance_round(state, "away")
        return more_state, [*effects, *more]
    return replace(state, floor_holder=None), [*effects, FloorChanged(user_id, None)]


def member_gone(state: SessionState, user_id: int) -> Transition:
    """A member left the group or the server mid-meeting: their hand and their turns go.

    If they held the floor it moves on (in a round, to the next member), as when
    someone is away; unlike away, nobody waits for them. A presenter stays the
    presenter: what happens to the case is the leaders' call.
    """
    check_live(state)
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


def member_erased(state: SessionState, user_id: int) -> Transition:
    """A member erased by /privacy forget mid-meeting: as `member_gone`, and their place
    among those who already spoke goes too, since nothing may name them any more. The
    round's index moves back with it, so it stays on the member speaking."""
    new_state, effects = member_gone(state, user_id)
    if user_id not in new_state.round_order:
        return new_state, effects
    at = new_state.round_order.index(user_id)
    order = tuple(u for u in new_state.round_order if u != user_id)
    index = new_state.round_index - 1 if at < new_state.round_index else new_state.round_index
    if index >= len(order):  # never after member_gone (the floor moved past them); safe
        return replace(new_state, round_order=(), round_index=0, floor_holder=None), [
            *effects,
            RoundEnded(),
        ]
    return replace(new_state, round_order=order, round_index=index), effects


def come_back(state: SessionState, user_id: int, now: datetime) -> Transition:
    """A member is back; their raised hand (if still queued) is theirs again."""
    check_live(state)
    if now.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    if user_id not in state.away:
        return state, []
    away = {u: t for u, t in state.away.items() if u != user_id}
    new_state, joined = rejoin_round(replace(state, away=away), user_id)
    return new_state, [AwayChanged(user_id, None), *joined]


def expire_away(state: SessionState, now: datetime, wait: timedelta = AWAY_WAIT) -> Transition:
    """Drop the hands of members away for `wait` or longer who have not come back.

    They stay marked away (they may still return); only their place in the
    queue is given up so the group is not held waiting.
    """
    check_live(state)
    if now.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    expired = tuple(u for u in state.hand_queue if u in state.away and now - state.away[u] >= wait)
    if not expired:
        return state, []
    queue = tuple(u for u in state.hand_queue if u not in expired)
    return replace(state, hand_queue=queue), [HandsDropped(expired), QueueChanged(queue)]
