"""Cases, attendance and the agreement: six bugs a user would hit, fixed, end to end.

Written by a reviewer as failing tests; each drives the real bot through the
simulator. Attendance: presence after the end does not count; /attendance mark
during a meeting corrects that meeting. Cases: the case call counts only new
offers; a follow-up closes the earlier case's question; a member who has not
agreed is neither asked for a case nor picked; offers of a skipped meeting go.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sim.scenario import Scenario
from bot.store import cases as case_store
from bot.store import schedules as schedule_store
from bot.store import timers as timer_store
from bot.texts import agreement as agreement_texts
from bot.texts import cases as texts
from tests.case_helpers import call_message, case_call, last_dm, planned_meeting, start_meeting
from tests.session_support import leader, phase, start_session
from tests.support import make_group
from tests.test_attendance_support import add_session, end_session, live_session, present, statuses

M2 = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)  # a week after the scenario's first day
M3 = M2 + timedelta(days=7)


async def _to(world: Scenario, moment: datetime) -> None:
    await world.advance(seconds=(moment - world.clock.now()).total_seconds())


def _followup_questions(world: Scenario, user, case_id: int) -> list:  # noqa: ANN001
    return [
        m
        for m in world.sim.dms_to(user)
        if any(c.startswith(f"balint:fu:{case_id}:") for c in m.custom_ids())
    ]


# -- attendance ---------------------------------------------------------------------------


async def test_ack_pressed_after_the_end_does_not_make_an_absent_member_present(
    scenario: Scenario,
) -> None:
    """A member who missed the meeting opens the read-only channel before it is purged and
    presses the confidentiality acknowledgement on the frame: the training record must
    still say absent (issue 8: present = signals *at* the session)."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    came, missed = handle.members[0], handle.members[1]
    session, channel = await start_session(scenario, handle)
    row = await scenario.bot.db.fetchone(
        "SELECT frame_message_id FROM sessions WHERE id = ?", (session.id,)
    )
    frame_id = row["frame_message_id"]
    await sim.click(came, frame_id, f"balint:ack:{session.id}")
    ended = await sim.slash(handle.leader, "session end", channel=channel)
    assert "has ended" in ended.text
    assert (await statuses(scenario, session.id))[missed.id] == ("absent", "auto")
    # Half an hour later (before the purge) the absent member looks in and presses the button.
    await scenario.advance(minutes=30)
    assert sim.can(missed, channel, "view_channel")
    await sim.click(missed, frame_id, f"balint:ack:{session.id}")
    assert (await statuses(scenario, session.id))[missed.id] == ("absent", "auto")


async def test_a_signal_racing_the_end_counts_a_later_one_does_not(scenario: Scenario) -> None:
    """A post sent just before the end may be handled just after it: still present. A
    signal half an hour later (a post in a thread, say) is not presence at the session."""
    handle = await make_group(scenario, size=3)
    raced, late = handle.members[0], handle.members[1]
    sid = await live_session(scenario, handle.group.id)
    await end_session(scenario, sid)
    await present(scenario, sid, raced, "message")
    await scenario.advance(minutes=30)
    await present(scenario, sid, late, "voice")
    found = await statuses(scenario, sid)
    assert found[raced.id] == ("present", "message")
    assert found[late.id] == ("absent", "auto")


async def test_attendance_mark_during_a_meeting_corrects_that_meeting(
    scenario: Scenario,
) -> None:
    """A member joins by phone (no button, no message, no voice in Discord); during the
    meeting the leader runs /attendance mark member present. Today's meeting must be
    corrected, not last week's; and naming today's date must not say there is no session."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    member = handle.members[0]
    last_week = await add_session(
        scenario, handle.group.id, scenario.clock.now() - timedelta(days=7)
    )
    session, channel = await start_session(scenario, handle)
    await sim.slash(
        handle.leader,
        "attendance mark",
        channel=channel,
        options={"member": member, "status": "present"},
    )
    assert member.id not in await statuses(scenario, last_week), "last week's record changed"
    today = scenario.clock.now().date().isoformat()
    dated = await sim.slash(
        handle.leader,
        "attendance mark",
        channel=channel,
        options={"member": member, "status": "present", "date": today},
    )
    assert "had no session" not in dated.text, dated.text
    assert (await statuses(scenario, session.id)).get(member.id) == ("present", "leader")


# -- cases ----------------------------------------------------------------------------------


async def test_the_second_case_call_does_not_count_the_first_presenters_offer(
    scenario: Scenario,
) -> None:
    """After the first case, the meeting returns to "Who has a case?". Nobody new has
    offered (the leaders' list says so), yet members read "A case has been offered." and
    the hesitant ones hold back (issue 6: members see only the count of offers)."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase next", channel)  # case call
    first = handle.members[0]
    await sim.click(first, call_message(world, channel), f"balint:offer:{session.id}:case")
    await sim.slash(handle.leader, "case pick", channel=channel, options={"member": first})
    for _ in range(5):  # presentation, questions, discussion, return, case call again
        await leader(world, handle, "phase next", channel)
    assert await phase(world, session) == "case_call"
    listing = await sim.slash(handle.leader, "case list", channel=channel)
    assert "Nobody has offered a case yet" in listing.text
    second_call = call_message(world, channel)
    assert texts.COUNTER_NONE in second_call.content, second_call.content


