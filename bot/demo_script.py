"""The demo's script: each capability that has landed plays its part of one meeting.

It prints what people saw (who wrote, what the bot posted, which buttons were
pressed, who could post in each phase) and a summary; it exits non-zero if the
bot logged an error or called a route Discord does not have.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.sim.scenario import Scenario


@dataclass
class Transcript:
    """What people saw, in order; printed as it happens unless JSON was asked for."""

    quiet: bool = False
    lines: list[str] = field(default_factory=list)
    phase_changes: int = 0
    skipped: list[str] = field(default_factory=list)

    def section(self, title: str) -> None:
        self.emit(f"\n== {title} ==")

    def emit(self, line: str) -> None:
        self.lines.append(line)
        if not self.quiet:
            print(line)

    def person(self, who: str, action: str) -> None:
        self.emit(f"  {who}: {action}")

    def bot(self, text: str) -> None:
        for index, line in enumerate(text.strip().splitlines() or [""]):
            self.emit(("  bot> " if index == 0 else "       ") + line)


Step = Callable[[Scenario, Transcript], Awaitable[None]]


async def step_about(world: Scenario, out: Transcript) -> None:
    out.section("The bot introduces itself")
    member = world.people[0]
    out.person(member.name, "/balint about")
    result = await world.sim.slash(member, "balint about")
    out.bot(result.text)


def steps() -> list[tuple[str, Step | None]]:
    """Capabilities in meeting order; None means not built yet (skipped with a line)."""
    return [
        ("about", step_about),
    ]


async def play(*, db_path: str | None = None, as_json: bool = False) -> int:
    started = time.perf_counter()
    out = Transcript(quiet=as_json)
    with tempfile.TemporaryDirectory(prefix="balint-demo-") as tmp:
        path = Path(db_path) if db_path else Path(tmp) / "demo.sqlite3"
        world = Scenario(path, people=10)
        await world.start()
        try:
            for name, step in steps():
                if step is None:
                    out.skipped.append(name)
                    out.emit(f"\n(skipped: {name} has not landed yet)")
                    continue
                await step(world, out)
                await world.sim.settle()
        finally:
            problems = world.problems()
            await world.stop()
    summary = {
        "rest_calls": len(world.sim.calls),
        "phase_changes": out.phase_changes,
        "messages_refused_by_permissions": len(world.sim.refused_posts),
        "errors": len(problems),
        "skipped": out.skipped,
        "seconds": round(time.perf_counter() - started, 2),
    }
    if as_json:
        print(json.dumps(summary, indent=2))
    else:
        out.section("Summary")
        for key, value in summary.items():
            out.emit(f"  {key}: {value}")
        for problem in problems:
            out.emit(f"  PROBLEM {problem}")
    return 0 if not problems else 1
