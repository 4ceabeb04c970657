"""A GP in "Thursday Balint" on two servers: every DM that names a group says which one.

The reminder is tested in test_multiserver_names.py; here the other DMs of a round:
the case prompt, the follow-up question and the pulse survey. A member of only one of
the two groups gets the plain name.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sim.scenario import Scenario
from bot.sim.world import User
from tests.case_helpers import call_message, case_call, end_meeting, planned_meeting, start_meeting
from tests.multiserver_support import second_server
from tests.support import GroupHandle, make_group
from tests.test_attendance_support import present

MEETING = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)  # the scenario starts 23 Nov 09:00
HERE = "Thursday Balint (Rural GPs)"


async def _namesakes(world: Scenario) -> tuple[GroupHandle, User, User]:
    """ "Thursday Balint" here (p1 and p5) and on Coastal GPs (p5): (here, both, only here)."""
    p = world.people
    coastal = await second_server(world)
    both, only_here = p[5], p[1]
    here = await make_group(world, name="Thursday Balint", leader=p[0], members=[only_here, both])
    await make_group(
        world, name="Thursday Balint", leader=p[2], members=[p[3], both], guild=coastal
    )
    return here, both, only_here


def _dms(world: Scenario, user: User, words: str) -> list[str]:
    return [m.content for m in world.sim.dms_to(user) if words in m.content]


async def _until(world: Scenario, moment: datetime) -> None:
    await world.advance(seconds=(moment - world.clock.now()).total_seconds())


async def test_the_case_prompt_names_the_server(scenario: Scenario) -> None:
    here, both, only_here = await _namesakes(scenario)
    await planned_meeting(scenario, here, MEETING)
    await _until(scenario, MEETING - timedelta(hours=47))  # past the 48 h prompt
    [prompt] = _dms(scenario, both, "Do you have a case")
    assert prompt.startswith(f"**{HERE}**"), prompt
    [plain] = _dms(scenario, only_here, "Do you have a case")
    assert plain.startswith("**Thursday Balint**:"), plain


async def test_the_follow_up_question_names_the_server(scenario: Scenario) -> None:
    here, both, _ = await _namesakes(scenario)
    session_id, channel = await start_meeting(scenario, here)
    await case_call(scenario, session_id)
    call = call_message(scenario, channel)
    await scenario.sim.click(both, call, f"balint:offer:{session_id}:case")
    await scenario.sim.slash(here.leader, "case pick", channel=channel, options={"member": both})
    await scenario.bot.db.execute(
        "UPDATE cases SET started_at = 1 WHERE session_id = ?", (session_id,)
    )
    await scenario.advance(minutes=90)
    await end_meeting(scenario, session_id)
    await planned_meeting(scenario, here, MEETING + timedelta(days=7))
    await _until(scenario, MEETING + timedelta(days=5))  # past the 48 h question
    [question] = _dms(scenario, both, "Would you like to give the group")
    assert question.startswith(f"**{HERE}**"), question


async def test_the_pulse_survey_names_the_server(scenario: Scenario) -> None:
    here, both, only_here = await _namesakes(scenario)
    session_id, _ = await start_meeting(scenario, here)
    for user in (both, only_here):
        await present(scenario, session_id, user, "button")
    await end_meeting(scenario, session_id)
    [survey] = _dms(scenario, both, "Thank you for coming to")
    assert f"Thank you for coming to {HERE} today" in survey, survey
    [plain] = _dms(scenario, only_here, "Thank you for coming to")
    assert "Thank you for coming to Thursday Balint today" in plain, plain


async def test_the_agreement_dm_names_the_server(scenario: Scenario) -> None:
    """Added to Coastal's "Thursday Balint" while in Rural's: the agreement DM (its words and
    its title) says which one; the first, sent before there was a namesake, need not."""
    _, both, _ = await _namesakes(scenario)
    first, second = [
        m for m in scenario.sim.dms_to(both) if "You were added to the Balint group" in m.content
    ]
    assert "“Thursday Balint”" in first.content, first.content
    assert "“Thursday Balint (Coastal GPs)”" in second.content, second.content
    assert second.embeds[0]["title"] == "The agreement of “Thursday Balint (Coastal GPs)”"


async def test_the_removed_member_dm_names_the_server(scenario: Scenario) -> None:
    here, both, _ = await _namesakes(scenario)
    result = await scenario.sim.slash(
        here.leader,
        "group remove",
        channel=here.lobby,
        options={"member": both, "group": "Thursday Balint"},
    )
    assert result.ephemeral, result.text
    await scenario.sim.settle()
    [removed] = _dms(scenario, both, "You are no longer a member")
    assert "“Thursday Balint (Rural GPs)”" in removed, removed


async def test_the_erasure_names_the_server_of_each_group_left_leaderless(
    scenario: Scenario,
) -> None:
    """The only leader of "Thursday Balint" on both servers erases their records: the
    warning and the confirmation (answers in the DM) name two groups, each with its server."""
    p = scenario.people
    coastal = await second_server(scenario)
    me = p[0]
    await make_group(scenario, name="Thursday Balint", leader=me, members=[p[1]])
    await make_group(scenario, name="Thursday Balint", leader=me, members=[p[2]], guild=coastal)
    asked = await scenario.sim.slash(me, "privacy forget", in_dm=True)
    pressed = await scenario.sim.click(me, asked.original, f"balint:forget:{me.id}")
    await scenario.sim.settle()
    assert "now has no leader" in pressed.text, pressed.text
    for text in (asked.text, pressed.text):
        assert "**Thursday Balint (Rural GPs)**" in text, text
        assert "**Thursday Balint (Coastal GPs)**" in text, text


async def test_names_differing_only_in_the_case_of_an_accent_are_one_name(
    scenario: Scenario,
) -> None:
    """ "Équipe" and "équipe" look alike as "Thursday Balint" and "thursday balint" do: on
    one server the second is refused, as /group create refuses "thursday balint"; on two
    servers they are namesakes, so the DMs name the server."""
    p = scenario.people
    coastal = await second_server(scenario)
    both = p[5]
    await make_group(scenario, name="Équipe", leader=p[0], members=[p[1], both])
    refused = await scenario.sim.slash(
        scenario.organiser,
        "group create",
        guild=scenario.guild,
        options={"name": "équipe", "timezone": "Europe/London", "leader": p[2]},
    )
    assert "There is already a group called “équipe”" in refused.text, refused.text
    await make_group(scenario, name="équipe", leader=p[2], members=[p[3], both], guild=coastal)
    added = [m for m in scenario.sim.dms_to(both) if "You were added to" in m.content]
    assert "“équipe (Coastal GPs)”" in added[-1].content, added[-1].content