async def test_an_offer_by_dm_during_the_case_call_moves_the_count(scenario: Scenario) -> None:
    """A member answers the pre-meeting DM while the call is up: the members' count moves."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    meeting = await planned_meeting(world, handle, datetime(2026, 11, 25, 19, 0, tzinfo=UTC))
    await world.advance(hours=40)  # the DM has gone out
    member = handle.members[0]
    prompt = last_dm(world, member)
    await _to(world, datetime(2026, 11, 25, 18, 55, tzinfo=UTC))
    _, channel = await start_meeting(world, handle, meeting)
    await case_call(world, meeting)
    assert texts.COUNTER_NONE in call_message(world, channel).content
    answered = await sim.click(member, prompt, f"balint:offer:{meeting}:case")
    assert answered.text == texts.THANKS["case"]
    assert texts.COUNTER_ONE in call_message(world, channel).content
    await sim.click(member, prompt, f"balint:offer:{meeting}:none")  # a change of mind
    assert texts.COUNTER_NONE in call_message(world, channel).content


async def test_a_followup_given_at_the_next_meeting_closes_the_earlier_question(
    scenario: Scenario,
) -> None:
    """The presenter answers "Later", then at the next meeting feels ready, presses
    "I have a follow-up" and is picked. Before the meeting after, they must not be asked
    again whether they would give a follow-up of the case they just followed up."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    presenter = handle.members[0]
    first, ch1 = await start_session(world, handle)
    await leader(world, handle, "phase next", ch1)
    await sim.click(presenter, call_message(world, ch1), f"balint:offer:{first.id}:case")
    await sim.slash(handle.leader, "case pick", channel=ch1, options={"member": presenter})
    await leader(world, handle, "phase next", ch1)
    assert await phase(world, first) == "presentation"
    await leader(world, handle, "session end", ch1)
    [case1] = await case_store.in_session(world.bot.db, first.id)
    m2 = await planned_meeting(world, handle, M2)
    await _to(world, M2 - timedelta(hours=47))
    [question] = _followup_questions(world, presenter, case1.id)
    await sim.click(presenter, question, f"balint:fu:{case1.id}:later")
    # The next meeting: the presenter offers a follow-up and presents it.
    await _to(world, M2 - timedelta(minutes=5))
    second, ch2 = await start_session(world, handle)
    assert second.id == m2
    await leader(world, handle, "phase next", ch2)
    await sim.click(presenter, call_message(world, ch2), f"balint:offer:{second.id}:followup")
    picked = await sim.slash(handle.leader, "case pick", channel=ch2, options={"member": presenter})
    assert "presents" in picked.text
    await leader(world, handle, "phase next", ch2)
    assert await phase(world, second) == "presentation"
    await leader(world, handle, "session end", ch2)
    # The meeting after: asked about the new follow-up at most, never again about case 1.
    await planned_meeting(world, handle, M3)
    await _to(world, M3 - timedelta(hours=47))
    assert len(_followup_questions(world, presenter, case1.id)) == 1, (
        "asked again about a case whose follow-up was given"
    )


