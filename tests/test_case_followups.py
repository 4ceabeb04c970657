"""After the meeting: offers go, presenters are asked about a follow-up; fairness counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sim.scenario import Scenario
from bot.store import cases as case_store
from bot.texts import cases as texts
from tests.case_helpers import (
    call_message,
    case_call,
    end_meeting,
    last_dm,
    planned_meeting,
    start_meeting,
)
from tests.support import GroupHandle, make_group

NEXT = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)  # a week after the scenario's first day
AFTER_NEXT = NEXT + timedelta(days=7)


def _asked(world: Scenario, user) -> list:  # noqa: ANN001
    return [m for m in world.sim.dms_to(user) if "Would you like to give the group" in m.content]


async def _meeting_with_presenter(
    world: Scenario, handle: GroupHandle, presenter
) -> tuple[int, int]:  # noqa: ANN001
    session_id, channel = await start_meeting(world, handle)
    await case_call(world, session_id)
    await world.sim.click(
        presenter, call_message(world, channel), f"balint:offer:{session_id}:case"
    )
    await world.sim.slash(
        handle.leader, "case pick", channel=channel, options={"member": presenter}
    )
    await world.bot.db.execute(  # the presentation began (facilitation stores this)
        "UPDATE cases SET started_at = ? WHERE session_id = ?", (1, session_id)
    )
    await world.advance(minutes=90)
    await end_meeting(world, session_id)
    cases = await case_store.in_session(world.bot.db, session_id)
    return session_id, cases[0].id


async def _advance_to(world: Scenario, moment: datetime) -> None:
    await world.advance(seconds=(moment - world.clock.now()).total_seconds())


async def test_offers_are_deleted_and_the_presenter_is_asked_before_the_next_meeting(
    scenario: Scenario,
) -> None:
    handle = await make_group(scenario, size=4)
    presenter = handle.members[0]
    session_id, case_id = await _meeting_with_presenter(scenario, handle, presenter)
    assert await case_store.offers(scenario.bot.db, session_id) == []
    assert (await case_store.get(scenario.bot.db, case_id)).followup_state == "asked"
    next_id = await planned_meeting(scenario, handle, NEXT)
    due = NEXT - timedelta(hours=48)
    await _advance_to(scenario, due - timedelta(minutes=1))
    assert _asked(scenario, presenter) == []
    await scenario.advance(minutes=2)
    [dm] = _asked(scenario, presenter)
    assert "23 November 2026" in dm.content
    assert dm.custom_ids() == {f"balint:fu:{case_id}:{a}" for a in ("yes", "later", "no")}
    assert all(not _asked(scenario, m) for m in handle.members[1:])
    # "Yes, next time" after a restart: the button still works.
    await scenario.restart()
    result = await scenario.sim.click(presenter, dm, f"balint:fu:{case_id}:yes")
    assert result.text == texts.FOLLOWUP_THANKS["yes"]
    case = await case_store.get(scenario.bot.db, case_id)
    assert (case.followup_state, case.followup_session_id) == ("yes", next_id)
    # At the next meeting the promised follow-up heads the leaders' list.
    await _advance_to(scenario, NEXT)
    _, channel = await start_meeting(scenario, handle, next_id)
    await case_call(scenario, next_id)
    listing = await scenario.sim.slash(handle.leader, "case list", channel=channel)
    assert texts.LIST_PROMISED in listing.text and f"<@{presenter.id}>" in listing.text
    # Once presented and the meeting ended, the earlier case's follow-up is done.
    await scenario.sim.slash(
        handle.leader, "case pick", channel=channel, options={"member": presenter}
    )
    await scenario.bot.db.execute(
        "UPDATE cases SET started_at = 5 WHERE session_id = ?", (next_id,)
    )
    await end_meeting(scenario, next_id)
    assert (await case_store.get(scenario.bot.db, case_id)).followup_state == "done"
    [follow] = await case_store.in_session(scenario.bot.db, next_id)
    assert (follow.kind, follow.followup_of) == ("followup", case_id)


async def test_later_asks_again_before_the_meeting_after(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=3)
    presenter = handle.members[1]
    _, case_id = await _meeting_with_presenter(scenario, handle, presenter)
    next_id = await planned_meeting(scenario, handle, NEXT)
    await _advance_to(scenario, NEXT - timedelta(hours=47))
    [dm] = _asked(scenario, presenter)
    await scenario.sim.click(presenter, dm, f"balint:fu:{case_id}:later")
    case = await case_store.get(scenario.bot.db, case_id)
    assert case.followup_state == "later" and case.followup_after == NEXT
    # The next meeting takes place without a new question; then the one after is planned.
    await _advance_to(scenario, NEXT)
    await start_meeting(scenario, handle, next_id)
    await scenario.advance(minutes=90)
    await end_meeting(scenario, next_id)
    assert len(_asked(scenario, presenter)) == 1
    await planned_meeting(scenario, handle, AFTER_NEXT)
    await _advance_to(scenario, AFTER_NEXT - timedelta(hours=48, minutes=1))
    assert len(_asked(scenario, presenter)) == 1
    await scenario.advance(minutes=2)
    assert len(_asked(scenario, presenter)) == 2
    assert (await case_store.get(scenario.bot.db, case_id)).followup_state == "asked"


async def test_an_unanswered_question_is_asked_twice_then_left_alone(scenario: Scenario) -> None:
    """Never pushed: silence is an answer too, after the question came twice."""
    handle = await make_group(scenario, size=3)
    presenter = handle.members[0]
    await _meeting_with_presenter(scenario, handle, presenter)
    for week, asked in ((0, 1), (1, 2), (2, 2)):
        meeting = NEXT + timedelta(days=7 * week)
        meeting_id = await planned_meeting(scenario, handle, meeting)
        await _advance_to(scenario, meeting)
        assert len(_asked(scenario, presenter)) == asked, week
        await start_meeting(scenario, handle, meeting_id)
        await scenario.advance(minutes=90)
        await end_meeting(scenario, meeting_id)


async def test_a_meeting_that_never_took_place_does_not_block_the_question(
    scenario: Scenario,
) -> None:
    handle = await make_group(scenario, size=3)
    presenter = handle.members[0]
    await _meeting_with_presenter(scenario, handle, presenter)
    await planned_meeting(scenario, handle, NEXT)  # asked before it; nobody starts it
    await _advance_to(scenario, NEXT + timedelta(hours=3))
    assert len(_asked(scenario, presenter)) == 1
    await planned_meeting(scenario, handle, AFTER_NEXT)
    await _advance_to(scenario, AFTER_NEXT)
    assert len(_asked(scenario, presenter)) == 2


async def test_no_closes_the_question(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=3)
    presenter = handle.members[2]
    _, case_id = await _meeting_with_presenter(scenario, handle, presenter)
    next_id = await planned_meeting(scenario, handle, NEXT)
    await _advance_to(scenario, NEXT - timedelta(hours=47))
    [dm] = _asked(scenario, presenter)
    result = await scenario.sim.click(presenter, dm, f"balint:fu:{case_id}:no")
    assert result.text == texts.FOLLOWUP_THANKS["no"]
    assert (await case_store.get(scenario.bot.db, case_id)).followup_state == "no"
    await _advance_to(scenario, NEXT)
    _, channel = await start_meeting(scenario, handle, next_id)
    listing = await scenario.sim.slash(handle.leader, "case list", channel=channel)
    assert texts.LIST_PROMISED not in listing.text
    await end_meeting(scenario, next_id)
    await planned_meeting(scenario, handle, AFTER_NEXT)
    await _advance_to(scenario, AFTER_NEXT)
    assert len(_asked(scenario, presenter)) == 1
    # Someone else cannot answer for the presenter.
    other = await scenario.sim.click(handle.members[0], dm, f"balint:fu:{case_id}:yes")
    assert other.text == texts.FOLLOWUP_GONE


async def test_history_counts_cases_last_date_and_meetings_since(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=3)
    a, b, c = handle.members
    await _meeting_with_presenter(scenario, handle, a)  # 23 Nov
    await scenario.advance(days=7)
    await _meeting_with_presenter(scenario, handle, b)  # 30 Nov
    await scenario.advance(days=7)
    await _meeting_with_presenter(scenario, handle, a)  # 7 Dec
    await scenario.advance(days=7)
    session_id, _ = await start_meeting(scenario, handle)  # 14 Dec, nobody presents
    await end_meeting(scenario, session_id)
    result = await scenario.sim.slash(handle.leader, "case history", channel=handle.lobby)
    assert result.ephemeral
    lines = result.text.splitlines()[1:]
    assert lines[0] == texts.HISTORY_LINE_NEVER.format(member=f"<@{c.id}>", since=4)
    assert lines[1] == texts.HISTORY_LINE.format(
        member=f"<@{b.id}>", cases=1, last="30 November 2026", since=2
    )
    assert lines[2] == texts.HISTORY_LINE.format(
        member=f"<@{a.id}>", cases=2, last="7 December 2026", since=1
    )
    refused = await scenario.sim.slash(a, "case history", channel=handle.lobby)
    assert "leaders" in refused.text


async def test_a_prompt_waits_for_the_next_meeting_to_be_planned(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=2)
    presenter = handle.members[0]
    await _meeting_with_presenter(scenario, handle, presenter)
    await scenario.advance(days=3)
    assert _asked(scenario, presenter) == []
    # Planned at short notice: the question's time has passed, it goes out at the next scan.
    await planned_meeting(scenario, handle, scenario.clock.now() + timedelta(hours=30))
    await scenario.advance(hours=1)
    assert len(_asked(scenario, presenter)) == 1
    assert last_dm(scenario, presenter).content.startswith(f"**{handle.name}**")


async def test_a_meetings_end_looks_only_at_its_own_groups_follow_ups(scenario: Scenario) -> None:
    """The end of one group's meeting costs the same however many groups wait for follow-ups."""
    people = scenario.people
    other = await make_group(scenario, name="Thursday group", leader=people[0], members=people[1:4])
    await _meeting_with_presenter(scenario, other, people[1])  # Thursday: a follow-up waits
    mine = await make_group(scenario, name="Monday group", leader=people[5], members=people[6:9])
    session_id, _ = await start_meeting(scenario, mine)
    seen: list[str] = []
    scenario.bot.db.conn.set_trace_callback(seen.append)
    try:
        await end_meeting(scenario, session_id)
    finally:
        scenario.bot.db.conn.set_trace_callback(None)
    scans = [s for s in seen if "followup_state IN ('asked', 'later')" in s]
    assert scans, "the end of the meeting did not look for follow-ups"
    assert all(f"s.group_id = {mine.group.id} " in s for s in scans), scans


