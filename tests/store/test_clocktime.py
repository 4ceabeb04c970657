"""Epoch seconds to aware datetimes: memoised, since every read of a meeting converts them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store.clocktime import from_epoch, to_epoch


def test_from_epoch_is_aware_utc_and_round_trips() -> None:
    moment = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    got = from_epoch(to_epoch(moment))
    assert got == moment and got is not None and got.tzinfo is UTC
    assert from_epoch(None) is None


def test_the_same_moment_read_twice_is_built_once() -> None:
    seconds = to_epoch(datetime(2026, 11, 23, 19, 25, tzinfo=UTC))
    assert from_epoch(seconds) is from_epoch(seconds)
