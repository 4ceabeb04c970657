"""Messages that grow with a group or its history stay within Discord's 2,000 characters.

The simulator answers longer content with 400/50035, as Discord does; these are
the places where a large group or years of meetings could have made one.
"""

from __future__ import annotations

from datetime import timedelta

from bot.store import attendance as attendance_store
from bot.store import sessions as session_store
from bot.texts.agreement import SESSION_REMINDER
from tests.session_support import leader, press, reload, start_session, status_message
from tests.support import make_group
from tests.test_agreement import agree_id, agreement_dms
from tests.test_agreement_changes import change, reminder_dms
from tests.test_attendance_support import add_session
from tests.test_schedule_reminders import weekly


async def test_round_order_at_the_largest_group_fits_and_everyone_is_called(big):
    world = big
    handle = await make_group(world, size=99)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "round start", channel)
    await world.sim.settle()
    posted = [m.content or "" for m in world.sim.messages_in(channel)]
    assert max(len(text) for text in posted) <= 2000
    line = next(text for text in posted if "A round begins" in text)
    assert f"<@{handle.members[0].id}>" in line and "more" in line
    assert (await reload(world, session)).floor_holder_id == handle.members[0].id


async def test_who_has_not_read_the_reminder_fits_at_the_largest_group(big):
    world = big
    handle = await make_group(world, size=99)
    session, _ = await start_session(world, handle)
    fresh = await session_store.get(world.bot.db, session.id)
    assert fresh is not None and fresh.frame_message_id is not None
    result = await world.sim.click(
        handle.leader, fresh.frame_message_id, f"balint:ackwho:{session.id}"
    )
    answer = result.text.splitlines()[-1]
    assert answer.startswith("Not yet confirmed: ") and "more" in answer
    assert len(result.messages[-1].content) <= 2000


async def test_agreement_reminder_at_the_largest_group_dms_each_and_names_nobody(big):
    world, sim = big, big.sim
    handle = await make_group(world, size=99)
    await change(world, handle)
    agreed = handle.members[0]
    newest = agreement_dms(world, agreed)[-1]
    await sim.click(agreed, newest, agree_id(newest))
    _, channel = await start_session(world, handle)
    await sim.settle()
    posted = [m.content for m in sim.messages_in(channel) if m.author.id == sim.bot_user.id]
    assert all(len(text) <= 2000 for text in posted)
    text = " ".join(posted)
    assert "The group agreement has changed" in text
    assert not any(f"<@{u.id}>" in text for u in handle.members)
    assert all(len(reminder_dms(world, u)) == 1 for u in handle.members[1:])
    assert not reminder_dms(world, agreed)


async def test_agreement_reminder_of_a_full_group_with_two_leaders_reaches_all(big):
    """102 people to remind: once named in one line, which had to be cut into messages
    of at most 100 ids each; now one DM each, and the channel line names nobody."""
    world, sim = big, big.sim
    handle = await make_group(world, size=100, co_leader=world.people[1])
    await change(world, handle)
    _, channel = await start_session(world, handle)
    await sim.settle()
    posted = [m for m in sim.messages_in(channel) if m.author.id == sim.bot_user.id]
    assert [m.content for m in posted].count(SESSION_REMINDER) == 1
    assert all(len(m.content) <= 2000 for m in posted)
    assert all(len(reminder_dms(world, u)) == 1 for u in [*handle.members, handle.co_leader])
    sends = sim.calls_matching("POST", "/channels/{channel_id}/messages")
    assert all(
        len((c.json or {}).get("allowed_mentions", {}).get("users", [])) <= 100 for c in sends
    )


