"""Reminder DMs, the persistent RSVP buttons, the quorum warning and the advance timer.

Timer handlers get ids only and re-read everything from the store.  A reminder
timer is one round of DMs to the group (cogs/_dm_round.py): cut short by a
crash, it runs again at restart within the grace and DMs only those it had not
reached, so each member gets it once.  The quorum warning is claimed before it
runs and never re-fired.  DMs are sent inside the handler, which already runs in
the background of the timer service.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord.utils import format_dt

from bot.access import require
from bot.compat import REST_FAULTS, fault_code
from bot.domain.access import Action
from bot.domain.agreement import has_access, with_access
from bot.domain.schedule_rules import roster, still_ahead
from bot.errors import handles_errors, reply
from bot.store import consents
from bot.store import groups as group_store
from bot.store import rsvps as rsvp_store
from bot.store import schedules as store
from bot.store import sessions as session_store
from bot.store.groups import Group
from bot.store.schedules import PLANNED, Planned
from bot.store.timers import Timer
from bot.textfit import MESSAGE_LIMIT, fill, spread
from bot.texts import scheduling as texts
from cogs import _schedule_plan as plan
from cogs._dm_names import DmGroupName
from cogs._dm_round import DmRound
from cogs._schedule_events import lobby_url

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

_CANNOT_DM = 50007


class RsvpButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"balint:rsvp:(?P<sid>[0-9]+):(?P<ans>yes|no)",
):
    """ "I'll be there" / "Can't make it": state lives in the custom_id, so it survives restarts."""

    def __init__(self, session_id: int, answer: str) -> None:
        label = texts.RSVP_YES_LABEL if answer == "yes" else texts.RSVP_NO_LABEL
        style = discord.ButtonStyle.success if answer == "yes" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=label, style=style, custom_id=f"balint:rsvp:{session_id}:{answer}"
            )
        )
        self.session_id = session_id
        self.answer = answer

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RsvpButton:
        return cls(int(match["sid"]), match["ans"])

    @handles_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        bot: BalintBot = interaction.client  # type: ignore[assignment]
        session = await store.get_session(bot.db, self.session_id)
        group = await group_store.get(bot.db, session.group_id) if session else None
        over = session is None or session.status not in (PLANNED, "live")
        if not over and session.status == PLANNED and session.scheduled_end <= bot.now():
            over = True  # the session's time has passed without it being started
        if over or group is None:
            await reply(interaction, texts.RSVP_OVER)
            return
        await require(bot, interaction, Action.RSVP, group)
        await rsvp_store.answer(bot.db, session.id, interaction.user.id, self.answer, bot.now())
        live = await session_store.get(bot.db, session.id) if session.status == "live" else None
        if self.answer == "yes" and live is not None and live.text_channel_id:
            # Pressed late: "noted" alone would leave them waiting for a meeting under way.
            channel = f"<#{live.text_channel_id}>"
            await reply(interaction, texts.RSVP_LIVE.format(channel=channel))
            return
        await reply(interaction, texts.RSVP_DONE[self.answer])


def rsvp_view(session_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(RsvpButton(session_id, "yes"))
    view.add_item(RsvpButton(session_id, "no"))
    return view


async def _context(bot: BalintBot, timer: Timer) -> tuple[Planned, Group] | None:
    """The still-planned session ahead and its live group, or None (then the timer does
    nothing)."""
    if timer.session_id is None:
        return None
    session = await store.get_session(bot.db, timer.session_id)
    if session is None or session.status != PLANNED:
        return None
    if not still_ahead(session.scheduled_start, bot.now()):
        return None  # a retry, or a restart, after its start: "meets at 19:00" is stale
    group = await group_store.get(bot.db, session.group_id)
    if group is None or group.archived:
        return None
    return session, group


async def _send_dm(bot: BalintBot, user_id: int, content: str, **kw: Any) -> bool:
    """DM one member; False only when their DMs are closed (50007).

    Any other Discord error (a 5xx after discord.py's retries, a 429, ...) is logged
    with the user id and status only and costs this member their DM, not the rest
    of the group theirs: the caller goes on with the next member.
    """
    try:
        channel = await bot.create_dm(discord.Object(user_id))
        await channel.send(content, **kw)
    except discord.HTTPException as exc:
        if exc.status == 403 and exc.code == _CANNOT_DM:
            return False
        log.warning("DM to user %s failed: HTTP %s (code %s)", user_id, exc.status, exc.code)
    except REST_FAULTS as exc:  # the connection broke: this member's DM only, as above
        log.warning("DM to user %s failed: %s", user_id, fault_code(exc))
    return True


async def on_reminder(bot: BalintBot, timer: Timer) -> None:
    """DM every member who wants reminders; one lobby mention for those we could not reach."""
    found = await _context(bot, timer)
    if found is None:
        if timer.retries:  # the clock's retry of DMs that failed for now, too late
            log.info("reminder %s given up: its meeting is no longer ahead", timer.id)
        return
    session, group = found
    start = session.scheduled_start
    when, rel = format_dt(start, "F"), format_dt(start, "R")
    named = await DmGroupName.of(bot, group)
    # A DM that failed for now (a 5xx, a reset, a 429) is tried again by the clock within
    # the grace, while the meeting is still ahead (`_context`); nobody gets it twice.
    dms = await DmRound.open(bot, timer, retry_passing=True)
    agreed = await consents.latest_by_user(bot.db, group.id)
    view = rsvp_view(session.id)  # one for the round: its buttons name the session
    for member in await group_store.members(bot.db, group.id):
        if not member.reminders_enabled:
            continue
        latest = agreed.get(member.user_id)
        if not has_access(latest, group.agreement_version, is_leader=member.is_leader):
            continue  # has not agreed yet: cannot open the lobby, as for the case prompt
        content = texts.REMINDER_DM.format(
            group=named.to(member.user_id), when=when, rel=rel, lobby=lobby_url(group)
        )
        await dms.send(member.user_id, content, view=view)
    unreachable = dms.closed()
    if unreachable and group.lobby_channel_id:
        # Fall back once, in one message (each recorded first, so a restart never repeats
        # it; a post Discord failed is put back, so the clock's retry makes it, unless
        # that retry finds it posted: Discord may have lost only its answer).
        log.info(
            "reminder %s: DMs closed for users %s; mentioned in lobby %s",
            timer.id,
            unreachable,
            group.lobby_channel_id,
        )
        mentions = [f"<@{uid}>" for uid in unreachable]
        lobby = bot.get_channel(group.lobby_channel_id) or await bot.fetch_channel(
            group.lobby_channel_id
        )
        # Everyone must be reached: mentions past 2,000 characters go into further messages.
        for fallback in spread(
            texts.LOBBY_FALLBACK, "mentions", mentions, group=group.name, when=when, rel=rel
        ):
            await dms.post(
                lobby,  # type: ignore[arg-type]
                fallback,
                [u for u in unreachable if f"<@{u}>" in fallback],
                allowed_mentions=discord.AllowedMentions(users=True, roles=False, everyone=False),
            )
    dms.finish()  # TryAgain if a DM failed for now: the clock's retry sends it


async def on_quorum(bot: BalintBot, timer: Timer) -> None:
    """At the first lead time: warn the leaders when too few have said yes."""
    found = await _context(bot, timer)
    if found is None:
        return
    session, group = found
    members = await group_store.members(bot.db, group.id)
    answers = await rsvp_store.for_session(bot.db, session.id)
    # Only who can open the lobby can come: a member who never agreed counts neither way.
    agreed = await consents.latest_by_user(bot.db, group.id)
    able = with_access(((m.user_id, m.is_leader) for m in members), agreed, group.agreement_version)
    yes, _no, silent = roster(able, answers)
    if len(yes) >= group.quorum:
        return
    start = session.scheduled_start

    def content(name: str) -> str:
        # Room left for the leaders' mentions should it go to the leaders' channel instead.
        return fill(
            texts.QUORUM_WARNING,
            "silent",
            [f"<@{uid}>" for uid in silent] or [texts.NOBODY],
            limit=MESSAGE_LIMIT - 200,
            sep=" ",
            yes_count=len(yes),
            quorum=group.quorum,
            group=name,
            when=format_dt(start, "F"),
            rel=format_dt(start, "R"),
        )

    named = await DmGroupName.of(bot, group)  # a leader of a namesake elsewhere: its server
    unreached = [
        m.user_id
        for m in members
        if m.is_leader and not await _send_dm(bot, m.user_id, content(named.to(m.user_id)))
    ]
    if unreached:  # once, in the leaders' own channel: members cannot see it
        log.info("quorum warning %s: DMs closed for leaders %s", timer.id, unreached)
        channel = bot.get_channel(group.leaders_channel_id or 0)
        if isinstance(channel, discord.abc.Messageable):
            mentions = " ".join(f"<@{uid}>" for uid in unreached)
            try:
                await channel.send(f"{mentions} {content(group.name)}")
            except REST_FAULTS as exc:
                log.warning("quorum warning %s not posted: %s", timer.id, fault_code(exc))


async def on_advance(bot: BalintBot, timer: Timer) -> None:
    """At a session's end: plan the following occurrence (and its event).

    An event Discord failed to make for a passing reason is made later by a timer of its
    own (cogs/_schedule_event_redo.py), which first looks for the event the failed try may
    have made (Discord did the work, then answered a 5xx). A refusal is not tried again.
    A run again after a crash looks first too: the run cut short may have died after
    Discord made the event and before its id was stored.
    """
    if timer.group_id is None:
        return
    await plan.replan(bot, timer.group_id, look_first=timer.ran_before)
