"""Cases, pulse, settings and privacy: bugs a user would hit, found in review, fixed.

Each test drives the real bot through the simulator and failed before its fix.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.domain.pulse import voter_token
from bot.sim.scenario import Scenario
from bot.store import cases as case_store
from bot.store import privacy as privacy_store
from bot.store import pulse as pulse_store
from bot.store import sessions as session_store
from bot.texts import cases as texts
from bot.texts import privacy as privacy_texts
from bot.texts import settings as settings_texts
from tests.case_helpers import call_message, case_call, last_dm, planned_meeting, start_meeting
from tests.crash_support import crash_on
from tests.session_support import enforced_voice_session, leader, phase, start_session
from tests.support import make_group
from tests.test_pulse_survey import answer, session_with

MEETING = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)  # the scenario starts 23 Nov 09:00


async def _to(world: Scenario, moment: datetime) -> None:
    await world.advance(seconds=(moment - world.clock.now()).total_seconds())


async def test_after_a_restart_an_offer_by_dm_moves_the_calls_count(scenario: Scenario) -> None:
    """The bot restarts while "Who has a case?" is up; a member then answers the DM
    they got before the meeting. The channel's count must move (members read it to
    decide whether to offer), without anyone pressing the call's button first."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    meeting = await planned_meeting(world, handle, MEETING)
    await world.advance(hours=40)  # the DM has gone out
    member = handle.members[0]
    prompt = last_dm(world, member)
    await _to(world, MEETING - timedelta(minutes=5))
    _, channel = await start_meeting(world, handle, meeting)
    await case_call(world, meeting)
    assert texts.COUNTER_NONE in call_message(world, channel).content
    await world.restart()
    answered = await sim.click(member, prompt, f"balint:offer:{meeting}:case")
    assert answered.text == texts.THANKS["case"]
    assert texts.COUNTER_ONE in call_message(world, channel).content


async def test_a_member_muted_by_the_bot_who_forgets_is_not_left_muted(
    scenario: Scenario,
) -> None:
    """Enforced voice: the bot server-mutes b while a presents. b asks to be forgotten.
    A server mute holds in every voice channel of the server; the bot alone knew it set
    it, so forgetting the record without lifting the mute left b muted for good."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    a, b = handle.members[:2]
    session, channel, voice = await enforced_voice_session(world, handle, [a, b])
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=a)
    await leader(world, handle, "phase next", channel)  # presentation: b listens
    assert world.member(b).mute
    asked = await sim.slash(b, "privacy forget", in_dm=True)
    await sim.click(b, asked.original, f"balint:forget:{b.id}")
    await sim.settle()
    lounge = sim.add_channel(world.guild, "lounge", "voice")
    assert await sim.voice_join(b, lounge)
    assert not world.member(b).mute


async def test_a_mute_that_cannot_be_lifted_at_forget_is_lifted_at_the_next_join(
    scenario: Scenario,
) -> None:
    """Out of voice, Discord refuses to unmute (40032): forget keeps only that one record,
    says so, and the mute and its record go when b next joins a voice channel."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    a, b = handle.members[:2]
    session, channel, voice = await enforced_voice_session(world, handle, [a, b])
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=a)
    await leader(world, handle, "phase next", channel)  # presentation: b listens
    await sim.voice_leave(b)
    assert world.member(b).mute
    asked = await sim.slash(b, "privacy forget", in_dm=True)
    pressed = await sim.click(b, asked.original, f"balint:forget:{b.id}")
    await sim.settle()
    assert privacy_texts.FORGET_MUTE_KEPT in pressed.text
    rows = await privacy_store.export_rows(world.bot.db, b.id)
    assert {table for table, found in rows.items() if found} == {"voice_mutes"}
    lounge = sim.add_channel(world.guild, "lounge", "voice")
    assert await sim.voice_join(b, lounge)
    assert not world.member(b).mute
    rows = await privacy_store.export_rows(world.bot.db, b.id)
    assert not any(rows.values())


