"""Memory a long-running bot keeps per meeting: what is left once a meeting is over.

balint-bot is not restarted between meetings, so whatever it keeps per session,
thread or group must go once the meeting has ended and its channel was purged.
Three groups meet in turn: `/session start`, a moderator's thread (every other
one archived, half with a phone number in the title, which the guard renames),
the frame deleted by hand and posted again, the case call with an offer, `/case
pick`, `/session end`, a late press on the call, and the purge two hours later.

After `warmup` meetings (caches filled, first-time imports done) the heap is
measured with tracemalloc, `meetings` more are held, and it is measured again.
The simulator's own records (messages, interactions, calls) are dropped before
each measure, and its allocations are not counted, so what remains is the
bot's: the figure is the growth per meeting, in bytes.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

from benchmarks._figures import figure
from benchmarks._world import GroupMade, make_group
from bot.sim.scenario import Scenario

GROUPS = 3
MEMBERS = 5
GOAL_BYTES = 1024  # per meeting, after warm-up (1,293 before the fixes of this figure)
NOT_THE_BOT = (
    tracemalloc.Filter(False, "*/bot/sim/*", all_frames=True),
    tracemalloc.Filter(False, "*/benchmarks/*"),
    tracemalloc.Filter(False, tracemalloc.__file__),
)


async def _live(world: Scenario, group: GroupMade) -> Any:
    from bot.store import sessions as session_store

    session = await session_store.live_for_group(world.bot.db, group.group_id)
    if session is None:
        raise RuntimeError(f"{group.name}: no live session")
    return session


def _with(message_ids: Any, sim: Any, mark: str) -> Any:
    for mid in reversed(message_ids):
        message = sim.world.messages.get(mid)
        if message is not None and not message.deleted and mark in str(message.custom_ids()):
            return message
    raise RuntimeError(f"no message with {mark}")


async def meeting(world: Scenario, group: GroupMade, n: int) -> None:
    """One whole meeting of `group`, as its members and a moderator hold it, then the purge."""
    sim, lead, lobby = world.sim, group.leader, group.lobby

    async def slash(command: str, channel: Any, **options: Any) -> None:
        await sim.slash(lead, command, channel=channel, options=options)

    await slash("session start", lobby)
    session = await _live(world, group)
    room = sim.channel(session.text_channel_id)
    title = f"aside {n}" if n % 4 < 2 else f"ring her on 0044 7700 9001{n % 100:02d}"
    thread = await sim.create_thread(world.admin, room, title)
    frame = _with([m.id for m in room.messages], sim, f"balint:ack:{session.id}")
    sim.delete_message(frame)
    await sim.settle()
    await slash("phase next", room)
    call = _with([m.id for m in room.messages], sim, f"balint:offer:{session.id}")
    await sim.click(group.members[0], call, f"balint:offer:{session.id}:case")
    await slash("case pick", room, member=group.members[0])
    await slash("phase next", room)
    if thread is not None and n % 2:
        await sim.archive_thread(thread)
    await slash("session end", room)
    await sim.click(group.members[1], call, f"balint:offer:{session.id}:case")
    await world.advance(minutes=120)


def _drop_simulator_records(world: Scenario) -> None:
    """What the simulator keeps of past meetings (not the bot's memory) goes."""
    sim = world.sim
    sim.calls.clear()
    sim.interactions.clear()
    sim.interactions_by_token.clear()
    sim.tracker.harvest()
    channels = sim.world.channels
    for mid in [m for m, msg in sim.world.messages.items() if msg.channel_id not in channels]:
        del sim.world.messages[mid]
    for channel in channels.values():
        if channel.type == 1:  # DMs: the bot's letters to members
            channel.messages.clear()
    for mid, msg in list(sim.world.messages.items()):
        if msg.ephemeral or channels[msg.channel_id].type == 1:  # answers seen by one, DMs
            del sim.world.messages[mid]


def _empty_bounded_caches(world: Scenario) -> None:
    """Caches with a bound fill up over the first meetings and then stay: emptied before
    each measure, so that only what grows without bound is counted.

    The store's epoch-to-datetime cache (bot/store/clocktime.from_epoch) holds at most
    4,096 entries; CPython's type attribute cache keeps the name of each lookup
    (discord.py builds them afresh with `getattr(self, f"_handle_{key}")`) in its 4,096
    slots. discord.py drops a rate-limit bucket after five idle minutes of loop time; the
    clock here is manual, so two hours pass between meetings in no time: those idle since
    the last meeting are dropped as discord.py would have dropped them.
    """
    from bot.store.clocktime import from_epoch

    from_epoch.cache_clear()
    sys._clear_type_cache()  # CPython's 4,096 attribute lookups keep their name strings
    http = world.bot.http
    for key, bucket in list(http._buckets.items()):  # noqa: SLF001
        if bucket.outgoing == 0 and not bucket._pending_requests:  # noqa: SLF001
            del http._buckets[key]  # noqa: SLF001 - what is_inactive() says after 5 minutes


def _heap(world: Scenario) -> int:
    _drop_simulator_records(world)
    _empty_bounded_caches(world)
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces(NOT_THE_BOT)
    return sum(stat.size for stat in snapshot.statistics("filename"))


async def measure(meetings: int, warmup: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="balint-bench-") as tmp:
        world = Scenario(Path(tmp) / "bench.sqlite3", people=GROUPS * (MEMBERS + 1))
        await world.start()
        try:
            world.sim.record_calls = False
            made = []
            for index in range(GROUPS):
                people = world.people[index * (MEMBERS + 1) : (index + 1) * (MEMBERS + 1)]
                made.append(await make_group(world, f"Group {index}", people[0], people[1:]))
                await world.bot.db.execute(
                    "UPDATE groups SET guard_mode = 'remove' WHERE id = ?", (made[-1].group_id,)
                )
            for n in range(warmup):
                await meeting(world, made[n % GROUPS], n)
            tracemalloc.start(25)
            try:
                before = _heap(world)
                for n in range(warmup, warmup + meetings):
                    await meeting(world, made[n % GROUPS], n)
                after = _heap(world)
            finally:
                tracemalloc.stop()
            problems = world.problems()
        finally:
            await world.stop()
    growth = (after - before) / meetings if meetings else 0.0
    return {
        "meetings": figure(meetings, "meetings"),
        "warmup_meetings": figure(warmup, "meetings"),
        "heap_growth_per_meeting": figure(
            growth, "bytes", f"< {GOAL_BYTES:,}", growth < GOAL_BYTES
        ),
        "heap_growth_total": figure((after - before) / 1024, "KiB"),
        "errors": figure(len(problems), "errors", "0", not problems),
    }


def run(meetings: int = 300, warmup: int = 30) -> dict[str, Any]:
    """Heap growth per meeting after `warmup` meetings, over `meetings` more."""
    return asyncio.run(measure(meetings, warmup))
