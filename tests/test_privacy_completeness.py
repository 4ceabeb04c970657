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
