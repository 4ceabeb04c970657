"""/settings through the simulator: show, set, reset, refusals, and that each setting bites."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.store import groups as group_store
from bot.store import sessions as session_store
from bot.store import timers as timer_store
from bot.texts import common as common_texts
from bot.texts import settings as texts
from cogs._schedule_plan import quorum_key, reminder_key
from tests.session_support import leader, phase, reload, start_session
from tests.support import make_group

LEADERS_ONLY = common_texts.WHO_MAY["leaders"]


async def settings_of(world, handle):
    group = await group_store.get(world.bot.db, handle.group.id)
    assert group is not None
    return group


async def run(world, user, command, handle, **options):
    return await world.sim.slash(user, f"settings {command}", channel=handle.lobby, options=options)


async def test_show_set_and_reset(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=3, co_leader=world.people[10])
    shown = await run(world, handle.members[0], "show", handle)
    assert shown.ephemeral
    assert "Settings of Tuesday group" in shown.text
    assert "**Voice turn-taking (advisory or enforced)**: advisory (default)" in shown.text
    assert "**Minutes: discussion**: 25 min (default)" in shown.text
    assert "**Identifier guard (warn, remove or off)**: warn (default)" in shown.text
    assert "**Reminder lead times (minutes, e.g. 1440,60)**: 1440,60 (default)" in shown.text

    done = await run(world, handle.leader, "set", handle, setting="voice_mode", value="Enforced")
    assert done.ephemeral and "Voice turn-taking" in done.text and "enforced" in done.text
    await run(world, handle.co_leader, "set", handle, setting="minutes_discussion", value="30")
    await run(world, handle.leader, "set", handle, setting="minutes_return", value="8")
    await run(world, handle.leader, "set", handle, setting="auto_advance", value="on")
    await run(world, handle.leader, "set", handle, setting="guard_mode", value="remove")
    await run(world, handle.leader, "set", handle, setting="quorum", value="3")
    group = await settings_of(world, handle)
    assert group.voice_mode == "enforced" and group.auto_advance and group.quorum == 3
    assert group.guard_mode == "remove"
    assert json.loads(group.phase_minutes or "") == {"discussion": 30, "return": 8}

    shown = await run(world, handle.members[0], "show", handle)
    assert "**Voice turn-taking (advisory or enforced)**: enforced (default: advisory)" in (
        shown.text
    )
    assert "**Minutes: discussion**: 30 min (default: 25 min)" in shown.text
    assert "**Auto-advance phases (on or off)**: on (default: off)" in shown.text

    for setting in ("voice_mode", "minutes_discussion", "guard_mode", "quorum", "auto_advance"):
        back = await run(world, handle.leader, "reset", handle, setting=setting)
        assert back.ephemeral and "back to its default" in back.text, back.text
    group = await settings_of(world, handle)
    assert group.voice_mode == "advisory" and not group.auto_advance
    assert group.guard_mode is None and group.quorum == world.bot.settings.quorum
    assert json.loads(group.phase_minutes or "") == {"return": 8}
    await run(world, handle.leader, "reset", handle, setting="minutes_return")
    assert (await settings_of(world, handle)).phase_minutes is None


async def test_bad_values_get_one_sentence_and_change_nothing(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=2)
    cases = {
        ("voice_mode", "strict"): "Voice mode is advisory or enforced.",
        ("max_cases", "5"): texts.BAD_VALUE["max_cases"],
        ("reminder_lead_minutes", "soon"): texts.BAD_VALUE["reminder_lead_minutes"],
        ("minutes_discussion", "0"): texts.BAD_PHASE_MINUTES,
        ("guard_mode", "delete"): texts.BAD_VALUE["guard_mode"],
        ("auto_end", "perhaps"): texts.BAD_VALUE["auto_end"],
    }
    before = await settings_of(world, handle)
    for (setting, value), sentence in cases.items():
        result = await run(world, handle.leader, "set", handle, setting=setting, value=value)
        assert result.ephemeral and result.text == sentence, result.text
    assert await settings_of(world, handle) == before


async def test_wrong_callers_are_refused(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=2)
    other = await make_group(world, name="Other group", leader=world.people[8], size=1)
    before = await settings_of(world, handle)
    for user in (handle.members[0], world.outsider, world.admin, other.leader):
        result = await world.sim.slash(
            user,
            "settings set",
            options={"setting": "voice_mode", "value": "enforced", "group": handle.name},
        )
        assert result.ephemeral and LEADERS_ONLY in result.text, (user.name, result.text)
        reset = await world.sim.slash(
            user, "settings reset", options={"setting": "voice_mode", "group": handle.name}
        )
        assert LEADERS_ONLY in reset.text
    assert await settings_of(world, handle) == before
    refused = await world.sim.slash(world.outsider, "settings show", options={"group": handle.name})
    assert refused.ephemeral and "Settings of" not in refused.text
    organiser = await world.sim.slash(
        world.organiser, "settings show", options={"group": handle.name}
    )
    assert "Settings of Tuesday group" in organiser.text


async def test_enforced_voice_set_by_command_mutes_at_the_phase_change(scenario) -> None:
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    await run(world, handle.leader, "set", handle, setting="voice_mode", value="enforced")
    session, channel = await start_session(world, handle)
    voice = sim.channel((await reload(world, session)).voice_channel_id)
    a, b, _c = handle.members
    for user in (handle.leader, a, b):
        assert await sim.voice_join(user, voice)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=a)
    await leader(world, handle, "phase next", channel)  # presentation: b listens
    assert world.member(b).mute and not world.member(a).mute


async def test_voice_channel_off_opens_no_voice_channel(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=2)
    result = await run(world, handle.leader, "set", handle, setting="voice_enabled", value="off")
    assert texts.NEXT_SESSION.strip() in result.text
    session, _channel = await start_session(world, handle)
    assert (await reload(world, session)).voice_channel_id is None


async def test_one_case_then_closing(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=3)
    await run(world, handle.leader, "set", handle, setting="max_cases", value="1")
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    for expected in ("presentation", "questions", "discussion", "return", "closing"):
        await leader(world, handle, "phase next", channel)
        assert await phase(world, session) == expected


async def test_max_cases_changed_in_a_meeting_says_it_applies_from_its_next_phase(scenario) -> None:
    """The engine reads the group's value at each phase change, so the answer must say so."""
    world = scenario
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    result = await run(world, handle.leader, "set", handle, setting="max_cases", value="1")
    assert texts.NEXT_PHASE.strip() in result.text
    assert texts.NEXT_SESSION.strip() not in result.text
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    for expected in ("presentation", "questions", "discussion", "return", "closing"):
        await leader(world, handle, "phase next", channel)
        assert await phase(world, session) == expected


