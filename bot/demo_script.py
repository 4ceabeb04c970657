"""The demo's runner and transcript: what people saw, rendered as they would read it.

Mentions become names, `<t:..:F>` timestamps are shown in the three zones of the
demo group's members, so the transcript reads like the Discord client would.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.sim.interactions import message_text
from bot.sim.scenario import Scenario

ZONES = ("Europe/London", "Europe/Budapest", "America/New_York")
_MENTION = re.compile(r"<(@!?|#|@&)(\d+)>")
_STAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")


@dataclass
class Transcript:
    """What people saw, in order; printed as it happens unless JSON was asked for."""

    world: Scenario
    quiet: bool = False
    lines: list[str] = field(default_factory=list)
    phase_changes: int = 0
    buttons_pressed: int = 0
    skipped: list[str] = field(default_factory=list)

    def section(self, title: str) -> None:
        self.emit(f"\n== {title} ==")

    def emit(self, line: str) -> None:
        self.lines.append(line)
        if not self.quiet:
            print(line)

    def note(self, text: str) -> None:
        self.emit(f"  ({text})")

    def person(self, who: Any, action: str) -> None:
        self.emit(f"  {getattr(who, 'name', who)}: {self.render(action)}")

    def pressed(self, who: Any, label: str) -> None:
        self.buttons_pressed += 1
        self.emit(f"  {getattr(who, 'name', who)} presses [{label}]")

    def bot(self, text: str, *, to: str = "") -> None:
        prefix = f"  bot -> {to}> " if to else "  bot> "
        lines = self.render(text).strip().splitlines() or [""]
        for index, line in enumerate(lines):
            self.emit((prefix if index == 0 else " " * len(prefix)) + line)

    def message(self, message: Any, *, to: str = "") -> None:
        self.bot(message_text(message), to=to)

    def render(self, text: str) -> str:
        return _STAMP.sub(self._stamp, _MENTION.sub(self._mention, text))

    def _mention(self, match: re.Match[str]) -> str:
        kind, ident = match.group(1), int(match.group(2))
        world = self.world.sim.world
        if kind == "@&":
            role = world.roles.get(ident)
            return f"@{role.name}" if role else "@role"
        if kind == "#":
            channel = world.channels.get(ident)
            return f"#{channel.name}" if channel else "#deleted-channel"
        user = world.users.get(ident)
        return f"@{user.name}" if user else "@someone"

    def _stamp(self, match: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(match.group(1)), tz=UTC)
        if match.group(2) == "R":
            return _relative(moment - self.world.clock.now())
        shown = [moment.astimezone(ZoneInfo(zone)) for zone in ZONES]
        head = shown[0].strftime("%a %d %b %Y")
        times = " / ".join(
            f"{local:%H:%M} {zone.split('/')[-1].replace('_', ' ')}"
            for local, zone in zip(shown, ZONES, strict=True)
        )
        return f"{head} {times}"


def _relative(delta: timedelta) -> str:
    """Roughly as Discord shows `<t:..:R>`: in 5 minutes, in 2 hours, 3 days ago."""
    seconds = abs(delta.total_seconds())
    count, unit = round(seconds), "second"
    for size, name in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count, unit = round(seconds / size), name
            break
    text = f"{count} {unit}{'s' if count != 1 else ''}"
    return f"in {text}" if delta.total_seconds() >= 0 else f"{text} ago"


Step = Callable[[Scenario, Transcript, dict[str, Any]], Awaitable[None]]


async def play(*, db_path: str | None = None, as_json: bool = False) -> int:
    """Run every step of the meeting; 0 if the bot made no error, 1 otherwise."""
    from bot.demo_meeting import STEPS

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="balint-demo-") as tmp:
        path = Path(db_path) if db_path else Path(tmp) / "demo.sqlite3"
        world = Scenario(path, people=10)
        out = Transcript(world, quiet=as_json)
        await world.start()
        state: dict[str, Any] = {}
        failure = None
        try:
            for name, step in STEPS:
                if step is None:
                    out.skipped.append(name)
                    out.emit(f"\n(skipped: {name} has not landed yet)")
                    continue
                await step(world, out, state)
                await world.sim.settle()
        except AssertionError as exc:  # a step saw the bot misbehave
            failure = f"step failed: {exc}"
        finally:
            problems = world.problems() + ([failure] if failure else [])
            await world.stop()
    summary = {
        "rest_calls": len(world.sim.calls),
        "phase_changes": out.phase_changes,
        "buttons_pressed": out.buttons_pressed,
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
