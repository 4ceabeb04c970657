"""Confidentiality fixes found by review (guard, nothing kept, voice chat); each test failed
before its fix.

Every test drives the real bot through the simulator. One test needs Discord's
documented "Forward" (a MESSAGE_CREATE with empty content, a message_reference of
type 1 and the forwarded message in `message_snapshots`), added to bot/sim for it
(`Simulator.forward`).
"""

from __future__ import annotations

import logging

import pytest

from bot.sim.scenario import Scenario
from tests.session_support import leader, reload, start_session
from tests.support import make_group
from tests.test_guard_cog import WARNING, post, seed_group

# --- 1. A forwarded message is never checked ---------------------------------------------


async def test_review_a_forwarded_date_of_birth_is_not_checked(scenario: Scenario) -> None:
    """Discord's "Forward" puts the text in message_snapshots; the guard reads only content."""
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    general = scenario.sim.channel("general", scenario.guild)
    source = await post(scenario, author, general, "Mrs K, DOB 12/03/1956, NHS 943 476 5919")
    forwarded = await scenario.sim.forward(author, source, lobby)
    assert forwarded is not None
    await scenario.sim.settle()
    assert WARNING in forwarded.reactions, "a forwarded DOB and NHS number passed the guard"
    assert len(scenario.sim.dms_to(author)) == 1


async def test_review_a_forwarded_document_is_not_checked(scenario: Scenario) -> None:
    """An attachment forwarded from elsewhere is case notes as much as one uploaded."""
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.people[1]
    general = scenario.sim.channel("general", scenario.guild)
    source = await post(scenario, author, general, "", attachments=[("letter.pdf", b"%PDF-1")])
    forwarded = await scenario.sim.forward(author, source, lobby)
    assert forwarded is not None
    await scenario.sim.settle()
    assert forwarded.deleted, "a forwarded document stayed in a remove-mode group"


# --- 2. Full dates and birth-cued dates the guard promises but misses ----------------------

MISSED_DATES = [
    # dd-Mon-yyyy: the date format of EMIS/SystmOne print-outs and most hospital letters,
    # a full date (day, month, 4-digit year), which the guard says always counts.
    "Her letter says DOB 12-Mar-1956, and she came alone.",
    "He was admitted on 03-Jan-2024 and discharged himself.",
    # A birth cue with a 2-digit year, when a verb sits between cue and date.
    "Her dob is 12/3/56, she told me twice.",
    # A birth cue with a 2-digit year and a month name.
    "DOB 12 Mar 56 on the referral.",
]


@pytest.mark.parametrize("text", MISSED_DATES)
async def test_review_dates_the_guard_claims_are_missed(scenario: Scenario, text: str) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    message = await post(scenario, author, lobby, text)
    assert WARNING in message.reactions, f"not flagged: {text!r}"
    (dm,) = scenario.sim.dms_to(author)
    assert "a full date" in dm.content


# --- 3. Ordinary clinical numbers flagged as a phone number --------------------------------

CLINICAL_NOT_PHONES = [
    "The surgery is open 0830-1230 1400-1800 and she rings at every opening.",
    "We titrated amoxicillin 250-500-1000 mg over the week.",
    "Fluids went 500 750 1000 ml and she still felt dry.",
]


@pytest.mark.parametrize("text", CLINICAL_NOT_PHONES)
async def test_review_times_and_doses_are_not_phone_numbers(scenario: Scenario, text: str) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.people[1]
    message = await post(scenario, author, lobby, text)
    assert not message.deleted, f"removed as an identifier: {text!r}"
    assert scenario.sim.dms_to(author) == []


# --- 4. A member's words in the logs: mentioning the bot ---------------------------------


