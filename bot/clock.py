"""Time for the bot: the timer service, and the injectable clock (bot/clocks.py) it re-exports.

The store's timers table is the source of truth; APScheduler only wakes us at
the due time. At start-up jobs are derived from the store, never the other way
round. With a ManualClock (tests, demo) nothing is armed in APScheduler:
`advance()` moves time and fires what fell due, in order.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.clocks import Clock, ManualClock
from bot.store import timers as timer_store
from bot.store.database import Database
from bot.store.timers import Timer
from bot.timer_kinds import (
    RETRY_AFTER,
    NotNow,
    TimerHandler,
    TimerKind,
    final_try,
    may_retry,
    retry_due,
    too_late,
)

__all__ = ["RETRY_AFTER", "Clock", "ManualClock", "NotNow", "TimerKind", "TimerService"]

log = logging.getLogger(__name__)


# With a real clock only timers due within HORIZON are armed in APScheduler; a job
# every REARM_EVERY (shorter than HORIZON, so nothing is ever late) arms the next
# slice.  APScheduler's add_job costs ~0.5 ms: arming all 37,000 timers of 10,000
# groups took ~13 s at start-up (benchmarks/bench_scheduler.py); an hour's slice
# is a few hundred jobs.
HORIZON = timedelta(hours=1)
REARM_EVERY = timedelta(minutes=10)
_REARM_JOB = "balint-rearm"
FIRED_KEPT = 100  # the last timers fired, remembered for tests and the demo


class TimerService:
    """Arms, claims and fires the store's timers."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.horizon = HORIZON
        self.kinds: dict[str, TimerKind] = {}
        self._scheduler: AsyncIOScheduler | None = None
        self._started = False
        # (kind, timer id) of the last timers fired, for tests and the demo; bounded, as the
        # bot runs for months and fires several timers per meeting.
        self.fired: deque[tuple[str, int]] = deque(maxlen=FIRED_KEPT)
        # The timers a task of this process is claiming or running, each with the outcome
        # its run will have (did the work run?): `fire` waits for it, run_due skips it.
        self._runs: dict[int, asyncio.Future[bool]] = {}
        # When each timer now running was claimed: its `last_try` answer holds for the run.
        self._claimed: dict[int, datetime] = {}
        # Keys of timers stored with a change whose REST calls are still under way: not
        # armed until `release` (see `add`).
        self._held: set[str] = set()
        # Whether the bot was removed from a server (set by the app). Why: a group's
        # reminders, prompts and "time to start" DMs name a meeting the bot can no longer
        # run there; its store stays, so that inviting the bot back carries on.
        self.left_server: Callable[[int], bool] = lambda guild_id: False
        # Which failures are passing (worth a retry), and their words for the log: set by
        # the app (bot.compat), so this module needs no discord import (the timers alone).
        self.passing: Callable[[BaseException], bool] = lambda error: False
        self.describe: Callable[[BaseException], str] = lambda error: type(error).__name__

    def register(
        self,
        kind: str,
        handler: TimerHandler,
        *,
        grace: timedelta | None = None,
        idempotent: bool = False,
        members_facing: bool = False,
    ) -> None:
        """`members_facing`: the work DMs or posts to a server's members, so it is skipped
        (the timer cancelled) while the bot is not in that server."""
        self.kinds[kind] = TimerKind(handler, grace, idempotent, members_facing)

    async def start(self) -> dict[str, int]:
        """Recover interrupted timers, fire or miss overdue ones, arm the rest."""
        now = self.clock.now()
        counts = {"armed": 0, "fired_late": 0, "missed": 0, "recovered": 0}
        for timer in await timer_store.in_state(self.db, timer_store.FIRING):
            kind = self.kinds.get(timer.kind)
            if kind and kind.idempotent:
                await timer_store.finish(self.db, timer.id, timer_store.PENDING)
                counts["recovered"] += 1
            else:  # might have been sent already: never twice
                await timer_store.finish(self.db, timer.id, timer_store.MISSED)
        if not self.clock.manual:
            self._scheduler = AsyncIOScheduler(timezone=UTC)
            self._scheduler.start()
        self._started = True
        until = None if self.clock.manual else now + self.horizon
        for timer in await timer_store.pending(self.db, due_before=until):
            if timer.due_at <= now:
                if too_late(self.kinds.get(timer.kind), timer, now):
                    await timer_store.mark(self.db, timer.id, timer_store.MISSED, now)
                    counts["missed"] += 1
                    log.info("timer %s (%s) missed while the bot was down", timer.id, timer.kind)
                    continue
                counts["fired_late"] += 1
            counts["armed"] += 1
            self._arm(timer)
        if self.clock.manual:
            await self.run_due()
        elif self._scheduler is not None:
            self._scheduler.add_job(
                self.rearm,
                "interval",
                seconds=REARM_EVERY.total_seconds(),
                id=_REARM_JOB,
                replace_existing=True,
                misfire_grace_time=None,
                coalesce=True,
            )
        return counts

    @property
    def started(self) -> bool:
        return self._started

    async def rearm(self) -> int:
        """Arm the pending timers that came within the horizon (real clock only)."""
        if self._scheduler is None:
            return 0
        due = await timer_store.pending(self.db, due_before=self.clock.now() + self.horizon)
        for timer in due:
            self._arm(timer)
        return len(due)

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        self._started = False

    async def add(
        self,
        *,
        kind: str,
        key: str,
        due_at: datetime,
        guild_id: int | None = None,
        group_id: int | None = None,
        session_id: int | None = None,
        user_id: int | None = None,
        hold: bool = False,
    ) -> Timer | None:
        """Store a timer (once per key) and arm it; None if that key already exists.

        `hold`: stored now but armed only at `release`. For a change whose own REST calls
        follow its store write (a session's end): with the real clock, a timer due now
        would otherwise run as soon as the write commits, before those calls. A restart
        arms it anyway (the hold is in memory only), so a crash loses nothing.
        """
        if kind not in self.kinds:
            raise KeyError(f"no handler registered for timer kind {kind!r}")
        timer = await timer_store.add(
            self.db,
            kind=kind,
            dedupe_key=key,
            due_at=due_at,
            now=self.clock.now(),
            guild_id=guild_id,
            group_id=group_id,
            session_id=session_id,
            user_id=user_id,
        )
        if timer is not None and hold:
            self._held.add(key)
        elif timer is not None and self._started:
            self._arm(timer)
        return timer

    async def release(self, key: str) -> Timer | None:
        """Arm a timer stored with `hold`: the change it was stored with is done."""
        self._held.discard(key)
        timer = await timer_store.by_key(self.db, key)
        if timer is not None and timer.state == timer_store.PENDING and self._started:
            self._arm(timer)
        return timer

    async def move(self, key: str, due_at: datetime) -> None:
        timer = await timer_store.reschedule(self.db, key, due_at)
        if timer is not None and self._started:
            self._arm(timer)

    async def revive(self, key: str, due_at: datetime) -> Timer | None:
        """Pending again if it was cancelled (never fired); nothing otherwise (None)."""
        timer = await timer_store.revive(self.db, key, due_at)
        if timer is not None and self._started:
            self._arm(timer)
        return timer

    async def cancel(self, key_prefix: str, *, exact: bool = False) -> int:
        """Cancel the pending timers whose key starts with `key_prefix` (`exact`: only the
        timer with that very key, for keys such as `case_prompt:12` that prefix others)."""
        ids = await timer_store.cancel_prefix(self.db, key_prefix, exact=exact)
        if self._scheduler is not None:
            for timer_id in ids:
                job = self._scheduler.get_job(str(timer_id))
                if job is not None:
                    job.remove()
        return len(ids)

    async def withdraw(self, key: str) -> None:
        """The pending timer with this key goes, row and all: the change it was stored with
        was rolled back (a refused grant), so nothing is left that says it happened."""
        timer_id = await timer_store.withdraw(self.db, key)
        if timer_id is not None and self._scheduler is not None:
            job = self._scheduler.get_job(str(timer_id))
            if job is not None:
                job.remove()

    def _arm(self, timer: Timer) -> None:
        if self._scheduler is None:
            return  # manual clock: advance() fires it
        if timer.dedupe_key in self._held:
            return  # armed at its release (rearm, move and revive included)
        now = self.clock.now()
        if timer.due_at > now + self.horizon:
            job = self._scheduler.get_job(str(timer.id))
            if job is not None:  # moved beyond the horizon: rearm() picks it up later
                job.remove()
            return
        run_at = max(timer.due_at, now)
        # Armed inside a transaction or not, the job's task is not that transaction's
        # (the store tells transactions apart by task: bot/store/database.py).
        self._scheduler.add_job(
            self._fire_once,
            DateTrigger(run_date=run_at, timezone=UTC),
            args=[timer.id],
            id=str(timer.id),
            replace_existing=True,
            misfire_grace_time=None,
        )

    async def fire(self, timer_id: int) -> bool:
        """Claim and run one timer now; True if its work ran.

        For a command that stores a timer due now and fires it itself, so that its next
        step comes after the work. With the real clock the scheduler's job (armed by
        `add`) may have claimed it first: then this waits for that run to end, rather
        than going on while the work is half done. So never call it holding a transaction
        or a lock its handler takes. `add` still arms the job: should the command fail
        before its `fire`, the work runs at once instead of at the next restart.

        Refused inside a transaction: the handler runs in this task, so its own
        transaction would join the caller's (a failure half-way left its first write to
        commit) and its REST calls would hold the write lock. Fire after the commit.
        """
        if self.db.in_transaction():
            raise RuntimeError("TimerService.fire() called inside a store transaction")
        running = self._runs.get(timer_id)
        if running is not None:
            return await asyncio.shield(running)
        return await self._fire_once(timer_id)

    async def _fire_once(self, timer_id: int) -> bool:
        """Claim and run one timer; True only if this call ran it (one already claimed or
        running in this process is skipped: the scheduler's jobs and run_due)."""
        if timer_id in self._runs:
            return False
        # Registered before the first await: a `fire` from another task now waits for it.
        outcome: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._runs[timer_id] = outcome
        ran = False
        try:
            ran = await self._claim_and_run(timer_id)
        finally:
            del self._runs[timer_id]
            outcome.set_result(ran)
        return ran

    async def _claim_and_run(self, timer_id: int) -> bool:
        now = self.clock.now()
        timer = await timer_store.get(self.db, timer_id)
        if timer is None or timer.state != timer_store.PENDING or timer.due_at > now:
            return False
        if not await timer_store.claim(self.db, timer_id, now):
            return False
        kind = self.kinds.get(timer.kind)
        if kind is None:
            log.error("no handler for timer kind %s (id %s)", timer.kind, timer.id)
            await timer_store.finish(self.db, timer_id, timer_store.FAILED)
            return False
        if too_late(kind, timer, now):  # a retry, or a run the loop held up, past its grace
            log.info("timer %s (%s) missed: past its grace", timer.id, timer.kind)
            await timer_store.finish(self.db, timer_id, timer_store.MISSED)
            return False
        if kind.members_facing and timer.guild_id and self.left_server(timer.guild_id):
            log.info(
                "timer %s (%s) skipped: the bot left server %s",
                timer.id,
                timer.kind,
                timer.guild_id,
            )
            await timer_store.finish(self.db, timer_id, timer_store.CANCELLED)
            return False
        self._claimed[timer.id] = now
        try:
            await kind.handler(timer)
        except NotNow:
            await timer_store.finish(self.db, timer_id, timer_store.CANCELLED)
            return False
        except Exception as exc:
            if may_retry(kind, timer, self.passing(exc)):
                if final_try(kind, timer, now):  # a retry could only be missed: said so now
                    return await self._give_up(timer, exc)
                if await self._retry(kind, timer, exc):
                    return False
            log.exception("timer %s (%s) failed", timer.id, timer.kind)
            await timer_store.finish(self.db, timer_id, timer_store.FAILED)
            return False
        finally:
            self._claimed.pop(timer.id, None)
        await timer_store.finish(self.db, timer_id, timer_store.DONE)
        self.fired.append((timer.kind, timer.id))
        return True

    def last_try(self, timer: Timer) -> bool:
        """Whether a passing failure of this run of `timer` ends it rather than running it
        again: for a handler that tells the leaders once, when the bot gives up."""
        kind = self.kinds.get(timer.kind)
        claimed = self._claimed.get(timer.id, self.clock.now())
        return kind is None or final_try(kind, timer, claimed)

    async def _give_up(self, timer: Timer, error: BaseException) -> bool:
        """A passing failure whose retry would come past the kind's grace: missed at once,
        and the log says it is given up rather than promise a try that cannot run."""
        why = self.describe(error)
        log.warning(
            "timer %s (%s) failed (%s); given up: a retry would come past its grace",
            timer.id,
            timer.kind,
            why,
        )
        await timer_store.finish(self.db, timer.id, timer_store.MISSED)
        return False

    async def _retry(self, kind: TimerKind, timer: Timer, error: BaseException) -> bool:
        """Run it again a little later: Discord's outage or the network's was passing, and
        an idempotent handler may run again (a reminder round skips who has it). False if
        its row is gone (an erasure deletes its own): nothing armed, the caller logs it."""
        due = retry_due(kind, timer, self.clock.now())
        if not await timer_store.retry_later(self.db, timer.id, due):
            return False
        why, at = self.describe(error), due.isoformat()
        log.warning("timer %s (%s) failed (%s); trying again at %s", timer.id, timer.kind, why, at)
        if self._started:
            self._arm(replace(timer, due_at=due, state=timer_store.PENDING))
        return True

    async def run_due(self) -> int:
        """Fire every pending timer that is due now, oldest first (repeat until none)."""
        fired = 0
        while True:
            due = await timer_store.pending(self.db, due_before=self.clock.now())
            if not due:
                return fired
            for timer in due:
                if await self._fire_once(timer.id):
                    fired += 1
                await asyncio.sleep(0)

    async def advance(self, delta: timedelta) -> int:
        """Manual clock only: move time forward step by step, firing timers on their due time."""
        if not isinstance(self.clock, ManualClock):
            raise RuntimeError("advance() needs a ManualClock")
        target = self.clock.now() + delta
        fired = 0
        while True:
            upcoming = [t for t in await timer_store.pending(self.db, due_before=target)]
            if not upcoming:
                break
            self.clock.set(max(self.clock.now(), upcoming[0].due_at))
            fired += await self.run_due()
        self.clock.set(target)
        return fired + await self.run_due()