async def test_a_presenter_with_closed_dms_is_not_lost_the_leaders_are_told(
    scenario: Scenario,
) -> None:
    """The follow-up question is a DM: with the presenter's DMs closed it went nowhere and
    nobody knew. The leaders' channel now says so, naming no case, so a leader can ask."""
    handle = await make_group(scenario, size=4)
    presenter = handle.members[0]
    await _meeting_with_presenter(scenario, handle, presenter)
    presenter.dms_closed = True
    await planned_meeting(scenario, handle, NEXT)
    await _advance_to(scenario, NEXT - timedelta(hours=47))
    assert _asked(scenario, presenter) == []
    leaders_channel = scenario.sim.channel(handle.group.leaders_channel_id)
    notices = [
        m.content
        for m in scenario.sim.messages_in(leaders_channel)
        if m.author.id == scenario.sim.bot_user.id and "follow-up" in m.content
    ]
    assert notices == [
        texts.FOLLOWUP_UNREACHABLE.format(member=f"<@{presenter.id}>", date="23 November 2026")
    ]
    assert not any("follow-up" in m.content for m in scenario.sim.messages_in(handle.lobby))


async def test_the_leaders_hear_once_of_a_presenter_with_closed_dms(scenario: Scenario) -> None:
    """The question goes out twice; the leaders' notice only the first time: the second
    would only repeat "ask them yourselves" a week after they could have done so."""
    handle = await make_group(scenario, size=3)
    presenter = handle.members[0]
    await _meeting_with_presenter(scenario, handle, presenter)
    presenter.dms_closed = True
    leaders_channel = scenario.sim.channel(handle.group.leaders_channel_id)
    for week in range(3):
        meeting = NEXT + timedelta(days=7 * week)
        meeting_id = await planned_meeting(scenario, handle, meeting)
        await _advance_to(scenario, meeting)
        await start_meeting(scenario, handle, meeting_id)
        await scenario.advance(minutes=90)
        await end_meeting(scenario, meeting_id)
    notices = [
        m.content
        for m in scenario.sim.messages_in(leaders_channel)
        if m.author.id == scenario.sim.bot_user.id and "follow-up" in m.content
    ]
    assert notices == [
        texts.FOLLOWUP_UNREACHABLE.format(member=f"<@{presenter.id}>", date="23 November 2026")
    ]
