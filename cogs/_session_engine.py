"""The session engine: load a session from the store, run one domain transition, apply it.

Every change goes the same way, under the session's lock: rebuild the state
from the store, ask the domain for (new state, effects), write the permission
plan to Discord, and only then store the new state. A failing REST call leaves
the store at the last fully applied plan. Side effects (lines in the channel,
timers, voice mutes, the status message) follow from the effects list.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord.http import handle_message_parameters

from bot import deadline
from bot.access import UNREAD, Unread
from bot.compat import REST_FAULTS, fault_code
from bot.domain import session as domain
from bot.domain.phases import (
    DomainError,
    FloorChanged,
    Phase,
    PhaseChanged,
    RoundEnded,
    SessionState,
)
from bot.domain.session import ApplyPlan, Outcome
from bot.domain.turns import AwayChanged, HandsDropped, RoundAdvanced, RoundJoined, RoundStarted
from bot.errors import UserError
from bot.keyed_locks import KeyedLock, KeyedLocks
from bot.store import groups as group_store
from bot.store import session_group
from bot.store import sessions as session_store
from bot.store.clocktime import to_epoch
from bot.store.groups import Group, Membership
from bot.store.sessions import Session
from bot.textfit import fill, pack
from bot.texts import facilitation as texts
from cogs import _lost_answers as lost
from cogs._dm_names import DmGroupName, Line
from cogs._session_apply import Applier, ApplyFailed, late_leader_writes, stale_allow_writes
from cogs._session_durations import durations_of

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_status import StatusUpdater
    from cogs._session_voice import VoiceKeeper

log = logging.getLogger(__name__)

PHASE_WARNING = timedelta(minutes=2)
POST_MENTIONS = discord.AllowedMentions(users=True)


@dataclass(frozen=True, slots=True)
class Live:
    """One session as loaded from the store, with its group and leaders."""

    session: Session
    group: Group
    leaders: frozenset[int]
    state: SessionState
    caller_id: int | None = None  # whose membership `caller` holds, read with the state
    caller: Membership | None = None

    def known(self, user_id: int) -> Membership | None | Unread:
        """`user_id`'s membership as read with this state (for bot.access.require), or
        UNREAD if it was not read with it."""
        return self.caller if user_id == self.caller_id else UNREAD


Transition = Callable[[SessionState], Outcome]
# Reads what a transition depends on (who is a member, who is present) under the lock.
Reader = Callable[[Live], Awaitable[Transition]]


def mention(user_id: int | None) -> str:
    return f"<@{user_id}>" if user_id is not None else texts.STATUS_NOBODY


def phase_name(phase: Phase | str) -> str:
    return texts.PHASE_NAMES[str(phase)]


def floor_moved_text(holder: int | None) -> str:
    """The refusal of a stale "Next speaker": who has the floor now."""
    if holder is None:
        return texts.FLOOR_ALREADY_BACK
    return texts.FLOOR_ALREADY_MOVED.format(member=mention(holder))


def reason_text(error: DomainError) -> str:
    return texts.REASONS.get(error.reason, texts.REASONS["ended"])


class Engine:
    """Shared by the commands, the buttons and the timers."""

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot
        self.applier = Applier(bot)
        self.locks: KeyedLocks[int] = KeyedLocks()  # a session's, only while held or awaited
        self.status: StatusUpdater | None = None
        self.voice: VoiceKeeper | None = None
        self.background: set[asyncio.Task[None]] = set()
        self.on_ended: Callable[[Live], Awaitable[None]] | None = None
        self.on_end_stored: Callable[[Live], Awaitable[None]] | None = None

    def lock(self, session_id: int) -> KeyedLock[int]:
        return self.locks[session_id]

    def spawn(self, coro: object) -> None:
        """A background task the bot keeps a reference to (DMs after the answer)."""
        task = asyncio.create_task(coro)  # type: ignore[arg-type]
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    # --- loading ---------------------------------------------------------------------

    async def load(self, session: Session, group: Group | None = None) -> Live:
        """The state rebuilt from the store; the leaders come with the state's one read."""
        if group is None:
            group = await group_store.get(self.bot.db, session.group_id)
            assert group is not None
        durations = durations_of(self.bot, group)
        state = await session_store.load_state(
            self.bot.db, session, durations=durations, max_cases=group.max_cases
        )
        return Live(session, group, state.leaders, state)

    async def fetch(self, session_id: int, caller: int | None = None) -> Live | None:
        """The live session loaded, in one statement (with `caller`'s membership, if given);
        None if it is not live (or gone)."""
        found = await session_group.get_with_state(self.bot.db, session_id, caller)
        if found is None or not found[0].live:
            return None
        session, group, rows, membership = found
        if group is None:
            return await self.load(session)
        durations, cases = durations_of(self.bot, group), group.max_cases
        state = session_store.state_of(session, rows, durations=durations, max_cases=cases)
        return Live(session, group, state.leaders, state, caller, membership)

    # --- one change ---------------------------------------------------------------------

    async def change(
        self,
        session_id: int,
        transition: Transition | None = None,
        *,
        read: Reader | None = None,
        seen_phase: str | None = None,
        seen_floor: int | None = None,
        persist: Callable[[SessionState], Awaitable[None]] | None = None,
        caller: int | None = None,
    ) -> tuple[Live, SessionState, list[object]]:
        """Run one transition under the session's lock; UserError explains a refusal.

        `read` (instead of `transition`) reads the transition's inputs under the lock (store
        reads only): read before it, a member removed in between would be put back.
        `caller`: the user whose membership `read` checks, read with the state (Live.known).
        """
        # Store calls no longer leave the loop (bot/store/database.py), so a change would run
        # as one long step: yield first, so that interactions already dispatched get answered.
        await asyncio.sleep(0)
        await deadline.before_lock(self.lock(session_id))  # held by another change: defer first
        async with self.lock(session_id):
            live = await self.fetch(session_id, caller)
            if live is None:
                raise UserError(texts.ALREADY_ENDED)
            if seen_phase is not None and live.state.phase.value != seen_phase:
                raise UserError(texts.ALREADY_MOVED.format(phase=phase_name(live.state.phase)))
            if seen_floor is not None and (live.state.floor_holder or 0) != seen_floor:
                raise UserError(floor_moved_text(live.state.floor_holder))
            if read is not None:
                transition = await read(live)
            assert transition is not None
            try:
                new_state, effects = transition(live.state)
            except DomainError as exc:
                raise UserError(reason_text(exc)) from exc
            if new_state == live.state and not effects:
                return live, new_state, []
            await self.apply_effects(live, effects, live_after=new_state.live)
            now = self.bot.now()
            await session_store.save_state(
                self.bot.db,
                new_state,
                applied=True,
                old=live.state,
                now=now,
                applied_was=live.session.applied_phase,
            )
            if persist is not None:
                await persist(new_state)
            if not new_state.live:  # with its timers, before any REST call
                async with self.bot.db.transaction():
                    await session_store.mark_ended(self.bot.db, session_id, now)
                    if self.on_end_stored is not None:
                        await self.on_end_stored(live)
            await asyncio.sleep(0)  # the same, between the stored change and its side effects
            try:
                await self.after(live, new_state, effects)
            except Exception:
                if not new_state.live:  # its held timers (the purge) are armed all the same
                    await self._ended(live)
                raise
            if not new_state.live:
                await self._ended(live)
            return live, new_state, list(effects)

    async def _ended(self, live: Live) -> None:
        if self.on_ended is not None:
            await self.on_ended(live)

    async def apply_effects(
        self, live: Live, effects: list[object], *, live_after: bool = True
    ) -> None:
        """Write the permission plan; ApplyFailed becomes the sentence for the leader.

        A leader named with `/group leaders` after the start gets the allow at once
        (`refresh_leaders`); should that write have failed, the next change writes it
        (leaders are re-read on every change; the check uses discord.py's cache, no REST call).
        """
        plan = next((e for e in effects if isinstance(e, ApplyPlan)), None)
        channel = self.text_channel(live.session)
        if channel is None or live.group.role_id is None:
            return  # the channel is gone: nothing to write, the state still moves
        writes = list(plan.writes) if plan is not None else []
        if live_after:
            writes = late_leader_writes(channel, live.leaders) + writes
        if plan is not None:
            writes += stale_allow_writes(
                channel,
                self.bot.user.id if self.bot.user else 0,
                live,
                writes,
                live_after=live_after,
            )
        if not writes:
            return
        try:
            await self.applier.apply(channel, live.group.role_id, writes)
        except ApplyFailed as exc:
            raise UserError(exc.sentence(phase_name(live.state.phase))) from exc

    async def refresh_leaders(self, session_id: int) -> int:
        """Leaders named or stepping down mid-session get or lose their allow at once.

        Returns the number of overwrites written; a failure is logged (the next change
        of the session writes them again).
        """
        async with self.lock(session_id):
            live = await self.fetch(session_id)
            if live is None:
                return 0
            channel = self.text_channel(live.session)
            if channel is None or live.group.role_id is None:
                return 0
            writes = late_leader_writes(channel, live.leaders)
            bot_id = self.bot.user.id if self.bot.user else 0
            writes += stale_allow_writes(channel, bot_id, live, writes, live_after=True)
            if not writes:
                return 0
            try:
                return await self.applier.apply(channel, live.group.role_id, writes)
            except ApplyFailed as exc:
                log.warning("session %s: leaders' overwrites not updated: %s", session_id, exc)
                return 0

    def text_channel(self, session: Session) -> discord.abc.GuildChannel | None:
        if session.text_channel_id is None:
            return None
        channel = self.bot.get_channel(session.text_channel_id)
        return channel if isinstance(channel, discord.abc.GuildChannel) else None

    # --- after a change ---------------------------------------------------------------------

    async def after(self, live: Live, new: SessionState, effects: list[object]) -> None:
        """Lines in the channel, timers, voice, the status message, the events."""
        lines: list[str] = []
        phase_change: PhaseChanged | None = None
        for effect in effects:
            if isinstance(effect, PhaseChanged):
                phase_change = effect
                lines.append(
                    texts.LINE_PHASE.format(
                        phase=phase_name(effect.new), hint=texts.PHASE_HINTS[effect.new.value]
                    )
                )
                if effect.new is Phase.RETURN and new.presenter_id is not None:
                    lines.append(texts.LINE_RETURN.format(member=mention(new.presenter_id)))
            elif isinstance(effect, RoundStarted):
                pass
            elif isinstance(effect, RoundAdvanced) and effect.current is not None:
                template = (
                    texts.LINE_ROUND_TIMEOUT if effect.how == "timeout" else texts.LINE_ROUND_NEXT
                )
                lines.append(template.format(member=mention(effect.current)))
            elif isinstance(effect, RoundAdvanced) and effect.how == "timeout":
                lines.append(texts.LINE_ROUND_TIMEOUT_LAST)
            elif isinstance(effect, RoundJoined):
                lines.append(texts.LINE_ROUND_JOINED.format(member=mention(effect.user_id)))
            elif isinstance(effect, RoundEnded) and phase_change is None:
                lines.append(texts.LINE_ROUND_STOPPED if effect.cut_short else texts.LINE_ROUND_END)
            elif isinstance(effect, FloorChanged) and not new.in_round and effect.new is not None:
                lines.append(texts.LINE_FLOOR.format(member=mention(effect.new)))
            elif isinstance(effect, AwayChanged):
                lines.append(
                    (texts.LINE_AWAY if effect.since else texts.LINE_BACK).format(
                        member=mention(effect.user_id)
                    )
                )
            elif isinstance(effect, HandsDropped):
                members = [mention(u) for u in effect.user_ids]
                lines.append(fill(texts.LINE_HANDS_DROPPED, "members", members))
        if any(isinstance(e, RoundStarted) for e in effects) and new.floor_holder is not None:
            order = [mention(u) for u in new.round_order]  # each is called in turn anyway
            lines.append(fill(texts.ROUND_STARTED, "order", order))
        if live.session.text_channel_id:
            for content in pack(lines):  # Discord takes 2,000 characters per message
                await self.post(live.session.text_channel_id, content)
        if self.voice is not None:
            await self.voice.follow(live, new)
        timers = getattr(self.bot.get_cog("Facilitation"), "timers", None)
        if timers is not None:
            await timers.after_change(live, new, effects)
        if self.status is not None:
            self.status.touch(live.session.id, Live(live.session, live.group, live.leaders, new))
        if phase_change is not None:
            old = phase_change.old.value if phase_change.old else ""
            self.bot.dispatch("balint_phase_changed", live.session.id, old, new.phase.value)

    async def post(self, channel_id: int, content: str) -> None:
        """One line in the session channel; a failure is logged, never fatal."""
        # The raw route: nothing needs the sent Message back, so none is built from the answer.
        with handle_message_parameters(
            content=content,
            allowed_mentions=POST_MENTIONS,
            nonce=lost.nonce(),  # a 502 resent: posted once
            previous_allowed_mentions=self.bot.allowed_mentions,
        ) as params:
            try:
                await self.bot.http.send_message(channel_id, params=params)
            except REST_FAULTS as exc:
                log.warning("could not post in session channel %s: %s", channel_id, fault_code(exc))

    async def dm_leaders(self, live: Live, line: Line, *, in_session: bool = False) -> None:
        """DM each leader; if a leader's DMs are closed, a line for them instead.

        Each DM names the group as that leader tells it apart (its server too, for one in
        a namesake elsewhere). The line goes in the group's leaders' channel: a nudge meant
        for the leaders only must not reach the members. Phase warnings (`in_session`) go
        in the session channel, where the leader is looking, as the meeting's plan allows.
        """
        named = await DmGroupName.of(self.bot, live.group)
        closed = []
        for user_id in sorted(live.leaders):
            try:
                channel = await self.bot.create_dm(discord.Object(user_id))
                await channel.send(line(group=named.to(user_id)))
            except discord.Forbidden:
                closed.append(user_id)
            except REST_FAULTS as exc:
                log.warning("DM to leader %s failed: %s", user_id, fault_code(exc))
        target = live.session.text_channel_id if in_session else live.group.leaders_channel_id
        if closed and target and live.session.live:
            await self.post(
                target,
                " ".join(mention(u) for u in closed)
                + " "
                + texts.LINE_LEADER_DM_CLOSED.format(text=line(group=live.group.name)),
            )

    def epoch(self, moment: datetime) -> int:
        return to_epoch(moment)


__all__ = ["Engine", "Live", "domain", "durations_of", "mention", "phase_name"]
