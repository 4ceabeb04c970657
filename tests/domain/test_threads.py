"""Threads in the session channel: the group role's writes deny them in every phase and mode."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain import session
from bot.domain.permissions import (
    ROLE_THREADS,
    OverwriteWrite,
    channel_plan,
    diff_plans,
    full_plan_writes,
    leader_overwrites,
    release_leader_overwrites,
)
from bot.domain.phases import Phase, TurnMode

LEADERS = frozenset({1})


def test_the_role_never_may_use_threads():
    assert ROLE_THREADS is False
    assert OverwriteWrite("role", None, True).threads is False
    assert OverwriteWrite("role", None, False).threads is False


def test_member_writes_leave_threads_to_the_role():
    assert OverwriteWrite("member", 5, True).threads is None
    assert all(w.threads is None for w in leader_overwrites([1, 2]))
    assert all(w.threads is None for w in release_leader_overwrites([1, 2]))


@pytest.mark.parametrize("mode", list(TurnMode))
@pytest.mark.parametrize("phase", list(Phase))
def test_every_role_write_of_every_plan_denies_threads(phase, mode):
    plan = channel_plan(phase, 7, LEADERS, 8, mode)
    writes = full_plan_writes(plan) + diff_plans(None, plan)
    roles = [w for w in writes if w.target_kind == "role"]
    assert roles and all(w.threads is False for w in roles)


def test_restore_writes_deny_threads_to_the_role_live_and_ended():
    state, _ = session.start(1, datetime(2026, 1, 1, tzinfo=UTC), LEADERS, max_cases=2)
    for current in (state, session.end(state, datetime(2026, 1, 1, 1, tzinfo=UTC))[0]):
        roles = [w for w in session.restore_writes(current) if w.target_kind == "role"]
        assert [w.threads for w in roles] == [False]
