"""/privacy show, export and forget, the data declaration, and the retention job."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.sim.scenario import Scenario
from bot.sim.world import User
from bot.store import groups as group_store
from bot.store.clocktime import to_epoch
from bot.store.data_kinds import DATA_KINDS, by_table
from bot.texts import privacy as texts

# Columns that hold a Discord user id: each must be declared as whose row it is.
USER_ID_COLUMNS = {"user_id", "presenter_id", "floor_holder_id", "target_id"}


async def seed(world: Scenario) -> dict[str, object]:
    """A group with a role and a leaders' channel; records about two members (ids and times)."""
    sim, guild, db = world.sim, world.guild, world.bot.db
    leader, me, other = world.people[0], world.people[1], world.people[2]
    category = sim.add_channel(guild, "Privacy group", "category")
    lobby = sim.add_channel(guild, "lobby", parent=category)
    leaders = sim.add_channel(guild, "leaders", parent=category)
    role = sim.add_role(guild, "Privacy group")
    for user in (leader, me, other):
        member = world.member(user)
        member.role_ids.append(role.id)
        sim.dispatch_member_update(guild, member)
    await sim.settle()
    lounge = sim.add_channel(guild, "lounge", "voice")
    for user in (me, other):  # in voice, so the bot can lift the mute recorded below
        assert await sim.voice_join(user, lounge)
    now = world.clock.now()
    t = to_epoch(now)
    gid = await group_store.create(db, guild_id=guild.id, name="Privacy group", zone="UTC", now=now)
    await group_store.set_discord_ids(
        db,
        gid,
        role_id=role.id,
        category_id=category.id,
        lobby_channel_id=lobby.id,
        leaders_channel_id=leaders.id,
    )
    await group_store.add_member(db, gid, leader.id, "leader", now)
    sid = await db.execute(
        "INSERT INTO sessions (group_id, status, started_at, ended_at, floor_holder_id) "
        "VALUES (?, 'ended', ?, ?, ?)",
        (gid, t - 7200, t - 3600, me.id),
    )
    for user in (me, other):
        u = user.id
        await group_store.add_member(db, gid, u, "member", now)
        for sql, params in (
            ("INSERT INTO consents VALUES (?, ?, 1, ?)", (gid, u, t)),
            ("INSERT INTO session_queue VALUES (?, 'hand', 1, ?)", (sid, u)),
            ("INSERT INTO session_away VALUES (?, ?, ?)", (sid, u, t)),
            ("INSERT INTO session_acks VALUES (?, ?, ?)", (sid, u, t)),
            ("INSERT INTO offers VALUES (?, ?, 'case', ?)", (sid, u, t)),
            ("INSERT INTO rsvps VALUES (?, ?, 'yes', ?)", (sid, u, t)),
            ("INSERT INTO attendance VALUES (?, ?, 'present', 'button', ?)", (sid, u, t)),
            (
                "INSERT INTO cases (session_id, presenter_id, kind, position) "
                "VALUES (?, ?, 'new', 1)",
                (sid, u),
            ),
            (
                "INSERT INTO timers (kind, dedupe_key, due_at, user_id, state, created_at) "
                "VALUES ('reminder', ?, ?, ?, 'done', ?)",
                (f"test:{u}", t, u, t),
            ),
            ("INSERT INTO voice_mutes VALUES (?, ?, ?, ?)", (guild.id, u, sid, t)),
            ("INSERT INTO saved_overwrites VALUES (?, ?, 0, 0, ?)", (lobby.id, u, t)),
        ):
            await db.execute(sql, params)
    return {"group_id": gid, "session_id": sid, "leaders": leaders, "role": role, "lobby": lobby}


async def rows_about(world: Scenario, user: User) -> dict[str, int]:
    db = world.bot.db
    found = {}
    for kind in DATA_KINDS:
        for column in ([kind.person] if kind.person else []) + list(kind.refers):
            row = await db.fetchone(
                f"SELECT COUNT(*) AS n FROM {kind.table} WHERE {column} = ?", (user.id,)
            )
            if row["n"]:
                found[f"{kind.table}.{column}"] = row["n"]
    return found


