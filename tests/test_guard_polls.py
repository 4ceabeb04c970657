"""The identifier guard reads a member's poll: its question and its answers.

A poll is a message whose content is empty: what the member wrote is in the
question and the answers (`written` in cogs/confidentiality.py), and everyone who
sees the channel reads them. Posted through the simulator as Discord sends it
(bot/sim/polls.py).
"""

from __future__ import annotations

import pytest

from bot.sim.scenario import Scenario
from tests.session_support import leader, reload, start_session
from tests.support import make_group
from tests.test_guard_cog import WARNING, seed_group, without_mentions

# (question, answers, the identifier that must never be quoted back, the kind told)
FLAGGED = [
    ("Who saw Mrs K, NHS 943 476 5919, last?", ["Me", "Not me"], "943 476 5919", "an NHS number"),
    ("Which date is right?", ["12/03/1956", "Not sure"], "12/03/1956", "a full date"),
    ("Ring her back?", ["Yes", "on 07700 900123"], "07700 900123", "a phone number"),
]


@pytest.mark.parametrize(("question", "answers", "identifier", "kind"), FLAGGED)
async def test_warn_mode_flags_a_poll_and_quotes_nothing(
    scenario: Scenario, question: str, answers: list[str], identifier: str, kind: str
) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    poll = await scenario.sim.post_poll(author, lobby, question, answers)
    assert poll is not None
    await scenario.sim.settle()
    assert WARNING in poll.reactions and not poll.deleted
    (dm,) = scenario.sim.dms_to(author)
    assert kind in dm.content and f"<#{lobby.id}>" in dm.content
    words = without_mentions(dm.content)
    assert identifier not in words and question not in words
    assert not any(answer in words for answer in answers)


@pytest.mark.parametrize(("question", "answers", "identifier", "kind"), FLAGGED)
async def test_remove_mode_removes_a_poll_and_quotes_nothing(
    scenario: Scenario, question: str, answers: list[str], identifier: str, kind: str
) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.people[2]
    poll = await scenario.sim.post_poll(author, lobby, question, answers)
    assert poll is not None
    await scenario.sim.settle()
    assert poll.deleted and poll not in scenario.sim.messages_in(lobby)
    (dm,) = scenario.sim.dms_to(author)
    assert "removed" in dm.content and kind in dm.content
    assert identifier not in without_mentions(dm.content)


async def test_an_ordinary_poll_passes(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.people[1]
    poll = await scenario.sim.post_poll(
        author, lobby, "Next meeting: 10:30 or 14:00?", ["10:30", "14:00", "Either, 2 h max"]
    )
    assert poll is not None
    await scenario.sim.settle()
    assert not poll.deleted and not poll.reactions
    assert scenario.sim.dms_to(author) == []


async def test_in_the_session_channel_only_who_may_write_may_post_a_poll(
    scenario: Scenario,
) -> None:
    """Nobody refused a message in a phase can post a poll then, and none is asked to.

    Finding, kept as it is: the session channel's permission plan need not deny Send
    Polls. On Discord a poll is a message: sending one needs Send Messages (Send
    Messages in Threads in a thread, which the plan denies the group always) as well
    as Send Polls, so the plan's per-phase Send Messages denial shuts polls out too:
    the other members during the presentation and the return, the pushed-back
    presenter in the discussion, all but the floor holder in strict turns, everyone
    once the meeting has ended, and the group in the voice channel's chat. A member
    who may write in a phase may post a poll, and the guard reads it like any message.
    Everyone here keeps Send Polls from @everyone, so the denial of Send Messages
    alone refuses them.
    """
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    presenter, other = handle.members[0], handle.members[1]
    assert sim.can(other, room, "send_polls")
    await leader(world, handle, "phase goto", room, phase="case_call")
    await leader(world, handle, "session presenter", room, member=presenter)
    await leader(world, handle, "phase goto", room, phase="presentation")
    assert await sim.post_poll(other, room, "Shall I say?", ["Yes", "No"]) is None
    flagged = await sim.post_poll(presenter, room, "Her MRN 00123456 or not?", ["Yes", "No"])
    assert flagged is not None
    await sim.settle()
    assert WARNING in flagged.reactions
    row = await world.bot.db.fetchone("SELECT guard_hits FROM sessions WHERE id = ?", (session.id,))
    assert row["guard_hits"] == 1
    await leader(world, handle, "phase goto", room, phase="discussion")
    assert await sim.post_poll(presenter, room, "Was I right?", ["Yes", "No"]) is None
    assert await sim.post_poll(other, room, "Who felt cross?", ["Me", "Not me"]) is not None
    voice = sim.channel((await reload(world, session)).voice_channel_id)
    assert await sim.post_poll(other, voice, "Can you hear me?", ["Yes", "No"]) is None
    await leader(world, handle, "session end", room)
    assert (await reload(world, session)).status == "ended"
    for user in handle.members:
        assert await sim.post_poll(user, room, "One more?", ["Yes", "No"]) is None
