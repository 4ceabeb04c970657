"""The session load of the facilitation issue: many groups running whole meetings at once.

G groups of 12 members (plus their leader) are made through the real
`/group create` and `/group add`.  Then every group runs a whole meeting
concurrently, paced at an offered rate (default 1,000 interactions/s; 0 = as
fast as the bot goes): `/session start`, `/turns hands`, `/phase next` through
every phase, `/session presenter` at each case call, hands raised on the status
message, "Next speaker", `/session end`.  After each session step a member of
the group runs a bare `/balint about`, so the reference latency is measured in
the same run, under the same load, interleaved.

Latency is bot-side, from interaction dispatch to the callback request (see
benchmarks/_world.py).  Separately, one meeting each for groups of 6, 12 and 50
members counts the REST calls each `/phase next` makes (everything it causes,
including the status-message edit); the issue's rule is that the count must not
depend on the group's size.
"""

from __future__ import annotations

import asyncio
import gc
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks._figures import figure, latency_figures, percentile
from benchmarks._floor import floor_figures, measure_floor
from benchmarks._world import GroupMade, Probe, has_command, make_group
from bot.heap import freeze_startup_heap
from bot.sim.scenario import Scenario

MEMBERS = 12
# Channels a group holds by the last run: category, lobby, leaders' channel, and a text and
# a voice channel per meeting (the main run and each swept rate; purges wait for the clock).
GROUPS_PER_SERVER = 30  # 13 channels each: 390 of a server's 500
SIZES = (6, 12, 50)
RAISED_HANDS = 3
TIMEOUT = 60.0
P99_GOAL_MS = 10.0
RATIO_GOAL = 3.0
SWEEP = (100.0, 200.0, 300.0, 400.0)  # lower offered rates, run after the main one
NEEDED = ("session start", "session end", "session presenter", "phase next", "turns")


class Pacer:
    """Hands out dispatch slots at `rate` per second (open loop); 0 means no pacing."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_at: float | None = None

    async def slot(self) -> None:
        if not self.interval:
            await asyncio.sleep(0)
            return
        now = time.perf_counter()
        if self.next_at is None or self.next_at < now - 0.05:
            self.next_at = now
        at = self.next_at
        self.next_at += self.interval
        if at > now:
            await asyncio.sleep(at - now)


class Meeting:
    """Drives one group's meeting; records latencies by kind."""

    def __init__(self, world: Scenario, probe: Probe, group: GroupMade, pacer: Pacer) -> None:
        self.world, self.probe, self.group, self.pacer = world, probe, group, pacer
        self.session_latency: list[float] = []
        self.about_latency: list[float] = []
        self.steps = 0
        self.about_turn = 0
        self.ended = False

    async def _timed(self, make: Any, *, reference: bool = True) -> Any:
        await self.pacer.slot()
        entry = make()
        latency = await asyncio.wait_for(entry.done(), TIMEOUT)
        self.probe.forget(entry)
        self.session_latency.append(latency)
        self.steps += 1
        if reference:
            await self._about()
        return entry.rec

    async def _about(self) -> None:
        await self.pacer.slot()
        people = self.group.members
        user = people[self.about_turn % len(people)]
        self.about_turn += 1
        entry = self.probe.slash(user, "balint about", channel=self.group.lobby)
        self.about_latency.append(await asyncio.wait_for(entry.done(), TIMEOUT))
        self.probe.forget(entry)

    def _slash(self, command: str, **options: Any) -> Any:
        leader, lobby = self.group.leader, self.group.lobby
        return lambda: self.probe.slash(leader, command, channel=lobby, options=options)

    async def _session(self) -> Any:
        from bot.store import sessions as session_store

        return await session_store.live_for_group(self.world.bot.db, self.group.group_id)

    async def _click(self, user: Any, action: str) -> None:
        session = await self._session()
        prefix = f"balint:s:{session.id}:{action}"

        def click() -> Any:
            # The button as the message shows it when the click goes, after the pacer's slot:
            # a status edit landing in that slot may have changed it.
            message = self.world.sim.world.messages[session.status_message_id]
            # Some buttons carry what the leader saw (`...:next:<phase>`, `...:nextspk:<holder>`).
            custom_id = next(
                c for c in message.custom_ids() if c == prefix or c.startswith(prefix + ":")
            )
            return self.probe.click(user, message, custom_id)

        await self._timed(click)

    async def run(self) -> None:
        members = self.group.members
        await self._timed(self._slash("session start"))
        await self._timed(self._slash("turns", mode="hands"))
        await self._timed(self._slash("phase next"))  # -> case call
        case = 0
        while True:
            session = await self._session()
            if session is None:
                raise RuntimeError(f"{self.group.name}: the session is not live")
            phase = session.phase
            if phase == "case_call":
                presenter = members[case % len(members)]
                case += 1
                await self._timed(self._slash("session presenter", member=presenter))
            elif phase == "discussion":
                speakers = [m for m in members if m is not members[(case - 1) % len(members)]]
                for user in speakers[:RAISED_HANDS]:
                    await self._click(user, "raise")
                await self._click(self.group.leader, "nextspk")
            elif phase == "closing":
                break
            await self._timed(self._slash("phase next"))
        await self._timed(self._slash("session end"))
        self.ended = await self._session() is None


