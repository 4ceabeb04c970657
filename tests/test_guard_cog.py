"""The identifier guard through the real cog: warn, remove, off, DMs that never quote."""

from __future__ import annotations

import logging
import re

import pytest

from bot.sim.scenario import Scenario
from bot.sim.world import Channel, Message, User
from bot.store import groups as group_store
from bot.store.clocktime import to_epoch

WARNING = "\N{WARNING SIGN}\N{VARIATION SELECTOR-16}"
MENTION = re.compile(r"<(?:@|@&|#)\d+>")


def without_mentions(text: str) -> str:
    """A mention's snowflake is random digits and may contain any short number by chance."""
    return MENTION.sub("", text)


# (message, words the DM must contain, the identifier that must never be quoted back)
TRUE_POSITIVES = [
    ("She was born on 12/03/1956 and came alone", "a full date", "12/03/1956"),
    ("his NHS number is 943 476 5919, I checked", "an NHS number", "943 476 5919"),
    ("Medicare 2123 45670 1 on the form", "a Medicare number", "2123 45670 1"),
    ("SSN 123-45-6789 was on the letter", "a social security number", "123-45-6789"),
    ("call her on 07700 900123 tomorrow", "a phone number", "07700 900123"),
    ("his daughter wrote from jo.bloggs@example.org", "an e-mail address", "jo.bloggs"),
    ("MRN 00123456 in the notes", "a medical record number", "00123456"),
]

# Ordinary clinical sentences (and an invalid NHS checksum) that must not trip it.
CLINICAL = [
    "She is 84 and takes 2.5 mg bisoprolol, BP 150/90, seen at 10:30.",
    "We met 3 times in 2019; she was 45 then and had 2 children.",
    "Her HbA1c went from 64 to 58 over 6 months; pulse 72, temp 37.8.",
    "an NHS-like 9434765918 with a wrong check digit",
    "Metformin 500 mg twice daily, eGFR 45, weight 82.5 kg, March 2021.",
]


async def seed_group(
    world: Scenario, *, name: str = "Guarded", guard_mode: str | None = None
) -> tuple[int, Channel, Channel]:
    """A group's row and its Discord channels, made directly (the guard only reads them)."""
    sim, guild = world.sim, world.guild
    category = sim.add_channel(guild, name, "category")
    lobby = sim.add_channel(guild, "lobby", parent=category)
    leaders = sim.add_channel(guild, "leaders", parent=category)
    await sim.settle()
    db = world.bot.db
    group_id = await group_store.create(
        db, guild_id=guild.id, name=name, zone="Europe/London", now=world.clock.now()
    )
    await group_store.set_discord_ids(
        db,
        group_id,
        role_id=None,
        category_id=category.id,
        lobby_channel_id=lobby.id,
        leaders_channel_id=leaders.id,
    )
    if guard_mode is not None:
        await group_store.update_settings(db, group_id, guard_mode=guard_mode)
    return group_id, lobby, leaders


async def post(world: Scenario, user: User, channel: Channel, text: str, **kw) -> Message:
    message = await world.sim.post(user, channel, text, **kw)
    assert message is not None
    await world.sim.settle()
    return message


@pytest.mark.parametrize(("text", "kind", "identifier"), TRUE_POSITIVES)
async def test_warn_mode_reacts_and_dms_the_kind_without_quoting(
    scenario: Scenario, text: str, kind: str, identifier: str
) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    message = await post(scenario, author, lobby, text)
    assert WARNING in message.reactions and not message.deleted
    (dm,) = scenario.sim.dms_to(author)
    assert kind in dm.content
    assert f"<#{lobby.id}>" in dm.content
    assert identifier not in without_mentions(dm.content) and text not in dm.content


@pytest.mark.parametrize("text", CLINICAL)
async def test_ordinary_clinical_sentences_pass(scenario: Scenario, text: str) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    message = await post(scenario, author, lobby, text)
    assert not message.reactions and not message.deleted
    assert scenario.sim.dms_to(author) == []