async def test_phase_minutes_changed_in_a_meeting_set_its_next_phases_deadline(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    result = await run(world, handle.leader, "set", handle, setting="minutes_closing", value="40")
    assert texts.NEXT_PHASE.strip() in result.text
    await leader(world, handle, "phase goto", channel, phase="closing")
    fresh = await session_store.get(world.bot.db, session.id)
    assert fresh is not None and fresh.phase_deadline is not None
    assert (fresh.phase_deadline - world.clock.now()).total_seconds() == 40 * 60


async def test_auto_advance_turned_on_mid_phase_advances_the_phase_under_way(scenario) -> None:
    """Before, only the next phase got its advance: the check-in under way ran on."""
    world = scenario
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    await leader(world, handle, "phase next", channel)  # presentation, 10 minutes
    await run(world, handle.leader, "set", handle, setting="auto_advance", value="on")
    await world.advance(minutes=10, seconds=1)
    assert await phase(world, session) == "questions"


async def test_auto_advance_turned_off_mid_phase_leaves_the_phase_under_way(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=3)
    await run(world, handle.leader, "set", handle, setting="auto_advance", value="on")
    session, _channel = await start_session(world, handle)
    await run(world, handle.leader, "set", handle, setting="auto_advance", value="off")
    await world.advance(minutes=6)
    assert await phase(world, session) == "check_in"


async def test_phase_minutes_set_the_deadline(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=2)
    await run(world, handle.leader, "set", handle, setting="minutes_check_in", value="12")
    session, _channel = await start_session(world, handle)
    fresh = await session_store.get(world.bot.db, session.id)
    assert fresh is not None and fresh.phase_deadline is not None
    assert (fresh.phase_deadline - world.clock.now()).total_seconds() == 12 * 60


async def test_guard_remove_deletes_an_nhs_number(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=2)
    await run(world, handle.leader, "set", handle, setting="guard_mode", value="remove")
    message = await world.sim.post(handle.members[0], handle.lobby, "NHS 943 476 5919")
    assert message is not None
    await world.sim.settle()
    assert message.deleted


async def test_reminder_lead_times_replan_the_reminders(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=2)
    when = (world.clock.now() + timedelta(days=3)).date().isoformat()
    await leader(world, handle, "schedule once", handle.lobby, date=when, time="19:00")
    planned = await session_store.planned_near(
        world.bot.db, handle.group.id, world.clock.now(), timedelta(days=5)
    )
    assert planned is not None
    sid = planned.id

    async def pending() -> set[str]:
        timers = await timer_store.pending(world.bot.db)
        return {t.dedupe_key for t in timers if t.dedupe_key.startswith(("remind:", "quorum:"))}

    at = planned.scheduled_start
    assert await pending() == {
        reminder_key(sid, 1440, at),
        reminder_key(sid, 60, at),
        quorum_key(sid, 1440, at),
    }
    await run(world, handle.leader, "set", handle, setting="reminder_lead_minutes", value="120")
    assert await pending() == {reminder_key(sid, 120, at), quorum_key(sid, 120, at)}
    assert (await settings_of(world, handle)).reminder_lead_minutes == "120"


async def test_case_prompts_and_events_flags_are_stored(scenario) -> None:
    world = scenario
    handle = await make_group(world, size=2)
    for setting in ("case_prompts_enabled", "events_enabled", "auto_end"):
        await run(world, handle.leader, "set", handle, setting=setting, value="off")
    group = await settings_of(world, handle)
    assert not group.case_prompts_enabled and not group.events_enabled and not group.auto_end
    await run(world, handle.leader, "set", handle, setting="silence_nudge_minutes", value="7")
    await run(world, handle.leader, "set", handle, setting="purge_delay_minutes", value="0")
    group = await settings_of(world, handle)
    assert group.silence_nudge_minutes == 7 and group.purge_delay_minutes == 0
