"""Splitting a session's messages into bulk deletes and single deletes (Discord's 14 days)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.purge import BULK_MAX, MARGIN, plan_purge, retry_delay, tell_leaders

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def aged(*ages: timedelta, start: int = 1) -> list[tuple[int, datetime]]:
    return [(start + i, NOW - age) for i, age in enumerate(ages)]


def test_young_messages_go_in_batches_of_a_hundred_oldest_first() -> None:
    messages = aged(*[timedelta(hours=1)] * 250)
    plan = plan_purge(reversed(messages), NOW)
    assert [len(b) for b in plan.batches] == [100, 100, 50]
    assert plan.batches[0][0] == 1 and plan.batches[-1][-1] == 250
    assert plan.singles == () and plan.calls == 3
    assert all(len(b) <= BULK_MAX for b in plan.batches)


def test_messages_older_than_fourteen_days_are_deleted_one_by_one() -> None:
    messages = aged(timedelta(days=20), timedelta(days=14, minutes=1), timedelta(days=1))
    messages += aged(timedelta(minutes=5), start=10)
    plan = plan_purge(messages, NOW)
    assert plan.batches == ((3, 10),)
    assert plan.singles == (1, 2)


def test_the_margin_keeps_a_message_about_to_turn_fourteen_days_out_of_bulk() -> None:
    just_young = timedelta(days=14) - MARGIN + timedelta(seconds=1)
    plan = plan_purge(aged(just_young, timedelta(days=14) - MARGIN * 2, timedelta(0)), NOW)
    assert plan.singles == (1,)
    assert plan.batches == ((2, 3),)


def test_a_lone_young_message_is_single_because_bulk_needs_two() -> None:
    assert plan_purge(aged(timedelta(minutes=1)), NOW).singles == (1,)
    plan = plan_purge(aged(*[timedelta(minutes=1)] * 101), NOW)
    assert [len(b) for b in plan.batches] == [100] and plan.singles == (101,)


def test_nothing_and_duplicates() -> None:
    assert plan_purge([], NOW).calls == 0
    twice = aged(timedelta(minutes=1), timedelta(minutes=2)) * 2
    assert plan_purge(twice, NOW).batches == ((1, 2),)


def test_retries_come_later_and_later_then_every_six_hours() -> None:
    delays = [retry_delay(n) for n in range(1, 8)]
    assert delays[:3] == [timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
    assert delays[3:] == [timedelta(hours=6)] * 4
    with pytest.raises(ValueError):
        retry_delay(0)


def test_leaders_hear_of_the_second_failure_only() -> None:
    assert [n for n in range(1, 20) if tell_leaders(n)] == [2]
