"""Session timers: phase warnings, scheduled-end DMs, the silence nudge, away waits, round turns.

Every timer lives in the store (keys dedupe); handlers re-read the session and
do nothing if the moment has passed (the phase moved on, the deadline was
extended, the session ended). Nothing advances or ends by itself unless the
group turned auto-advance or auto-end on.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import discord

from bot.compat import TryAgain
from bot.domain import session as domain
from bot.domain.phases import DeadlineChanged, Phase, PhaseChanged, SessionState
from bot.domain.turns import AWAY_WAIT, AwayChanged, RoundAdvanced, RoundStarted
from bot.errors import UserError
from bot.store import sessions as session_store
from bot.store.clocktime import to_epoch
from bot.store.timers import Timer
from bot.texts import facilitation as texts
from cogs._dm_names import line_of
from cogs._session_apply import ApplyFailed
from cogs._session_engine import Live, mention, phase_name

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_engine import Engine

log = logging.getLogger(__name__)

WARN_BEFORE = timedelta(minutes=2)
END_WARN_BEFORE = timedelta(minutes=10)

K_WARN, K_PHASE_END, K_SCHED, K_SILENCE, K_AWAY, K_ROUND, K_PURGE = (
    "session_phase_warn",
    "session_phase_end",
    "session_scheduled_end",
    "session_silence",
    "session_away",
    "session_round_turn",
    "session_purge",
)
SCHEDULED_END_DM_GRACE = timedelta(minutes=10)  # later than this, "ends soon" is stale
K_PURGE_FAILED = "session_purge_failed"  # never twice: the leaders hear of a stuck purge once


class SessionTimers:
    def __init__(self, bot: BalintBot, engine: Engine) -> None:
        self.bot = bot
        self.engine = engine

    def register(self, purge_handler: object, purge_failed_handler: object) -> None:
        t = self.bot.timers
        t.register(K_WARN, self.on_phase_warn, grace=timedelta(minutes=2))
        t.register(K_PHASE_END, self.on_phase_end, grace=timedelta(minutes=30), idempotent=True)
        # No grace: an auto-end missed while the bot was down still ends the meeting (else it
        # stays live, its channel open, until a leader notices); the late DM is skipped.
        t.register(K_SCHED, self.on_scheduled_end, grace=None)
        t.register(K_SILENCE, self.on_silence, grace=timedelta(minutes=10), idempotent=True)
        t.register(K_AWAY, self.on_away, idempotent=True)
        t.register(K_ROUND, self.on_round_turn, grace=timedelta(minutes=10), idempotent=True)
        t.register(K_PURGE, purge_handler, grace=None, idempotent=True)  # type: ignore[arg-type]
        t.register(K_PURGE_FAILED, purge_failed_handler, grace=None)  # type: ignore[arg-type]

    async def _add(
        self, kind: str, key: str, due: object, live: Live, user_id: int | None = None
    ) -> None:
        await self.bot.timers.add(
            kind=kind,
            key=key,
            due_at=due,  # type: ignore[arg-type]
            guild_id=live.group.guild_id,
            group_id=live.group.id,
            session_id=live.session.id,
            user_id=user_id,
        )

    # --- arming ---------------------------------------------------------------------------

    async def after_start(self, live: Live) -> None:
        sid = live.session.id
        end = live.session.scheduled_end
        if end is not None:
            await self._add(K_SCHED, f"sched_end:{sid}:warn", end - END_WARN_BEFORE, live)
            await self._add(K_SCHED, f"sched_end:{sid}:at", end, live)
        await self.arm_phase(live, live.state)

    async def arm_phase(self, live: Live, state: SessionState) -> None:
        """The warning before the phase's deadline, and the auto-advance if the group wants it."""
        if state.phase_deadline is None or not state.live:
            return
        sid, due = live.session.id, state.phase_deadline
        key = f"{sid}:{state.phase.value}:{to_epoch(due)}"
        await self._add(K_WARN, f"phase_warn:{key}", due - WARN_BEFORE, live)
        if live.group.auto_advance:
            await self._add(K_PHASE_END, f"phase_end:{key}", due, live)

    async def auto_advance_on(self, group_id: int) -> None:
        """Turned on mid-meeting: the phase under way gets its advance too, not only the next."""
        session = await session_store.live_for_group(self.bot.db, group_id)
        if session is not None:
            live = await self.engine.load(session)
            await self.arm_phase(live, live.state)

    async def after_change(self, live: Live, new: SessionState, effects: list[object]) -> None:
        if not new.live:
            return
        if any(isinstance(e, DeadlineChanged) for e in effects):
            await self.arm_phase(live, new)
        if any(isinstance(e, PhaseChanged) for e in effects) and new.phase is Phase.DISCUSSION:
            await self._arm_silence(live, new.phase_started_at + self._silence_wait(live))
        for effect in effects:
            if isinstance(effect, AwayChanged) and effect.since is not None:
                key = f"away:{live.session.id}:{effect.user_id}:{to_epoch(effect.since)}"
                await self._add(K_AWAY, key, effect.since + AWAY_WAIT, live, effect.user_id)
                name = mention(effect.user_id)
                line = line_of(texts.DM_AWAY, member=name)
                self.engine.spawn(self.engine.dm_leaders(live, line))
        if any(isinstance(e, (RoundStarted, RoundAdvanced)) for e in effects) and new.in_round:
            now = self.bot.now()
            # Read under the lock with the session (/round start stores it before its change).
            minutes = live.session.round_turn_minutes
            await session_store.set_round_turn(self.bot.db, live.session.id, minutes, now)
            if minutes:
                key = f"round:{live.session.id}:{to_epoch(now)}:{new.round_index}"
                await self._add(K_ROUND, key, now + timedelta(minutes=minutes), live)

    def _silence_wait(self, live: Live) -> timedelta:
        minutes = live.group.silence_nudge_minutes or self.bot.settings.silence_nudge_minutes
        return timedelta(minutes=minutes)

    async def _arm_silence(self, live: Live, due: object) -> None:
        await self._add(K_SILENCE, f"silence:{live.session.id}:{to_epoch(due)}", due, live)  # type: ignore[arg-type]

    # --- handlers ---------------------------------------------------------------------------------

    async def _live(self, timer: Timer) -> Live | None:
        if timer.session_id is None:
            return None
        return await self.engine.fetch(timer.session_id)

    @staticmethod
    def _key_matches(timer: Timer, state: SessionState) -> bool:
        _, _, phase, deadline = timer.dedupe_key.split(":")
        return (
            state.phase.value == phase
            and state.phase_deadline is not None
            and to_epoch(state.phase_deadline) == int(deadline)
        )

    async def on_phase_warn(self, timer: Timer) -> None:
        live = await self._live(timer)
        if live is None or not self._key_matches(timer, live.state):
            return
        group, end = live.group, live.session.scheduled_end
        found = domain.at_deadline(
            live.state, group.auto_advance, group.auto_end, end, self.bot.now()
        )
        moment = end if found.act == "session_end" else live.state.phase_deadline
        line = line_of(
            texts.DM_PHASE_WARNING[found.act],
            phase=phase_name(live.state.phase),
            when=discord.utils.format_dt(moment, "R"),  # type: ignore[arg-type]
            next=phase_name(found.target) if found.target is not None else "",
        )
        await self.engine.dm_leaders(live, line, in_session=True)

    async def on_phase_end(self, timer: Timer) -> None:
        live = await self._live(timer)
        if live is None or not self._key_matches(timer, live.state) or not live.group.auto_advance:
            return
        if not domain.may_auto_advance(live.state, live.group.auto_end):
            return  # the closing's time is up: the leaders end the meeting
        seen = live.state.phase.value
        try:
            await self.engine.change(
                live.session.id, lambda s: domain.advance(s, self.bot.now()), seen_phase=seen
            )
        except UserError as exc:  # e.g. no presenter yet: the leaders decide
            log.info("auto-advance of session %s skipped: %s", live.session.id, exc.message)
            failed = exc.__cause__
            if not isinstance(failed, ApplyFailed):
                return
            if timer.retries == 0:  # refused by Discord: nobody asked; told once
                # A passing fault undone is tried again by the clock: not "try again" to
                # leaders who ran nothing; nor "I will try again" if the clock gives it up
                # at once (run late, a retry would come past its grace).
                if failed.passing and failed.undone:
                    said = texts.DM_AUTO_ADVANCE_RETRY
                    if self.bot.timers.last_try(timer):
                        said = texts.DM_AUTO_ADVANCE_GIVEN_UP
                    line = line_of(said, phase=phase_name(seen))
                else:
                    line = line_of(texts.DM_AUTO_ADVANCE_FAILED, why=exc.message)
                await self.engine.dm_leaders(live, line)
            if failed.passing:  # undone: the clock runs this again (the key still matches)
                raise TryAgain(live.session.id) from exc

    async def on_scheduled_end(self, timer: Timer) -> None:
        live = await self._live(timer)
        if live is None or live.session.scheduled_end is None:
            return
        at_end = timer.dedupe_key.endswith(":at")
        if self.bot.now() - timer.due_at <= SCHEDULED_END_DM_GRACE:
            when = discord.utils.format_dt(live.session.scheduled_end, "R")
            template = texts.DM_END_SOON_AUTO if live.group.auto_end else texts.DM_END_SOON
            if at_end:  # with auto-end the bot ends it: no /session end for them to run
                template = texts.DM_END_NOW_AUTO if live.group.auto_end else texts.DM_END_NOW
            await self.engine.dm_leaders(live, line_of(template, when=when))
        if at_end and live.group.auto_end:
            cog = self.bot.get_cog("Facilitation")
            try:
                await cog.end_session(live.session.id)  # type: ignore[union-attr]
            except UserError as exc:  # refused (the bot lost a permission): nobody asked
                failed = exc.__cause__
                if isinstance(failed, ApplyFailed) and failed.passing and failed.undone:
                    # Nothing to fix: "once that is fixed" would leave them waiting.
                    phase = phase_name(live.state.phase)
                    line = line_of(texts.DM_AUTO_END_PASSING, phase=phase)
                else:
                    line = line_of(texts.DM_AUTO_END_FAILED, why=exc.message)
                await self.engine.dm_leaders(live, line)

    async def on_silence(self, timer: Timer) -> None:
        live = await self._live(timer)
        if live is None or live.state.phase is not Phase.DISCUSSION:
            return
        wait = self._silence_wait(live)
        now = self.bot.now()
        last = max(live.state.phase_started_at, live.session.last_message_at or now - 2 * wait)
        if now - last >= wait:
            minutes = int(wait.total_seconds() // 60)
            await self.engine.dm_leaders(live, line_of(texts.DM_SILENCE, minutes=minutes))
            await self._arm_silence(live, now + wait)
        else:
            await self._arm_silence(live, last + wait)

    async def on_away(self, timer: Timer) -> None:
        live = await self._live(timer)
        if live is None:
            return
        try:
            await self.engine.change(
                live.session.id, lambda s: domain.expire_away(s, self.bot.now())
            )
        except UserError:
            return

    async def on_round_turn(self, timer: Timer) -> None:
        live = await self._live(timer)
        if live is None or not live.state.in_round:
            return
        _, _, started, index = timer.dedupe_key.split(":")
        session = live.session
        if session.turn_started_at is None or to_epoch(session.turn_started_at) != int(started):
            return
        if live.state.round_index != int(index):
            return
        try:
            await self.engine.change(session.id, domain.round_timeout)
        except UserError:
            return
