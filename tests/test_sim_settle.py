"""`sim.settle()` waits for every task the bot started, even one that itself settles.

A bot task that simulates a user's click mid-way (a test stands in a member pressing a
button while a go-round DMs the others) runs a settle of its own inside the outer one.
"""

from __future__ import annotations

import asyncio

import pytest

pytestmark = pytest.mark.asyncio


async def test_settle_waits_for_a_task_whose_work_includes_a_nested_click(bare_sim) -> None:
    sim, _guild, alice, _bot = bare_sim
    steps: list[str] = []

    async def round_task() -> None:
        steps.append("before")
        pong = await sim.slash(alice, "probe ping")  # settles inside this task
        steps.append(pong.text)
        await asyncio.sleep(0.05)  # the round goes on to the next member
        steps.append("after")

    task = asyncio.create_task(round_task())
    await sim.settle()
    assert steps == ["before", "pong", "after"], steps
    assert task.done()


async def test_two_tasks_clicking_at_once_neither_waits_for_the_other(bare_sim) -> None:
    sim, _guild, alice, _bot = bare_sim
    steps: list[str] = []

    async def clicker(name: str) -> None:
        await sim.slash(alice, "probe ping")
        await asyncio.sleep(0.02)
        await sim.slash(alice, "probe ping")
        steps.append(name)

    loop = asyncio.get_running_loop()
    began = loop.time()
    asyncio.create_task(clicker("a"))
    asyncio.create_task(clicker("b"))
    await sim.settle(max_wait=2.0)
    assert sorted(steps) == ["a", "b"]
    assert loop.time() - began < 1.0  # no settle waited out its deadline on another


async def test_settle_still_fails_clearly_when_a_task_never_ends(bare_sim) -> None:
    sim, _guild, _alice, _bot = bare_sim
    never = asyncio.Event()
    task = asyncio.create_task(never.wait())
    with pytest.raises(AssertionError, match="settle\\(\\) timed out"):
        await sim.settle(max_wait=0.1)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
