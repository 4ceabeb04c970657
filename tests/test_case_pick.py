"""Leaders choose the presenter: /case pick, the /case list menu, limits, no volunteer."""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.store import cases as case_store
from bot.store import session_cases
from bot.store import sessions as session_store
from bot.texts import cases as texts
from bot.texts import common as common_texts
from tests.case_helpers import call_message, case_call, start_meeting
from tests.support import GroupHandle, make_group


def _listen(world: Scenario) -> list[tuple[int, int]]:
    seen: list[tuple[int, int]] = []

    async def listener(session_id: int, user_id: int) -> None:
        seen.append((session_id, user_id))

    world.bot.add_listener(listener, "on_balint_case_presenter_chosen")
    return seen


async def _volunteer(world: Scenario, handle: GroupHandle, session_id: int, *who: int) -> None:
    channel = world.sim.channel(
        (await case_store.session(world.bot.db, session_id)).text_channel_id  # type: ignore[union-attr]
    )
    for index in who:
        call = call_message(world, channel)
        await world.sim.click(handle.members[index], call, f"balint:offer:{session_id}:case")
        await world.advance(minutes=1)  # offers are ordered by the time they came in


async def test_pick_by_command_stores_announces_and_dispatches(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=4)
    seen = _listen(scenario)
    session_id, channel = await start_meeting(scenario, handle)
    await case_call(scenario, session_id)
    await _volunteer(scenario, handle, session_id, 2)
    chosen = handle.members[2]
    result = await scenario.sim.slash(
        handle.leader, "case pick", channel=channel, options={"member": chosen}
    )
    assert result.ephemeral and f"<@{chosen.id}>" in result.text
    cases = await case_store.in_session(scenario.bot.db, session_id)
    assert [(c.presenter_id, c.kind, c.position) for c in cases] == [(chosen.id, "new", 1)]
    assert await session_cases.current_presenter(scenario.bot.db, session_id) == chosen.id
    assert seen == [(session_id, chosen.id)]
    announced = [m.content for m in scenario.sim.messages_in(channel)]
    assert texts.PICKED.format(member=f"<@{chosen.id}>") in announced


async def test_a_member_cannot_pick(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=3)
    session_id, channel = await start_meeting(scenario, handle)
    member = handle.members[0]
    result = await scenario.sim.slash(
        member, "case pick", channel=channel, options={"member": member}
    )
    assert result.ephemeral and result.text == common_texts.WHO_MAY["leaders"]
    assert await case_store.in_session(scenario.bot.db, session_id) == []
    listing = await scenario.sim.slash(member, "case list", channel=channel)
    assert listing.text == common_texts.WHO_MAY["leaders"]


async def test_pick_from_the_menu_of_the_leaders_list_even_after_a_restart(
    scenario: Scenario,
) -> None:
    handle = await make_group(scenario, co_leader=scenario.people[1], size=4)
    seen = _listen(scenario)
    session_id, channel = await start_meeting(scenario, handle)
    await case_call(scenario, session_id)
    await _volunteer(scenario, handle, session_id, 3, 0)
    listing = await scenario.sim.slash(handle.co_leader, "case list", channel=channel)
    assert listing.ephemeral
    first, second = handle.members[3], handle.members[0]
    assert listing.text.index(f"<@{first.id}>") < listing.text.index(f"<@{second.id}>")
    menu_id = f"balint:pickmenu:{session_id}"
    assert menu_id in listing.original.custom_ids()
    await scenario.restart()
    seen = _listen(scenario)
    result = await scenario.sim.select(
        handle.co_leader, listing.original, menu_id, [str(second.id)]
    )
    assert f"<@{second.id}>" in result.text
    cases = await case_store.in_session(scenario.bot.db, session_id)
    assert [c.presenter_id for c in cases] == [second.id]
    assert seen == [(session_id, second.id)]


