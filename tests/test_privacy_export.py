"""/privacy export as the member reads it: exact records, and a summary a GP can read.

Each test drives the real bot through the simulator and reads the file the member gets.
"""

from __future__ import annotations

import json
from typing import Any

from bot.sim.scenario import Scenario
from bot.store.clocktime import to_epoch
from tests.test_privacy import seed

# Epoch seconds between 2001 and 2286: a time left as a raw number in the file.
EPOCH_RANGE = range(10**9, 10**10)


def numbers(value: object) -> list[int]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers(v)]
    return [value] if isinstance(value, int) and not isinstance(value, bool) else []


def the_json(files: list[tuple[str, bytes]]) -> dict[str, Any]:
    (data,) = [data for name, data in files if name.endswith(".json")]
    return json.loads(data)


async def test_every_time_in_the_export_is_a_date_not_an_epoch_number(
    scenario: Scenario,
) -> None:
    """A case's "ask about a follow-up after" time and a meeting's phase deadline were
    exported as epoch seconds (1795424400): no reader can tell that is a date."""
    made = await seed(scenario)
    me = scenario.people[1]
    t = to_epoch(scenario.clock.now())
    db = scenario.bot.db
    await db.execute(
        "UPDATE cases SET followup_after = ?, followup_promised_at = ?, started_at = ?, "
        "ended_at = ? WHERE presenter_id = ?",
        (t + 600, t, t - 7000, t - 6000, me.id),
    )
    await db.execute(
        "UPDATE sessions SET phase_deadline = ?, phase_started_at = ?, turn_started_at = ?, "
        "last_message_at = ?, scheduled_start = ?, scheduled_end = ? WHERE id = ?",
        (t + 900, t - 100, t - 50, t - 10, t - 7200, t - 3600, made["session_id"]),
    )
    result = await scenario.sim.slash(me, "privacy export", channel=made["lobby"])
    document = the_json(result.files)
    assert document["tables"]["cases"][0]["followup_after"].endswith("+00:00")
    assert document["tables"]["sessions"][0]["phase_deadline"].endswith("+00:00")
    assert [n for n in numbers(document) if n in EPOCH_RANGE] == []


async def test_the_times_of_a_delivery_and_a_role_take_back_are_dates_too(
    scenario: Scenario,
) -> None:
    """Their column is named `at`: it was exported as epoch seconds."""
    made = await seed(scenario)
    me = scenario.people[1]
    t = to_epoch(scenario.clock.now())
    db = scenario.bot.db
    timer = await db.fetchone("SELECT id FROM timers WHERE user_id = ?", (me.id,))
    await db.execute(
        "INSERT INTO timer_deliveries VALUES (?, ?, 'sent', NULL, ?)", (timer["id"], me.id, t)
    )
    await db.execute(
        "INSERT INTO role_takebacks VALUES (?, ?, 'not_agreed', 1, ?)", (made["group_id"], me.id, t)
    )
    result = await scenario.sim.slash(me, "privacy export", channel=made["lobby"])
    tables = the_json(result.files)["tables"]
    assert tables["timer_deliveries"][0]["at"].startswith("2026-11-23T09:00:00")
    assert tables["role_takebacks"][0]["at"].startswith("2026-11-23T09:00:00")
    assert [n for n in numbers(tables) if n in EPOCH_RANGE] == []


def test_every_column_described_as_a_time_is_shown_as_one() -> None:
    from bot.store.data_kind import is_time
    from bot.store.data_kinds import DATA_KINDS

    for kind in DATA_KINDS:
        for column, meaning in kind.columns.items():
            if meaning.split()[0] in {"when", "since"} or meaning.endswith(("start", "end")):
                assert is_time(column), f"{kind.table}.{column}"
