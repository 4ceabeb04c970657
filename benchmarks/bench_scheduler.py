"""Benchmark: 10,000 groups with weekly schedules; time until every reminder is armed.

Setup (not measured): a fresh SQLite store gets `groups` groups spread over
time zones, each with a weekly series, its next planned session and that
session's timers (two reminders, the quorum check, the advance timer), all
written with the store's repository functions inside one transaction.

Measured, in a FRESH interpreter (so imports count, as on a real start-up):
from process start until `TimerService.start()` returns with a real `Clock()`,
and the process's peak RSS.  `start()` arms in APScheduler the timers due
within `bot.clock.HORIZON` (`timers_armed`) and a re-arm job that arms the
rest as they come within the horizon (`timers_scheduled`: all pending timers,
counted after the measurement).

Run: `python -m benchmarks.bench_scheduler [groups]`; `run()` returns
{"arm_seconds", "rss_mb", "timers_armed", ...}.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ZONES = (
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Australia/Adelaide",
    "Europe/Berlin",
    "America/Los_Angeles",
    "Asia/Tokyo",
)
KINDS = ("session_reminder", "session_quorum", "advance_schedule")

_CHILD = r"""
import asyncio, json, resource, sys, time
from bot.clock import Clock, TimerService
from bot.store.database import Database
from bot.store.timers import pending

def peak_rss_kb():
    # VmHWM: this process's own peak. ru_maxrss survives exec on Linux, so it would
    # report the parent's size at fork (the parent has just built 10,000 groups).
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

async def main(path):
    db = Database(path)
    await db.open()
    await db.migrate()
    service = TimerService(db, Clock())

    async def noop(timer):
        return None

    for kind in KINDS:
        service.register(kind, noop)
    counts = await service.start()
    armed_at = time.time()
    rss_kb = peak_rss_kb()
    counts["scheduled"] = len(await pending(db))  # covered: armed now or by the re-arm job
    await service.stop()
    await db.close()
    print(json.dumps({"armed_at": armed_at, "counts": counts, "rss_kb": rss_kb}))

KINDS = %r
asyncio.run(main(sys.argv[1]))
"""


async def populate(path: Path, groups: int, now: datetime) -> dict[str, float]:
    """Fill a fresh store through the repository functions, in one transaction."""
    from bot.domain.recurrence import Cadence, Schedule, build_rrule, next_occurrence
    from bot.domain.schedule_rules import lead_minutes, reminder_plan
    from bot.store import groups as group_store
    from bot.store import schedules as schedule_store
    from bot.store import timers as timer_store
    from bot.store.database import Database
    from cogs._schedule_plan import quorum_key, reminder_key

    started = time.perf_counter()
    db = Database(path)
    await db.open()
    await db.migrate()
    leads = lead_minutes(None, [1440, 60])
    timers = 0
    async with db.transaction():
        for index in range(groups):
            zone = ZONES[index % len(ZONES)]
            group_id = await group_store.create(
                db, guild_id=1 + index // 100, name=f"group {index}", zone=zone, now=now
            )
            series = Schedule(
                rrule=build_rrule(Cadence.WEEKLY, index % 7),
                local_time=datetime.min.time().replace(hour=17 + index % 4),
                starts=date(2026, 1, 5),
                until=None,
                duration_minutes=90,
                zone=zone,
            )
            await schedule_store.set_series(db, group_id, series, now)
            occ = next_occurrence(series, now)
            assert occ is not None
            sid = await schedule_store.insert_planned(
                db, group_id, occ.original_date, occ.start_utc, occ.end_utc
            )
            ids = {"guild_id": 1 + index // 100, "group_id": group_id, "session_id": sid}
            planned = [
                (reminder_key(sid, lead, occ.start_utc), KINDS[0], due)
                for lead, due in reminder_plan(occ.start_utc, leads, now)
            ]
            quorum_due = occ.start_utc - timedelta(minutes=leads[0])
            if quorum_due > now:
                planned.append((quorum_key(sid, leads[0], occ.start_utc), KINDS[1], quorum_due))
            planned.append((f"advance_schedule:{sid}:end", KINDS[2], occ.end_utc))
            for key, kind, due in planned:
                await timer_store.add(db, kind=kind, dedupe_key=key, due_at=due, now=now, **ids)
                timers += 1
    await db.close()
    return {"setup_seconds": time.perf_counter() - started, "timers_stored": timers}


def run(groups: int = 10_000) -> dict[str, float]:
    """Populate a fresh store, then time a fresh process arming every timer."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        now = datetime.now(UTC)
        setup = asyncio.run(populate(path, groups, now))
        root = Path(__file__).resolve().parent.parent
        code = _CHILD % (KINDS,)
        t0 = time.time()
        out = subprocess.run(
            [sys.executable, "-c", code, str(path)],
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "arm_seconds": round(result["armed_at"] - t0, 3),
        "rss_mb": round(result["rss_kb"] / 1024, 1),
        "timers_armed": result["counts"]["armed"],
        "timers_scheduled": result["counts"]["scheduled"],
        "groups": groups,
        "setup_seconds": round(setup["setup_seconds"], 2),
        "timers_stored": setup["timers_stored"],
    }


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000), indent=2))