async def _calls_per_phase_change(world: Scenario, probe: Probe, group: GroupMade) -> list[int]:
    """Run one meeting sequentially; the REST calls each `/phase next` caused, in order."""
    sim, leader, lobby = world.sim, group.leader, group.lobby
    from bot.store import sessions as session_store

    async def slash(command: str, **options: Any) -> None:
        await sim.slash(leader, command, channel=lobby, options=options)
        await sim.settle()

    await slash("session start")
    counts: list[int] = []
    case = 0
    for _ in range(20):
        session = await session_store.live_for_group(world.bot.db, group.group_id)
        if session is None or session.phase == "closing":
            break
        if session.phase == "case_call":
            await slash("session presenter", member=group.members[case])
            case += 1
        before = len(sim.calls)
        await slash("phase next")
        counts.append(len(sim.calls) - before)
    await slash("session end")
    return counts


def _real_clock_pace(world: Scenario) -> None:
    """The load runs in real time: status edits keep the pace a real clock gives them.

    The simulated world runs on a manual clock, on which the bot edits a status message
    at every change (what tests want); with a real clock it edits at most once a second.
    """
    from cogs._session_status import MIN_EDIT_INTERVAL

    engine = getattr(world.bot.get_cog("Facilitation"), "engine", None)
    if engine is not None and engine.status is not None:
        engine.status.min_interval = MIN_EDIT_INTERVAL


def _add_people(world: Scenario, count: int, guild: Any = None) -> list[Any]:
    """New members of `guild` (the scenario's own by default)."""
    guild = guild or world.guild
    made = []
    for _ in range(count):
        user = world.sim.add_user(f"bench-{len(world.people) + 1:05d}")
        world.sim.add_member(guild, user)
        world.people.append(user)
        made.append(user)
    return made