async def test_remove_mode_deletes_and_dms(scenario: Scenario) -> None:
    _group_id, lobby, leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.people[2]
    message = await post(scenario, author, leaders, "DOB 12/03/56 and 07700 900123")
    assert message.deleted and message not in scenario.sim.messages_in(leaders)
    (dm,) = scenario.sim.dms_to(author)
    assert "removed" in dm.content
    assert "a full date" in dm.content and "a phone number" in dm.content
    assert "12/03/56" not in dm.content and "07700" not in without_mentions(dm.content)
    kept = await post(scenario, author, lobby, "Seen twice this week, BP 140/85.")
    assert not kept.deleted and len(scenario.sim.dms_to(author)) == 1


async def test_an_attachment_counts_as_case_notes(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario)
    author = scenario.people[1]
    message = await post(scenario, author, lobby, "", attachments=[("notes.pdf", b"%PDF-1")])
    assert WARNING in message.reactions
    (dm,) = scenario.sim.dms_to(author)
    assert "an attachment" in dm.content and "notes.pdf" not in dm.content


async def test_closed_dms_get_a_channel_line_that_quotes_nothing(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="remove")
    author = scenario.add_person("closed-dms", dms_closed=True)
    await post(scenario, author, lobby, "NHS 943 476 5919")
    lines = [m for m in scenario.sim.messages_in(lobby) if m.author.id == scenario.sim.bot_user.id]
    (line,) = lines
    assert f"<@{author.id}>" in line.content and "an NHS number" in line.content
    words = without_mentions(line.content)
    assert not any(part in words for part in ("943", "476", "5919"))


async def test_off_mode_other_channels_and_bots_are_left_alone(scenario: Scenario) -> None:
    _group_id, lobby, _leaders = await seed_group(scenario, guard_mode="off")
    author = scenario.people[1]
    quiet = await post(scenario, author, lobby, "NHS 943 476 5919")
    general = scenario.sim.channel("general", scenario.guild)
    elsewhere = await post(scenario, author, general, "NHS 943 476 5919")
    assert not quiet.reactions and not elsewhere.reactions
    assert scenario.sim.dms_to(author) == []
    assert not [call for call in scenario.sim.calls if "reactions" in call.route]


async def test_session_channel_hits_are_counted_never_kept(scenario: Scenario) -> None:
    group_id, _lobby, _leaders = await seed_group(scenario)
    room = scenario.sim.add_channel(scenario.guild, "session-room")
    await scenario.sim.settle()
    db = scenario.bot.db
    session_id = await db.execute(
        "INSERT INTO sessions (group_id, status, started_at, text_channel_id) "
        "VALUES (?, 'live', ?, ?)",
        (group_id, to_epoch(scenario.clock.now()), room.id),
    )
    author = scenario.people[3]
    await post(scenario, author, room, "tel +44 7700 900123")
    await post(scenario, author, room, "born 3 March 1956")
    await post(scenario, author, room, "nothing here but a dose of 5 mg")
    row = await db.fetchone("SELECT guard_hits FROM sessions WHERE id = ?", (session_id,))
    assert row["guard_hits"] == 2
    assert len(scenario.sim.dms_to(author)) == 2


async def test_without_message_content_the_guard_says_so_once_and_does_nothing(
    tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    world = Scenario(tmp_path / "db.sqlite3", message_content_intent=False)
    await world.start()
    try:
        _group_id, lobby, _leaders = await seed_group(world)
        message = await post(world, world.people[1], lobby, "NHS 943 476 5919")
        assert not message.reactions and world.sim.dms_to(world.people[1]) == []
    finally:
        await world.stop()
    warnings = [r for r in caplog.records if "identifier guard is off" in r.getMessage()]
    assert len(warnings) == 1
    assert not world.problems()
