"""The identifier guard checks edited messages too (MESSAGE_UPDATE), as it checks new ones."""

from __future__ import annotations

import logging

import pytest

from bot.sim.scenario import Scenario
from tests.session_support import start_session
from tests.support import make_group
from tests.test_guard_cog import WARNING, post, seed_group, without_mentions


async def test_an_edit_that_adds_an_identifier_is_warned_about(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    message = await post(scenario, author, lobby, "She came alone this time.")
    assert not message.reactions and scenario.sim.dms_to(author) == []
    assert await scenario.sim.edit(author, message, "She came alone; NHS number 943 476 5919")
    assert WARNING in message.reactions and not message.deleted
    (dm,) = scenario.sim.dms_to(author)
    assert "an NHS number" in dm.content and "943 476 5919" not in dm.content
    assert "943 476 5919" not in caplog.text and "came alone" not in caplog.text


async def test_an_edit_in_remove_mode_removes_the_message(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.people[2]
    message = await post(scenario, author, lobby, "Seen twice this week.")
    assert await scenario.sim.edit(author, message, "Seen twice, call 07700 900123")
    assert message.deleted and message not in scenario.sim.messages_in(lobby)
    (dm,) = scenario.sim.dms_to(author)
    assert "removed" in dm.content and "07700" not in without_mentions(dm.content)


async def test_harmless_edits_and_other_peoples_messages(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario)
    author, other = scenario.people[1], scenario.people[2]
    message = await post(scenario, author, lobby, "She is 84, BP 150/90.")
    assert await scenario.sim.edit(author, message, "She is 84, BP 150/90, on 2.5 mg bisoprolol.")
    assert not await scenario.sim.edit(other, message, "DOB 12/03/1956")  # Discord refuses
    assert not message.reactions and scenario.sim.dms_to(author) == []


async def test_an_edit_in_a_session_channel_is_counted(scenario: Scenario) -> None:
    world = scenario
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    author = handle.members[0]
    message = await world.sim.post(author, room, "I felt helpless.")
    assert message is not None
    assert await world.sim.edit(author, message, "I felt helpless. MRN 00123456")
    row = await world.bot.db.fetchone("SELECT guard_hits FROM sessions WHERE id = ?", (session.id,))
    assert row["guard_hits"] == 1
    assert WARNING in message.reactions