async def test_reminder_fallback_and_quorum_warning_at_the_largest_group(big):
    world, sim = big, big.sim
    handle = await make_group(world, size=99)
    for user in handle.members:
        user.dms_closed = True  # every reminder falls back to the lobby
    await weekly(world, handle)
    before = len(sim.messages_in(handle.lobby))
    await world.advance(hours=10)
    posted = [m.content for m in sim.messages_in(handle.lobby)[before:]]
    assert len(posted) >= 2 and all(len(text) <= 2000 for text in posted)
    assert all(f"<@{u.id}>" in " ".join(posted) for u in handle.members)
    (warning,) = [m for m in sim.dms_to(handle.leader) if m.content.startswith("Heads-up")]
    assert len(warning.content) <= 2000 and "more." in warning.content


async def test_attendance_me_after_years_of_weekly_meetings_fits(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    member = g.members[0]
    start = world.clock.now() - timedelta(days=7 * 200)
    days = []
    for week in range(180):  # three and a half years of weekly meetings
        day = start + timedelta(days=7 * week)
        days.append(day)
        sid = await add_session(world, g.group.id, day)
        await attendance_store.put(world.bot.db, sid, member.id, "present", "button", day)
    result = await world.sim.slash(member, "attendance me", channel=g.lobby)
    assert len(result.text) <= 2000
    assert "**Attended: 180**: … and " in result.text
    assert "`/attendance certificate`" in result.text


async def test_pulse_of_24_sessions_is_sent_in_messages_that_fit(scenario) -> None:
    world = scenario
    g = await make_group(world, size=10, name="Thursday evening Balint group")
    start = world.clock.now() - timedelta(days=7 * 30)
    for week in range(24):
        sid = await add_session(world, g.group.id, start + timedelta(days=7 * week))
        for question, values in (
            ("useful", (3, 4, 5)),
            ("safe", (2, 4, 5)),
            ("leave_vs_arrive", (2, 3, 4)),
        ):
            for value, answers in zip(values, (3, 4, 3), strict=True):
                await world.bot.db.execute(
                    "INSERT INTO pulse_counts (session_id, question, value, answers) "
                    "VALUES (?, ?, ?, ?)",
                    (sid, question, value, answers),
                )
    result = await world.sim.slash(g.leader, "pulse", channel=g.lobby, options={"sessions": 24})
    sent = [m for m in result.messages if m.content]
    assert len(sent) >= 2 and all(len(m.content) <= 2000 for m in sent)
    text = "\n".join(m.content for m in sent)
    assert text.count("\n") >= 24  # the title and a line per session
    assert sum(len(m.files) for m in result.messages) == 1  # the chart, once


async def test_case_history_of_the_largest_group_comes_in_messages_that_fit(big):
    world = big
    handle = await make_group(world, size=99)
    result = await world.sim.slash(handle.leader, "case history", channel=handle.lobby)
    sent = [m.content for m in result.messages if m.content]
    assert len(sent) >= 2 and all(len(text) <= 2000 for text in sent)
    text = "\n".join(sent)
    assert all(f"<@{u.id}>: no case yet" in text for u in handle.members)


async def test_status_fields_of_the_largest_group_cut_whole_mentions(big):
    world = big
    handle = await make_group(world, size=99)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "turns", channel, mode="hands")
    for user in handle.members:
        await press(world, user, session, "raise")
    await leader(world, handle, "round start", channel)
    (embed,) = (await status_message(world, session)).embeds
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    for name in ("Raised hands", "Round"):
        value = fields[name]
        assert len(value) <= 1024 and value.endswith("more"), (name, value[-40:])
    assert fields["Round"].startswith(f"**<@{handle.members[0].id}>** → ")


async def test_group_info_of_the_largest_group_cuts_whole_mentions(big):
    world = big
    handle = await make_group(world, size=99)
    result = await world.sim.slash(handle.leader, "group info", channel=handle.lobby)
    (embed,) = result.messages[-1].embeds
    (members,) = [f["value"] for f in embed["fields"] if f["name"] == "Members"]
    assert len(members) <= 1024 and members.endswith("more")
    assert members.startswith(f"<@{handle.members[0].id}>, ")
