"""/session presenter and /case pick keep one rule: no third case, nobody presents twice."""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.store import cases as case_store
from bot.texts import cases as texts
from tests.session_support import leader, phase, start_session
from tests.support import make_group


async def _held_cases(world: Scenario, handle, channel, presenters) -> None:  # noqa: ANN001
    """Each presenter's case runs from the case call through its return, by real commands."""
    for member in presenters:
        await leader(world, handle, "session presenter", channel, member=member)
        for _ in range(5):  # presentation, questions, discussion, return, and on
            await leader(world, handle, "phase next", channel)


async def test_no_third_case_whichever_command_the_leader_uses(scenario: Scenario) -> None:
    """Two cases held (the group's maximum); a leader goes back to the case call. Before,
    /session presenter said "C presents the next case" and stored a case that could never
    begin, where /case pick refused: both now refuse with the same sentence."""
    world = scenario
    handle = await make_group(world, size=3)
    a, b, c = handle.members
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await _held_cases(world, handle, channel, [a, b])
    assert await phase(world, session) == "closing"
    await leader(world, handle, "phase goto", channel, phase="case_call")
    for command in ("case pick", "session presenter"):
        refused = await leader(world, handle, command, channel, member=c)
        assert refused.ephemeral and refused.text == texts.MAX_CASES.format(max_cases=2), (
            command,
            refused.text,
        )
    presenters = [x.presenter_id for x in await case_store.in_session(world.bot.db, session.id)]
    assert presenters == [a.id, b.id]


async def test_a_member_presents_once_a_meeting_whichever_command(scenario: Scenario) -> None:
    """After A's case, /session presenter A again was taken; /case pick refused it."""
    world = scenario
    handle = await make_group(world, size=3)
    a = handle.members[0]
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await _held_cases(world, handle, channel, [a])
    assert await phase(world, session) == "case_call"
    for command in ("case pick", "session presenter"):
        refused = await leader(world, handle, command, channel, member=a)
        assert refused.ephemeral
        assert refused.text == texts.ALREADY_PRESENTING.format(member=f"<@{a.id}>"), command
    presenters = [x.presenter_id for x in await case_store.in_session(world.bot.db, session.id)]
    assert presenters == [a.id]