async def test_a_member_who_has_not_agreed_is_neither_asked_for_nor_given_a_case(
    scenario: Scenario,
) -> None:
    """Issue 7: the group role, and so the channels, come only after "I agree". A newcomer
    who has not agreed yet cannot see the meeting, so the bot must not invite them by DM
    to bring a case, nor let a leader make them the presenter (the presentation would
    run with a presenter who cannot see or write in the channel)."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    newcomer = world.people[6]
    await sim.slash(handle.leader, "group add", channel=handle.lobby, options={"member": newcomer})
    await sim.settle()
    assert not sim.can(newcomer, handle.lobby)  # the gate holds: no role yet
    await planned_meeting(world, handle, datetime(2026, 11, 26, 19, 0, tzinfo=UTC))
    await world.advance(hours=40)
    prompts = [m for m in sim.dms_to(newcomer) if "Do you have a case" in m.content]
    assert all("Do you have a case" in last_dm(world, m).content for m in handle.members)
    assert not prompts, "a member without access was asked to bring a case"
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase next", channel)
    await sim.slash(handle.leader, "case pick", channel=channel, options={"member": newcomer})
    presenters = [c.presenter_id for c in await case_store.in_session(world.bot.db, session.id)]
    assert newcomer.id not in presenters, "a member who cannot see the meeting presents"


async def test_picking_a_member_who_has_not_agreed_tells_the_leader_what_to_do(
    scenario: Scenario,
) -> None:
    """Both ways of choosing the presenter refuse, with a sentence pointing to the resend."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    newcomer = world.people[6]
    await sim.slash(handle.leader, "group add", channel=handle.lobby, options={"member": newcomer})
    await sim.settle()
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase next", channel)
    refusal = agreement_texts.NOT_AGREED_PRESENTER.format(member=f"<@{newcomer.id}>")
    for command in ("case pick", "session presenter"):
        refused = await sim.slash(
            handle.leader, command, channel=channel, options={"member": newcomer}
        )
        assert refused.ephemeral and refused.text == refusal, refused.text
    assert await case_store.in_session(world.bot.db, session.id) == []


async def _weekly(world: Scenario, handle, weekday: int):  # noqa: ANN001, ANN202
    """/schedule set weekly at 19:00 on `weekday`; the one planned session it makes."""
    await world.sim.slash(
        handle.leader,
        "schedule set",
        channel=handle.lobby,
        options={"cadence": "weekly", "weekday": weekday, "time": "19:00"},
    )
    [planned] = await schedule_store.planned_for_group(
        world.bot.db, handle.group.id, ending_after=world.clock.now()
    )
    return planned


async def test_offers_for_a_skipped_meeting_are_not_kept(scenario: Scenario) -> None:
    """A member answers the pre-meeting DM with "I have a case"; the leader then skips
    that meeting. Issue 6: offers of past sessions are deleted; BALINT.md: store the least
    possible. The cancelled meeting never 'ends', so its offers stay for years."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    planned = await _weekly(world, handle, weekday=1)
    await world.advance(hours=1)  # the hourly scan sends the case prompt (due already)
    member = handle.members[0]
    answered = await sim.click(member, last_dm(world, member), f"balint:offer:{planned.id}:case")
    assert answered.text == texts.THANKS["case"]
    skipped = await sim.slash(
        handle.leader, "schedule skip", channel=handle.lobby, options={"date": "2026-11-24"}
    )
    assert "skipped" in skipped.text
    await _to(world, datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # the skipped date is past
    assert (await case_store.session(world.bot.db, planned.id)).status == "cancelled"
    assert await case_store.offers(world.bot.db, planned.id) == []


async def test_the_daily_job_drops_offers_of_a_meeting_never_held(scenario: Scenario) -> None:
    """A planned meeting nobody started: its offers go at the first daily run after its
    planned end + 1 day; a meeting still ahead keeps its offers."""
    world = scenario
    handle = await make_group(world, size=3)
    member = handle.members[0]
    db = world.bot.db
    missed = await planned_meeting(world, handle, datetime(2026, 11, 24, 19, 0, tzinfo=UTC))
    ahead = await planned_meeting(world, handle, datetime(2026, 12, 24, 19, 0, tzinfo=UTC))
    for session_id in (missed, ahead):
        await case_store.set_offer(db, session_id, member.id, "case", world.clock.now())
    await _to(world, datetime(2026, 11, 25, 21, 0, tzinfo=UTC))  # 03:00 run: too early
    assert [o.user_id for o in await case_store.offers(db, missed)] == [member.id]
    await _to(world, datetime(2026, 11, 26, 4, 0, tzinfo=UTC))  # ended 20:30 + 1 day: gone
    assert await case_store.offers(db, missed) == []
    assert [o.user_id for o in await case_store.offers(db, ahead)] == [member.id]


async def test_skipping_a_meeting_cancels_its_case_prompt(scenario: Scenario) -> None:
    """The prompt armed for a meeting is cancelled with it (not left to fire and do nothing)."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    planned = await _weekly(world, handle, weekday=3)
    key = f"case_prompt:{planned.id}"
    await _to(world, datetime(2026, 11, 24, 18, 0, tzinfo=UTC))  # armed, due at 19:00
    assert key in await timer_store.pending_keys(world.bot.db, key)
    skipped = await sim.slash(
        handle.leader, "schedule skip", channel=handle.lobby, options={"date": "2026-11-26"}
    )
    assert "skipped" in skipped.text
    await sim.settle()
    assert key not in await timer_store.pending_keys(world.bot.db, key)
    await _to(world, datetime(2026, 11, 24, 20, 0, tzinfo=UTC))
    assert not any("Do you have a case" in m.content for m in sim.dms_to(handle.members[0]))
