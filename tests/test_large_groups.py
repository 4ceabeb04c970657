"""Embeds and listings of the largest group stay within Discord's limits.

The simulator refuses content over 2,000 characters and embeds over Discord's
documented limits (400/50035), as Discord does; these are the commands whose
answers grow with the group.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.sim.limits import MAX_EMBED_TOTAL, embed_size
from bot.sim.scenario import Scenario
from bot.store import cases as case_store
from bot.store import groups as group_store
from bot.texts import agreement as agreement_texts
from cogs._attendance_render import group_table
from tests.case_helpers import case_call, start_meeting
from tests.support import make_group
from tests.test_agreement_changes import change
from tests.test_schedule_reminders import weekly


async def test_agreement_show_of_the_largest_group_cuts_the_pending_list(big):
    world = big
    handle = await make_group(world, size=99)
    await change(world, handle, "A long agreement. " * 222)  # about 4,000 characters
    result = await world.sim.slash(handle.leader, "group agreement show", channel=handle.lobby)
    (embed,) = result.messages[-1].embeds
    (pending,) = [f["value"] for f in embed["fields"] if f["name"] == agreement_texts.SHOW_PENDING]
    assert len(pending) <= 1024 and pending.endswith("more")
    assert pending.startswith(f"<@{handle.leader.id}>, ") or pending.startswith("<@")
    assert embed_size(embed) <= MAX_EMBED_TOTAL


async def _offer_all(world: Scenario, session_id: int, users: list, kind: str) -> None:
    for user in users:
        await case_store.set_offer(world.bot.db, session_id, user.id, kind, world.clock.now())


@pytest.mark.parametrize("kind", ["case", "none"])
async def test_case_list_of_the_largest_group_all_answering_fits(big, kind):
    world = big
    handle = await make_group(world, size=99)
    session_id, channel = await start_meeting(world, handle)
    await case_call(world, session_id)
    await _offer_all(world, session_id, handle.members, kind)
    for command in ("case list", "case offers"):
        result = await world.sim.slash(handle.leader, command, channel=channel)
        sent = [m.content for m in result.messages]
        assert sent and all(0 < len(text) <= 2000 for text in sent), command
        text = "\n".join(sent)
        if kind == "case":  # every volunteer is listed, in as many messages as needed
            assert all(f"<@{u.id}>" in text for u in handle.members), command
        else:
            assert f"<@{handle.members[0].id}>" in text and "more" in text, command
    menus = [m for m in result.messages if m.components]
    assert not menus  # /case offers has no menu
    listed = await world.sim.slash(handle.leader, "case list", channel=channel)
    with_menu = [m for m in listed.messages if m.components]
    if kind == "case":
        assert with_menu == [listed.messages[-1]]
        (row,) = with_menu[0].components
        assert len(row["components"][0]["options"]) == 25
    else:
        assert not with_menu


async def test_schedule_roster_of_the_largest_group_names_everyone_in_messages_that_fit(big):
    world = big
    handle = await make_group(world, size=99)
    await weekly(world, handle)
    result = await world.sim.slash(handle.leader, "schedule roster", channel=handle.lobby)
    sent = [m.content for m in result.messages]
    assert len(sent) >= 2 and all(len(text) <= 2000 for text in sent)
    text = "\n".join(sent)
    assert "Not answered (100): " in text
    assert all(f"<@{u.id}>" in text for u in handle.members)


async def test_group_list_of_a_server_with_many_groups_cuts_whole_lines(scenario: Scenario):
    world = scenario
    for n in range(60):
        name = f"Group {n:02d} of the longest name allowed here ........"[:50]
        await group_store.create(
            world.bot.db,
            guild_id=world.guild.id,
            name=name,
            zone="America/Argentina/ComodRivadavia",
            now=world.clock.now(),
        )
    result = await world.sim.slash(world.organiser, "group list")
    (embed,) = result.messages[-1].embeds
    listed = embed["description"].split("\n")
    assert len(embed["description"]) <= 4096
    assert listed[0].startswith("**Group 00 of") and listed[-1].endswith("more")
    assert all(line.startswith("**Group ") for line in listed[:-1])


def test_attendance_table_of_the_largest_group_fits_with_a_long_group_name() -> None:
    dates = [
        date(2026, 1, 1) + timedelta(days=7 * week) for week in range(5)
    ]  # 2,013 characters before
    rows = [(f"member {n}", ["present"] * len(dates)) for n in range(99)]
    text = group_table("G" * 50, dates, rows)
    assert len(text) <= 2000
    body = text.split("```")[1].strip("\n").split("\n")
    assert body[1].startswith("member 0 ") and body[-1].endswith("more")
    assert all(line.startswith("member ") for line in body[1:-1])
