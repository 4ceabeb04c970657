"""A member away from the server when the leaders changed the agreement is asked on return.

The round of DMs after a change skips whoever is not on the server (Discord cannot DM
them). Such a member came back, got the group role again (an earlier acceptance keeps
access) and was never asked to agree to the new text: only a line at each session.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.store import consents
from bot.texts import agreement as texts
from tests.support import make_group
from tests.test_agreement import agree_id, agreement_dms
from tests.test_agreement_changes import change


async def test_a_member_away_during_a_change_is_asked_when_they_return(
    scenario: Scenario,
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    away, stayed = handle.members
    await sim.leave_server(away)
    await sim.settle()
    await change(scenario, handle)
    assert not [m for m in agreement_dms(scenario, away) if agree_id(m).endswith(":2")]
    sim.add_member(scenario.guild, away)  # they come back: GUILD_MEMBER_ADD
    await sim.settle()
    assert sim.can(away, handle.lobby)  # an earlier acceptance keeps access
    asked = [m for m in agreement_dms(scenario, away) if agree_id(m).endswith(":2")]
    assert len(asked) == 1
    assert texts.DM_INTRO_CHANGED.format(name=handle.name) in asked[0].content
    pressed = await sim.click(away, asked[0], agree_id(asked[0]))
    assert pressed.text == texts.AGREED.format(version=2, name=handle.name)
    assert await consents.latest(scenario.bot.db, handle.group.id, away.id) == 2
    assert len([m for m in agreement_dms(scenario, stayed) if agree_id(m).endswith(":2")]) == 1


async def test_a_returning_member_who_agreed_to_the_current_text_gets_no_dm(
    scenario: Scenario,
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=1)
    member = handle.members[0]
    before = len(sim.dms_to(member))
    await sim.leave_server(member)
    sim.add_member(scenario.guild, member)
    await sim.settle()
    assert sim.can(member, handle.lobby)
    assert len(sim.dms_to(member)) == before
