"""Attendance through the simulator: signals, session end, corrections, reports."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from bot.sim.scenario import Scenario
from bot.texts import attendance as texts
from tests.session_support import press, start_session
from tests.support import make_group
from tests.test_attendance_support import (
    add_session,
    end_session,
    files_of,
    live_session,
    png_size,
    present,
    rsvp,
    statuses,
)

TUESDAY = datetime(2026, 11, 17, 19, 0, tzinfo=UTC)  # 19:00 in London, in winter


@pytest.mark.parametrize("source", ["button", "ack", "message", "voice"])
async def test_each_presence_signal_records_the_member_present(
    scenario: Scenario, source: str
) -> None:
    handle = await make_group(scenario, size=3)
    sid = await live_session(scenario, handle.group.id)
    await present(scenario, sid, handle.members[0], source)
    assert (await statuses(scenario, sid)) == {handle.members[0].id: ("present", source)}


async def test_a_second_signal_keeps_the_first_source_and_outsiders_are_ignored(
    scenario: Scenario,
) -> None:
    handle = await make_group(scenario, size=3)
    sid = await live_session(scenario, handle.group.id)
    await present(scenario, sid, handle.members[0], "ack")
    await present(scenario, sid, handle.members[0], "message")
    await present(scenario, sid, scenario.outsider, "voice")
    assert (await statuses(scenario, sid)) == {handle.members[0].id: ("present", "ack")}


async def test_session_end_marks_absent_and_excused_from_rsvp_unless_present(
    scenario: Scenario,
) -> None:
    handle = await make_group(scenario, size=4)
    came, said_no, said_no_but_came, silent = handle.members
    sid = await live_session(scenario, handle.group.id)
    await rsvp(scenario, sid, said_no, "no")
    await rsvp(scenario, sid, said_no_but_came, "no")
    await rsvp(scenario, sid, silent, "yes")
    await present(scenario, sid, came, "button")
    await present(scenario, sid, said_no_but_came, "voice")
    await present(scenario, sid, handle.leader, "ack")
    await end_session(scenario, sid)
    assert await statuses(scenario, sid) == {
        handle.leader.id: ("present", "ack"),
        came.id: ("present", "button"),
        said_no.id: ("excused", "rsvp"),
        said_no_but_came.id: ("present", "voice"),
        silent.id: ("absent", "auto"),
    }


async def test_leader_corrections_override_signals(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=2)
    member, other = handle.members
    sid = await live_session(scenario, handle.group.id)
    await present(scenario, sid, member, "message")
    await end_session(scenario, sid)
    result = await scenario.sim.slash(
        handle.leader,
        "attendance mark",
        channel=handle.lobby,
        options={"member": member, "status": "absent"},
    )
    assert result.ephemeral and "absent" in result.text and "2026-11-23" in result.text
    # A late signal (a post after the end, say) does not undo the leader's correction.
    await present(scenario, sid, member, "message")
    await scenario.sim.slash(
        handle.leader,
        "attendance mark",
        channel=handle.lobby,
        options={"member": other, "status": "excused", "date": "2026-11-23"},
    )
    assert await statuses(scenario, sid) == {
        handle.leader.id: ("absent", "auto"),
        member.id: ("absent", "leader"),
        other.id: ("excused", "leader"),
    }


async def test_mark_on_a_date_without_session_names_the_nearest_dates(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=1)
    for week in range(4):
        await add_session(scenario, handle.group.id, TUESDAY - timedelta(weeks=week))
    sim = scenario.sim
    member = handle.members[0]
    result = await sim.slash(
        handle.leader,
        "attendance mark",
        channel=handle.lobby,
        options={"member": member, "status": "present", "date": "2026-11-12"},
    )
    assert result.ephemeral
    assert result.text == texts.NO_SESSION_ON.format(
        group=handle.name, date="2026-11-12", nearest="2026-11-03, 2026-11-10, 2026-11-17"
    )
    bad = await sim.slash(
        handle.leader,
        "attendance mark",
        channel=handle.lobby,
        options={"member": member, "status": "present", "date": "12/11/2026"},
    )
    assert bad.text == texts.BAD_DATE.format(text="12/11/2026")
    stranger = await sim.slash(
        handle.leader,
        "attendance mark",
        channel=handle.lobby,
        options={"member": scenario.outsider, "status": "present"},
    )
    assert "is not a member of" in stranger.text
    rows = await scenario.bot.db.fetchall("SELECT * FROM attendance")
    assert rows == []


async def test_mark_without_any_session_says_so(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=1)
    result = await scenario.sim.slash(
        handle.leader,
        "attendance mark",
        channel=handle.lobby,
        options={"member": handle.members[0], "status": "present"},
    )
    assert result.text == texts.NO_SESSIONS_YET.format(group=handle.name)


async def _history(scenario: Scenario, size: int = 3):
    """Three past Tuesdays: member 0 came twice and was excused once; member 1 missed one."""
    handle = await make_group(scenario, size=size)
    sids = []
    for week in (2, 1, 0):
        sid = await add_session(scenario, handle.group.id, TUESDAY - timedelta(weeks=week))
        sids.append(sid)
    first, second, third = sids
    await present(scenario, first, handle.members[0])
    await present(scenario, first, handle.members[1], "voice")
    await rsvp(scenario, second, handle.members[0], "no")
    await present(scenario, third, handle.members[0], "ack")
    await present(scenario, third, handle.members[1], "message")
    for sid in sids:
        scenario.bot.dispatch("balint_session_ended", sid)
    await scenario.sim.settle()
    return handle, sids


async def test_attendance_me_lists_own_record_with_local_dates(scenario: Scenario) -> None:
    handle, _ = await _history(scenario)
    result = await scenario.sim.slash(handle.members[0], "attendance me", channel=handle.lobby)
    assert result.ephemeral
    assert "Attended: 2**: 2026-11-03, 2026-11-17" in result.text
    assert "Excused: 1**: 2026-11-10" in result.text
    assert "Missed: 0**" in result.text
    other = await scenario.sim.slash(handle.members[1], "attendance me", channel=handle.lobby)
    assert "Missed: 1**: 2026-11-10" in other.text


async def test_attendance_group_shows_a_table(scenario: Scenario) -> None:
    handle, _ = await _history(scenario)
    result = await scenario.sim.slash(handle.leader, "attendance group", channel=handle.lobby)
    assert result.ephemeral and "```" in result.text
    lines = {line.split()[0]: line for line in result.text.splitlines() if line.startswith("gp-")}
    assert lines[handle.members[0].name].split()[1:] == ["P", "E", "P", "2/1/0"]
    assert lines[handle.members[1].name].split()[1:] == ["P", "A", "P", "2/0/1"]
    assert lines[handle.members[2].name].split()[1:] == ["A", "A", "A", "0/0/3"]


async def test_export_csv_parses_back_with_names_read_at_export(scenario: Scenario) -> None:
    handle, _ = await _history(scenario)
    result = await scenario.sim.slash(
        handle.leader,
        "attendance export",
        channel=handle.lobby,
        options={"from": "2026-11-10", "to": "2026-11-30"},
    )
    [(name, data)] = files_of(result)
    assert name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert {r["date"] for r in rows} == {"2026-11-10", "2026-11-17"}
    by_key = {(r["date"], int(r["user_id"])): r for r in rows}
    first = handle.members[0]
    assert by_key[("2026-11-10", first.id)]["status"] == "excused"
    assert by_key[("2026-11-17", first.id)]["display_name"] == first.name
    assert len(rows) == 2 * (len(handle.members) + 1)
    everything = await scenario.sim.slash(handle.leader, "attendance export", channel=handle.lobby)
    [(_, all_data)] = files_of(everything)
    assert len(list(csv.DictReader(io.StringIO(all_data.decode())))) == 3 * 4
    backwards = await scenario.sim.slash(
        handle.leader,
        "attendance export",
        channel=handle.lobby,
        options={"from": "2026-11-30", "to": "2026-11-10"},
    )
    assert backwards.text == texts.BAD_RANGE.format(start="2026-11-30", end="2026-11-10")


async def test_certificate_for_a_member_by_the_leader_and_by_themselves(
    scenario: Scenario,
) -> None:
    handle, _ = await _history(scenario)
    member = handle.members[0]
    for caller in (handle.leader, member):
        result = await scenario.sim.slash(
            caller, "attendance certificate", channel=handle.lobby, options={"member": member}
        )
        [(name, data)] = files_of(result)
        assert name.endswith(".md")
        text = data.decode("utf-8")
        assert f"**Group:** {handle.name}" in text
        assert f"**Leader(s):** {handle.leader.name}" in text
        assert f"**Member:** {member.name}" in text
        assert "**Period:** 2026-11-03 to 2026-11-17" in text
        assert "**Sessions attended:** 2 of 3" in text
        led = f"(led by {handle.leader.name})"
        assert f"- 2026-11-03 {led}\n- 2026-11-17 {led}" in text
    own = await scenario.sim.slash(member, "attendance certificate", channel=handle.lobby)
    [(_, data)] = files_of(own)  # the README's `/attendance certificate`: no need to name oneself
    assert f"**Member:** {member.name}" in data.decode("utf-8")
    refused = await scenario.sim.slash(
        member,
        "attendance certificate",
        channel=handle.lobby,
        options={"member": handle.members[1]},
    )
    assert refused.ephemeral and refused.text == texts.CERT_ONLY_SELF
    assert not files_of(refused)


async def test_chart_is_a_png_of_the_chosen_size(scenario: Scenario) -> None:
    handle, _ = await _history(scenario)
    old = await add_session(scenario, handle.group.id, TUESDAY - timedelta(days=200))
    scenario.bot.dispatch("balint_session_ended", old)
    await scenario.sim.settle()
    result = await scenario.sim.slash(handle.leader, "attendance chart", channel=handle.lobby)
    [(name, data)] = files_of(result)
    assert name == "attendance.png"
    assert png_size(data) == (800, 400)
    empty = await make_group(scenario, name="Empty group", leader=scenario.people[10], size=0)
    none = await scenario.sim.slash(scenario.people[10], "attendance chart", channel=empty.lobby)
    assert none.text == texts.CHART_NONE.format(group="Empty group")


async def test_end_to_end_through_session_start_and_end(scenario: Scenario) -> None:
    """The real facilitation commands and buttons drive attendance and the pulse survey."""
    sim = scenario.sim
    handle = await make_group(scenario, size=6)
    here, acked, wrote, spoke, said_no, silent = handle.members
    session, channel = await start_session(scenario, handle)
    await press(scenario, here, session, "here")
    frame = await scenario.bot.db.fetchone(
        "SELECT frame_message_id, voice_channel_id FROM sessions WHERE id = ?", (session.id,)
    )
    await sim.click(acked, frame["frame_message_id"], f"balint:ack:{session.id}")
    assert await sim.post(wrote, channel, "hello") is not None
    voice = sim.channel(frame["voice_channel_id"])
    assert await sim.voice_join(spoke, voice)
    await rsvp(scenario, session.id, said_no, "no")
    ended = await sim.slash(handle.leader, "session end", channel=channel)
    assert "has ended" in ended.text
    await sim.voice_leave(spoke)
    got = await statuses(scenario, session.id)
    assert got[here.id] == ("present", "button")
    assert got[acked.id] == ("present", "ack")
    assert got[wrote.id] == ("present", "message")
    assert got[spoke.id] == ("present", "voice")
    assert got[said_no.id] == ("excused", "rsvp")
    assert got[silent.id] == ("absent", "auto")
    for user in (here, acked, wrote, spoke):
        assert any(
            c.startswith(f"balint:pulse:{session.id}:")
            for m in sim.dms_to(user)
            for c in m.custom_ids()
        ), user.name
    assert not any(
        c.startswith("balint:pulse:") for m in sim.dms_to(silent) for c in m.custom_ids()
    )


async def test_a_former_member_still_gets_their_own_record_and_certificate(
    scenario: Scenario,
) -> None:
    """A GP who left the group (moved practice) needs the record for their portfolio."""
    handle, _ = await _history(scenario)
    member = handle.members[0]
    removed = await scenario.sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": member}
    )
    assert removed.ephemeral
    general = scenario.sim.add_channel(scenario.guild, "general")
    options: dict[str, object] = {"group": handle.name}
    mine = await scenario.sim.slash(member, "attendance me", channel=general, options=options)
    assert "Attended: 2**: 2026-11-03, 2026-11-17" in mine.text
    certificate = await scenario.sim.slash(
        member, "attendance certificate", channel=general, options={**options, "member": member}
    )
    [(name, data)] = files_of(certificate)
    assert "**Sessions attended:** 2 of 3" in data.decode("utf-8")
    other = await scenario.sim.slash(
        member,
        "attendance certificate",
        channel=general,
        options={**options, "member": handle.members[1]},
    )
    assert other.text == texts.CERT_ONLY_SELF and not files_of(other)


async def test_a_leader_who_drives_the_meeting_by_command_is_present(scenario: Scenario) -> None:
    """A leader who starts, moves and ends the meeting by command, and never writes or
    joins the voice channel, ran the meeting: recorded present, not absent."""
    from tests.session_support import leader

    handle = await make_group(scenario, size=3, co_leader=scenario.people[10])
    session, room = await start_session(scenario, handle)
    await leader(scenario, handle, "phase next", room)
    await scenario.sim.slash(handle.co_leader, "phase extend", channel=room, options={"minutes": 5})
    await leader(scenario, handle, "session end", room)
    await scenario.sim.settle()
    marks = await statuses(scenario, session.id)
    assert marks[handle.leader.id][0] == "present"
    assert marks[handle.co_leader.id][0] == "present"
    assert marks[handle.members[0].id][0] == "absent"


async def test_a_leader_who_only_ends_a_forgotten_meeting_days_later_is_not_present(
    scenario: Scenario,
) -> None:
    """Auto-end is off by default: a meeting nobody ended stays live. A co-leader who
    missed it and ends it from the lobby two days later did not attend it; a command
    counts as presence only while the meeting is running (its length plus an hour)."""
    handle = await make_group(scenario, size=3, co_leader=scenario.people[10])
    session, _room = await start_session(scenario, handle)
    await scenario.advance(days=2)
    await scenario.sim.slash(handle.co_leader, "session end", channel=handle.lobby)
    await scenario.sim.settle()
    marks = await statuses(scenario, session.id)
    assert marks[handle.leader.id] == ("present", "command")
    assert marks[handle.co_leader.id] == ("absent", "auto")


async def test_mark_on_a_day_with_two_sessions_asks_for_the_time(scenario: Scenario) -> None:
    """Two meetings on one day: a date alone always took the later, so the earlier one
    could not be corrected. Now the date alone is refused with the times, and a date
    with a time takes the meeting that started nearest to it."""
    handle = await make_group(scenario, size=1, timezone="Europe/Berlin")
    morning = await add_session(scenario, handle.group.id, TUESDAY - timedelta(hours=10))
    evening = await add_session(scenario, handle.group.id, TUESDAY - timedelta(hours=1))
    member, sim = handle.members[0], scenario.sim

    async def mark(date: str):  # type: ignore[no-untyped-def]
        return await sim.slash(
            handle.leader,
            "attendance mark",
            channel=handle.lobby,
            options={"member": member, "status": "excused", "date": date},
        )

    asked = await mark("2026-11-17")
    assert asked.ephemeral
    # The times a leader types are the group's (Berlin), so the answer says so, and shows
    # each start in the leader's own zone too, with its date (they may live elsewhere).
    assert asked.text == texts.SEVERAL_ON.format(
        group=handle.name,
        date="2026-11-17",
        times="10:00, 19:00",
        zone="Europe/Berlin",
        local=f"<t:{int(TUESDAY.timestamp()) - 36000}:f>, <t:{int(TUESDAY.timestamp()) - 3600}:f>",
        example="2026-11-17 10:00",
    )
    assert (
        "Europe/Berlin" in asked.text and f"<t:{int(TUESDAY.timestamp()) - 3600}:f>" in asked.text
    )
    assert await statuses(scenario, morning) == {} and await statuses(scenario, evening) == {}
    done = await mark("2026-11-17 10:05")
    assert "2026-11-17" in done.text
    assert await statuses(scenario, morning) == {member.id: ("excused", "leader")}
    assert await statuses(scenario, evening) == {}
    await mark("2026-11-17 18:30")
    assert await statuses(scenario, evening) == {member.id: ("excused", "leader")}
    bad = await mark("2026-11-17 25:00")
    assert bad.ephemeral and "25:00" in bad.text
