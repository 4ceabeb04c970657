"""/privacy export as the member reads it: exact records, and a summary a GP can read.

Each test drives the real bot through the simulator and reads the file the member gets.
"""

from __future__ import annotations

import json
from typing import Any

from bot.sim.scenario import Scenario
from bot.store.clocktime import to_epoch
from tests.test_privacy import seed

# Epoch seconds between 2001 and 2286: a time left as a raw number in the file.
EPOCH_RANGE = range(10**9, 10**10)


def numbers(value: object) -> list[int]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers(v)]
    return [value] if isinstance(value, int) and not isinstance(value, bool) else []


def the_json(files: list[tuple[str, bytes]]) -> dict[str, Any]:
    (data,) = [data for name, data in files if name.endswith(".json")]
    return json.loads(data)


async def test_every_time_in_the_export_is_a_date_not_an_epoch_number(
    scenario: Scenario,
) -> None:
    """A case's "ask about a follow-up after" time and a meeting's phase deadline were
    exported as epoch seconds (1795424400): no reader can tell that is a date."""
    made = await seed(scenario)
    me = scenario.people[1]
    t = to_epoch(scenario.clock.now())
    db = scenario.bot.db
    await db.execute(
        "UPDATE cases SET followup_after = ?, followup_promised_at = ?, started_at = ?, "
        "ended_at = ? WHERE presenter_id = ?",
        (t + 600, t, t - 7000, t - 6000, me.id),
    )
    await db.execute(
        "UPDATE sessions SET phase_deadline = ?, phase_started_at = ?, turn_started_at = ?, "
        "last_message_at = ?, scheduled_start = ?, scheduled_end = ? WHERE id = ?",
        (t + 900, t - 100, t - 50, t - 10, t - 7200, t - 3600, made["session_id"]),
    )
    result = await scenario.sim.slash(me, "privacy export", channel=made["lobby"])
    document = the_json(result.files)
    assert document["tables"]["cases"][0]["followup_after"].endswith("+00:00")
    assert document["tables"]["sessions"][0]["phase_deadline"].endswith("+00:00")
    assert [n for n in numbers(document) if n in EPOCH_RANGE] == []


async def test_the_times_of_a_delivery_and_a_role_take_back_are_dates_too(
    scenario: Scenario,
) -> None:
    """Their column is named `at`: it was exported as epoch seconds."""
    made = await seed(scenario)
    me = scenario.people[1]
    t = to_epoch(scenario.clock.now())
    db = scenario.bot.db
    timer = await db.fetchone("SELECT id FROM timers WHERE user_id = ?", (me.id,))
    await db.execute(
        "INSERT INTO timer_deliveries VALUES (?, ?, 'sent', NULL, ?)", (timer["id"], me.id, t)
    )
    await db.execute(
        "INSERT INTO role_takebacks VALUES (?, ?, 'not_agreed', 1, ?)", (made["group_id"], me.id, t)
    )
    result = await scenario.sim.slash(me, "privacy export", channel=made["lobby"])
    tables = the_json(result.files)["tables"]
    assert tables["timer_deliveries"][0]["at"].startswith("2026-11-23T09:00:00")
    assert tables["role_takebacks"][0]["at"].startswith("2026-11-23T09:00:00")
    assert [n for n in numbers(tables) if n in EPOCH_RANGE] == []


def test_every_column_described_as_a_time_is_shown_as_one() -> None:
    from bot.store.data_kind import is_time
    from bot.store.data_kinds import DATA_KINDS

    for kind in DATA_KINDS:
        for column, meaning in kind.columns.items():
            if meaning.split()[0] in {"when", "since"} or meaning.endswith(("start", "end")):
                assert is_time(column), f"{kind.table}.{column}"


KB = 1024
DISCORD_FILE_LIMIT = 10 * KB * KB  # a server without boosts


def summary_of(files: list[tuple[str, bytes]]) -> str:
    from bot.texts import privacy_export as texts

    return dict(files)[texts.SUMMARY_FILENAME].decode("utf-8")


