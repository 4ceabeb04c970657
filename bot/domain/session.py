"""The session aggregate: phase and turn transitions plus the permission writes they imply.

A cog calls one function here per command and gets back the new state and
every effect to apply, including `ApplyPlan` with the minimal overwrite writes.
This keeps "who may write" derived from the state in one place, so a phase
change, a floor change and a mode switch can never disagree about it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.domain import phases, turns
from bot.domain.permissions import (
    ChannelPlan,
    OverwriteWrite,
    channel_plan,
    diff_plans,
    full_plan_writes,
    leader_overwrites,
    release_leader_overwrites,
    voice_speakers,
)
from bot.domain.phases import (
    DEFAULT_DURATIONS,
    DEFAULT_MAX_CASES,
    Phase,
    SessionState,
    TurnMode,
)


@dataclass(frozen=True, slots=True)
class ApplyPlan:
    """Write these overwrites (in order) so the channel matches `plan`."""

    plan: ChannelPlan
    writes: tuple[OverwriteWrite, ...]


Effect = turns.TurnEffect | ApplyPlan
Outcome = tuple[SessionState, list[Effect]]


def plan_of(state: SessionState) -> ChannelPlan:
    """The channel plan the state calls for."""
    return channel_plan(
        state.phase, state.presenter_id, state.leaders, state.floor_holder, state.turn_mode
    )


def speakers_of(state: SessionState, present_members: Iterable[int]) -> frozenset[int]:
    """Who in voice may speak now (for enforced voice mode)."""
    return voice_speakers(
        state.phase,
        state.presenter_id,
        state.leaders,
        state.floor_holder,
        state.turn_mode,
        present_members,
    )


def restore_writes(state: SessionState) -> list[OverwriteWrite]:
    """Every write needed to bring the channel back in line after a restart."""
    writes = full_plan_writes(plan_of(state))
    if state.live:
        return leader_overwrites(state.leaders) + writes
    return writes + release_leader_overwrites(state.leaders)


def closed_channel_writes() -> list[OverwriteWrite]:
    """The role's overwrite of a session channel between meetings (a permanent one).

    As an ended session leaves it: the group reads, nobody writes. Used when the
    group's role is recreated between sessions (its overwrites went with the old role).
    """
    ended = channel_plan(Phase.ENDED, None, frozenset(), None, TurnMode.OPEN)
    return [w for w in full_plan_writes(ended) if w.target_kind == "role"]


def _step(state: SessionState, transition: Callable[[SessionState], turns.Transition]) -> Outcome:
    """Run a pure transition and append the plan writes it implies, if any."""
    new_state, effects = transition(state)
    old_plan, new_plan = plan_of(state), plan_of(new_state)
    writes = diff_plans(old_plan, new_plan)
    if state.live and not new_state.live:
        writes += release_leader_overwrites(state.leaders)
    out: list[Effect] = list(effects)
    if writes:
        out.append(ApplyPlan(new_plan, tuple(writes)))
    return new_state, out


def start(
    session_id: int,
    now: datetime,
    leaders: frozenset[int],
    *,
    max_cases: int = DEFAULT_MAX_CASES,
    durations: Mapping[Phase, int] = DEFAULT_DURATIONS,
    turn_mode: TurnMode = TurnMode.OPEN,
) -> Outcome:
    """Open a session: leaders' allow overwrites once, then the check-in plan."""
    state, effects = phases.start_session(
        session_id, now, leaders, max_cases=max_cases, durations=durations, turn_mode=turn_mode
    )
    plan = plan_of(state)
    writes = leader_overwrites(state.leaders) + full_plan_writes(plan)
    return state, [*effects, ApplyPlan(plan, tuple(writes))]


def advance(state: SessionState, now: datetime) -> Outcome:
    """`/phase next`."""
    return _step(state, lambda s: phases.advance(s, now))


def may_auto_advance(state: SessionState, auto_end: bool) -> bool:
    """Auto-advance moves between phases; it ends the meeting only if auto-end is on too
    ("never ended automatically unless the group's setting says so")."""
    return state.live and (state.phase is not Phase.CLOSING or auto_end)


@dataclass(frozen=True, slots=True)
class AtDeadline:
    """What happens when the phase's time is up, as the warning before it says.

    `act`: "leaders" (they move on), "close" (they end the meeting: the closing),
    "no_presenter" (a case call with nobody chosen), "wait_presenter" (the same with
    auto-advance: the bot waits for a choice), "next" (the bot moves on to `target`),
    "end" (the bot ends the closing) or "session_end" (the bot ends the meeting at its
    scheduled end, which comes first).
    """

    act: Literal["leaders", "close", "no_presenter", "wait_presenter", "next", "end", "session_end"]
    target: Phase | None = None