async def test_a_superscript_digit_in_a_setting_gets_the_settings_own_answer(
    scenario: Scenario,
) -> None:
    """ "²" passes str.isdigit() but not int(): the leader got the generic error answer
    (and an error in the log) instead of the sentence saying what the setting takes."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    for setting, value in (("quorum", "²"), ("reminder_lead_minutes", "1440,6²")):
        result = await sim.slash(
            handle.leader,
            "settings set",
            channel=handle.lobby,
            options={"setting": setting, "value": value},
        )
        assert result.ephemeral and result.text == settings_texts.BAD_VALUE[setting]


async def test_a_crash_as_the_case_call_begins_still_gives_the_members_the_call(
    scenario: Scenario,
) -> None:
    """Killed right after "Who has a case?" became the phase, before the call with its
    buttons was posted: after the restart the members must still have the call to press
    (without it they can only wait; no one can offer in the meeting)."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, channel = await start_session(world, handle)

    def phase_line(call) -> bool:  # noqa: ANN001
        return int(call.params["channel_id"]) == channel.id

    hit = crash_on(sim, "POST", "/channels/{channel_id}/messages", when=phase_line)
    asyncio.current_task().set_name("sim-ignore-test")
    await asyncio.create_task(
        sim.slash(handle.leader, "phase next", channel=channel), name="sim-ignore-next"
    )
    await sim.settle()
    assert hit, "the crash point was not reached"
    assert await phase(world, session) == "case_call"
    await world.restart()
    await sim.settle()
    await world.restart()  # posted once: a second start finds it there
    await sim.settle()
    assert len(_calls(world, channel)) == 1
    call = call_message(world, channel)
    result = await sim.click(handle.members[0], call, f"balint:offer:{session.id}:case")
    assert texts.THANKS["case"] in result.text
    assert texts.COUNTER_ONE in call_message(world, channel).content


def _calls(world: Scenario, channel) -> list:  # noqa: ANN001
    return [
        m
        for m in world.sim.messages_in(channel)
        if any(c.startswith("balint:offer:") for c in m.custom_ids())
    ]


async def test_an_offer_of_someone_who_left_the_group_is_not_counted_or_listed(
    scenario: Scenario,
) -> None:
    """A member answers "I have a case" to the DM, then leaves the group before the
    meeting. The call told the others "A case has been offered." (so the hesitant ones
    held back) and the leaders' list showed someone they cannot pick."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    meeting = await planned_meeting(world, handle, MEETING)
    await world.advance(hours=40)  # the DM has gone out
    gone = handle.members[0]
    await sim.click(gone, last_dm(world, gone), f"balint:offer:{meeting}:case")
    removed = await sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": gone}
    )
    assert removed.ephemeral
    await _to(world, MEETING - timedelta(minutes=5))
    _, channel = await start_meeting(world, handle, meeting)
    await case_call(world, meeting)
    assert texts.COUNTER_NONE in call_message(world, channel).content
    listing = await sim.slash(handle.leader, "case list", channel=channel)
    assert f"<@{gone.id}>" not in listing.text


async def test_a_promised_followup_of_someone_who_left_is_not_listed_first(
    scenario: Scenario,
) -> None:
    """ "Yes, next time", then the presenter left the group: the leaders' list put them at
    the top as a promised follow-up, and picking them was refused."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    db = world.bot.db
    earlier, _ = await start_meeting(world, handle)
    gone = handle.members[1]
    case_id = await case_store.add(db, earlier, gone.id, "new", 1)
    await session_store.mark_ended(db, earlier, world.clock.now())
    await case_store.set_followup(db, case_id, "yes")
    await sim.slash(handle.leader, "group remove", channel=handle.lobby, options={"member": gone})
    await world.advance(days=7)
    session_id, channel = await start_meeting(world, handle)
    await case_call(world, session_id)
    listing = await sim.slash(handle.leader, "case list", channel=channel)
    assert texts.LIST_PROMISED not in listing.text and f"<@{gone.id}>" not in listing.text


async def test_forget_erases_the_pulse_code_that_still_points_at_the_member(
    scenario: Scenario,
) -> None:
    """While a survey is open the bot keeps its secret, so a voter's code is computed again
    from their user id: it says that this person answered, and which questions. Forget
    left those rows (and export did not show them) until the survey closed."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    me = handle.members[0]
    sid = await session_with(world, handle, [me])
    await answer(world, me, sid, "useful", 4)
    exported = await privacy_store.export_rows(world.bot.db, me.id)
    assert [r["question"] for r in exported.get("pulse_voters", [])] == ["useful"]
    asked = await sim.slash(me, "privacy forget", in_dm=True)
    await sim.click(me, asked.original, f"balint:forget:{me.id}")
    await sim.settle()
    survey = await pulse_store.survey(world.bot.db, sid)
    assert survey is not None and survey.salt is not None  # still open
    token = voter_token(survey.salt, me.id)
    left = await world.bot.db.fetchall("SELECT * FROM pulse_voters WHERE voter_token = ?", (token,))
    assert left == []
    counts = await pulse_store.counts(world.bot.db, [sid])
    assert counts[sid] == {"useful": {4: 1}}  # the anonymous count stays