async def history(world: Scenario, meetings: int) -> dict[str, Any]:
    """A group in Budapest (UTC+01:00 in November); `meetings` weekly meetings, the last
    a week ago, at which the member and another came, led by the leader; one case each."""
    from datetime import timedelta

    from tests.support import make_group

    handle = await make_group(world, name="Tuesday group", timezone="Europe/Budapest", size=3)
    me, other = handle.members[0], handle.members[1]
    db, now = world.bot.db, world.clock.now()
    for week in range(meetings, 0, -1):
        start = to_epoch(now - timedelta(weeks=week))
        sid = await db.execute(
            "INSERT INTO sessions (group_id, occurrence_date, scheduled_start, scheduled_end, "
            "status, started_at, ended_at) VALUES (?, ?, ?, ?, 'ended', ?, ?)",
            (
                handle.group.id,
                (now - timedelta(weeks=week)).date().isoformat(),
                start,
                start + 5400,
                start,
                start + 5400,
            ),
        )
        await db.execute("INSERT INTO session_leaders VALUES (?, ?)", (sid, handle.leader.id))
        for user in (me, other):
            for sql in (
                "INSERT INTO attendance VALUES (?, ?, 'present', 'voice', ?)",
                "INSERT INTO rsvps VALUES (?, ?, 'yes', ?)",
                "INSERT INTO session_acks VALUES (?, ?, ?)",
            ):
                await db.execute(sql, (sid, user.id, start))
        if week == 1:
            for user in (me, other):
                await db.execute(
                    "INSERT INTO cases (session_id, presenter_id, kind, position, started_at, "
                    "followup_state) VALUES (?, ?, 'new', 1, ?, 'yes')",
                    (sid, user.id, start + 600),
                )
    return {"handle": handle, "me": me, "others": [handle.leader, other]}


async def test_the_summary_names_the_group_and_meetings_in_plain_words(
    scenario: Scenario,
) -> None:
    """The file was one JSON of raw tables (`session_acks`, `group_id: 3`, timer keys): a
    GP could not tell which group or meeting a record is about."""
    from bot.store.data_kinds import DATA_KINDS
    from bot.texts import privacy_export as texts

    made = await history(scenario, 3)
    me, handle = made["me"], made["handle"]
    result = await scenario.sim.slash(me, "privacy export", channel=handle.lobby)
    assert result.ephemeral and len(result.text) <= 2000
    text = summary_of(result.files)
    assert texts.TITLE in text
    for heading in (
        "Your memberships (1)",
        "Agreements you accepted (1)",
        "Your attendance at meetings (3)",
        "Your answers to invitations (3)",
        "Confidentiality reminders you acknowledged (3)",
        "Cases you presented (1)",
    ):
        assert heading in text, heading
    assert texts.SECTIONS["attendance"][1] in text  # what the section is, in one line
    # Joined at 09:00 UTC: shown in the group's zone, with its offset.
    assert (
        "Tuesday group (time zone Europe/Budapest): member, joined 2026-11-23T10:00:00+01:00"
        in text
    )
    assert "- Tuesday group, meeting of 2026-11-16T10:00:00+01:00: present" in text
    assert "Meetings you led" in text.split(texts.NOTHING_KEPT.split("{")[0])[1]  # none: said
    raw = {kind.table for kind in DATA_KINDS if "_" in kind.table} | {"rsvps", "consents"}
    columns = {c for kind in DATA_KINDS for c in kind.columns if "_" in c}
    assert [word for word in raw | columns if word in text] == []
    document = the_json(result.files)
    assert document["groups"][str(handle.group.id)]["name"] == "Tuesday group"
    assert document["about_tables"]["attendance"]["columns"]["status"]
    assert len(document["tables"]["attendance"]) == 3