async def test_the_declaration_covers_every_table_and_column_of_the_live_schema(
    scenario: Scenario,
) -> None:
    db = scenario.bot.db
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    live = {}
    for row in tables:
        columns = await db.fetchall(f"PRAGMA table_info({row['name']})")
        live[row["name"]] = {column["name"] for column in columns}
    declared = {kind.table: set(kind.columns) for kind in DATA_KINDS}
    undeclared = {t: sorted(c - declared.get(t, set())) for t, c in live.items()}
    gone = {t: sorted(c - live.get(t, set())) for t, c in declared.items()}
    assert not any(undeclared.values()), f"declare in bot/store/data_kinds.py: {undeclared}"
    assert not any(gone.values()), f"no longer in the schema: {gone}"
    for kind in DATA_KINDS:
        assert kind.why and kind.retention and kind.title
        whose = {kind.person, *kind.refers} - {None}
        assert whose <= set(kind.columns), kind.table
        assert set(kind.columns) & USER_ID_COLUMNS <= whose, f"{kind.table}: whose row is it?"
    assert len(by_table()) == len(DATA_KINDS)


async def test_show_lists_every_kind_and_why(scenario: Scenario) -> None:
    result = await scenario.sim.slash(scenario.people[3], "privacy show")
    assert result.ephemeral and all(m.ephemeral for m in result.followups)
    for kind in DATA_KINDS:
        assert kind.title in result.text and kind.why in result.text
    assert str(scenario.bot.settings.retention_days) in result.text


async def test_export_is_every_row_about_the_caller_and_nobody_else(scenario: Scenario) -> None:
    made = await seed(scenario)
    me, other = scenario.people[1], scenario.people[2]
    result = await scenario.sim.slash(me, "privacy export", channel=made["lobby"])
    assert result.ephemeral
    data = dict(result.files)[texts.EXPORT_FILENAME]
    document = json.loads(data)
    assert document["user_id"] == str(me.id) and "anonymous" in document["note"]
    tables = document["tables"]
    for table in (
        "memberships",
        "consents",
        "session_queue",
        "session_away",
        "session_acks",
        "cases",
        "offers",
        "rsvps",
        "attendance",
        "timers",
        "voice_mutes",
        "saved_overwrites",
        "sessions",
    ):
        assert len(tables[table]) == 1, table
    assert tables["memberships"][0]["joined_at"].startswith("2026-11-23T09:00:00")
    assert str(other.id) not in data.decode() and "pulse" in result.text.lower()
    in_dm = await scenario.sim.slash(me, "privacy export", in_dm=True)
    assert json.loads(dict(in_dm.files)[texts.EXPORT_FILENAME])["tables"] == tables


async def test_forget_erases_every_row_and_tells_leaders_nothing_more(scenario: Scenario) -> None:
    made = await seed(scenario)
    me, other = scenario.people[1], scenario.people[2]
    before_other = await rows_about(scenario, other)
    assert await rows_about(scenario, me)
    asked = await scenario.sim.slash(me, "privacy forget", channel=made["lobby"])
    assert asked.ephemeral and "cannot be undone" in asked.text
    assert await rows_about(scenario, me), "nothing is erased before the confirmation"
    pressed = await scenario.sim.click(me, asked.original, f"balint:forget:{me.id}")
    await scenario.sim.settle()
    assert "erased" in pressed.text.lower()
    assert await rows_about(scenario, me) == {}
    assert await rows_about(scenario, other) == before_other
    told = [
        m.content
        for m in scenario.sim.messages_in(made["leaders"])
        if m.author.id == scenario.sim.bot_user.id
    ]
    assert told == [texts.LEADERS_ERASED]
    assert made["role"].id not in scenario.member(me).role_ids
    assert made["role"].id in scenario.member(other).role_ids
    row = await scenario.bot.db.fetchone(
        "SELECT floor_holder_id FROM sessions WHERE id = ?", (made["session_id"],)
    )
    assert row["floor_holder_id"] is None


async def test_forget_says_so_when_discord_keeps_the_role(scenario: Scenario) -> None:
    made = await seed(scenario)
    me = scenario.people[1]
    asked = await scenario.sim.slash(me, "privacy forget", channel=made["lobby"])
    scenario.sim.inject(
        "DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", 403, code=50013
    )
    pressed = await scenario.sim.click(me, asked.original, f"balint:forget:{me.id}")
    await scenario.sim.settle()
    assert texts.FORGET_ROLE_KEPT in pressed.text
    assert await rows_about(scenario, me) == {}
    assert made["role"].id in scenario.member(me).role_ids


