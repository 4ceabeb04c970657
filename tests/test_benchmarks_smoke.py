"""Each benchmark runs at a tiny size and reports its figures with units (no timing asserted)."""

from __future__ import annotations

import asyncio
import json

import pytest

from benchmarks import bench_about, bench_guard, bench_longrun, bench_session, rest_counts
from benchmarks._floor import floor_figures
from benchmarks.run import main, normalise, table

FIGURE_KEYS = {"value", "unit", "goal", "met"}


def _check_figures(result: dict, required: set[str]) -> None:
    assert required <= set(result), sorted(required - set(result))
    for name, fig in result.items():
        assert set(fig) == FIGURE_KEYS, name
        assert isinstance(fig["unit"], str), name
        assert fig["met"] in (True, False, None), name


def test_guard_benchmark_reports_rate_and_adversarial_time() -> None:
    result = bench_guard.run(messages=50, adversarial_size=2_000, repeats=1)
    _check_figures(
        result,
        {"ordinary_messages_per_second", "adversarial_worst_ms", "ordinary_messages_flagged"},
    )
    assert result["ordinary_messages_per_second"]["unit"] == "messages/s"
    assert result["adversarial_worst_ms"]["unit"] == "ms"
    assert result["ordinary_messages_flagged"]["value"] == 0
    assert result["adversarial_worst_ms"]["met"] is None  # only judged at 100 KB


def test_ordinary_messages_are_clinical_and_do_not_trip_the_guard() -> None:
    texts = bench_guard.ordinary_messages(200)
    assert all(any(ch.isdigit() for ch in t) for t in texts)
    assert 150 <= sum(map(len, texts)) / len(texts) <= 250
    assert not [t for t in texts if bench_guard.scan(t)]


def test_adversarial_inputs_have_the_asked_size() -> None:
    inputs = bench_guard.adversarial_inputs(1000)
    assert {"digits", "at-signs", "mrn-cues", "zeros-then-x"} <= set(inputs)
    assert all(len(text) == 1000 for text in inputs.values())


def test_about_benchmark_reports_latency_and_throughput() -> None:
    result = bench_about.run(interactions=3, batch=3)
    _check_figures(
        result, {"latency_p50", "latency_p99", "latency_max", "batch_throughput", "errors"}
    )
    assert result["latency_p99"]["unit"] == "ms"
    assert result["batch_throughput"]["unit"] == "interactions/s"
    assert result["errors"]["value"] == 0


def test_session_benchmark_runs_meetings_or_says_it_skipped() -> None:
    result = bench_session.run(groups=2, rate=0, sizes=(6, 12), sweep=(500.0,))
    if "skipped" in result:
        pytest.skip(result["skipped"]["value"])
    _check_figures(
        result,
        {
            "interactions_per_second",
            "session_latency_p99",
            "about_latency_p99",
            "session_p99_over_about_p99",
            "rest_calls_per_phase_change_6_members",
            "rest_calls_per_phase_change_12_members",
            "errors",
            "at_500_per_s_session_p99",
            "highest_swept_rate_with_p99_under_goal",
            "cpu_ms_per_interaction",
            "rest_calls_per_session_command",
            "floor_bare_interaction_cpu_ms",
            "floor_cpu_ms_per_interaction",
        },
    )
    assert result["rest_calls_per_session_command"]["value"] > 0  # phase changes call Discord
    for name in ("floor_bare_interaction_cpu_ms", "floor_overwrite_put_cpu_ms"):
        assert result[name]["value"] > 0
    assert result["meetings_ended"]["value"] == 2
    assert result["at_500_per_s_achieved"]["value"] > 0  # the groups met a second time
    assert result["errors"]["value"] == 0
    assert result["rest_calls_per_phase_change_6_members"]["unit"] == "calls"


def test_longrun_benchmark_reports_the_heap_growth_per_meeting() -> None:
    result = bench_longrun.run(meetings=2, warmup=1)
    _check_figures(result, {"heap_growth_per_meeting", "heap_growth_total", "errors"})
    assert result["heap_growth_per_meeting"]["unit"] == "bytes"
    assert result["meetings"]["value"] == 2
    assert result["errors"]["value"] == 0


def test_floor_figures_split_the_cpu_between_discord_traffic_and_the_bot() -> None:
    floor = {"interaction": 0.4, "overwrite": 0.15, "edit": 0.2}
    out = floor_figures(floor, cpu_seconds=1.2, handled=1000, session=500, rest_calls=1450)
    assert out["cpu_ms_per_interaction"]["value"] == 1.2
    assert out["single_core_ceiling"]["value"] == pytest.approx(833.333, abs=0.001)
    assert out["rest_calls_per_session_command"]["value"] == 2.9
    # 0.4 ms per answer + 1.45 calls per interaction at 0.175 ms each
    assert out["floor_cpu_ms_per_interaction"]["value"] == pytest.approx(0.654, abs=0.001)
    assert out["floor_share_of_cpu"]["value"] == pytest.approx(54.479, abs=0.001)
    assert floor_figures(floor, cpu_seconds=0.0, handled=0, session=0, rest_calls=0) == {}


def test_scheduler_plain_numbers_get_units_and_goals() -> None:
    out = normalise("scheduler", {"arm_seconds": 1.5, "rss_mb": 250.0, "timers_armed": 10})
    assert out["arm_seconds"] == {"value": 1.5, "unit": "s", "goal": "< 2", "met": True}
    assert out["rss_mb"]["met"] is False
    assert "rss_mb" in table({"scheduler": out})


def test_runner_writes_results_json(tmp_path, capsys) -> None:
    target = tmp_path / "results.json"
    main(["--quick", "--only", "guard", "--output", str(target)])
    report = json.loads(target.read_text())
    assert set(report) >= {"machine", "date", "benchmarks"}
    assert report["machine"]["cpu_count"] >= 1
    assert "ordinary_messages_per_second" in report["benchmarks"]["guard"]
    assert "messages/s" in capsys.readouterr().out


def test_rest_counts_charge_each_call_to_its_interaction() -> None:
    counts = asyncio.run(rest_counts.measure(1))
    out = rest_counts.report(counts, top=5)
    for kind in ("raise hand", "next speaker", "done", "pass", "floor give", "phase next"):
        assert counts.per_kind[kind] and min(counts.per_kind[kind]) > 0, kind
        assert kind in out
    assert counts.status_passes > 0
    assert "/callback type=" in out  # an answer is listed with its type