async def test_a_long_history_fits_discord_and_shows_nobody_else(scenario: Scenario) -> None:
    """Six years of weekly meetings: one message, two files far under Discord's limit, a
    line per meeting; the others who came or led are nowhere in the files."""
    made = await history(scenario, 300)
    me = made["me"]
    result = await scenario.sim.slash(me, "privacy export", in_dm=True)
    assert len(result.text) <= 2000 and len(result.files) == 2
    assert sum(len(data) for _, data in result.files) < DISCORD_FILE_LIMIT
    text = summary_of(result.files)
    assert "Your attendance at meetings (300)" in text
    assert text.count("- Tuesday group, meeting of ") == 3 * 300 + 1  # + the case
    for user in made["others"]:
        for _, data in result.files:
            assert str(user.id).encode() not in data, user.name
    assert str(me.id) in text
    assert len(the_json(result.files)["tables"]["attendance"]) == 300


def test_every_kind_of_record_about_a_person_has_its_plain_section() -> None:
    from bot.store.data_kinds import person_kinds
    from bot.texts import privacy_export as texts
    from cogs._privacy_lines import LINES, ORDER

    tables = {kind.table for kind in person_kinds()} | {"pulse_voters"}
    assert tables == set(ORDER) == set(texts.SECTIONS)
    assert tables - {"cases"} == set(LINES)


def test_a_kind_of_record_without_its_own_line_is_told_in_its_declared_words() -> None:
    """A table added later, before its plain line is written: its meanings, not its
    column names, and its times as dates."""
    from bot.store.data_kind import DataKind
    from bot.store.privacy import ExportNames
    from cogs._privacy_lines import Namer, lines

    kind = DataKind(
        table="new_things",
        title="New things",
        why="why",
        retention="r",
        columns={"user_id": "you", "noted_at": "when it was noted"},
        person="user_id",
    )
    namer = Namer(ExportNames(groups={}, sessions={}, timers={}), {}, {})
    (line,) = lines("new_things", [{"user_id": 7, "noted_at": 1795424400}], namer, kind)
    assert line == "New things: you: 7; when it was noted: 2026-11-23T09:00:00+00:00."


async def test_a_place_in_the_queue_is_counted_from_one(scenario: Scenario) -> None:
    """The store counts places from 0; the export said "place 0" for the first hand."""
    made = await history(scenario, 1)
    me, handle = made["me"], made["handle"]
    db = scenario.bot.db
    row = await db.fetchone("SELECT MAX(id) AS id FROM sessions")
    assert row is not None
    await db.execute(
        "INSERT INTO session_queue (session_id, kind, position, user_id) VALUES (?, 'hand', 0, ?)",
        (row["id"], me.id),
    )
    result = await scenario.sim.slash(me, "privacy export", channel=handle.lobby)
    text = summary_of(result.files)
    assert "hand raised, place 1." in text and "place 0" not in text


async def test_a_delivery_about_a_meeting_is_timed_in_the_zone_it_was_held_in(
    scenario: Scenario,
) -> None:
    """A meeting held in London before the group moved to Tokyo is dated in London (its
    held zone), and so is every record about it; a round of DMs about it was timed in
    Tokyo on the same line: "..., meeting of 07:00+00:00: sent at 18:00+09:00"."""
    made = await seed(scenario)
    me = scenario.people[1]
    t = to_epoch(scenario.clock.now())
    db = scenario.bot.db
    await db.execute("UPDATE groups SET zone = 'Asia/Tokyo' WHERE id = ?", (made["group_id"],))
    sid = made["session_id"]
    await db.execute("UPDATE sessions SET held_zone = 'Europe/London' WHERE id = ?", (sid,))
    timer_id = await db.insert_id(
        "INSERT INTO timers (kind, dedupe_key, due_at, group_id, session_id, state, created_at) "
        "VALUES ('pulse_send', 'test:round', ?, ?, ?, 'firing', ?)",
        (t, made["group_id"], sid, t),
    )
    await db.execute(
        "INSERT INTO timer_deliveries VALUES (?, ?, 'sent', NULL, ?)", (timer_id, me.id, t)
    )
    result = await scenario.sim.slash(me, "privacy export", channel=made["lobby"])
    text = summary_of(result.files)
    [line] = [x for x in text.splitlines() if x.startswith("- Sending the meeting's pulse")]
    assert "2026-11-23T07:00:00+00:00" in line, line  # the meeting, in London
    assert "2026-11-23T09:00:00+00:00" in line and "+09:00" not in line, line