def at_deadline(
    state: SessionState,
    auto_advance: bool,
    auto_end: bool,
    scheduled_end: datetime | None = None,
    now: datetime | None = None,
) -> AtDeadline:
    """Who acts when the phase's time is up, so the warning before it asks no leader to
    do what the bot will do, nor promises what it will not do. A case call with no
    presenter waits for the leaders even with auto-advance: the bot never chooses who
    presents. With auto-end, a scheduled end still to come and no later than the phase's
    end ends the meeting first, whatever the phase."""
    deadline = state.phase_deadline
    if (
        auto_end
        and scheduled_end is not None
        and deadline is not None
        and (now is None or now < scheduled_end)
        and scheduled_end <= deadline
    ):
        return AtDeadline("session_end")
    if state.phase is Phase.CLOSING:
        return AtDeadline("end" if auto_advance and auto_end else "close")
    has_presenter = state.presenter_id is not None
    if state.phase is Phase.CASE_CALL and not has_presenter:
        return AtDeadline("wait_presenter" if auto_advance else "no_presenter")
    if not auto_advance or not may_auto_advance(state, auto_end):
        return AtDeadline("leaders")
    try:
        target = phases.next_phase(state.phase, state.cases_done, state.max_cases, has_presenter)
    except phases.TransitionError:
        return AtDeadline("leaders")
    return AtDeadline("end") if target is Phase.ENDED else AtDeadline("next", target)


def goto(state: SessionState, target: Phase, now: datetime) -> Outcome:
    """`/phase goto`."""
    return _step(state, lambda s: phases.goto(s, target, now))


def end(state: SessionState, now: datetime) -> Outcome:
    """`/session end`: read-only channel, leaders' overwrites lifted."""
    return _step(state, lambda s: phases.end(s, now))


def extend(state: SessionState, minutes: int, now: datetime) -> Outcome:
    """`/phase extend`."""
    return _step(state, lambda s: phases.extend(s, minutes, now))


def choose_presenter(state: SessionState, user_id: int | None) -> Outcome:
    """`/case pick`."""
    return _step(state, lambda s: phases.choose_presenter(s, user_id))


def set_mode(state: SessionState, mode: TurnMode) -> Outcome:
    """`/turns mode`."""
    return _step(state, lambda s: turns.set_mode(s, mode))


def raise_hand(state: SessionState, user_id: int) -> Outcome:
    """The raise-hand button."""
    return _step(state, lambda s: turns.raise_hand(s, user_id))


def lower_hand(state: SessionState, user_id: int) -> Outcome:
    """The lower-hand button."""
    return _step(state, lambda s: turns.lower_hand(s, user_id))


def next_speaker(state: SessionState) -> Outcome:
    """`/next`: call the first raised hand."""
    return _step(state, turns.next_speaker)


def give_floor(state: SessionState, user_id: int | None) -> Outcome:
    """`/floor give`."""
    return _step(state, lambda s: turns.give_floor(s, user_id))


def done(state: SessionState, user_id: int) -> Outcome:
    """The done button."""
    return _step(state, lambda s: turns.done(s, user_id))


def start_round(state: SessionState, members_present_ordered: Iterable[int]) -> Outcome:
    """`/round start`."""
    order = tuple(members_present_ordered)
    return _step(state, lambda s: turns.start_round(s, order))


def join_round(state: SessionState, user_id: int) -> Outcome:
    """A member seen at the meeting while a round runs without them: a turn at its end."""
    return _step(state, lambda s: turns.arrive_in_round(s, user_id))


def round_pass(state: SessionState, user_id: int) -> Outcome:
    """The pass button during a round."""
    return _step(state, lambda s: turns.round_pass(s, user_id))


def round_timeout(state: SessionState) -> Outcome:
    """The per-turn timer of a round fired."""
    return _step(state, turns.round_timeout)


def go_away(state: SessionState, user_id: int, now: datetime) -> Outcome:
    """The away button."""
    return _step(state, lambda s: turns.go_away(s, user_id, now))


def come_back(state: SessionState, user_id: int, now: datetime) -> Outcome:
    """The back button."""
    return _step(state, lambda s: turns.come_back(s, user_id, now))


def member_gone(state: SessionState, user_id: int) -> Outcome:
    """A member left the group or the server during the meeting."""
    return _step(state, lambda s: turns.member_gone(s, user_id))


def member_erased(state: SessionState, user_id: int) -> Outcome:
    """A member erased by /privacy forget during the meeting: no place of theirs is kept."""
    return _step(state, lambda s: turns.member_erased(s, user_id))


def expire_away(state: SessionState, now: datetime) -> Outcome:
    """The away timer fired."""
    return _step(state, lambda s: turns.expire_away(s, now))
