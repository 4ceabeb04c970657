"""Phases of one Balint meeting and the session state that moves through them.

The leader keeps time and structure (check-in, "who has a case?", presentation,
questions, discussion, the presenter's return, close); this module is that
structure as data, so the cogs only ask "may we go there?" and apply effects.
Everything is pure: `now` is always a parameter and nothing here sleeps.

`SessionState` also carries the turn fields (floor holder, hand queue, round,
away members) so that one immutable value describes a live session;
`bot.domain.turns` holds the functions that change them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType


class Phase(StrEnum):
    """The phases of a meeting, in the order a leader usually runs them."""

    CHECK_IN = "check_in"
    CASE_CALL = "case_call"
    PRESENTATION = "presentation"
    QUESTIONS = "questions"
    DISCUSSION = "discussion"
    RETURN = "return"
    CLOSING = "closing"
    ENDED = "ended"


class TurnMode(StrEnum):
    """How speaking turns are kept.

    Defined here (and re-exported by `bot.domain.turns`) because `SessionState`
    carries it and the turn functions import the state, not the other way round.
    """

    OPEN = "open"  # anyone allowed by the phase speaks
    HANDS = "hands"  # members raise hands; the leader calls them (a soft queue)
    STRICT = "strict"  # only the floor holder (and leaders) may speak


LIVE_PHASES: tuple[Phase, ...] = tuple(p for p in Phase if p is not Phase.ENDED)
# The phases that belong to one case; entering them needs a presenter.
CASE_PHASES: frozenset[Phase] = frozenset(
    {Phase.PRESENTATION, Phase.QUESTIONS, Phase.DISCUSSION, Phase.RETURN}
)
DEFAULT_DURATIONS: Mapping[Phase, int] = MappingProxyType(
    {
        Phase.CHECK_IN: 5,
        Phase.CASE_CALL: 5,
        Phase.PRESENTATION: 10,
        Phase.QUESTIONS: 5,
        Phase.DISCUSSION: 25,
        Phase.RETURN: 5,
        Phase.CLOSING: 5,
    }
)
DEFAULT_MAX_CASES = 2
MIN_EXTEND_MINUTES = 1
MAX_EXTEND_MINUTES = 60


class DomainError(Exception):
    """A rule of the method refused an action; `reason` is a key for texts.py."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransitionError(DomainError):
    """A phase change (or extension) that the meeting's structure does not allow."""


# --- effects: what the shell must do after a transition -------------------


@dataclass(frozen=True, slots=True)
class PhaseChanged:
    """The meeting entered `new` (old is None when the session starts)."""

    old: Phase | None
    new: Phase


@dataclass(frozen=True, slots=True)
class DeadlineChanged:
    """The current phase's timer moved (reschedule the phase-end reminder)."""

    old: datetime | None
    new: datetime | None


@dataclass(frozen=True, slots=True)
class PresenterChanged:
    """The presenter of the current case changed (None: no case open)."""

    old: int | None
    new: int | None


@dataclass(frozen=True, slots=True)
class FloorChanged:
    """The member holding the floor changed (None: the floor is with the leaders)."""

    old: int | None
    new: int | None


@dataclass(frozen=True, slots=True)
class QueueChanged:
    """The hand queue changed; the status message should show the new order."""

    queue: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RoundEnded:
    """Everyone in the round had their turn, or (`cut_short`) a leader stopped it early."""

    cut_short: bool = False


# Effects of phase changes; `bot.domain.turns` adds the turn-only ones.
Effect = (
    PhaseChanged | DeadlineChanged | PresenterChanged | FloorChanged | QueueChanged | RoundEnded
)


# --- pure phase rules ------------------------------------------------------


def next_phase(current: Phase, cases_done: int, max_cases: int, has_presenter: bool) -> Phase:
    """The phase `/phase next` leads to, or TransitionError saying why not.

    `cases_done` counts cases begun, including the one in progress, so at
    RETURN it says whether a further case fits in this meeting.
    """
    if current is Phase.ENDED:
        raise TransitionError("ended")
    if current is Phase.CASE_CALL:
        if not has_presenter:
            raise TransitionError("no_presenter")
        if cases_done >= max_cases:
            raise TransitionError("max_cases")
        return Phase.PRESENTATION
    if current is Phase.RETURN:
        return Phase.CASE_CALL if cases_done < max_cases else Phase.CLOSING
    order = list(Phase)
    return order[order.index(current) + 1]


