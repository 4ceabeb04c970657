"""The agreement's reminders when the network breaks under one of their calls.

discord.py raises aiohttp's errors (not an HTTPException) when a connection is reset.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.texts import agreement as texts
from tests.session_support import start_session
from tests.support import make_group
from tests.test_agreement_changes import change, reminder_dms
from tests.test_net_faults_background import first_survey_dm_resets


async def test_an_agreement_line_the_network_breaks_is_posted_at_the_timers_retry(
    scenario: Scenario,
) -> None:
    """A reset is a passing failure: the reminder round (idempotent) runs again a minute
    later, so the channel line (all that members with closed DMs see) is posted then,
    once, and the DMs follow; a refusal (caught in cogs/agreement.py) would lose it."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    await change(scenario, handle)
    failed = first_survey_dm_resets(scenario, marker=texts.SESSION_REMINDER[:40])
    _, channel = await start_session(scenario, handle)
    await sim.settle()
    assert failed, "the line was not attempted"
    await scenario.advance(minutes=1)
    lines = [m.content for m in sim.messages_in(channel) if m.author.id == sim.bot_user.id]
    assert lines.count(texts.SESSION_REMINDER) == 1
    assert all(len(reminder_dms(scenario, m)) == 1 for m in handle.members)
    assert sim.errors == []


async def test_an_agreement_dm_the_network_breaks_at_a_rejoin_does_not_stop_the_other_groups(
    scenario: Scenario,
) -> None:
    """A member of two groups comes back to the server; the first group changed its
    agreement meanwhile and its DM breaks: the second group's role is still given back."""
    sim = scenario.sim
    away = scenario.people[1]
    a = await make_group(scenario, name="Group A", leader=scenario.people[0], members=[away])
    b = await make_group(scenario, name="Group B", leader=scenario.people[5], members=[away])
    await sim.leave_server(away)
    await sim.settle()
    await change(scenario, a)
    failed = first_survey_dm_resets(scenario, marker="changed the group agreement. You keep access")
    sim.add_member(scenario.guild, away)  # they come back: GUILD_MEMBER_ADD
    await sim.settle()
    assert failed, "the agreement DM was not attempted"
    assert sim.can(away, a.lobby)  # given before the DM
    assert sim.can(away, b.lobby), "the second group's role was not given back"
    assert sim.errors == []


async def test_a_resent_agreement_the_network_breaks_says_it_was_not_delivered(
    scenario: Scenario,
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=1)
    member = handle.members[0]
    await change(scenario, handle)
    failed = first_survey_dm_resets(scenario, marker="I agree")
    result = await sim.slash(
        handle.leader, "group agreement resend", channel=handle.lobby, options={"member": member}
    )
    assert failed, "the DM was not attempted"
    assert result.text == texts.RESEND_FAILED.format(user=f"<@{member.id}>"), result.text
    assert sim.errors == []
