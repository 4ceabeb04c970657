"""Bad input: generated option values never produce the generic error or an unhandled one."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.texts import common as texts
from tests.support import make_group

NASTY = st.one_of(
    st.text(max_size=40),
    st.text(min_size=90, max_size=100),
    st.sampled_from(
        [
            "",
            " ",
            "25:00",
            "+2",
            "-1",
            "1900-01-01",
            "9999-12-31",
            "2026-02-30",
            "Mars/Olympus",
            "UTC+99",
            "00:00",
            "24:00",
            "7pm",
            "2026-11-23",
            "Europe/London",
            "\u202e\u0000",
            "🙂" * 30,
        ]
    ),
)
FREE_FORM = {
    "schedule once": ("date", "time"),
    "schedule move": ("date", "new_date", "new_time"),
    "schedule skip": ("date",),
    "schedule roster": ("date",),
    "attendance export": ("from", "to"),
}
HYPO = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def examples(**strategies: st.SearchStrategy) -> list[dict]:
    """Draw examples with hypothesis (sync), to run them against the async bot one by one.

    Hypothesis cannot drive an async function inside the running test loop, so
    there is no shrinking; the failing example is printed instead.
    """
    drawn: list[dict] = []

    @HYPO
    @given(**strategies)
    def collect(**values: object) -> None:
        drawn.append(values)

    collect()
    return drawn


def _check(result, where: str) -> None:  # noqa: ANN001
    assert result.responded, f"{where}: no answer"
    assert texts.UNEXPECTED_ERROR not in result.text, f"{where}: {result.text}"
    assert result.ephemeral, f"{where}: public answer {result.text!r}"


async def test_free_form_schedule_and_attendance_options(scenario) -> None:
    handle = await make_group(scenario, size=3)

    for ex in examples(
        command=st.sampled_from(sorted(FREE_FORM)), values=st.lists(NASTY, min_size=3)
    ):
        command, values = ex["command"], ex["values"]
        names = FREE_FORM[command]
        options = {n: v[:100] for n, v in zip(names, values, strict=False)}
        result = await scenario.sim.slash(
            handle.leader, command, channel=handle.lobby, options=options
        )
        _check(result, f"/{command} {options!r}")
        assert not scenario.sim.errors, scenario.sim.errors


async def test_group_create_with_any_name_and_zone(scenario) -> None:
    for ex in examples(name=NASTY, zone=NASTY):
        name, zone = ex["name"], ex["zone"]
        result = await scenario.sim.slash(
            scenario.organiser,
            "group create",
            options={"name": name[:100], "timezone": zone[:100], "leader": scenario.people[0]},
        )
        _check(result, f"/group create {name!r} {zone!r}")
        assert not scenario.sim.errors, scenario.sim.errors


async def test_huge_and_negative_numbers(scenario) -> None:
    handle = await make_group(scenario, size=3)

    for ex in examples(duration=st.integers(min_value=-(2**53), max_value=2**53), time=NASTY):
        duration, time = ex["duration"], ex["time"]
        options = {"date": "2026-12-10", "time": time[:100], "duration": duration}
        result = await scenario.sim.slash(
            handle.leader, "schedule once", channel=handle.lobby, options=options
        )
        _check(result, f"/schedule once {options!r}")
        assert not scenario.sim.errors, scenario.sim.errors