def can_goto(
    current: Phase, target: Phase, has_presenter: bool, cases_done: int, max_cases: int
) -> str | None:
    """None if `/phase goto target` is allowed, else the reason key."""
    if current is Phase.ENDED:
        return "ended"
    if target is Phase.ENDED:
        return "use_end"
    if target is current:
        return "same_phase"
    if target in CASE_PHASES:
        if not has_presenter:
            return "no_presenter"
        if current not in CASE_PHASES and cases_done >= max_cases:
            return "max_cases"
    return None


def deadline(
    started_at: datetime,
    phase: Phase,
    durations: Mapping[Phase, int] = DEFAULT_DURATIONS,
    extra_minutes: int = 0,
) -> datetime | None:
    """When `phase` is due to end; None once the session has ended."""
    _require_aware(started_at)
    if phase is Phase.ENDED:
        return None
    minutes = durations.get(phase, DEFAULT_DURATIONS[phase])
    return started_at + timedelta(minutes=minutes + extra_minutes)


def meeting_plan(
    durations: Mapping[Phase, int] = DEFAULT_DURATIONS, max_cases: int = DEFAULT_MAX_CASES
) -> list[tuple[Phase, int]]:
    """The meeting's shape as (phase, minutes), one case block per case."""
    if max_cases < 1:
        raise ValueError("max_cases must be at least 1")

    def minutes(p: Phase) -> int:
        return durations.get(p, DEFAULT_DURATIONS[p])

    plan = [(Phase.CHECK_IN, minutes(Phase.CHECK_IN))]
    case_block = (Phase.CASE_CALL, *sorted(CASE_PHASES, key=list(Phase).index))
    for _ in range(max_cases):
        plan.extend((p, minutes(p)) for p in case_block)
    plan.append((Phase.CLOSING, minutes(Phase.CLOSING)))
    return plan


def _require_aware(moment: datetime) -> None:
    """Naive datetimes are how reminders drift; refuse them at the door."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")


# --- the session state -------------------------------------------------------


def _frozen_map(value: Mapping[int, datetime]) -> Mapping[int, datetime]:
    return MappingProxyType(dict(value))


@dataclass(frozen=True)
class SessionState:
    """One live session, immutable; every transition returns a new value."""

    session_id: int
    phase: Phase
    phase_started_at: datetime
    phase_deadline: datetime | None
    presenter_id: int | None = None
    cases_done: int = 0
    max_cases: int = DEFAULT_MAX_CASES
    leaders: frozenset[int] = frozenset()
    floor_holder: int | None = None
    turn_mode: TurnMode = TurnMode.OPEN
    hand_queue: tuple[int, ...] = ()
    round_order: tuple[int, ...] = ()
    round_index: int = 0
    away: Mapping[int, datetime] = field(default_factory=dict)
    durations: Mapping[Phase, int] = field(default_factory=lambda: DEFAULT_DURATIONS)

    def __post_init__(self) -> None:
        _require_aware(self.phase_started_at)
        object.__setattr__(self, "leaders", frozenset(self.leaders))
        object.__setattr__(self, "hand_queue", tuple(self.hand_queue))
        object.__setattr__(self, "round_order", tuple(self.round_order))
        object.__setattr__(self, "away", _frozen_map(self.away))
        object.__setattr__(self, "durations", MappingProxyType(dict(self.durations)))

    @property
    def live(self) -> bool:
        """True until the session has ended."""
        return self.phase is not Phase.ENDED

    @property
    def in_round(self) -> bool:
        """True while a go-round is running."""
        return bool(self.round_order)

    def is_leader(self, user_id: int) -> bool:
        """Leaders and co-leaders have equal control."""
        return user_id in self.leaders


Transition = tuple[SessionState, list[Effect]]


def start_session(
    session_id: int,
    now: datetime,
    leaders: frozenset[int],
    *,
    max_cases: int = DEFAULT_MAX_CASES,
    durations: Mapping[Phase, int] = DEFAULT_DURATIONS,
    turn_mode: TurnMode = TurnMode.OPEN,
) -> Transition:
    """A new session in check-in, its timer started at `now`."""
    if max_cases < 1:
        raise ValueError("max_cases must be at least 1")
    state = SessionState(
        session_id=session_id,
        phase=Phase.CHECK_IN,
        phase_started_at=now,
        phase_deadline=deadline(now, Phase.CHECK_IN, durations),
        max_cases=max_cases,
        leaders=frozenset(leaders),
        turn_mode=turn_mode,
        durations=durations,
    )
    return state, [
        PhaseChanged(None, Phase.CHECK_IN),
        DeadlineChanged(None, state.phase_deadline),
    ]


def advance(state: SessionState, now: datetime) -> Transition:
    """`/phase next`: the next phase of the usual order (CLOSING -> ENDED)."""
    target = next_phase(
        state.phase, state.cases_done, state.max_cases, state.presenter_id is not None
    )
    return _enter(state, target, now)


def goto(state: SessionState, target: Phase, now: datetime) -> Transition:
    """`/phase goto`: a leader's jump forward or back, within the rules."""
    reason = can_goto(
        state.phase,
        target,
        state.presenter_id is not None,
        state.cases_done,
        state.max_cases,
    )
    if reason is not None:
        raise TransitionError(reason)
    return _enter(state, target, now)


