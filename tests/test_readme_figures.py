"""The README's Performance figures are the ones in benchmarks/results.json, rounded as
written: a reader compares them with a run of their own (not re-run here)."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
RESULTS = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))


def _v(bench: str, key: str) -> float:
    return RESULTS["benchmarks"][bench][key]["value"]


def test_the_performance_figures_are_those_of_results_json() -> None:
    g, s, sc, lr = "guard", "session", "scheduler", "longrun"
    floor = _v(s, "floor_cpu_ms_per_interaction")
    expected = [
        f"{round(_v(g, 'ordinary_messages_per_second'), -2):,.0f} messages/s on one core",
        f"(~{_v(g, 'ordinary_message_chars_mean'):.0f} chars)",
        f"| {_v(g, 'adversarial_worst_ms'):.0f} ms (",
        f"({_v(sc, 'timers_scheduled'):,.0f} pending timers)",
        f"| {_v(sc, 'arm_seconds'):.2f} s, {_v(sc, 'rss_mb'):.1f} MB peak RSS",
        f"p50 {_v('about', 'latency_p50'):.2f} ms, p99 {_v('about', 'latency_p99'):.2f} ms",
        f"{_v(s, 'interactions_per_second'):.0f} interactions/s handled; session commands "
        f"p50 {_v(s, 'session_latency_p50'):.0f} ms, p99 {_v(s, 'session_latency_p99'):.0f} ms",
        f"{_v(s, 'session_p99_over_about_p99'):.1f}x",
        f"{_v(s, 'cpu_ms_per_interaction'):.2f} ms of CPU per interaction "
        f"({floor:.2f} ms of it the Discord traffic alone)",
        f"at most ~{round(_v(s, 'single_core_ceiling'), -1):.0f}/s",
        f"p99 {_v(s, 'at_100_per_s_session_p99'):.1f} ms at 100/s, "
        f"{_v(s, 'at_200_per_s_session_p99'):.0f} ms at 200/s, "
        f"{_v(s, 'at_300_per_s_session_p99'):.0f} ms at 300/s, "
        f"{_v(s, 'at_400_per_s_session_p99'):.0f} ms at 400/s",
        f"{_v(s, 'rest_calls_per_phase_change_12_members'):.1f} on average, "
        f"{_v(s, 'rest_calls_per_phase_change_12_members_max'):.0f} at most",
        f"{_v(lr, 'heap_growth_per_meeting'):.0f} bytes per meeting over "
        f"{_v(lr, 'meetings'):.0f} meetings after {_v(lr, 'warmup_meetings'):.0f} of warm-up",
        f"| an interaction answered (`/balint about`) | "
        f"{_v(s, 'floor_bare_interaction_cpu_ms'):.2f} ms |",
        f"| one permission overwrite PUT, with its gateway echo | "
        f"{_v(s, 'floor_overwrite_put_cpu_ms'):.2f} ms |",
        f"| one message edit, with its gateway echo | "
        f"{_v(s, 'floor_message_edit_cpu_ms'):.2f} ms |",
        f"| REST calls per session command during the load | "
        f"{_v(s, 'rest_calls_per_session_command'):.1f} |",
        f"| {floor:.2f} ms |",
        f"| {_v(s, 'cpu_ms_per_interaction'):.2f} ms (the floor is "
        f"{_v(s, 'floor_share_of_cpu'):.0f}%) |",
        f"about {round(1000 / floor, -2):,.0f} interactions/s",
    ]
    missing = [figure for figure in expected if figure not in README]
    assert not missing, f"README figures that differ from results.json: {missing}"


async def test_the_sql_figures_are_those_the_count_prints() -> None:
    """`python -m benchmarks.sql_counts` is deterministic (counts, not timings): the
    README's statements per interaction are what it prints now, so a change that moves
    them must say so there."""
    from benchmarks.sql_counts import measure

    counts = await measure(3)

    def mean(kind: str) -> float:
        seen = counts.per_kind[kind]
        return sum(seen) / len(seen)

    expected = [
        f"a raised hand runs {mean('raise hand'):.1f},",
        f'"Next speaker" {mean("next speaker"):.1f},',
        f"`/phase next` {mean('phase next'):.1f} and `/turns` {mean('turns'):.0f}",
        f"`/session end` {mean('session end'):.0f} whatever the group's size",
    ]
    missing = [figure for figure in expected if figure not in README]
    assert not missing, f"README figures that differ from benchmarks.sql_counts: {missing}"
