"""The simulated world of the benchmarks: the real bot, a probe timing interactions bot-side.

Latency is measured as the issues define it, "from interaction dispatch to the
callback request": from just before the simulator feeds INTERACTION_CREATE to
discord.py (`time.perf_counter`) to the moment the interaction's callback POST
reaches the simulator's fake aiohttp session.  The probe wraps the
simulator's request handler on the instance (no change to bot/sim), and
remembers the task that made the callback so a driver can wait for that one
command to finish instead of settling the whole world.

Benchmarks must not import tests/, so the few lines of `tests.support.make_group`
that create a group through the real `/group create` and `/group add` are copied here.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from bot.sim import interactions as I
from bot.sim.scenario import Scenario
from bot.sim.world import Channel, Message, User

CALLBACK_MARK = "/callback"


@dataclass
class Pending:
    """One dispatched interaction: its record, when it was fed, and when it was answered."""

    rec: I.InteractionResult
    t_dispatch: float
    answered: asyncio.Future[float]
    task: asyncio.Task[Any] | None = None

    async def done(self) -> float:
        """Wait for the callback and for the command's own task; return the latency (s)."""
        t_callback = await self.answered
        if self.task is not None and self.task is not asyncio.current_task():
            await asyncio.wait([self.task])
        return t_callback - self.t_dispatch


HARVEST_EVERY = 256  # interactions between sweeps of the simulator's finished-task list


@dataclass
class Probe:
    """Feeds interactions to the bot and timestamps their callback requests."""

    world: Scenario
    pending: dict[int, Pending] = field(default_factory=dict)
    fed: int = 0
    rest_calls: int = 0  # requests other than interaction callbacks, for the CPU floor

    def __post_init__(self) -> None:
        sim = self.world.sim
        original = sim._handle_request

        def handle(method: str, url: str, kw: dict[str, Any]) -> Any:
            if CALLBACK_MARK in url and "/interactions/" in url:
                now = time.perf_counter()
                iid = int(url.split("/interactions/", 1)[1].split("/", 1)[0])
                entry = self.pending.pop(iid, None)
                if entry is not None:
                    entry.task = asyncio.current_task()
                    if not entry.answered.done():
                        entry.answered.set_result(now)
            else:
                self.rest_calls += 1
            return original(method, url, kw)

        sim._handle_request = handle  # type: ignore[method-assign]

    def forget(self, entry: Pending) -> None:
        """Drop a finished interaction's records, so the harness's heap stays flat.

        Its ephemeral answers go too: Discord keeps them only behind the interaction's
        token, which is forgotten here, so nothing can reach them again. Kept, they were
        two thirds of the simulator's messages in the session load, and every full pass
        of the garbage collector walked them: a cost of the in-process simulator that a
        deployed bot, whose Discord is elsewhere, never pays.
        """
        sim, rec = self.world.sim, entry.rec
        sim.interactions.pop(rec.id, None)
        sim.interactions_by_token.pop(rec.token, None)
        answers = [rec.original, *rec.followups] if rec.original else rec.followups
        for message in answers:
            if message.ephemeral:
                sim.world.messages.pop(message.id, None)

    def _feed(self, payload: dict[str, Any], rec: I.InteractionResult) -> Pending:
        sim = self.world.sim
        self.fed += 1
        if self.fed % HARVEST_EVERY == 0:
            sim.tracker.harvest()  # finished tasks out of the tracker; failures kept for problems()
        sim.interactions[rec.id] = rec
        sim.interactions_by_token[rec.token] = rec
        loop = asyncio.get_running_loop()
        entry = Pending(rec, 0.0, loop.create_future())
        self.pending[rec.id] = entry
        parser = sim.bot._connection.parsers["INTERACTION_CREATE"]
        entry.t_dispatch = time.perf_counter()
        parser(payload)
        return entry

    def slash(
        self,
        user: User,
        command: str,
        *,
        channel: Channel | None = None,
        options: dict[str, Any] | None = None,
    ) -> Pending:
        """Like `sim.slash`, without settling: the payload is validated against the schema."""
        return self.feed(self.prepare_slash(user, command, channel=channel, options=options))

    def feed(self, prepared: tuple[dict[str, Any], I.InteractionResult]) -> Pending:
        """Dispatch a payload built earlier by `prepare_slash`."""
        return self._feed(*prepared)

    def prepare_slash(
        self,
        user: User,
        command: str,
        *,
        channel: Channel | None = None,
        options: dict[str, Any] | None = None,
    ) -> tuple[dict[str, Any], I.InteractionResult]:
        """Build (and validate) a slash payload without dispatching it."""
        sim = self.world.sim
        if channel is None:
            guild = self.world.guild
            channel = next(c for c in guild.channels.values() if c.type == 0)
        else:
            guild = sim.world.guilds[channel.guild_id]
        I.check_visible(sim, command.split()[0], user, guild)
        payload, rec = I.base_payload(sim, 2, user, guild, channel)
        payload["data"] = I.command_data(sim, command, guild, dict(options or {}))
        return payload, rec

    def click(self, user: User, message: Message, custom_id: str) -> Pending:
        """Like `sim.click` for a button that really is on a message the bot sent."""
        sim = self.world.sim
        comp = I.find_component(message, custom_id)
        if comp is None:
            raise AssertionError(f"no component {custom_id!r} on message {message.id}")
        channel = sim.world.channels[message.channel_id]
        guild = sim.world.guilds[channel.guild_id]
        payload, rec = I.base_payload(sim, 3, user, guild, channel)
        payload["data"] = {"custom_id": custom_id, "component_type": comp["type"]}
        payload["message"] = sim.message_payload(message)
        rec.message = rec.original = message
        return self._feed(payload, rec)


def has_command(world: Scenario, path: str) -> bool:
    """Whether `/path` (e.g. "session start") is in the schema the bot synced."""
    parts = path.split()
    for scope in (world.guild.id, None):
        for cmd in world.sim.commands.get(scope, []):
            if cmd["name"] != parts[0]:
                continue
            schema = cmd.get("options", [])
            for part in parts[1:]:
                sub = next((o for o in schema if o["name"] == part and o["type"] in (1, 2)), None)
                if sub is None:
                    break
                schema = sub.get("options", [])
            else:
                return True
    return False


@dataclass
class GroupMade:
    """A group made through the real commands: its ids and its Discord objects."""

    group_id: int
    name: str
    lobby: Channel
    leader: User
    members: list[User]


async def make_group(
    world: Scenario, name: str, leader: User, members: list[User], guild: Any = None
) -> GroupMade:
    """Organiser runs /group create; the leader runs /group add for each member.

    Copied in spirit from tests/support.py (benchmarks do not import tests).
    Agreement DMs ("I agree") are accepted when the confidentiality gate sends them.
    """
    from bot.store import groups as group_store

    sim = world.sim
    guild = guild or world.guild
    options = {"name": name, "timezone": "Europe/London", "leader": leader}
    await sim.slash(world.organiser, "group create", guild=guild, options=options)
    group = await group_store.by_name(world.bot.db, guild.id, name)
    if group is None:
        raise RuntimeError(f"/group create {name!r} failed")
    lobby = sim.channel(group.lobby_channel_id)
    for member in members:
        await sim.slash(
            leader, "group add", channel=lobby, options={"member": member, "group": name}
        )
    await sim.settle()
    for user in [leader, *members]:
        for message in sim.dms_to(user):
            for custom_id in message.custom_ids():
                if custom_id.startswith("balint:agree:"):
                    await sim.click(user, message, custom_id)
    await sim.settle()
    return GroupMade(group.id, name, lobby, leader, list(members))
