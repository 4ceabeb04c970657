"""Timed DMs of the cases capability: "Do you have a case?" and the follow-up question.

How the timers are armed (no polling of Discord, no timer armed far ahead):
an hourly timer of kind `case_prompt_scan` (key `case_scan:<YYYY-MM-DDTHH>`)
runs at the top of each hour, and once at start-up; it looks at the store for
planned sessions whose prompt time falls within the next two hours and arms
`case_prompt:<session_id>` for them, and for each presenter still to be asked
about a follow-up it arms `followup:<case_id>:<session_id>` before that
group's next planned session. Dedupe keys make every scan idempotent, so a
planned session that appears at any time (scheduling writes it) is prompted
for at the latest one hour after it enters the window. The handlers re-check
the session (still planned, still ahead) before sending anything.

Prompts turned off and on again: a prompt timer that comes due while the group has
them off sends nothing and ends cancelled (`NotNow`), not done. The scan revives a
cancelled prompt of a meeting still ahead, and turning prompts on runs the group's
scan at once (the start-up scan too, should a crash come between): the prompt goes
out now, or at its time if that is still ahead. One that went out is done and never
revived: a meeting's prompt is sent once. A prompt or follow-up question that came due
while the bot was out of the server (bot/clock.py cancels it) is revived the same way by
the first scan after it is invited back, if the meeting is still ahead.

A meeting that moves once its prompt is armed (/schedule move or set, /group timezone)
takes its prompt along (`balint_session_moved`): to the lead time before the new start;
at once if that is past and it was not sent (members still get the question before the
meeting); cancelled if it is now beyond the scan window (the scan arms it again in
time). A prompt that went out is never sent again. Should a crash lose the move, the
prompt firing at the old time sees its meeting is further off, sends nothing and ends
cancelled, and the scan arms it for the new time; the scan also moves a pending prompt
whose meeting moved earlier.

The follow-up question follows a move the same way: the group's pending questions are
cancelled and armed again for its next meeting (revived at the lead time before the new
start, at once if that is past; left cancelled if now beyond the window, for the scan to
revive in time). One that went out stays done, and counts as an ask. Should a crash lose
the move, a question firing before its meeting's question time sends nothing and ends
cancelled, and the scan moves a pending one whose meeting moved earlier.

A follow-up question counts as an ask only when it reached someone (see
`on_followup_prompt`): a passing failure is retried by the clock and never counted.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord

from bot.clock import NotNow
from bot.compat import TryAgain
from bot.domain.agreement import has_access
from bot.domain.cases import (
    ARM_WINDOW,
    TO_ASK,
    FollowupState,
    ask_again,
    prompt_due,
    should_arm,
)
from bot.store import cases as store
from bot.store import consents, deliveries
from bot.store import groups as group_store
from bot.store import timers as timer_store
from bot.store.timers import Timer
from bot.texts import cases as texts
from cogs._case_items import followup_view, offer_view
from cogs._dm_names import DmGroupName, dm_group_name
from cogs._dm_round import DmRound
from cogs._leaders_notice import tell_leaders

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._case_flow import CaseFlow

log = logging.getLogger(__name__)

SCAN = "case_prompt_scan"
CASE_PROMPT = "case_prompt"
FOLLOWUP_PROMPT = "followup_prompt"
# `followup_unreachable:<case id>`: the leaders told once that the presenter cannot be asked.
FOLLOWUP_UNREACHABLE = "followup_unreachable"
CASE_PROMPT_KEY = "case_prompt:"  # + the session id


def next_hour(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def local_date(moment: datetime, zone: str) -> str:
    """A date in the group's zone, written out so that it cannot be misread."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%d %B %Y").lstrip("0")


