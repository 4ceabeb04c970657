"""After /privacy forget nothing about the person is left, and retention keeps its word.

Each test drives the real bot through the simulator and failed before its fix.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

import pytest

from bot.sim.scenario import Scenario
from bot.sim.world import User
from bot.store import groups as group_store
from bot.texts import privacy as texts
from tests.crash_support import killed_as_the_floor_moves_on, strict_round_on_first
from tests.session_support import leader, press, reload, start_session, who_can_post
from tests.support import GroupHandle, make_group
from tests.test_nothing_kept import database_files


def traces(world: Scenario, user: User) -> dict[str, int]:
    """How often the user id occurs in the raw database files: as text (a timer's key)
    or as the 8-byte integer SQLite stores in a row or an index."""
    needles = (str(user.id).encode(), user.id.to_bytes(8, "big"))
    found = {}
    for path in database_files(world.db_path):
        count = sum(path.read_bytes().count(needle) for needle in needles)
        if count:
            found[path.name] = count
    return found


async def forget(world: Scenario, user: User) -> str:
    asked = await world.sim.slash(user, "privacy forget", in_dm=True)
    pressed = await world.sim.click(user, asked.original, f"balint:forget:{user.id}")
    await world.sim.settle()
    return pressed.text


async def test_forget_leaves_no_trace_in_the_database_file(scenario: Scenario) -> None:
    """SQLite does not overwrite what it deletes: the forgotten member's id (their
    membership, attendance, queue, timer keys `member_follow_up:<group>:<id>:...`) could
    still be read from the file and its WAL, by anyone with a copy or a backup."""
    world = scenario
    handle = await make_group(world, size=3)
    me = handle.members[0]
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    await press(world, me, session, "here")
    await press(world, me, session, "raise")
    await world.sim.slash(me, "away", channel=channel)
    assert traces(world, me), "the needle is right: the id is in the file before"
    assert "erased" in (await forget(world, me)).lower()
    assert traces(world, me) == {}
    await world.stop()  # closing checkpoints the WAL into the file
    assert traces(world, me) == {}


ROLE = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"


async def takeback_rows(world: Scenario, user: User) -> int:
    row = await world.bot.db.fetchone(
        "SELECT COUNT(*) AS n FROM role_takebacks WHERE user_id = ?", (user.id,)
    )
    return int(row["n"])


async def test_a_refused_take_back_is_not_kept_once_its_holder_left_the_server(
    scenario: Scenario,
) -> None:
    """/privacy show: a refused removal is kept "until the role is gone or may be held".
    Someone outside the group, given the role by hand, whose removal Discord refused,
    then left the server: the role is gone with them, but the row naming them stayed
    for good (every later check skips a holder not on the server; retention never
    looks at the table)."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=2)
    stranger, other = world.outsider, world.people[-1]
    for user in (stranger, other):
        sim.inject("DELETE", ROLE, 403, 50013)
        assert await sim.give_role(world.admin, user, handle.role)
        await sim.settle()
        assert await takeback_rows(world, user) == 1  # refused, and the leaders were told
    await sim.leave_server(stranger)
    assert await takeback_rows(world, stranger) == 0
    await world.stop()
    await sim.leave_server(other)  # while the bot is down: no event will tell it
    await world.start()
    await sim.slash(handle.leader, "group repair", channel=handle.lobby)
    assert await takeback_rows(world, other) == 1  # not on the server: judged no more
    await world.advance(days=world.bot.settings.retention_days + 2)
    assert await takeback_rows(world, other) == 0, "kept past the retention period"


@pytest.mark.parametrize("who", ["floor holder", "leader"])
async def test_forget_mid_meeting_in_a_permanent_channel_leaves_no_overwrite_behind(
    scenario: Scenario, who: str
) -> None:
    """The bot gives the floor holder (and each leader) their own overwrite on the session
    channel, and saves the channel as it was to put it back. Forget erased that saved
    state first; the meeting then moved the floor on (or the leaders changed) and, finding
    nothing saved, took the overwrite it had given as the original: it kept it, and saved
    a new row naming the forgotten person. In a group's permanent channel both stayed."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, co_leader=world.people[1], size=3)
    await group_store.update_settings(world.bot.db, handle.group.id, session_channel="permanent")
    _, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="strict")
    me = handle.members[0] if who == "floor holder" else handle.leader
    if who == "floor holder":
        await leader(world, handle, "floor give", channel, member=me)
    assert me.id in channel.overwrites  # the bot's own overwrite for them

    async def saved_rows() -> list[object]:
        return await world.bot.db.fetchall(
            "SELECT * FROM saved_overwrites WHERE target_id = ?", (me.id,)
        )

    await forget(world, me)
    assert await saved_rows() == []
    assert me.id not in channel.overwrites
    await sim.slash(handle.co_leader, "session end", channel=channel)
    await world.advance(hours=3)
    assert sim.channel(channel.id) is not None  # the permanent channel stays
    assert me.id not in channel.overwrites
    assert await saved_rows() == []


async def test_a_crash_as_a_forgotten_member_gives_up_the_floor_is_finished_by_the_restart(
    scenario: Scenario,
) -> None:
    """Strict turns, a go-round on a; a erases their records, and the bot dies as the
    floor moves on to b (the session channel's permission write). The meeting's part of
    the erasure was a separate task after it, which nothing would run again (and which
    found the floor already blanked: it was given to nobody). After the restart the floor
    is b's, and the erasure is finished too (tests/test_forget_crash.py): a, who got no
    answer, is told in a DM, and nothing naming a is left."""
    world, sim = scenario, scenario.sim

    async def erase(handle: GroupHandle) -> Coroutine[Any, Any, object]:
        a = handle.members[0]
        asked = await sim.slash(a, "privacy forget", in_dm=True)
        return sim.click(a, asked.original, f"balint:forget:{a.id}")

    handle, session, channel = await killed_as_the_floor_moves_on(world, erase, only_to_next=True)
    a, b, _ = handle.members
    assert a.id not in channel.overwrites
    left = "SELECT COUNT(*) AS n FROM timers WHERE kind = 'forget_meeting'"
    assert (await world.bot.db.fetchone(left))["n"] == 0  # done, and its row (their id) gone
    assert "erased" in sim.dms_to(a)[-1].content.lower()
    assert await forget(world, a) == texts.FORGET_NOTHING
    assert (await reload(world, session)).floor_holder_id == b.id
    assert traces(world, a) == {}


async def test_forget_during_a_go_round_gives_the_floor_to_the_next_member(
    scenario: Scenario,
) -> None:
    """The erasure blanked the floor before the meeting was told: the round stayed at
    the forgotten member's turn with the floor given to nobody, and nobody could post."""
    world = scenario
    handle, session, channel = await strict_round_on_first(world)
    a, b, _ = handle.members
    await forget(world, a)
    assert (await reload(world, session)).floor_holder_id == b.id
    assert who_can_post(world, channel, handle.members[1:]) == {b.name}
    assert traces(world, a) == {}
