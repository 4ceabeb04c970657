"""Hand queue, floor, go-rounds and away members: examples and property tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.phases import FloorChanged, Phase, RoundEnded, SessionState, TurnMode
from bot.domain.turns import (
    AwayChanged,
    HandsDropped,
    RoundAdvanced,
    RoundJoined,
    TurnError,
    come_back,
    done,
    expire_away,
    give_floor,
    go_away,
    lower_hand,
    next_speaker,
    raise_hand,
    round_done,
    round_order,
    round_pass,
    round_timeout,
    set_mode,
    start_round,
)

NOW = datetime(2025, 3, 4, 18, 0, tzinfo=UTC)
LEADERS = frozenset({1, 2})
PRESENTER = 10


def make(phase: Phase = Phase.DISCUSSION, **kw: object) -> SessionState:
    base = SessionState(
        session_id=1,
        phase=phase,
        phase_started_at=NOW,
        phase_deadline=NOW + timedelta(minutes=25),
        presenter_id=PRESENTER,
        cases_done=1,
        leaders=LEADERS,
        turn_mode=TurnMode.HANDS,
    )
    return replace(base, **kw)


def reason(exc: pytest.ExceptionInfo[TurnError]) -> str:
    return exc.value.reason


def test_raise_hand_is_idempotent_and_fifo() -> None:
    state = make()
    for user in (11, 12, 11, 13):
        state, _ = raise_hand(state, user)
    assert state.hand_queue == (11, 12, 13)
    again, effects = raise_hand(state, 12)
    assert again == state and effects == []
    state, _ = next_speaker(state)
    assert state.floor_holder == 11 and state.hand_queue == (12, 13)
    state, _ = next_speaker(state)
    assert state.floor_holder == 12 and state.hand_queue == (13,)


def test_raise_hand_refusals() -> None:
    with pytest.raises(TurnError) as err:
        raise_hand(make(), PRESENTER)
    assert reason(err) == "presenter_listens"
    with pytest.raises(TurnError) as err:
        raise_hand(make(), 1)
    assert reason(err) == "leader_may_speak"
    with pytest.raises(TurnError) as err:
        raise_hand(make(floor_holder=11), 11)
    assert reason(err) == "has_floor"
    with pytest.raises(TurnError) as err:
        raise_hand(make(Phase.ENDED), 11)
    assert reason(err) == "ended"
    # Outside the discussion the presenter may ask to speak.
    state, _ = raise_hand(make(Phase.QUESTIONS), PRESENTER)
    assert state.hand_queue == (PRESENTER,)


def test_lower_hand() -> None:
    state, _ = raise_hand(make(), 11)
    state, _ = lower_hand(state, 11)
    assert state.hand_queue == ()
    assert lower_hand(state, 11) == (state, [])


def test_next_speaker_empty_queue() -> None:
    with pytest.raises(TurnError) as err:
        next_speaker(make())
    assert reason(err) == "queue_empty"


def test_done_only_by_floor_holder() -> None:
    state = make(floor_holder=11)
    with pytest.raises(TurnError) as err:
        done(state, 12)
    assert reason(err) == "not_floor_holder"
    state, effects = done(state, 11)
    assert state.floor_holder is None and effects == [FloorChanged(11, None)]


def test_give_floor_and_presenter_refused_in_discussion() -> None:
    state, _ = raise_hand(make(), 12)
    state, _ = give_floor(state, 12)
    assert state.floor_holder == 12 and state.hand_queue == ()
    with pytest.raises(TurnError):
        give_floor(state, PRESENTER)
    state, _ = give_floor(state, None)
    assert state.floor_holder is None
    other, _ = give_floor(make(Phase.RETURN), PRESENTER)
    assert other.floor_holder == PRESENTER


def test_set_mode() -> None:
    state, effects = set_mode(make(), TurnMode.STRICT)
    assert state.turn_mode is TurnMode.STRICT and len(effects) == 1
    assert set_mode(state, TurnMode.STRICT) == (state, [])


def test_round_leaves_presenter_out_in_discussion() -> None:
    assert round_order([11, 10, 12, 11], Phase.DISCUSSION, 10) == (11, 12)
    assert round_order([11, 10, 12], Phase.CHECK_IN, 10) == (11, 10, 12)


def test_round_walks_everyone_then_ends() -> None:
    state, _ = start_round(make(), [11, PRESENTER, 12, 13])
    assert state.round_order == (11, 12, 13) and state.floor_holder == 11
    with pytest.raises(TurnError) as err:
        round_done(state, 12)
    assert reason(err) == "not_your_turn"
    state, effects = round_done(state, 11)
    assert RoundAdvanced(11, 12, "done") in effects
    state, effects = round_pass(state, 12)
    assert RoundAdvanced(12, 13, "pass") in effects
    state, effects = round_timeout(state)
    assert RoundAdvanced(13, None, "timeout") in effects and RoundEnded() in effects
    assert state.floor_holder is None and not state.in_round
    with pytest.raises(TurnError):
        round_timeout(state)


def test_done_in_round_advances_and_next_speaker_moves_the_round_on() -> None:
    state, _ = start_round(make(), [11, 12, 13])
    state, _ = done(state, 11)
    assert state.floor_holder == 12
    state, effects = next_speaker(state)  # 12 is not there: the leader moves on
    assert RoundAdvanced(12, 13, "skip") in effects
    assert state.floor_holder == 13 and state.in_round
    state, effects = next_speaker(state)
    assert RoundEnded() in effects and state.floor_holder is None and not state.in_round


def test_round_with_nobody_refused() -> None:
    with pytest.raises(TurnError) as err:
        start_round(make(), [PRESENTER])
    assert reason(err) == "nobody_for_round"


def test_away_keeps_hand_then_expires_after_wait() -> None:
    state, _ = raise_hand(make(), 11)
    state, _ = raise_hand(state, 12)
    state, _ = go_away(state, 11, NOW)
    # The group waits: the next present hand is called, 11 keeps their place.
    called, _ = next_speaker(state)
    assert called.floor_holder == 12 and called.hand_queue == (11,)
    assert expire_away(state, NOW + timedelta(minutes=1)) == (state, [])
    expired, effects = expire_away(state, NOW + timedelta(minutes=2))
    assert expired.hand_queue == (12,) and HandsDropped((11,)) in effects
    assert 11 in expired.away


def test_come_back_before_wait_keeps_place() -> None:
    state, _ = raise_hand(make(), 11)
    state, _ = go_away(state, 11, NOW)
    state, _ = come_back(state, 11, NOW + timedelta(minutes=1))
    later, _ = expire_away(state, NOW + timedelta(minutes=10))
    assert later.hand_queue == (11,)


def test_away_floor_holder_releases_floor() -> None:
    state, _ = go_away(make(floor_holder=11), 11, NOW)
    assert state.floor_holder is None
    state, _ = start_round(make(), [11, 12])
    state, effects = go_away(state, 11, NOW)
    assert state.floor_holder == 12 and RoundAdvanced(11, 12, "away") in effects


def test_go_away_twice_keeps_first_time() -> None:
    state, _ = go_away(make(), 11, NOW)
    again, effects = go_away(state, 11, NOW + timedelta(minutes=1))
    assert again.away[11] == NOW and effects == []


# --- properties ------------------------------------------------------------------

USERS = st.integers(min_value=1, max_value=14)  # includes leaders 1, 2 and presenter 10
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("raise"), USERS),
        st.tuples(st.just("lower"), USERS),
        st.tuples(st.just("next"), st.none()),
        st.tuples(st.just("done"), USERS),
        st.tuples(st.just("give"), st.one_of(st.none(), USERS)),
        st.tuples(st.just("round"), st.lists(USERS, max_size=14)),
        st.tuples(st.just("round_done"), USERS),
        st.tuples(st.just("round_pass"), USERS),
        st.tuples(st.just("timeout"), st.none()),
        st.tuples(st.just("away"), USERS),
        st.tuples(st.just("back"), USERS),
        st.tuples(st.just("expire"), st.integers(min_value=0, max_value=300)),
    ),
    max_size=40,
)


def apply(state: SessionState, op: str, arg: object, now: datetime) -> SessionState:
    fns = {
        "raise": lambda: raise_hand(state, arg),
        "lower": lambda: lower_hand(state, arg),
        "next": lambda: next_speaker(state),
        "done": lambda: done(state, arg),
        "give": lambda: give_floor(state, arg),
        "round": lambda: start_round(state, arg),
        "round_done": lambda: round_done(state, arg),
        "round_pass": lambda: round_pass(state, arg),
        "timeout": lambda: round_timeout(state),
        "away": lambda: go_away(state, arg, now),
        "back": lambda: come_back(state, arg, now),
        "expire": lambda: expire_away(state, now),
    }
    try:
        new_state, _ = fns[op]()
    except TurnError:
        return state
    return new_state


@settings(max_examples=300)
@given(ops=OPS, phase=st.sampled_from([Phase.DISCUSSION, Phase.CHECK_IN, Phase.QUESTIONS]))
def test_turn_invariants(ops: list[tuple[str, object]], phase: Phase) -> None:
    state = make(phase)
    now = NOW
    for op, arg in ops:
        now += timedelta(seconds=arg if op == "expire" else 10)  # type: ignore[operator]
        state = apply(state, op, arg, now)
        assert len(set(state.hand_queue)) == len(state.hand_queue)
        assert not set(state.hand_queue) & LEADERS
        if phase is Phase.DISCUSSION:
            assert state.floor_holder != PRESENTER
            assert PRESENTER not in state.hand_queue
            assert PRESENTER not in state.round_order
        if state.in_round:
            assert 0 <= state.round_index < len(state.round_order)
            assert state.floor_holder == state.round_order[state.round_index]
            assert len(set(state.round_order)) == len(state.round_order)
        else:
            assert state.round_index == 0


@given(
    members=st.lists(USERS, max_size=14),
    phase=st.sampled_from([Phase.DISCUSSION, Phase.CHECK_IN, Phase.CLOSING]),
    steps=st.lists(st.sampled_from(["done", "pass", "timeout", "away"]), min_size=30, max_size=30),
)
def test_round_visits_each_eligible_member_exactly_once(
    members: list[int], phase: Phase, steps: list[str]
) -> None:
    expected = [m for i, m in enumerate(members) if m not in members[:i]]
    if phase is Phase.DISCUSSION:
        expected = [m for m in expected if m != PRESENTER]
    try:
        state, _ = start_round(make(phase), members)
    except TurnError:
        assert expected == []
        return
    visited = [state.floor_holder]
    for step in steps:
        if not state.in_round:
            break
        holder = state.floor_holder
        assert holder is not None
        if step == "done":
            state, _ = round_done(state, holder)
        elif step == "pass":
            state, _ = round_pass(state, holder)
        elif step == "timeout":
            state, _ = round_timeout(state)
        else:
            state, _ = go_away(state, holder, NOW)
        if state.in_round:
            visited.append(state.floor_holder)
    assert not state.in_round
    assert visited == expected


def test_a_member_gone_loses_hand_turns_and_floor() -> None:
    from bot.domain.turns import member_gone

    state = make(hand_queue=(11, 12), floor_holder=11, away={11: NOW})
    after, effects = member_gone(state, 11)
    assert after.hand_queue == (12,) and after.floor_holder is None and 11 not in after.away
    assert FloorChanged(11, None) in effects
    in_round = make(round_order=(13, 11, 14), round_index=0, floor_holder=13)
    after, _ = member_gone(in_round, 11)
    assert after.round_order == (13, 14) and after.floor_holder == 13
    on_turn = make(round_order=(13, 11, 14), round_index=1, floor_holder=11)
    after, effects = member_gone(on_turn, 11)
    assert after.floor_holder == 14
    assert any(isinstance(e, RoundAdvanced) and e.how == "away" for e in effects)
    presenting = make(phase=Phase.PRESENTATION)
    assert member_gone(presenting, PRESENTER)[0].presenter_id == PRESENTER  # leaders decide


# --- back during a round: everyone present has their turn ----------------------------


def test_back_after_the_round_began_without_them_takes_a_turn_at_its_end() -> None:
    state, _ = start_round(make(Phase.CHECK_IN), [12, 13])  # 11 was away: left out
    state = replace(state, away={11: NOW})
    state, effects = come_back(state, 11, NOW)
    assert state.round_order == (12, 13, 11) and RoundJoined(11) in effects
    state, _ = round_done(state, 12)
    state, _ = round_done(state, 13)
    assert state.floor_holder == 11 and state.in_round


def test_back_before_their_place_keeps_it() -> None:
    state, _ = start_round(make(Phase.CHECK_IN), [11, 12, 13])
    state, _ = go_away(state, 13, NOW)
    state, effects = come_back(state, 13, NOW)
    assert state.round_order == (11, 12, 13) and not any(
        isinstance(e, RoundJoined) for e in effects
    )


def test_a_turn_missed_while_away_is_had_at_the_end_but_a_turn_had_is_not_repeated() -> None:
    state, _ = start_round(make(Phase.CHECK_IN), [11, 12, 13, 14])
    state, _ = go_away(state, 11, NOW)  # drops out on their own turn: it moves on
    assert state.floor_holder == 12 and 11 not in state.round_order
    state, _ = go_away(state, 13, NOW)  # their turn comes while they are gone ...
    state, _ = round_done(state, 12)
    assert state.floor_holder == 13
    state, effects = next_speaker(state)  # ... and a leader moves on past them
    assert state.floor_holder == 14 and RoundAdvanced(13, 14, "skip") in effects
    state, _ = come_back(state, 13, NOW)
    state, _ = raise_hand(state, 11)  # a raised hand also says "I am back"
    assert state.round_order == (12, 14, 13, 11)
    state, _ = go_away(state, 12, NOW)  # 12 had their turn: back, no second one
    state, effects = come_back(state, 12, NOW)
    assert state.round_order == (12, 14, 13, 11) and not any(
        isinstance(e, RoundJoined) for e in effects
    )


def test_leaders_and_the_listening_presenter_are_not_added_to_a_round() -> None:
    state, _ = start_round(make(), [11, 12])
    state = replace(state, away={1: NOW, PRESENTER: NOW})
    state, _ = come_back(state, 1, NOW)
    state, _ = come_back(state, PRESENTER, NOW)
    assert state.round_order == (11, 12)


def test_back_after_the_round_ended_adds_nobody() -> None:
    state, _ = go_away(make(Phase.CHECK_IN), 11, NOW)
    state, effects = come_back(state, 11, NOW)
    assert not state.in_round and effects == [AwayChanged(11, None)]
