"""Updates that are not edits (a link preview resolving, a pin) are not warned about again.

Discord sends MESSAGE_UPDATE with the whole message for those too, and the bot keeps no
message cache: only `edited_timestamp` tells an edit from them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sim.scenario import Scenario
from bot.sim.world import User
from cogs._seen_edits import SeenEdits
from tests.session_support import start_session
from tests.support import make_group
from tests.test_guard_cog import WARNING, post, seed_group

DOB_AND_LINK = "see https://example.org, DOB 12/03/1956"


def warnings_to(world: Scenario, user: User) -> int:
    """The guard's DMs to `user` (a session's start DMs its members too)."""
    return sum("a full date" in dm.content for dm in world.sim.dms_to(user))


async def guard_hits(world: Scenario, session_id: int) -> int:
    row = await world.bot.db.fetchone("SELECT guard_hits FROM sessions WHERE id = ?", (session_id,))
    return row["guard_hits"]


async def test_a_link_preview_does_not_warn_twice(scenario: Scenario) -> None:
    world = scenario
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    author = handle.members[0]
    message = await post(world, author, room, DOB_AND_LINK)
    assert warnings_to(world, author) == 1
    assert await world.sim.unfurl(message)  # Discord adds the preview, seconds later
    assert message.embeds and message.edited is None
    assert warnings_to(world, author) == 1
    assert await guard_hits(world, session.id) == 1


async def test_a_pin_does_not_warn_again(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    message = await post(scenario, author, lobby, "DOB 12/03/1956, she came alone")
    assert WARNING in message.reactions and warnings_to(scenario, author) == 1
    assert await scenario.sim.pin(scenario.admin, message)
    assert message.pinned and message.edited is None
    assert warnings_to(scenario, author) == 1


async def test_an_edit_after_a_preview_is_still_checked(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    message = await post(scenario, author, lobby, "see https://example.org for the guideline")
    assert await scenario.sim.unfurl(message)
    assert warnings_to(scenario, author) == 0
    assert await scenario.sim.edit(author, message, "see https://example.org, DOB 12/03/1956")
    assert warnings_to(scenario, author) == 1
    assert not await scenario.sim.unfurl(message)  # the same link: previewed already
    assert await scenario.sim.edit(author, message, "DOB 12/03/1956 https://example.net")
    assert warnings_to(scenario, author) == 2  # a second edit: checked again
    assert await scenario.sim.unfurl(message)  # the new link's preview: not an edit
    assert warnings_to(scenario, author) == 2


def test_the_memory_of_edits_is_bounded() -> None:
    edits = SeenEdits(keep=2)
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert not edits.new_edit(1, None)  # never edited: a preview or a pin
    assert edits.new_edit(1, at) and not edits.new_edit(1, at)
    assert edits.new_edit(2, at) and edits.new_edit(3, at)  # 1 is forgotten now
    assert edits.new_edit(1, at) and not edits.new_edit(3, at)
    assert edits.new_edit(3, at + timedelta(seconds=1))  # a later edit of it
