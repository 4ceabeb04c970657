"""A ready-made world for tests, the demo and the benchmarks: one server, its people, the bot.

The real BalintBot runs against the simulator on a real SQLite file, with a
ManualClock so that reminders fire when the scenario moves time, not when the
wall clock does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.clock import Clock, ManualClock
from bot.config import Settings, load_settings
from bot.permissions_needed import REQUIRED
from bot.sim.simulator import Simulator
from bot.sim.world import Guild, Member, User

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class Scenario:
    """A server with an organiser, an admin, people to make groups of, and an outsider."""

    def __init__(
        self,
        db_path: str | Path,
        *,
        start: datetime = START,
        people: int = 12,
        clock: Clock | None = None,
        **settings: Any,
    ) -> None:
        self.db_path = Path(db_path)
        # A real Clock() runs the timers through APScheduler, as production does.
        self.clock: Clock = clock if clock is not None else ManualClock(start)
        self.settings_overrides = settings
        self.sim = Simulator(bot_permissions=REQUIRED.value, clock=self.clock)
        self.guild: Guild = self.sim.add_guild("Rural GPs")
        self.organiser: User = self.sim.add_user("olivia-organiser")
        self.sim.add_member(self.guild, self.organiser, manage_guild=True)
        self.admin: User = self.sim.add_user("adam-admin")
        self.sim.add_member(self.guild, self.admin, admin=True)
        self.outsider: User = self.sim.add_user("oscar-outsider")
        self.sim.add_member(self.guild, self.outsider)
        self.people: list[User] = []
        for index in range(people):
            self.add_person(f"gp-{index + 1:02d}")
        self.bot: Any = None

    def add_person(self, name: str, **kwargs: Any) -> User:
        user = self.sim.add_user(name, **kwargs)
        self.sim.add_member(self.guild, user)
        self.people.append(user)
        return user

    def member(self, user: User) -> Member:
        return self.sim.member(self.guild, user)

    def settings(self) -> Settings:
        return load_settings(
            None, database_path=self.db_path, token="sim-token", **self.settings_overrides
        )

    async def start(self) -> Any:
        """Start a fresh BalintBot on the scenario's database and attach it."""
        from bot.app import BalintBot

        self.bot = BalintBot(self.settings(), clock=self.clock, freeze_heap=False)
        await self.sim.attach(self.bot)
        return self.bot

    async def restart(self) -> Any:
        """Stop the bot as a crash would leave things (the store stays), then start anew."""
        await self.sim.detach(self.bot)
        return await self.start()

    async def stop(self) -> None:
        if self.sim.bot is not None:
            await self.sim.detach(self.sim.bot)

    async def advance(self, **delta: float) -> int:
        """Move the injected clock forward, firing due timers in order, then settle."""
        from datetime import timedelta

        fired = await self.bot.timers.advance(timedelta(**delta))
        await self.sim.settle()
        return fired

    def problems(self) -> list[str]:
        """Errors the bot logged or raised, routes it called that Discord lacks, and REST
        calls it made inside a store transaction (holding the write lock)."""
        found = [f"error: {error!r}" for error in self.sim.errors]
        found += [f"unhandled route: {call.method} {call.url}" for call in self.sim.unhandled]
        found += [f"REST call in a transaction: {held}" for held in self.sim.calls_in_transaction]
        return found
