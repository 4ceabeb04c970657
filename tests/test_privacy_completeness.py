"""After /privacy forget nothing about the person is left, and retention keeps its word.

Each test drives the real bot through the simulator and failed before its fix.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.sim.world import User
from tests.session_support import leader, press, start_session
from tests.support import make_group
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