class CasePrompts:
    def __init__(self, bot: BalintBot, flow: CaseFlow) -> None:
        self.bot = bot
        self.flow = flow

    def register(self) -> None:
        timers = self.bot.timers
        timers.register(SCAN, self.on_scan, idempotent=True)
        # A prompt sent late is still useful as long as the meeting is ahead: no grace.
        # Idempotent: a round cut short by a crash resumes (cogs/_dm_round.py).
        timers.register(CASE_PROMPT, self.on_case_prompt, idempotent=True, members_facing=True)
        # Idempotent: a passing failure is tried again, and a crash's re-run sends it once.
        timers.register(
            FOLLOWUP_PROMPT, self.on_followup_prompt, idempotent=True, members_facing=True
        )
        timers.register(FOLLOWUP_UNREACHABLE, self.on_followup_unreachable, members_facing=True)

    async def arm_next_scan(self) -> None:
        due = next_hour(self.bot.now())
        await self.bot.timers.add(kind=SCAN, key=f"case_scan:{due:%Y-%m-%dT%H}", due_at=due)

    async def on_scan(self, timer: Timer | None = None) -> None:
        await self.scan()
        await self.arm_next_scan()

    async def scan(self, group_id: int | None = None) -> None:
        """Arm the prompts whose time is near (see the module docstring): every group's
        (the hourly scan), or one group's (it turned prompts on)."""
        now = self.bot.now()
        lead = self.bot.settings.case_prompt_lead_hours
        horizon = now + ARM_WINDOW + timedelta(hours=lead)
        for session in await store.planned_between(self.bot.db, now, horizon):
            start = session.scheduled_start
            if start is None or not should_arm(start, lead, now):
                continue
            if group_id is not None and session.group_id != group_id:
                continue
            group = await group_store.get(self.bot.db, session.group_id)
            if group is None or group.archived or not group.case_prompts_enabled:
                continue
            key, due = f"{CASE_PROMPT_KEY}{session.id}", max(prompt_due(start, lead), now)
            ids = {"guild_id": group.guild_id, "group_id": group.id, "session_id": session.id}
            await self._arm_at(CASE_PROMPT, key, due, **ids)
        if group_id is None:
            await self.arm_followups()

    async def arm_followups(self, group_id: int | None = None) -> None:
        """Follow-up prompts due before a coming meeting: one group's (a meeting ended), or
        every group's (the hourly scan). Per group, so a meeting's end costs the same in a
        bot with a year of meetings behind it."""
        now = self.bot.now()
        lead = self.bot.settings.followup_prompt_lead_hours
        for case in await store.to_ask(self.bot.db, group_id):
            if FollowupState(case.followup_state) not in TO_ASK or case.followup_after is None:
                continue
            asked = await timer_store.fired_count(self.bot.db, f"followup:{case.id}:")
            if not ask_again(FollowupState(case.followup_state), asked):
                continue
            # Not before now: a planned meeting that never took place must not block the rest.
            after = max(case.followup_after, now)
            upcoming = await store.next_planned(self.bot.db, case.group_id, after)
            start = upcoming.scheduled_start if upcoming else None
            if upcoming is None or start is None or not should_arm(start, lead, now):
                continue
            group = await group_store.get(self.bot.db, case.group_id)
            if group is None or group.archived:
                continue
            key, due = f"followup:{case.id}:{upcoming.id}", max(prompt_due(start, lead), now)
            ids = {"guild_id": group.guild_id, "group_id": group.id, "session_id": upcoming.id}
            await self._arm_at(FOLLOWUP_PROMPT, key, due, user_id=case.presenter_id, **ids)
            if case.followup_state != FollowupState.ASKED:
                await store.set_followup(self.bot.db, case.id, FollowupState.ASKED.value)

    async def _arm_at(self, kind: str, key: str, due: datetime, **ids: int | None) -> None:
        """The prompt's timer, due at `due`. Known already: came due while out of the
        server or before a later start (never sent), so pending again; or pending, so at
        the time for the meeting's start now (a move a crash cut short), unless it waits
        for the clock's retry after a passing failure: pulled to now, it would hit the same
        outage again at once. Done stays done."""
        timers = self.bot.timers
        added = await timers.add(kind=kind, key=key, due_at=due, **ids)
        if added is None and await timers.revive(key, due) is None:
            known = await timer_store.by_key(self.bot.db, key)
            if known is not None and known.retries == 0:
                await timers.move(key, due)

    async def on_case_prompt(self, timer: Timer) -> None:
        """Ask each member, by DM, whether they have a case for the coming meeting."""
        db = self.bot.db
        session = await store.session(db, timer.session_id or 0)
        now = self.bot.now()
        if session is None or session.status != store.PLANNED:
            return
        if session.scheduled_start is None or session.scheduled_start <= now:
            return
        if prompt_due(session.scheduled_start, self.bot.settings.case_prompt_lead_hours) > now:
            raise NotNow  # armed for an earlier start (a move a crash cut short): the scan
            # revives it at the prompt time of the meeting's new start
        group = await group_store.get(db, session.group_id)
        if group is None or group.archived:
            return
        if not group.case_prompts_enabled:
            raise NotNow  # cancelled, not done: turned on again, the scan revives it
        when = discord.utils.format_dt(session.scheduled_start, "F")
        named = await DmGroupName.of(self.bot, group)
        agreed = await consents.latest_by_user(db, group.id)
        # Each member once, even across a crash; a DM that failed for now (a 5xx, a reset)
        # is tried again by the clock while the meeting is ahead (checked above each run).
        dms = await DmRound.open(self.bot, timer, retry_passing=True)
        quiet = discord.AllowedMentions.none()
        view = offer_view(session.id)  # one for the round: its button names the session
        for member in await group_store.members(db, group.id):
            if member.is_leader:
                continue
            if not has_access(agreed.get(member.user_id), group.agreement_version):
                continue  # has not agreed yet: cannot see the meeting, so is not asked
            content = texts.PROMPT_DM.format(group=named.to(member.user_id), when=when)
            await dms.send(member.user_id, content, view=view, allowed_mentions=quiet)
        dms.finish()

    async def on_followup_prompt(self, timer: Timer) -> None:
        """Ask a presenter of an earlier meeting whether they would give a follow-up.

        The timer ends done, and so counts as one of the two asks (`ask_again`), only when
        the question reached someone: the presenter, or the leaders instead when the
        presenter's DMs are closed. A passing failure (a 5xx, the network) is tried again
        by the clock and, should every try fail, ends failed: asked before the next meeting.
        """
        db = self.bot.db
        case_id = int(timer.dedupe_key.split(":")[1])
        case = await store.get(db, case_id)
        target = await store.session(db, timer.session_id or 0)
        if case is None or case.followup_state != FollowupState.ASKED or target is None:
            return
        if target.status != store.PLANNED:
            return  # the meeting began meanwhile: the next scan asks before the one after
        start, lead = target.scheduled_start, self.bot.settings.followup_prompt_lead_hours
        if start is not None and prompt_due(start, lead) > self.bot.now():
            raise NotNow  # armed for an earlier start (a move a crash cut short): the scan
            # revives it at the question time of the meeting's new start
        membership = await group_store.membership(db, case.group_id, case.presenter_id)
        group = await group_store.get(db, case.group_id)
        if group is None or membership is None or membership.left_at is not None:
            return
        presented = await store.session(db, case.session_id)
        held = presented.held_at if presented else None
        await store.set_followup(db, case.id, FollowupState.ASKED.value, session_id=target.id)
        date = local_date(held, presented.zone(group.zone)) if presented and held else "-"
        name = await dm_group_name(self.bot, group, case.presenter_id)
        content = texts.FOLLOWUP_DM.format(group=name, date=date)
        dms = await DmRound.open(self.bot, timer)  # once, even across a crash or a retry
        sent = await dms.send(
            case.presenter_id,
            content,
            retry_passing=True,
            view=followup_view(case.id),
            allowed_mentions=discord.AllowedMentions.none(),
        )
        if sent == deliveries.SENDING:
            raise TryAgain(case.id)  # Discord or the network failed for now: not an ask yet
        if sent != deliveries.SENT:
            # Not lost in silence: the leaders can ask. Once per case (the key): the
            # question's second try a week later would only repeat "ask them yourselves".
            # Unless the first never went (cancelled: the bot was out of the server).
            key = f"{FOLLOWUP_UNREACHABLE}:{case.id}"
            told = await self.bot.timers.add(
                kind=FOLLOWUP_UNREACHABLE,
                key=key,
                due_at=self.bot.now(),
                guild_id=group.guild_id,
                group_id=group.id,
            )
            if told is None:
                told = await self.bot.timers.revive(key, self.bot.now())
            if told is not None:
                await self.bot.timers.fire(told.id)

    async def on_followup_unreachable(self, timer: Timer) -> None:
        """The presenter's DMs are closed: their own channel, the member and date, no case."""
        case = await store.get(self.bot.db, int(timer.dedupe_key.split(":")[1]))
        group = await group_store.get(self.bot.db, case.group_id) if case else None
        if case is None or group is None:
            return
        presented = await store.session(self.bot.db, case.session_id)
        held = presented.held_at if presented else None
        date = local_date(held, presented.zone(group.zone)) if presented and held else "-"
        line = texts.FOLLOWUP_UNREACHABLE.format(member=f"<@{case.presenter_id}>", date=date)
        await tell_leaders(self.bot, group, line)

    async def on_session_cancelled(self, session_id: int) -> None:
        """A skipped or cancelled meeting: its offers go and its prompt is not sent."""
        await store.delete_offers(self.bot.db, session_id)
        await self.bot.timers.cancel(f"{CASE_PROMPT_KEY}{session_id}", exact=True)

    async def on_session_moved(self, session_id: int) -> None:
        """A planned meeting has a new start: its prompt follows (see the module docstring)."""
        session = await store.session(self.bot.db, session_id)
        if session is None or session.status != store.PLANNED or session.scheduled_start is None:
            return
        await self.followups_moved(session.group_id)
        key, lead = f"{CASE_PROMPT_KEY}{session_id}", self.bot.settings.case_prompt_lead_hours
        if not should_arm(session.scheduled_start, lead, self.bot.now()):
            await self.bot.timers.cancel(key, exact=True)  # not due soon: the scan re-arms it
            return
        await self.scan(session.group_id)  # arms, revives or moves it; a sent one stays sent

    async def followups_moved(self, group_id: int) -> None:
        """A meeting of the group moved: its pending follow-up questions are armed again
        for its next meeting now (see the module docstring). Cancelled first, so that one
        about a meeting no longer next is not sent besides the new one; a crash in between
        leaves them cancelled, which the scan revives."""
        for key in await timer_store.pending_in_group(self.bot.db, FOLLOWUP_PROMPT, group_id):
            await self.bot.timers.cancel(key, exact=True)
        await self.arm_followups(group_id)

    async def on_session_ended(self, session_id: int) -> None:
        """Offers of the meeting go; its presenters are to be asked about a follow-up."""
        db = self.bot.db
        session = await store.session(db, session_id)
        if session is None:
            return
        await store.delete_offers(db, session_id)
        await store.close_followed(db, session_id)
        await store.ask_after_meeting(db, session_id, session.ended_at or self.bot.now())
        await self.arm_followups(session.group_id)
