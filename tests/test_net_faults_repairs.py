"""Best-effort repairs and roll-backs carry on when the network breaks under one call.

discord.py raises aiohttp's errors (not an HTTPException) when a connection is reset:
a repair loop that caught only HTTPException stopped at that call and left the rest
undone (and the error escaped its task or the command).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.sim.world import Overwrite
from bot.store import groups as group_store
from bot.texts import groups as texts
from tests.support import GroupHandle, inject_after, make_group

CHANNEL = "/channels/{channel_id}"
CHANNELS = "/guilds/{guild_id}/channels"
ROLE = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"
PERMISSION = "/channels/{channel_id}/permissions/{overwrite_id}"
VIEW_CHANNEL = 1 << 10


async def test_a_leaders_channel_repair_the_network_breaks_still_fixes_the_rest(
    scenario: Scenario,
) -> None:
    """Two hand-made readers of the leaders' channel while the bot was down; the removal of
    the first breaks: the second still loses access at READY, the first at the next one."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    assert leaders_channel is not None
    readers = handle.members[:2]
    await scenario.stop()
    for member in readers:
        leaders_channel.overwrites[member.id] = Overwrite(member.id, 1, allow=VIEW_CHANNEL)
    sim.inject_network("DELETE", PERMISSION)
    await scenario.start()
    await sim.settle()
    broken = [c for c in sim.calls if c.route == PERMISSION and c.status == NETWORK]
    assert len(broken) == 1, "the reset was not reached"
    still = [m for m in readers if sim.can(m, leaders_channel)]
    assert len(still) == 1, f"{len(still)} of 2 hand-made readers kept access after one reset"
    assert sim.errors == []
    await scenario.restart()
    await sim.settle()
    assert not any(sim.can(m, leaders_channel) for m in readers)
    assert sim.can(handle.leader, leaders_channel)


def after_first_revoke(scenario: Scenario, then: Callable[[], None]) -> list[str]:
    """Once the first role removal went through, `then` queues the faults to come."""
    sim = scenario.sim
    handle = sim._handle_request
    done: list[str] = []

    def watching(method: str, url: str, kw: dict[str, Any]) -> Any:
        resp = handle(method, url, kw)
        if not done and method == "DELETE" and "/roles/" in url:
            done.append(url)
            then()
        return resp

    sim._handle_request = watching  # type: ignore[method-assign]
    return done


async def test_an_archive_roll_back_the_network_breaks_still_gives_the_role_back(
    scenario: Scenario,
) -> None:
    """/group archive fails at its second role removal; in the roll-back the lobby's edit
    breaks: the first member still gets the role back and the leader reads why."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)

    def faults() -> None:
        sim.inject("DELETE", ROLE, 403, 50013)
        sim.inject_network("PATCH", CHANNEL)

    revoked = after_first_revoke(scenario, faults)
    asked = await sim.slash(handle.leader, "group archive", options={"group": handle.name})
    custom_id = f"balint:archive:{handle.group.id}:{handle.leader.id}"
    done = await sim.click(handle.leader, asked.original, custom_id)
    assert revoked, "no role was removed"
    assert [c for c in sim.calls if c.route == CHANNEL and c.status == NETWORK], "no reset"
    assert texts.STEP_FAILED["revoke"] in done.text, done.text
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None and not group.archived
    lacking = [p for p in handle.everyone if handle.role.id not in scenario.member(p).role_ids]
    assert lacking == [], f"{len(lacking)} people left without the group's role"
    assert sim.errors == []


async def test_a_deletion_check_the_network_breaks_does_not_stop_the_other_groups(
    scenario: Scenario,
) -> None:
    """Both groups' lobbies were deleted while the bot was down; Discord's confirmation
    for the first breaks: the second group's leaders are still told at READY, the first
    group's at the next READY."""
    sim = scenario.sim
    a = await make_group(scenario, name="Group A", leader=scenario.people[0], size=2)
    b = await make_group(scenario, name="Group B", leader=scenario.people[5], size=2)
    await scenario.stop()
    for handle in (a, b):
        sim.remove_channel(handle.lobby)
    sim.inject_network("GET", CHANNEL)
    await scenario.start()
    await sim.settle()
    assert [c for c in sim.calls if c.route == CHANNEL and c.status == NETWORK], "no reset"

    def told(handle: GroupHandle) -> int:
        leaders_channel = sim.channel(handle.group.leaders_channel_id)
        return sum("the lobby" in m.content for m in sim.messages_in(leaders_channel))

    assert sorted([told(a), told(b)]) == [0, 1], "one reset kept both groups' leaders untold"
    assert sim.errors == []
    await scenario.restart()
    await sim.settle()
    assert [told(a), told(b)] == [1, 1]


async def test_a_group_create_roll_back_the_network_breaks_still_removes_the_rest(
    scenario: Scenario,
) -> None:
    """/group create fails at the leaders' channel; in the roll-back the lobby's deletion
    breaks: the category and the role still go (only the lobby is left, and logged), and
    the organiser reads why the group was not made, and that the lobby is to be deleted."""
    sim = scenario.sim
    roles, channels = set(scenario.guild.roles), set(scenario.guild.channels)
    inject_after(sim, "POST", CHANNELS, 2, 403, code=50013)  # the leaders' channel
    sim.inject_network("DELETE", CHANNEL)  # the roll-back's first deletion: the lobby
    result = await sim.slash(
        scenario.organiser,
        "group create",
        options={"name": "Doomed", "timezone": "Europe/London", "leader": scenario.people[0]},
    )
    await sim.settle()
    [reset] = [c for c in sim.calls if c.route == CHANNEL and c.status == NETWORK]
    lobby = sim.channel(int(reset.params["channel_id"]))
    assert texts.NOTHING_LEFT not in result.text, result.text
    assert texts.LEFT_CHANNEL.format(channel=lobby.name) in result.text, result.text
    assert set(scenario.guild.roles) == roles, "the roll-back left the role"
    left = set(scenario.guild.channels) - channels
    assert left == {int(reset.params["channel_id"])}, "more than the lobby was left"
    assert sim.channel(int(reset.params["channel_id"])).name.endswith("lobby")
    assert await group_store.by_name(scenario.bot.db, scenario.guild.id, "Doomed") is None
    assert sim.errors == []