async def test_review_mentioning_the_bot_logs_the_first_word(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    """`command_prefix=when_mentioned`: discord.ext logs 'Command "<word>" is not found'."""
    caplog.set_level(logging.INFO)
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    bot_id = scenario.sim.bot_user.id
    await post(scenario, author, lobby, f"<@{bot_id}> Kowalczyk never came back after that")
    logged = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert "Kowalczyk" not in logged, "a member's word (a patient's name) is in the logs"


# --- 5. Leaders never get the per-session guard count ------------------------------------


async def test_review_leaders_get_the_guard_count_of_a_session(scenario: Scenario) -> None:
    """Issue #7: 'Leaders get a count per session, not the content.' guard_hits is stored
    (sessions.guard_hits) but nothing ever tells the leaders."""
    world = scenario
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    author = handle.members[0]
    for text in ("She gave me her DOB 12/03/1956", "call 07700 900123", "MRN 00123456"):
        assert await world.sim.post(author, room, text) is not None
    await world.sim.settle()
    row = await world.bot.db.fetchone("SELECT guard_hits FROM sessions WHERE id = ?", (session.id,))
    assert row["guard_hits"] == 3
    await leader(world, handle, "session end", room)
    await world.sim.settle()
    leaders_channel = world.sim.channel(handle.group.leaders_channel_id)
    seen_by_leader = [m.content for m in world.sim.dms_to(handle.leader)]
    seen_by_leader += [m.content for m in world.sim.messages_in(leaders_channel)]
    seen_by_leader += [m.content for m in world.sim.messages_in(room)]
    for message in world.sim.messages_in(room) + world.sim.messages_in(leaders_channel):
        for embed in message.embeds:
            seen_by_leader.append(str(embed))
    told = [text for text in seen_by_leader if "identifier" in text.lower() and "3" in text]
    assert told, "the leaders were never told how many messages tripped the guard"


# --- 6. The session's voice channel text chat escapes the permission plan -----------------


async def test_review_voice_channel_chat_is_open_during_the_presentation(
    scenario: Scenario,
) -> None:
    """Discord voice channels have a built-in text chat (Send Messages applies). The plan
    closes the session's text channel to all but the presenter and leaders during the
    presentation, but the voice channel gives the group role no send deny, so members
    (who have Send Messages from @everyone) type there; its guard hits are not counted."""
    world = scenario
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    voice = world.sim.channel((await reload(world, session)).voice_channel_id)
    assert voice is not None
    presenter, listener = handle.members[0], handle.members[1]
    await leader(world, handle, "phase goto", room, phase="case_call")
    await leader(world, handle, "session presenter", room, member=presenter)
    await leader(world, handle, "phase next", room)
    assert (await reload(world, session)).phase == "presentation"
    assert await world.sim.post(listener, room, "may I ask something?") is None
    sneaked = await world.sim.post(listener, voice, "may I ask something? DOB 12/03/1956")
    row = await world.bot.db.fetchone("SELECT guard_hits FROM sessions WHERE id = ?", (session.id,))
    assert sneaked is None, (
        "a member wrote in the voice channel's text chat during the presentation "
        f"(guard hits counted for the session: {row['guard_hits']})"
    )


# --- 7. Thread names members write reach discord.py's DEBUG log -------------------------


@pytest.mark.parametrize("event", ["THREAD_CREATE", "THREAD_UPDATE"])
def test_review_thread_names_are_not_redacted(event: str, caplog: pytest.LogCaptureFixture) -> None:
    """A thread's name is written by a member (a thread started on a message takes the
    message's text as its name), and members may open threads in the lobby. The gateway
    filter blanks only MESSAGE_CREATE, MESSAGE_UPDATE and INTERACTION_CREATE."""
    from bot import log_redact

    log_redact.install()
    name = "Mrs Kowalczyk DOB 12/03/1956 what do I do"
    payload = {"t": event, "op": 0, "d": {"id": "1", "type": 11, "name": name}}
    with caplog.at_level(logging.DEBUG, logger="discord.gateway"):
        logging.getLogger("discord.gateway").debug(log_redact.GATEWAY_EVENT, 0, payload)
    assert "Kowalczyk" not in caplog.text
