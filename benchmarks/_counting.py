"""What sql_counts and rest_counts share: charging each item (a statement, a request) to
the interaction that set it off, a world of counted meetings, and the report.

Why apart: both run whole meetings one step at a time on the manual clock and charge
what they see the same way; only what they see differs (sqlite3's trace, the
simulator's HTTP seam).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from benchmarks._world import GroupMade, make_group
from bot.sim.scenario import Scenario

MEMBERS = 12
STATUS = "status refresh"


class Charges:
    """Items by interaction kind, and by item; the status message's edit task apart."""

    def __init__(self) -> None:
        self.kind: str | None = None  # the interaction being run, None between them
        self.current = 0
        self.per_kind: dict[str, list[int]] = defaultdict(list)
        self.status_items = 0
        self.status_passes = 0
        self.items: Counter[str] = Counter()
        self.items_by_kind: dict[str, Counter[str]] = defaultdict(Counter)

    def charge(self, item: str) -> None:
        """Seen in the task that caused it: the status edit's, or the interaction's."""
        if self.kind is None:
            return
        task = asyncio.current_task()
        in_status = task is not None and "StatusUpdater._run" in repr(task.get_coro())
        if in_status:
            self.status_items += 1
        else:
            self.current += 1
        self.items[item] += 1
        self.items_by_kind[STATUS if in_status else self.kind][item] += 1

    async def run(self, world: Scenario, kind: str, action: Callable[[], Awaitable[Any]]) -> None:
        """One interaction and everything it sets off, charged to `kind`."""
        self.kind, self.current = kind, 0
        try:
            await action()
            await world.sim.settle()
        finally:
            self.kind = None
        self.per_kind[kind].append(self.current)


Meeting = Callable[[Scenario, Any, GroupMade, int], Awaitable[None]]


async def counted_meetings(
    prefix: str,
    meetings: int,
    counts: Charges,
    watch: Callable[[Scenario], Callable[[], None]],
    meeting: Meeting,
) -> None:
    """Two groups meeting in turn; `watch` starts seeing items and returns how to stop."""
    with tempfile.TemporaryDirectory(prefix=f"balint-{prefix}-") as tmp:
        world = Scenario(Path(tmp) / f"{prefix}.sqlite3")
        await world.start()
        try:
            groups = []
            for index in range(2):
                people = [world.add_person(f"{prefix}-{index}-{n:02d}") for n in range(MEMBERS + 1)]
                groups.append(await make_group(world, f"{prefix} {index}", people[0], people[1:]))
            status = world.bot.get_cog("Facilitation").engine.status
            edit = status._edit  # noqa: SLF001 - counted, not changed

            async def counted_edit(session_id: int) -> None:
                if counts.kind is not None:
                    counts.status_passes += 1
                await edit(session_id)

            status._edit = counted_edit  # noqa: SLF001
            stop = watch(world)
            for index in range(meetings):
                await meeting(world, counts, groups[index % len(groups)], index)
            stop()
            problems = world.problems()
            if problems:
                raise RuntimeError(f"the meetings went wrong: {problems}")
        finally:
            await world.stop()


def report(counts: Charges, kinds: tuple[str, ...], top: int, what: str, digits: int) -> str:
    """Items per interaction kind (mean, min, max), then the items seen most."""
    lines = [f"{'interaction':<18} {'count':>5} {'mean':>6} {'min':>4} {'max':>4}"]
    for kind in kinds:
        if kind == STATUS:
            n = counts.status_passes
            mean = counts.status_items / n if n else 0.0
            lines.append(f"{kind:<18} {n:>5} {mean:>6.{digits}f} {'':>4} {'':>4}  (per edit)")
            continue
        seen = counts.per_kind.get(kind, [])
        if seen:
            mean = sum(seen) / len(seen)
            lines.append(
                f"{kind:<18} {len(seen):>5} {mean:>6.{digits}f} {min(seen):>4} {max(seen):>4}"
            )
    lines.append("")
    lines.append(f"top {top} {what} (all interactions):")
    for item, n in counts.items.most_common(top):
        lines.append(f"{n:>6}  {item[:150]}")
    return "\n".join(lines)


def cli(
    prog: str,
    what: str,
    measure: Callable[[int], Awaitable[Charges]],
    report_of: Callable[[Any, int], str],
    argv: list[str] | None,
) -> None:
    """The command line both scripts share: meetings to run, how many items to list."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--meetings", type=int, default=3, help="whole meetings to run")
    parser.add_argument("--top", type=int, default=15, help=f"how many {what} to list")
    parser.add_argument("--kind", help=f"list the {what} of this one kind too")
    args = parser.parse_args(argv)
    counts = asyncio.run(measure(args.meetings))
    print(report_of(counts, args.top))
    if args.kind:
        print(f"\n{what} of {args.kind!r}:")
        for item, n in counts.items_by_kind[args.kind].most_common(args.top):
            print(f"{n:>6}  {item[:150]}")
