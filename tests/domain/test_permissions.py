"""Permission plans per phase and turn mode, minimal diffs, and voice mutes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import session
from bot.domain.permissions import (
    ChannelPlan,
    OverwriteWrite,
    channel_plan,
    diff_plans,
    effective_send,
    full_plan_writes,
    leader_overwrites,
    may_send,
    mute_changes,
    on_voice_join,
    release_leader_overwrites,
    senders,
    voice_speakers,
)
from bot.domain.phases import Phase, TurnMode

P, M = Phase, TurnMode
LEADERS = frozenset({1, 2})
PRESENTER, FLOOR, OTHER = 10, 11, 12
MEMBERS = frozenset({PRESENTER, FLOOR, OTHER, 13})
NOW = datetime(2025, 3, 4, 18, 0, tzinfo=UTC)

# phase, mode -> who (besides the leaders) may write; floor holder is FLOOR.
ALL = MEMBERS
NOT_PRESENTER = MEMBERS - {PRESENTER}
EXPECTED: list[tuple[Phase, TurnMode, frozenset[int]]] = []
for _mode in (M.OPEN, M.HANDS):
    EXPECTED += [
        (P.CHECK_IN, _mode, ALL),
        (P.CASE_CALL, _mode, ALL),
        (P.PRESENTATION, _mode, frozenset({PRESENTER})),
        (P.QUESTIONS, _mode, ALL),
        (P.DISCUSSION, _mode, NOT_PRESENTER),
        (P.RETURN, _mode, frozenset({PRESENTER})),
        (P.CLOSING, _mode, ALL),
    ]
EXPECTED += [
    (P.CHECK_IN, M.STRICT, frozenset({FLOOR})),
    (P.CASE_CALL, M.STRICT, frozenset({FLOOR})),
    (P.PRESENTATION, M.STRICT, frozenset({PRESENTER})),
    (P.QUESTIONS, M.STRICT, frozenset({FLOOR})),
    (P.DISCUSSION, M.STRICT, frozenset({FLOOR})),
    (P.RETURN, M.STRICT, frozenset({PRESENTER})),
    (P.CLOSING, M.STRICT, frozenset({FLOOR})),
]


@pytest.mark.parametrize(("phase", "mode", "members_who_send"), EXPECTED)
def test_plan_per_phase_and_mode(
    phase: Phase, mode: TurnMode, members_who_send: frozenset[int]
) -> None:
    plan = channel_plan(phase, PRESENTER, LEADERS, FLOOR, mode)
    assert senders(phase, PRESENTER, LEADERS, FLOOR, mode, MEMBERS) == members_who_send | LEADERS
    # What Discord computes from the plan (with the leaders' allows) matches the rule.
    for user in MEMBERS | LEADERS:
        assert effective_send(plan, user, LEADERS) == (user in members_who_send | LEADERS)
    assert len(plan.member_send) <= 2
    assert not set(plan.member_send) & LEADERS


@pytest.mark.parametrize("mode", list(TurnMode))
def test_ended_plan_nobody_sends(mode: TurnMode) -> None:
    plan = channel_plan(P.ENDED, PRESENTER, LEADERS, FLOOR, mode)
    assert plan.role_send is False
    assert all(v is None for v in plan.member_send.values())
    assert senders(P.ENDED, PRESENTER, LEADERS, FLOOR, mode, MEMBERS) == frozenset()
    for user in MEMBERS | LEADERS:
        assert effective_send(plan, user, frozenset()) is False


def test_leader_who_presents_keeps_control() -> None:
    assert may_send(1, P.DISCUSSION, 1, LEADERS, None, M.OPEN)
    plan = channel_plan(P.DISCUSSION, 1, LEADERS, None, M.OPEN)
    assert plan == ChannelPlan(role_send=True, member_send={})


def test_strict_without_floor_holder_only_leaders() -> None:
    plan = channel_plan(P.DISCUSSION, PRESENTER, LEADERS, None, M.STRICT)
    assert plan.role_send is False and plan.member_send == {PRESENTER: None}
    assert senders(P.DISCUSSION, PRESENTER, LEADERS, None, M.STRICT, MEMBERS) == LEADERS


def test_diff_writes_only_what_changed() -> None:
    old = channel_plan(P.PRESENTATION, PRESENTER, LEADERS, None, M.OPEN)
    new = channel_plan(P.QUESTIONS, PRESENTER, LEADERS, None, M.OPEN)
    assert diff_plans(old, new) == [
        OverwriteWrite("role", None, True),
        OverwriteWrite("member", PRESENTER, None),
    ]
    assert diff_plans(new, new) == []
    assert diff_plans(None, new) == full_plan_writes(new)


def test_floor_change_in_strict_mode_is_two_member_writes() -> None:
    old = channel_plan(P.DISCUSSION, PRESENTER, LEADERS, FLOOR, M.STRICT)
    new = channel_plan(P.DISCUSSION, PRESENTER, LEADERS, OTHER, M.STRICT)
    assert diff_plans(old, new) == [
        OverwriteWrite("member", FLOOR, None),
        OverwriteWrite("member", OTHER, True),
    ]


def _whole_session_writes(group_size: int) -> list[int]:
    """Writes per step of one scripted session for a group of `group_size` members."""
    leaders = frozenset({1, 2})
    members = list(range(100, 100 + group_size))
    presenter = members[0]
    counts: list[int] = []

    def count(outcome: session.Outcome) -> session.SessionState:
        state, effects = outcome
        counts.append(sum(len(e.writes) for e in effects if isinstance(e, session.ApplyPlan)))
        return state

    state = count(session.start(1, NOW, leaders, turn_mode=M.STRICT))
    state = count(session.advance(state, NOW))
    state = count(session.choose_presenter(state, presenter))
    for _ in range(2):
        state = count(session.advance(state, NOW))
    state = count(session.start_round(state, members))
    for _ in range(3):
        state = count(session.done(state, state.floor_holder))
    state = count(session.advance(state, NOW))  # discussion
    state = count(session.start_round(state, members))
    state = count(session.round_timeout(state))
    state = count(session.give_floor(state, None))  # the leader cuts the round short
    state = count(session.set_mode(state, M.OPEN))
    state = count(session.raise_hand(state, members[-1]))
    state = count(session.next_speaker(state))
    state = count(session.advance(state, NOW))  # return
    state = count(session.advance(state, NOW))  # case call
    state = count(session.goto(state, P.CLOSING, NOW))
    count(session.end(state, NOW))
    return counts


def test_writes_never_depend_on_group_size() -> None:
    six, twelve, fifty = (_whole_session_writes(n) for n in (6, 12, 50))
    assert six == twelve == fifty
    # Per-change writes are bounded: the role plus at most four members
    # (the first and last steps also carry the two leaders' overwrites).
    assert max(six[1:-1]) <= 5


def test_leader_overwrites_are_not_part_of_phase_diffs() -> None:
    members = list(range(100, 112))
    state, effects = session.start(1, NOW, LEADERS)
    first = [w for e in effects if isinstance(e, session.ApplyPlan) for w in e.writes]
    assert set(leader_overwrites(LEADERS)) <= set(first)
    state, _ = session.advance(state, NOW)
    state, _ = session.choose_presenter(state, members[0])
    touched: set[int | None] = set()
    for mode in TurnMode:
        state, effects = session.set_mode(state, mode)
        for _ in range(4):
            state, effects = session.advance(state, NOW)
            touched |= {
                w.target_id for e in effects if isinstance(e, session.ApplyPlan) for w in e.writes
            }
        state, _ = session.advance(state, NOW)  # back to case call
        state, _ = session.choose_presenter(state, members[1])
        state = replace(state, cases_done=0)
    assert not touched & LEADERS
    state, effects = session.end(state, NOW)
    last = [w for e in effects if isinstance(e, session.ApplyPlan) for w in e.writes]
    assert set(release_leader_overwrites(LEADERS)) <= set(last)


def test_restore_writes_cover_leaders_and_plan() -> None:
    state, _ = session.start(1, NOW, LEADERS)
    writes = session.restore_writes(state)
    assert writes[:2] == leader_overwrites(LEADERS)
    assert OverwriteWrite("role", None, True) in writes


# --- voice -------------------------------------------------------------------


def test_closed_channel_is_one_read_only_write_for_the_role() -> None:
    """A permanent channel between meetings, given to a recreated role: nobody writes."""
    assert session.closed_channel_writes() == [OverwriteWrite("role", None, False)]


def test_voice_speakers_mirror_text_and_release_at_end() -> None:
    present = MEMBERS | LEADERS
    speakers = voice_speakers(P.PRESENTATION, PRESENTER, LEADERS, None, M.OPEN, present)
    assert speakers == LEADERS | {PRESENTER}
    discussion = voice_speakers(P.DISCUSSION, PRESENTER, LEADERS, None, M.OPEN, present)
    assert PRESENTER not in discussion
    assert voice_speakers(P.ENDED, PRESENTER, LEADERS, None, M.OPEN, present) == present


def test_mute_changes_presentation_to_discussion() -> None:
    connected = MEMBERS | LEADERS
    before = voice_speakers(P.PRESENTATION, PRESENTER, LEADERS, None, M.OPEN, connected)
    after = voice_speakers(P.DISCUSSION, PRESENTER, LEADERS, None, M.OPEN, connected)
    muted_by_bot = connected - before
    to_mute, to_unmute = mute_changes(before, after, connected, muted_by_bot)
    assert to_mute == {PRESENTER}
    assert to_unmute == MEMBERS - {PRESENTER}


ids = st.frozensets(st.integers(min_value=1, max_value=30), max_size=30)


@given(old=ids, new=ids, connected=ids, muted_by_bot=ids)
def test_mute_changes_never_unmute_a_stranger_mute(
    old: frozenset[int],
    new: frozenset[int],
    connected: frozenset[int],
    muted_by_bot: frozenset[int],
) -> None:
    to_mute, to_unmute = mute_changes(old, new, connected, muted_by_bot)
    assert to_unmute <= muted_by_bot
    assert to_unmute <= connected and to_mute <= connected
    assert not to_mute & to_unmute
    assert not to_mute & new  # a member allowed to speak is never muted
    assert to_mute <= old  # only members whose right changed
    assert not to_mute & muted_by_bot


def test_on_voice_join() -> None:
    speakers = frozenset({1, 10})
    assert on_voice_join(12, speakers, frozenset()) == "mute"
    assert on_voice_join(10, speakers, frozenset({10})) == "unmute"
    assert on_voice_join(10, speakers, frozenset()) is None
    assert on_voice_join(12, speakers, frozenset({12})) is None


def test_stale_member_allows_are_removed_unless_entitled_or_written() -> None:
    from bot.domain.permissions import OverwriteWrite, stale_member_allows

    writes = stale_member_allows(allowed=[1, 2, 3, 4], entitled=[1], already_written=[3])
    assert writes == [OverwriteWrite("member", 2, None), OverwriteWrite("member", 4, None)]
    assert stale_member_allows(allowed=[], entitled=[1], already_written=[]) == []
