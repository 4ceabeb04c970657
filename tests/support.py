"""Helpers shared by capability tests: make a group the way a user would, via commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.sim.scenario import Scenario
from bot.sim.simulator import Simulator
from bot.sim.world import Channel, Guild, Role, User
from bot.store import groups as group_store
from bot.store.groups import Group


@dataclass
class GroupHandle:
    """A group made through /group create and /group add, with its Discord objects."""

    group: Group
    role: Role
    lobby: Channel
    leader: User
    co_leader: User | None
    members: list[User] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.group.name

    @property
    def everyone(self) -> list[User]:
        """Leaders first, then members."""
        people = [self.leader] + ([self.co_leader] if self.co_leader else [])
        return people + self.members


async def make_group(
    world: Scenario,
    *,
    name: str = "Tuesday group",
    timezone: str = "Europe/London",
    leader: User | None = None,
    co_leader: User | None = None,
    members: list[User] | None = None,
    size: int = 6,
    guild: Guild | None = None,
) -> GroupHandle:
    """Organiser runs /group create; the leader runs /group add for each member.

    Members who must accept the group agreement first are accepted through the
    real "I agree" button when the confidentiality capability asks for it. `guild`: the
    server to make it on (the scenario's own by default).
    """
    guild = guild or world.guild
    leader = leader or world.people[0]
    options: dict[str, object] = {"name": name, "timezone": timezone, "leader": leader}
    if co_leader is not None:
        options["co_leader"] = co_leader
    result = await world.sim.slash(world.organiser, "group create", guild=guild, options=options)
    assert result.ephemeral, result.text
    group = await group_store.by_name(world.bot.db, guild.id, name)
    assert group is not None, f"/group create failed: {result.text}"
    taken = {leader.id} | ({co_leader.id} if co_leader else set())
    if members is None:
        members = [p for p in world.people if p.id not in taken][:size]
    lobby = world.sim.channel(group.lobby_channel_id)
    for member in members:
        added = await world.sim.slash(
            leader, "group add", channel=lobby, options={"member": member, "group": name}
        )
        assert added.ephemeral, added.text
    await world.sim.settle()
    await accept_agreements(world, [leader, *([co_leader] if co_leader else []), *members])
    group = await group_store.get(world.bot.db, group.id)
    assert group is not None
    return GroupHandle(
        group=group,
        role=world.sim.role(group.role_id),
        lobby=world.sim.channel(group.lobby_channel_id),
        leader=leader,
        co_leader=co_leader,
        members=list(members),
    )


async def accept_agreements(world: Scenario, users: list[User]) -> None:
    """Press "I agree" on every agreement DM the bot sent these users (if any)."""
    for user in users:
        for message in world.sim.dms_to(user):
            for custom_id in message.custom_ids():
                if custom_id.startswith("balint:agree:"):
                    await world.sim.click(user, message, custom_id)
    await world.sim.settle()


def inject_after(
    sim: Simulator, method: str, route: str, after: int, status: int, **kw: Any
) -> None:
    """Let `after` calls to METHOD route succeed, then inject the error (the sim's inject)."""
    if after == 0:
        sim.inject(method, route, status, **kw)
        return
    original = sim._handle_request
    seen = 0

    def counting(m: str, url: str, kwargs: dict[str, Any]) -> Any:
        nonlocal seen
        response = original(m, url, kwargs)
        last = sim.calls[-1]
        if last.method == method and last.route == route and last.status < 300:
            seen += 1
            if seen == after:
                sim.inject(method, route, status, **kw)
                sim._handle_request = original  # type: ignore[method-assign]
        return response

    sim._handle_request = counting  # type: ignore[method-assign]


def network_down(sim: Simulator, method: str) -> None:
    """METHOD requests to message routes fail below HTTP (a connection reset); the test
    puts `sim._handle_request` back when the network should work again."""
    handle = sim._handle_request

    def failing(m: str, url: str, kw: dict[str, Any]) -> Any:
        if m == method and "/messages" in url:
            raise aiohttp.ClientConnectionError("Connection reset by peer")
        return handle(m, url, kw)

    sim._handle_request = failing  # type: ignore[method-assign]