def end(state: SessionState, now: datetime) -> Transition:
    """`/session end` (or next from closing): the channel becomes read-only."""
    if not state.live:
        raise TransitionError("ended")
    return _enter(state, Phase.ENDED, now)


def extend(state: SessionState, minutes: int, now: datetime) -> Transition:
    """`/phase extend`: more time for this phase; counts from now if overrun."""
    _require_aware(now)
    if not state.live:
        raise TransitionError("ended")
    if not MIN_EXTEND_MINUTES <= minutes <= MAX_EXTEND_MINUTES:
        raise TransitionError("bad_minutes")
    old = state.phase_deadline
    base = now if old is None or old < now else old
    new = base + timedelta(minutes=minutes)
    return replace(state, phase_deadline=new), [DeadlineChanged(old, new)]


def choose_presenter(state: SessionState, user_id: int | None) -> Transition:
    """`/case pick`: the leaders choose (or un-choose) who presents the case."""
    if not state.live:
        raise TransitionError("ended")
    if state.phase is not Phase.CASE_CALL:
        raise TransitionError("not_case_call")
    if user_id == state.presenter_id:
        return state, []
    return replace(state, presenter_id=user_id), [PresenterChanged(state.presenter_id, user_id)]


def withdraws_case(old: Phase, new: Phase) -> bool:
    """Back from the presentation to the case call: the case is withdrawn, not held.

    A mistaken pick (or a presenter who would rather not go on) costs the meeting
    no case, and is not recorded as presented.
    """
    return old is Phase.PRESENTATION and new is Phase.CASE_CALL


def _enter(state: SessionState, target: Phase, now: datetime) -> Transition:
    """Move to `target`: new timer, floor back to the leaders, round and queue cleared.

    Hands raised in one phase are not carried into the next: a question meant
    for the clarifying round is not a wish to speak in the discussion.
    Entering the case block from outside begins a case (cases_done + 1);
    leaving it clears the presenter so the next case needs a new one.
    """
    _require_aware(now)
    old_phase = state.phase
    effects: list[Effect] = [PhaseChanged(old_phase, target)]
    new_deadline = deadline(now, target, state.durations)
    effects.append(DeadlineChanged(state.phase_deadline, new_deadline))
    cases_done = state.cases_done
    presenter = state.presenter_id
    if target in CASE_PHASES and old_phase not in CASE_PHASES:
        cases_done += 1
    elif withdraws_case(old_phase, target):
        cases_done -= 1
    if target not in CASE_PHASES and presenter is not None:
        effects.append(PresenterChanged(presenter, None))
        presenter = None
    if state.floor_holder is not None:
        effects.append(FloorChanged(state.floor_holder, None))
    if state.round_order:
        effects.append(RoundEnded())
    if state.hand_queue:
        effects.append(QueueChanged(()))
    new_state = replace(
        state,
        phase=target,
        phase_started_at=now,
        phase_deadline=new_deadline,
        presenter_id=presenter,
        cases_done=cases_done,
        floor_holder=None,
        hand_queue=(),
        round_order=(),
        round_index=0,
        away={} if target is Phase.ENDED else state.away,
    )
    return new_state, effects
