"""Phase order, `/phase goto` rules, timers and the session state's transitions."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.phases import (
    CASE_PHASES,
    DEFAULT_DURATIONS,
    LIVE_PHASES,
    DeadlineChanged,
    Phase,
    PhaseChanged,
    PresenterChanged,
    TransitionError,
    advance,
    can_goto,
    choose_presenter,
    deadline,
    end,
    extend,
    goto,
    meeting_plan,
    next_phase,
    start_session,
)

NOW = datetime(2025, 3, 4, 18, 0, tzinfo=UTC)
P = Phase
ROOT = Path(__file__).resolve().parents[2]


def test_phase_values_are_lowercase_names() -> None:
    assert [p.value for p in Phase] == [
        "check_in",
        "case_call",
        "presentation",
        "questions",
        "discussion",
        "return",
        "closing",
        "ended",
    ]


@pytest.mark.parametrize(
    ("current", "cases_done", "max_cases", "has_presenter", "expected"),
    [
        (P.CHECK_IN, 0, 2, False, P.CASE_CALL),
        (P.CASE_CALL, 0, 2, True, P.PRESENTATION),
        (P.CASE_CALL, 1, 2, True, P.PRESENTATION),
        (P.CASE_CALL, 0, 2, False, "no_presenter"),
        (P.CASE_CALL, 2, 2, True, "max_cases"),
        (P.PRESENTATION, 1, 2, True, P.QUESTIONS),
        (P.QUESTIONS, 1, 2, True, P.DISCUSSION),
        (P.DISCUSSION, 1, 2, True, P.RETURN),
        (P.RETURN, 1, 2, True, P.CASE_CALL),
        (P.RETURN, 2, 2, True, P.CLOSING),
        (P.RETURN, 1, 1, True, P.CLOSING),
        (P.RETURN, 2, 3, True, P.CASE_CALL),
        (P.CLOSING, 2, 2, False, P.ENDED),
        (P.ENDED, 2, 2, False, "ended"),
    ],
)
def test_next_phase(
    current: Phase, cases_done: int, max_cases: int, has_presenter: bool, expected: object
) -> None:
    if isinstance(expected, Phase):
        assert next_phase(current, cases_done, max_cases, has_presenter) is expected
    else:
        with pytest.raises(TransitionError) as err:
            next_phase(current, cases_done, max_cases, has_presenter)
        assert err.value.reason == expected


@pytest.mark.parametrize(
    ("current", "target", "has_presenter", "cases_done", "expected"),
    [
        (P.CHECK_IN, P.CASE_CALL, False, 0, None),
        (P.CHECK_IN, P.CLOSING, False, 0, None),
        (P.CASE_CALL, P.CLOSING, False, 0, None),
        (P.CASE_CALL, P.CHECK_IN, False, 0, None),
        (P.CASE_CALL, P.PRESENTATION, False, 0, "no_presenter"),
        (P.CASE_CALL, P.DISCUSSION, False, 0, "no_presenter"),
        (P.CASE_CALL, P.DISCUSSION, True, 0, None),
        (P.CASE_CALL, P.PRESENTATION, True, 2, "max_cases"),
        (P.DISCUSSION, P.PRESENTATION, True, 2, None),
        (P.RETURN, P.QUESTIONS, True, 2, None),
        (P.DISCUSSION, P.CASE_CALL, True, 1, None),
        (P.CLOSING, P.CHECK_IN, False, 2, None),
        (P.CLOSING, P.RETURN, False, 2, "no_presenter"),
        (P.QUESTIONS, P.QUESTIONS, True, 1, "same_phase"),
        (P.DISCUSSION, P.ENDED, True, 1, "use_end"),
        (P.ENDED, P.CHECK_IN, False, 2, "ended"),
        (P.ENDED, P.CLOSING, True, 2, "ended"),
    ],
)
def test_can_goto_table(
    current: Phase, target: Phase, has_presenter: bool, cases_done: int, expected: str | None
) -> None:
    assert can_goto(current, target, has_presenter, cases_done, 2) == expected


@pytest.mark.parametrize("current", list(Phase))
@pytest.mark.parametrize("target", list(Phase))
@pytest.mark.parametrize("has_presenter", [True, False])
def test_can_goto_exhaustive(current: Phase, target: Phase, has_presenter: bool) -> None:
    """Every pair: only the documented refusals, nothing else."""
    reason = can_goto(current, target, has_presenter, 1, 2)
    if current is P.ENDED:
        assert reason == "ended"
    elif target is P.ENDED:
        assert reason == "use_end"
    elif target is current:
        assert reason == "same_phase"
    elif target in CASE_PHASES and not has_presenter:
        assert reason == "no_presenter"
    else:
        assert reason is None


def test_deadline_uses_durations_and_extra() -> None:
    assert deadline(NOW, P.DISCUSSION, DEFAULT_DURATIONS) == NOW + timedelta(minutes=25)
    assert deadline(NOW, P.CHECK_IN, {P.CHECK_IN: 3}, 2) == NOW + timedelta(minutes=5)
    assert deadline(NOW, P.QUESTIONS, {}) == NOW + timedelta(minutes=5)
    assert deadline(NOW, P.ENDED, DEFAULT_DURATIONS) is None


def test_deadline_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        deadline(datetime(2025, 1, 1, 18, 0), P.CHECK_IN)  # noqa: DTZ001


def test_meeting_plan_default_shape() -> None:
    plan = meeting_plan(DEFAULT_DURATIONS, 2)
    block = [
        (P.CASE_CALL, 5),
        (P.PRESENTATION, 10),
        (P.QUESTIONS, 5),
        (P.DISCUSSION, 25),
        (P.RETURN, 5),
    ]
    assert plan == [(P.CHECK_IN, 5), *block, *block, (P.CLOSING, 5)]
    assert sum(m for _, m in meeting_plan(DEFAULT_DURATIONS, 1)) == 60
    assert P.ENDED not in {p for p, _ in plan}
    with pytest.raises(ValueError):
        meeting_plan(DEFAULT_DURATIONS, 0)


def test_live_phases_exclude_ended() -> None:
    assert P.ENDED not in LIVE_PHASES and len(LIVE_PHASES) == 7


def _walk_to_presentation():
    state, _ = start_session(7, NOW, frozenset({1, 2}))
    state, _ = advance(state, NOW)
    state, _ = choose_presenter(state, 10)
    return advance(state, NOW)


def test_full_meeting_with_two_cases() -> None:
    state, effects = start_session(7, NOW, frozenset({1, 2}))
    assert effects[0] == PhaseChanged(None, P.CHECK_IN)
    assert state.phase_deadline == NOW + timedelta(minutes=5)
    seen = [state.phase]
    for presenter in (10, 11):
        state, _ = advance(state, NOW)
        assert state.phase is P.CASE_CALL
        with pytest.raises(TransitionError):
            advance(state, NOW)
        state, _ = choose_presenter(state, presenter)
        for _ in range(4):
            state, _ = advance(state, NOW)
            seen.append(state.phase)
            assert state.presenter_id == presenter
    assert state.cases_done == 2
    state, effects = advance(state, NOW)
    assert state.phase is P.CLOSING and state.presenter_id is None
    assert PresenterChanged(11, None) in effects
    state, _ = advance(state, NOW)
    assert state.phase is P.ENDED and state.phase_deadline is None
    assert seen[1:5] == [P.PRESENTATION, P.QUESTIONS, P.DISCUSSION, P.RETURN]


def test_going_back_within_a_case_does_not_count_a_new_case() -> None:
    state, _ = _walk_to_presentation()
    assert state.cases_done == 1
    state, _ = goto(state, P.DISCUSSION, NOW)
    state, _ = goto(state, P.PRESENTATION, NOW)
    assert state.cases_done == 1 and state.presenter_id == 10


def test_goto_refusals_raise_with_reason() -> None:
    state, _ = start_session(7, NOW, frozenset({1}))
    with pytest.raises(TransitionError) as err:
        goto(state, P.DISCUSSION, NOW)
    assert err.value.reason == "no_presenter"
    with pytest.raises(TransitionError) as err:
        goto(state, P.ENDED, NOW)
    assert err.value.reason == "use_end"
    state, _ = goto(state, P.CLOSING, NOW)
    state, _ = end(state, NOW)
    for target in LIVE_PHASES:
        with pytest.raises(TransitionError):
            goto(state, target, NOW)
    with pytest.raises(TransitionError):
        end(state, NOW)


def test_choose_presenter_only_in_case_call() -> None:
    state, _ = start_session(7, NOW, frozenset({1}))
    with pytest.raises(TransitionError) as err:
        choose_presenter(state, 10)
    assert err.value.reason == "not_case_call"
    state, _ = advance(state, NOW)
    state, effects = choose_presenter(state, 10)
    assert effects == [PresenterChanged(None, 10)]
    assert choose_presenter(state, 10) == (state, [])


def test_phase_change_clears_floor_queue_and_round() -> None:
    state, _ = _walk_to_presentation()
    from dataclasses import replace

    busy = replace(state, floor_holder=3, hand_queue=(4, 5), round_order=(3, 4), round_index=1)
    after, _ = advance(busy, NOW)
    assert after.floor_holder is None and after.hand_queue == () and after.round_order == ()


@pytest.mark.parametrize("minutes", [1, 5, 60])
def test_extend_within_bounds(minutes: int) -> None:
    state, _ = start_session(7, NOW, frozenset({1}))
    later, effects = extend(state, minutes, NOW + timedelta(minutes=1))
    assert later.phase_deadline == state.phase_deadline + timedelta(minutes=minutes)
    assert effects == [DeadlineChanged(state.phase_deadline, later.phase_deadline)]


def test_extend_after_overrun_counts_from_now() -> None:
    state, _ = start_session(7, NOW, frozenset({1}))
    late = NOW + timedelta(minutes=20)
    later, _ = extend(state, 5, late)
    assert later.phase_deadline == late + timedelta(minutes=5)


@pytest.mark.parametrize("minutes", [0, -5, 61, 1000])
def test_extend_out_of_bounds_refused(minutes: int) -> None:
    state, _ = start_session(7, NOW, frozenset({1}))
    with pytest.raises(TransitionError) as err:
        extend(state, minutes, NOW)
    assert err.value.reason == "bad_minutes"


def test_extend_after_end_refused() -> None:
    state, _ = start_session(7, NOW, frozenset({1}))
    state, _ = end(state, NOW)
    with pytest.raises(TransitionError) as err:
        extend(state, 5, NOW)
    assert err.value.reason == "ended"


def test_state_is_immutable_and_refuses_naive_time() -> None:
    state, _ = start_session(7, NOW, frozenset({1}))
    with pytest.raises(AttributeError):
        state.phase = P.CLOSING  # type: ignore[misc]
    with pytest.raises(TypeError):
        state.away[3] = NOW  # type: ignore[index]
    with pytest.raises(ValueError):
        start_session(7, datetime(2025, 1, 1), frozenset({1}))  # noqa: DTZ001


def test_domain_imports_no_discord_or_storage() -> None:
    """The functional core must load without the shell's libraries."""
    code = (
        "import sys\n"
        "import bot.domain.phases, bot.domain.permissions, bot.domain.turns\n"
        "import bot.domain.access, bot.domain.session\n"
        "bad = [m for m in ('discord', 'aiosqlite', 'apscheduler') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_back_from_the_presentation_to_the_case_call_withdraws_the_case() -> None:
    from bot.domain.phases import withdraws_case

    assert withdraws_case(Phase.PRESENTATION, Phase.CASE_CALL)
    assert not withdraws_case(Phase.DISCUSSION, Phase.CASE_CALL)
    assert not withdraws_case(Phase.RETURN, Phase.CASE_CALL)


def test_auto_advance_never_ends_the_meeting_without_auto_end() -> None:
    from dataclasses import replace as _replace

    from bot.domain.session import may_auto_advance, start

    state, _ = start(1, datetime(2026, 11, 23, 19, 0, tzinfo=UTC), frozenset({1}))
    closing = _replace(state, phase=Phase.CLOSING)
    assert not may_auto_advance(closing, auto_end=False)
    assert may_auto_advance(closing, auto_end=True)
    assert may_auto_advance(_replace(state, phase=Phase.DISCUSSION), auto_end=False)