def _add_servers(world: Scenario, groups: int) -> list[Any]:
    """The servers the load's groups live in, made before the bot connects.

    Discord allows 500 channels per server, and each group here ends up with 13 (see
    GROUPS_PER_SERVER): one bot serving 200 groups serves them on several servers, as a
    real deployment would.
    """
    servers = []
    for index in range(-(-groups // GROUPS_PER_SERVER)):
        guild = world.sim.add_guild(f"Bench practice network {index + 1}")
        world.sim.add_member(guild, world.organiser, manage_guild=True)
        servers.append(guild)
    return servers


@dataclass
class Load:
    """One run of every group's meeting at one offered rate."""

    rate: float
    session_latency: list[float]
    about_latency: list[float]
    elapsed: float
    ended: int
    cpu_seconds: float = 0.0  # the whole process's CPU during the run (bot and simulator)
    rest_calls: int = 0  # requests other than interaction callbacks

    @property
    def handled(self) -> int:
        return len(self.session_latency) + len(self.about_latency)

    @property
    def achieved(self) -> float:
        return self.handled / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def session_p99_ms(self) -> float:
        return percentile(self.session_latency, 99) * 1000

    def under_goal(self) -> bool:
        """p99 under the goal while keeping up with the offered rate."""
        return self.session_p99_ms < P99_GOAL_MS and self.achieved >= self.rate * 0.95


async def _load(world: Scenario, probe: Probe, made: list[GroupMade], rate: float) -> Load:
    """All meetings at once at `rate`; the groups can meet again afterwards."""
    # A bot that started with this world already on Discord would have frozen it at READY
    # (bot/heap.py); the world built so far is frozen the same way before each run.
    freeze_startup_heap()
    pacer = Pacer(rate)
    meetings = [Meeting(world, probe, g, pacer) for g in made]
    calls_before, cpu_start = probe.rest_calls, time.process_time()
    start = time.perf_counter()
    await asyncio.gather(*(m.run() for m in meetings))
    elapsed = time.perf_counter() - start
    await world.sim.settle(max_wait=TIMEOUT)
    return Load(
        rate,
        [x for m in meetings for x in m.session_latency],
        [x for m in meetings for x in m.about_latency],
        elapsed,
        sum(m.ended for m in meetings),
        time.process_time() - cpu_start,
        probe.rest_calls - calls_before,
    )


async def measure(
    groups: int, rate: float, sizes: tuple[int, ...], sweep: tuple[float, ...]
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="balint-bench-") as tmp:
        world = Scenario(Path(tmp) / "bench.sqlite3")
        servers = _add_servers(world, groups)
        await world.start()
        try:
            missing = [c for c in NEEDED if not has_command(world, c)]
            if missing or not has_command(world, "group create"):
                why = ", ".join(f"/{c}" for c in missing) or "/group create"
                return {
                    "skipped": {
                        "value": f"facilitation not available ({why} not synced)",
                        "unit": "",
                        "goal": "",
                        "met": None,
                    }
                }
            probe = Probe(world)
            # REST calls per phase change, by group size (sequential, one meeting each).
            per_size: dict[int, list[int]] = {}
            for size in sizes:
                people = _add_people(world, size + 1)
                made = await make_group(world, f"size {size}", people[0], people[1:])
                per_size[size] = await _calls_per_phase_change(world, probe, made)
            # The load: G groups made first (not timed), then all meetings at once.
            made_groups = []
            for index in range(groups):
                server = servers[index // GROUPS_PER_SERVER]
                people = _add_people(world, MEMBERS + 1, server)
                made_groups.append(
                    await make_group(world, f"load {index:04d}", people[0], people[1:], server)
                )
            await world.sim.settle()
            world.sim.record_calls = False  # keep memory flat during the load
            world.sim.calls.clear()
            _real_clock_pace(world)
            floor = await measure_floor(world, probe, made_groups[0])
            main = await _load(world, probe, made_groups, rate)
            # The same groups meet again at lower rates: where the p99 goal still holds.
            swept = [await _load(world, probe, made_groups, r) for r in sweep]
            problems = world.problems()
        finally:
            gc.unfreeze()
            await world.stop()
    return {
        **_load_figures(groups, main),
        **floor_figures(
            floor, main.cpu_seconds, main.handled, len(main.session_latency), main.rest_calls
        ),
        **_sweep_figures(swept),
        "errors": figure(len(problems), "errors", "0", not problems),
        **_size_figures(per_size),
    }


def _load_figures(groups: int, load: Load) -> dict[str, Any]:
    s99 = load.session_p99_ms
    a99 = percentile(load.about_latency, 99) * 1000
    ratio = s99 / a99 if a99 > 0 else float("inf")
    return {
        "groups": figure(groups, "groups"),
        "offered_rate": figure(load.rate, "interactions/s" if load.rate else "unpaced"),
        "interactions": figure(load.handled, "interactions"),
        "interactions_per_second": figure(load.achieved, "interactions/s"),
        **latency_figures("session_latency_", load.session_latency),
        **latency_figures("about_latency_", load.about_latency),
        "session_p99_over_about_p99": figure(
            ratio, "x", f"<= {RATIO_GOAL:.0f}", ratio <= RATIO_GOAL
        ),
        "session_p99_at_rate": figure(
            s99,
            "ms",
            f"< {P99_GOAL_MS:.0f} at >= 1,000 interactions/s",
            load.under_goal() if load.rate >= 1000 else None,
        ),
        "meetings_ended": figure(load.ended, "meetings", f"= {groups}", load.ended == groups),
    }


def _sweep_figures(swept: list[Load]) -> dict[str, Any]:
    if not swept:
        return {}
    out: dict[str, Any] = {}
    for load in swept:
        key = f"at_{load.rate:.0f}_per_s"
        out[f"{key}_achieved"] = figure(load.achieved, "interactions/s")
        out[f"{key}_session_p99"] = figure(
            load.session_p99_ms, "ms", f"< {P99_GOAL_MS:.0f}", load.under_goal()
        )
    best = max((load.rate for load in swept if load.under_goal()), default=0.0)
    out["highest_swept_rate_with_p99_under_goal"] = figure(best, "interactions/s")
    return out


def _size_figures(per_size: dict[int, list[int]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    same = len({tuple(c) for c in per_size.values()}) == 1
    for size, c in per_size.items():
        mean = sum(c) / len(c) if c else 0.0
        out[f"rest_calls_per_phase_change_{size}_members"] = figure(
            mean, "calls", "same for every size", same
        )
        out[f"rest_calls_per_phase_change_{size}_members_max"] = figure(max(c or [0]), "calls")
    return out


def run(
    groups: int = 200,
    rate: float = 1000.0,
    sizes: tuple[int, ...] = SIZES,
    sweep: tuple[float, ...] = SWEEP,
) -> dict[str, Any]:
    """Figures of the session load; "skipped" if the facilitation commands are not synced."""
    return asyncio.run(measure(groups, rate, tuple(sizes), tuple(sweep)))
