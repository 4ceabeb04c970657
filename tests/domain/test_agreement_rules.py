"""The group agreement's rules: current acceptance, button presses, changes, reminders."""

from __future__ import annotations

import pytest

from bot.domain.agreement import (
    TEXT_MAX,
    TEXT_MIN,
    Holding,
    Press,
    Standing,
    has_access,
    holding,
    is_current,
    next_version,
    not_entitled,
    pending,
    press_verdict,
    standing,
    text_problem,
    to_remind,
    with_access,
)


@pytest.mark.parametrize(
    ("latest", "current", "expected"),
    [
        (None, 1, Standing.NEVER),
        (1, 1, Standing.CURRENT),
        (1, 2, Standing.OUTDATED),
        (3, 2, Standing.CURRENT),
    ],
)
def test_standing(latest: int | None, current: int, expected: Standing) -> None:
    assert standing(latest, current) is expected
    assert is_current(latest, current) is (expected is Standing.CURRENT)


def test_press_verdicts() -> None:
    assert press_verdict(2, 2, is_member=True) is Press.ACCEPT
    assert press_verdict(1, 2, is_member=True) is Press.OUTDATED
    assert press_verdict(3, 2, is_member=True) is Press.OUTDATED
    assert press_verdict(2, 2, is_member=False) is Press.NOT_MEMBER
    assert press_verdict(1, 2, is_member=False) is Press.NOT_MEMBER


def test_any_change_is_a_new_version() -> None:
    assert next_version(1) == 2
    assert next_version(7) == 8


def test_text_problems() -> None:
    old = "1. What is said here stays here."
    assert text_problem("short", old) == "too_short"
    assert text_problem(" " * 20 + "x" * (TEXT_MIN - 1) + " " * 20, old) == "too_short"
    assert text_problem("x" * (TEXT_MAX + 1), old) == "too_long"
    assert text_problem("x" * TEXT_MAX, old) is None
    assert text_problem(f"  {old}\n", old) == "unchanged"
    assert text_problem(old + " No notes.", old) is None


def test_pending_keeps_order_and_omits_the_current() -> None:
    latest = {10: 2, 11: 1}
    assert pending([12, 10, 11], latest, 2) == [12, 11]
    assert pending([10], latest, 2) == []


def test_reminded_are_those_with_access_but_not_the_current_version() -> None:
    latest = {1: 2, 2: 1, 4: 1}
    members = [(1, False), (2, False), (3, False), (4, True), (5, True)]
    # 1 is current; 2 outdated (reminded); 3 never agreed, so has no role (not reminded);
    # 4 a leader with an outdated acceptance; 5 a leader who never agreed (has the role).
    assert to_remind(members, latest, 2) == [2, 4, 5]
    assert to_remind(members, latest, 1) == [5]


def test_access_needs_an_acceptance_of_any_version_or_a_leader() -> None:
    assert not has_access(None, 2)  # never agreed: no role, cannot see the meeting
    assert has_access(1, 2)  # outdated: keeps access and is reminded
    assert has_access(2, 2)
    assert has_access(None, 2, is_leader=True)


def test_the_role_is_given_back_only_to_leaders_and_those_who_agreed() -> None:
    latest = {1: 2, 2: 1}
    members = [(1, False), (2, False), (3, False), (4, True)]
    # 3 never agreed: no role, whatever gives roles back (repair, rejoining the server).
    assert with_access(members, latest, 2) == [1, 2, 4]
    assert with_access([(3, False)], {}, 1) == []


def test_a_role_holder_may_keep_it_only_as_a_leader_or_a_member_who_agreed() -> None:
    assert holding(2, 2, is_member=True) is Holding.MAY_HOLD
    assert holding(1, 2, is_member=True) is Holding.MAY_HOLD  # outdated: keeps access
    assert holding(None, 2, is_member=True) is Holding.NOT_AGREED
    assert holding(None, 2, is_member=True, is_leader=True) is Holding.MAY_HOLD
    # Not in the group: an agreement from an earlier membership does not let them in.
    assert holding(2, 2, is_member=False) is Holding.NOT_MEMBER
    assert holding(None, 2, is_member=False, is_leader=True) is Holding.NOT_MEMBER


def test_not_entitled_holders_in_order_each_once() -> None:
    members = {1: False, 2: False, 3: True}  # 3 leads
    latest = {1: 1, 9: 2}  # 9 agreed once, then left the group
    holders = [9, 1, 2, 3, 7, 2]
    assert not_entitled(holders, members, latest, 2) == [
        (9, Holding.NOT_MEMBER),
        (2, Holding.NOT_AGREED),
        (7, Holding.NOT_MEMBER),
    ]
    assert not_entitled([1, 3], members, latest, 2) == []
    assert not_entitled([], members, latest, 2) == []


def test_not_entitled_agrees_with_who_is_given_the_role() -> None:
    """Whoever /group repair would give the role to, the take-back leaves alone."""
    members = [(1, False), (2, False), (3, True), (4, False)]
    latest = {1: 3, 2: 1}
    entitled = with_access(members, latest, 3)
    holders = [uid for uid, _ in members]
    taken = [uid for uid, _ in not_entitled(holders, dict(members), latest, 3)]
    assert sorted(entitled + taken) == holders
    assert not set(entitled) & set(taken)