async def test_forget_says_so_when_the_network_breaks_the_role_removal(
    scenario: Scenario,
) -> None:
    """A connection reset (no HTTPException) on the role removal is a refusal like 403:
    the erasure stands, the answer says Discord keeps the role, nothing escapes."""
    made = await seed(scenario)
    me = scenario.people[1]
    asked = await scenario.sim.slash(me, "privacy forget", channel=made["lobby"])
    scenario.sim.inject_network("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
    pressed = await scenario.sim.click(me, asked.original, f"balint:forget:{me.id}")
    await scenario.sim.settle()
    assert texts.FORGET_ROLE_KEPT in pressed.text
    assert await rows_about(scenario, me) == {}
    assert made["role"].id in scenario.member(me).role_ids
    told = [
        m for m in scenario.sim.messages_in(made["leaders"]) if m.content == texts.LEADERS_ERASED
    ]
    assert len(told) == 1
    assert scenario.sim.errors == []


async def test_the_forget_button_works_after_a_restart(scenario: Scenario) -> None:
    made = await seed(scenario)
    me = scenario.people[1]
    asked = await scenario.sim.slash(me, "privacy forget", channel=made["lobby"])
    await scenario.restart()
    await scenario.sim.click(me, asked.original, f"balint:forget:{me.id}")
    await scenario.sim.settle()
    assert await rows_about(scenario, me) == {}


async def test_forget_with_nothing_kept_says_so_in_a_dm(scenario: Scenario) -> None:
    stranger = scenario.people[5]
    asked = await scenario.sim.slash(stranger, "privacy forget", in_dm=True)
    pressed = await scenario.sim.click(stranger, asked.original, f"balint:forget:{stranger.id}")
    assert texts.FORGET_NOTHING in pressed.text


async def test_retention_job_at_an_injected_date(scenario: Scenario) -> None:
    made = await seed(scenario)
    db, me, other = scenario.bot.db, scenario.people[1], scenario.people[2]
    days = scenario.bot.settings.retention_days
    pending = await db.fetchall("SELECT dedupe_key, due_at FROM timers WHERE kind = 'retention'")
    assert [row["dedupe_key"] for row in pending] == ["retention:2026-11-24"]
    await scenario.advance(days=1)
    assert await rows_about(scenario, me), "young records survive the daily job"
    # Years later (the bot was down meanwhile): the overdue run fires once at start.
    later = scenario.clock.now() + timedelta(days=days + 30)
    scenario.clock.set(later)
    await scenario.bot.db.execute(
        "UPDATE memberships SET left_at = ? WHERE user_id = ?",
        (to_epoch(scenario.clock.now() - timedelta(days=days + 10)), other.id),
    )
    new_session = await db.execute(
        "INSERT INTO sessions (group_id, status, started_at, ended_at) VALUES (?, 'ended', ?, ?)",
        (made["group_id"], to_epoch(later) - 7200, to_epoch(later) - 3600),
    )
    await db.execute(
        "INSERT INTO attendance VALUES (?, ?, 'present', 'voice', ?)",
        (new_session, me.id, to_epoch(later) - 3600),
    )
    await scenario.restart()
    assert await db_count(scenario, "sessions WHERE id = ?", made["session_id"]) == 0
    for table in ("attendance", "rsvps", "offers", "cases", "session_acks"):
        assert await db_count(scenario, f"{table} WHERE session_id = ?", made["session_id"]) == 0
    assert await db_count(scenario, "attendance WHERE session_id = ?", new_session) == 1
    assert await db_count(scenario, "memberships WHERE user_id = ?", me.id) == 1
    assert await db_count(scenario, "consents WHERE user_id = ?", me.id) == 1, "current member"
    assert await db_count(scenario, "memberships WHERE user_id = ?", other.id) == 0
    assert await db_count(scenario, "consents WHERE user_id = ?", other.id) == 0
    assert await db_count(scenario, "timers WHERE dedupe_key LIKE 'test:%'") == 0
    tomorrow = (later + timedelta(days=1)).date().isoformat()
    armed = await scenario.bot.db.fetchall(
        "SELECT dedupe_key FROM timers WHERE kind = 'retention' AND state = 'pending'"
    )
    assert [row["dedupe_key"] for row in armed] == [f"retention:{tomorrow}"]


async def db_count(world: Scenario, where: str, *params: object) -> int:
    row = await world.bot.db.fetchone(f"SELECT COUNT(*) AS n FROM {where}", params)
    return int(row["n"])


async def test_without_a_leaders_channel_the_leaders_get_a_dm(scenario: Scenario) -> None:
    made = await seed(scenario)
    leader, me = scenario.people[0], scenario.people[1]
    await scenario.bot.db.execute(
        "UPDATE groups SET leaders_channel_id = NULL WHERE id = ?", (made["group_id"],)
    )
    asked = await scenario.sim.slash(me, "privacy forget", in_dm=True)
    await scenario.sim.click(me, asked.original, f"balint:forget:{me.id}")
    await scenario.sim.settle()
    # A DM comes from the bot, not from the group: it says which group it is about.
    assert [m.content for m in scenario.sim.dms_to(leader)] == [
        f"Privacy group: {texts.LEADERS_ERASED}"
    ]


async def test_a_leader_who_forgets_loses_the_leaders_channel_and_the_session(
    scenario: Scenario,
) -> None:
    from tests.session_support import start_session
    from tests.support import make_group

    sim = scenario.sim
    handle = await make_group(scenario, co_leader=scenario.people[1], size=3)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    _, channel = await start_session(scenario, handle)
    assert sim.can(handle.leader, leaders_channel, "view_channel")
    assert sim.can(handle.leader, channel, "send_messages")
    asked = await sim.slash(handle.leader, "privacy forget", in_dm=True)
    await sim.click(handle.leader, asked.original, f"balint:forget:{handle.leader.id}")
    await sim.settle()
    remaining = await group_store.leaders(scenario.bot.db, handle.group.id)
    assert [m.user_id for m in remaining] == [handle.co_leader.id]
    assert not sim.can(handle.leader, handle.lobby, "view_channel")
    assert not sim.can(handle.leader, leaders_channel, "view_channel")
    assert not sim.can(handle.leader, channel, "view_channel")
    assert sim.can(handle.co_leader, leaders_channel, "view_channel")


async def test_the_only_leader_is_warned_before_and_told_after_that_the_group_is_leaderless(
    scenario: Scenario,
) -> None:
    from tests.support import make_group

    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    organisers = scenario.bot.settings.organiser_role
    asked = await sim.slash(handle.leader, "privacy forget", in_dm=True)
    assert f"only leader of **{handle.group.name}**" in asked.text
    assert organisers in asked.text and "/group leaders" in asked.text
    pressed = await sim.click(handle.leader, asked.original, f"balint:forget:{handle.leader.id}")
    assert await group_store.leaders(scenario.bot.db, handle.group.id) == []
    assert f"**{handle.group.name}** now has no leader" in pressed.text
    assert organisers in pressed.text


async def test_a_leader_with_a_co_leader_is_not_warned(scenario: Scenario) -> None:
    from tests.support import make_group

    sim = scenario.sim
    handle = await make_group(scenario, co_leader=scenario.people[1], size=3)
    asked = await sim.slash(handle.leader, "privacy forget", in_dm=True)
    assert asked.text.startswith(texts.FORGET_ASK) and "only leader" not in asked.text
    pressed = await sim.click(handle.leader, asked.original, f"balint:forget:{handle.leader.id}")
    assert "no leader" not in pressed.text


async def test_export_gives_discord_ids_as_text_so_a_viewer_does_not_round_them(
    scenario: Scenario,
) -> None:
    """A member opens the file in their browser's JSON viewer or a spreadsheet: numbers
    past 2^53 are rounded there (1574604335982051340 shows as ...051300), so their own id
    would not match. Discord's own API gives ids as strings for this reason."""
    made = await seed(scenario)
    me = scenario.people[1]
    result = await scenario.sim.slash(me, "privacy export", channel=made["lobby"])
    document = json.loads(dict(result.files)[texts.EXPORT_FILENAME])

    def numbers(value: object) -> list[int]:
        if isinstance(value, dict):
            return [n for v in value.values() for n in numbers(v)]
        if isinstance(value, list):
            return [n for v in value for n in numbers(v)]
        return [value] if isinstance(value, int) and not isinstance(value, bool) else []

    assert [n for n in numbers(document) if abs(n) > 2**53 - 1] == []
    assert document["tables"]["memberships"][0]["user_id"] == str(me.id)
    assert document["tables"]["voice_mutes"][0]["guild_id"] == str(scenario.guild.id)


async def test_the_forget_question_says_nothing_is_erased_until_the_button_is_pressed(
    scenario: Scenario,
) -> None:
    """Found by review: the question began "This erases every record I keep about you" and
    ended "This cannot be undone.", which a tired reader (or one reading English as a second
    language) can take for done. It now ends by saying what to press, or to leave it."""
    from tests.support import make_group

    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    for user in (handle.members[0], handle.leader):  # the sole leader's note comes before it
        asked = await sim.slash(user, "privacy forget", in_dm=True)
        last = asked.text.split("\n\n")[-1]
        assert f"“{texts.FORGET_BUTTON}”" in last, asked.text
        assert "keep" in last, asked.text  # and how to change one's mind
