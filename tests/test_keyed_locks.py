"""Named locks exclude each other as asyncio.Lock does, and leave nothing once unused.

Why: bot.locks was a defaultdict(asyncio.Lock): one lock kept for every session,
group and guild ever locked, in a bot that runs for months.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.keyed_locks import KeyedLocks


async def test_one_at_a_time_per_key_and_nothing_kept_after() -> None:
    locks: KeyedLocks[tuple[str, int]] = KeyedLocks()
    inside: list[int] = []
    most = 0

    async def work(n: int) -> None:
        nonlocal most
        async with locks["session frame", 1]:
            inside.append(n)
            most = max(most, len(inside))
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            inside.remove(n)

    await asyncio.gather(*(work(n) for n in range(5)))
    assert most == 1
    assert len(locks) == 0 and ("session frame", 1) not in locks


async def test_the_entry_stays_while_a_task_waits_so_no_second_lock_is_made() -> None:
    """Dropped when the holder leaves while another waits, a third caller would get a
    fresh lock and run beside the waiter."""
    locks: KeyedLocks[str] = KeyedLocks()
    order: list[str] = []
    release = asyncio.Event()

    async def holder() -> None:
        async with locks["k"]:
            order.append("holder in")
            await release.wait()
            order.append("holder out")

    async def waiter(name: str) -> None:
        async with locks["k"]:
            order.append(f"{name} in")
            await asyncio.sleep(0)
            order.append(f"{name} out")

    first = asyncio.create_task(holder())
    await asyncio.sleep(0)
    second = asyncio.create_task(waiter("second"))
    await asyncio.sleep(0)
    release.set()
    await asyncio.sleep(0)  # the holder leaves; "second" is woken but not yet running
    third = asyncio.create_task(waiter("third"))
    await asyncio.gather(first, second, third)
    assert order == [
        "holder in",
        "holder out",
        "second in",
        "second out",
        "third in",
        "third out",
    ]
    assert len(locks) == 0


async def test_a_waiter_cancelled_leaves_no_entry_behind() -> None:
    locks: KeyedLocks[str] = KeyedLocks()
    release = asyncio.Event()

    async def holder() -> None:
        async with locks["k"]:
            await release.wait()

    async def waiter() -> None:
        async with locks["k"]:
            pass

    held = asyncio.create_task(holder())
    await asyncio.sleep(0)
    waiting = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    assert locks.locked("k")
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    release.set()
    await held
    assert len(locks) == 0 and not locks.locked("k")


async def test_an_error_inside_releases_the_lock() -> None:
    locks: KeyedLocks[int] = KeyedLocks()
    with pytest.raises(ValueError):
        async with locks[7]:
            raise ValueError
    assert 7 not in locks
    async with locks[7]:
        assert locks.locked(7)
