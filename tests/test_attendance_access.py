"""Every attendance and pulse command refuses the wrong caller with the right sentence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.sim.scenario import Scenario
from bot.texts.common import WHO_MAY
from tests.support import make_group
from tests.test_attendance_support import add_session, files_of

LEADERS_ONLY = {
    "attendance mark": {"status": "present"},
    "attendance group": {},
    "attendance export": {},
    "attendance chart": {},
    "pulse": {},
}
MEMBERS = {"attendance me": {}, "attendance certificate": {}}


@pytest.mark.parametrize("who", ["outsider", "member", "other_group_member", "organiser"])
async def test_commands_refuse_the_wrong_caller(scenario: Scenario, who: str) -> None:
    handle = await make_group(scenario, size=2)
    await add_session(scenario, handle.group.id, datetime(2026, 11, 17, 19, 0, tzinfo=UTC))
    other = await make_group(
        scenario, name="Other group", leader=scenario.people[8], members=[scenario.people[9]]
    )
    caller = {
        "outsider": scenario.outsider,
        "member": handle.members[0],
        "other_group_member": other.members[0],
        "organiser": scenario.organiser,
    }[who]
    target = handle.members[1]
    cases = dict(LEADERS_ONLY)
    if who != "member":
        cases |= MEMBERS
    for command, extra in cases.items():
        options: dict[str, object] = {"group": handle.name, **extra}
        if command in ("attendance mark", "attendance certificate"):
            options["member"] = target
        result = await scenario.sim.slash(caller, command, options=options)
        expected = WHO_MAY["leaders" if command in LEADERS_ONLY else "group_members"]
        assert result.ephemeral, command
        assert result.text == expected, (command, result.text)
        assert not files_of(result), command
    assert await scenario.bot.db.fetchall("SELECT * FROM attendance") == []


async def test_members_may_read_their_own_record_only(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=2)
    me = await scenario.sim.slash(handle.members[0], "attendance me", channel=handle.lobby)
    assert me.ephemeral and "no recorded sessions" in me.text
    own = await scenario.sim.slash(
        handle.members[0],
        "attendance certificate",
        channel=handle.lobby,
        options={"member": handle.members[0]},
    )
    assert files_of(own)
