"""The attendance certificate names who led each session the member attended.

A GP hands the certificate in for CPD or a training scheme: it must say who led
the sessions they came to, not who happens to lead the group on the day it is
issued. Leaders change (a co-leader takes over, a leader moves practice).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sim.scenario import Scenario
from tests.support import make_group
from tests.test_attendance_support import add_session, files_of, present

TUESDAY = datetime(2026, 11, 17, 19, 0, tzinfo=UTC)  # 2026-11-17 in London


async def _held(scenario: Scenario, group_id: int, start: datetime, came) -> int:
    sid = await add_session(scenario, group_id, start)
    await present(scenario, sid, came)
    scenario.bot.dispatch("balint_session_ended", sid)
    await scenario.sim.settle()
    return sid


async def _certificate(scenario: Scenario, handle, caller, member) -> str:
    result = await scenario.sim.slash(
        caller, "attendance certificate", channel=handle.lobby, options={"member": member}
    )
    [(_, data)] = files_of(result)
    return data.decode("utf-8")


async def test_each_session_keeps_the_leaders_who_led_it(scenario: Scenario) -> None:
    handle = await make_group(scenario, size=2)
    member = handle.members[0]
    first_leader, next_leader = handle.leader, scenario.people[10]
    await _held(scenario, handle.group.id, TUESDAY - timedelta(weeks=1), member)
    changed = await scenario.sim.slash(
        first_leader, "group leaders", channel=handle.lobby, options={"leader": next_leader}
    )
    assert changed.ephemeral and "Leaders of" in changed.text
    await _held(scenario, handle.group.id, TUESDAY, member)

    text = await _certificate(scenario, handle, next_leader, member)
    assert f"**Leader(s):** {first_leader.name}, {next_leader.name}" in text
    assert f"- 2026-11-10 (led by {first_leader.name})" in text
    assert f"- 2026-11-17 (led by {next_leader.name})" in text

    # The first leader asks to be forgotten: their id leaves the sessions' record too.
    asked = await scenario.sim.slash(first_leader, "privacy forget", in_dm=True)
    await scenario.sim.click(first_leader, asked.original, f"balint:forget:{first_leader.id}")
    await scenario.sim.settle()
    rows = await scenario.bot.db.fetchall("SELECT user_id FROM session_leaders")
    assert {r["user_id"] for r in rows} == {next_leader.id}
    text = await _certificate(scenario, handle, next_leader, member)
    assert first_leader.name not in text
    assert f"**Leader(s):** {next_leader.name}\n" in text
    assert "- 2026-11-10\n" in text


async def test_a_session_without_a_recorded_leader_names_none(scenario: Scenario) -> None:
    """No guess from today's leaders: a date with no record shows the date alone."""
    handle = await make_group(scenario, size=1)
    member = handle.members[0]
    sid = await _held(scenario, handle.group.id, TUESDAY, member)
    await scenario.bot.db.execute("DELETE FROM session_leaders WHERE session_id = ?", (sid,))
    text = await _certificate(scenario, handle, handle.leader, member)
    assert "**Leader(s):** (none recorded)" in text
    assert "- 2026-11-17\n" in text


def test_the_attendance_table_writes_dates_no_country_misreads() -> None:
    """“03-04” is 4 March to some leaders and 3 April to others: the month is named."""
    from datetime import date

    from cogs._attendance_render import group_table

    table = group_table(
        "Thursday", [date(2026, 3, 4), date(2026, 11, 26)], [("gp-01", [None, None])]
    )
    header = table.split("```")[1].strip("\n").splitlines()[0]
    assert "03-04" not in header and " 4Mar" in header and "26Nov" in header
    cells = table.split("```")[1].strip("\n").splitlines()[1]
    assert len(cells) == len(header)  # each cell still sits under its date