async def test_the_list_shows_promised_followups_first(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=4)
    db = scenario.bot.db
    earlier, _ = await start_meeting(scenario, handle)
    promiser = handle.members[1]
    case_id = await case_store.add(db, earlier, promiser.id, "new", 1)
    await session_store.mark_ended(db, earlier, scenario.clock.now())
    await case_store.set_followup(db, case_id, "yes", session_id=None)
    await scenario.advance(days=7)
    session_id, channel = await start_meeting(scenario, handle)
    await case_call(scenario, session_id)
    await _volunteer(scenario, handle, session_id, 0)
    listing = await scenario.sim.slash(handle.leader, "case list", channel=channel)
    text = listing.text
    assert texts.LIST_PROMISED in text
    assert text.index(f"<@{promiser.id}>") < text.index(f"<@{handle.members[0].id}>")
    menu = listing.original
    options = menu.components[0]["components"][0]["options"]
    assert [o["value"] for o in options] == [str(promiser.id), str(handle.members[0].id)]
    await scenario.sim.select(
        handle.leader, menu, f"balint:pickmenu:{session_id}", [str(promiser.id)]
    )
    cases = await case_store.in_session(db, session_id)
    assert [(c.presenter_id, c.kind, c.followup_of) for c in cases] == [
        (promiser.id, "followup", case_id)
    ]
    announced = [m.content for m in scenario.sim.messages_in(channel)]
    assert texts.PICKED_FOLLOWUP.format(member=f"<@{promiser.id}>") in announced


async def test_no_volunteer_shows_the_options_and_nobody_is_picked(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=3)
    session_id, channel = await start_meeting(scenario, handle)
    await case_call(scenario, session_id)
    listing = await scenario.sim.slash(handle.leader, "case list", channel=channel)
    assert listing.ephemeral
    assert "/round start" in listing.text and "wait a little" in listing.text
    assert texts.NO_PROMISED in listing.text
    assert not listing.original.custom_ids()  # no menu: there is nobody to choose from
    assert await case_store.in_session(scenario.bot.db, session_id) == []


async def test_the_group_maximum_of_cases_is_kept(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=4)
    db = scenario.bot.db
    session_id, channel = await start_meeting(scenario, handle)
    a, b, c = handle.members[:3]
    refused = await scenario.sim.slash(
        handle.leader, "case pick", channel=channel, options={"member": a}
    )
    assert refused.text == texts.NOT_CASE_CALL  # still in check-in
    await case_call(scenario, session_id)
    await scenario.sim.slash(handle.leader, "case pick", channel=channel, options={"member": a})
    again = await scenario.sim.slash(
        handle.leader, "case pick", channel=channel, options={"member": a}
    )
    assert again.text == texts.ALREADY_PRESENTING.format(member=f"<@{a.id}>")
    # The first case begins and ends (facilitation does this as the phases move on).
    await db.execute(
        "UPDATE cases SET started_at = 1, ended_at = 2 WHERE session_id = ?", (session_id,)
    )
    await scenario.sim.slash(handle.leader, "case pick", channel=channel, options={"member": b})
    await db.execute("UPDATE cases SET started_at = 3 WHERE presenter_id = ?", (b.id,))
    refused = await scenario.sim.slash(
        handle.leader, "case pick", channel=channel, options={"member": c}
    )
    assert refused.ephemeral and refused.text == texts.MAX_CASES.format(max_cases=2)
    # What the leader can do next, with the commands that do it.
    assert "`/phase goto`" in refused.text and "`/settings set`" in refused.text
    presenters = [x.presenter_id for x in await case_store.in_session(db, session_id)]
    assert presenters == [a.id, b.id]


async def test_picking_needs_a_running_meeting_and_a_member(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=2)
    result = await scenario.sim.slash(
        handle.leader, "case pick", channel=handle.lobby, options={"member": handle.members[0]}
    )
    assert result.text == texts.NO_LIVE_SESSION.format(group=handle.name)
    session_id, channel = await start_meeting(scenario, handle)
    await case_call(scenario, session_id)
    result = await scenario.sim.slash(
        handle.leader, "case pick", channel=channel, options={"member": scenario.outsider}
    )
    assert result.text == texts.NOT_MEMBER.format(
        member=f"<@{scenario.outsider.id}>", group=handle.name
    )
