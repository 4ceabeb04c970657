"""The lobby "Start the session" button, posted when a scheduled session is due.

Armed by cogs/_schedule_plan.replan (timer kind `session_due`, key `due:<sid>`,
due at scheduled_start). The button runs the same path as `/session start`
(the Facilitation cog's `Lifecycle.start`), so nothing about starting is
duplicated here. State lives in the custom_id, so it works after a restart. A button
that came due while the bot was removed from the server is offered when it is invited
back, if the meeting's time is not over (`offer_missed`). A post Discord failed for a
passing reason is tried again by the timer within the meeting's time, never twice
(`on_due`).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord
from discord.utils import format_dt

from bot.access import caller, require
from bot.compat import REST_FAULTS, fault_code, passing
from bot.domain.access import Action
from bot.errors import Refused, UserError, handles_errors, reply
from bot.store import groups as group_store
from bot.store import schedules as schedule_store
from bot.store import sessions as session_store
from bot.store import timers as timer_store
from bot.store.groups import Group
from bot.store.schedules import PLANNED, Planned
from bot.store.timers import Timer
from bot.texts import common as common_texts
from bot.texts import groups as group_texts
from bot.texts import settings as texts
from bot.timer_kinds import retry_due
from cogs._dm_names import line_of
from cogs._dm_round import custom_ids, ours_after, since_due
from cogs._leaders_notice import tell_leaders
from cogs._lost_answers import send_once

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

_LOOK_AT = 20  # lobby messages since the button was due: an earlier try's is among them


class StartNowButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"balint:startnow:(?P<sid>[0-9]+)",
):
    """Leaders only: start the due planned session from the lobby."""

    def __init__(self, session_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=texts.START_LABEL,
                style=discord.ButtonStyle.primary,
                custom_id=f"balint:startnow:{session_id}",
            )
        )
        self.session_id = session_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> StartNowButton:
        return cls(int(match["sid"]))

    @handles_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        bot: BalintBot = interaction.client  # type: ignore[assignment]
        session = await schedule_store.get_session(bot.db, self.session_id)
        group = await group_store.get(bot.db, session.group_id) if session else None
        if session is None or group is None:
            raise UserError(texts.DUE_OVER)
        who = await caller(bot, interaction, group)
        if who.membership is not None and not who.is_leader:
            # A member sees the button in the lobby too: say what happens, and where.
            raise Refused(await _member_answer(bot, session))
        await require(bot, interaction, Action.SESSION_START, group)
        if session.status != PLANNED or session.scheduled_end <= bot.now():
            raise UserError(texts.DUE_OVER)
        if group.archived:
            raise UserError(group_texts.ARCHIVED.format(name=group.name))
        await interaction.response.defer(ephemeral=True, thinking=True)
        facilitation = bot.get_cog("Facilitation")
        assert facilitation is not None and interaction.guild is not None
        lifecycle = facilitation.lifecycle  # type: ignore[attr-defined]
        sid, answer = await lifecycle.start(interaction.guild, group, session_id=self.session_id)
        interaction.client.dispatch("balint_member_present", sid, interaction.user.id, "command")
        await reply(interaction, answer)
        started = await session_store.get(bot.db, sid)
        channel = f"<#{started.text_channel_id}>" if started and started.text_channel_id else ""
        if interaction.message is not None:
            try:  # the button has done its job; a failed edit only leaves a stale button
                await interaction.message.edit(
                    content=texts.DUE_STARTED.format(
                        group=group.name, leader=interaction.user.mention, channel=channel
                    ),
                    view=None,
                    allowed_mentions=discord.AllowedMentions.none(),
                )
            except REST_FAULTS as exc:  # refused, or the connection broke
                log.info(
                    "could not update the start message %s: %s",
                    interaction.message.id,
                    fault_code(exc),
                )


async def announce(bot: BalintBot, group: Group, session_id: int) -> None:
    """/session start: the members waiting in the lobby learn where the session is (the
    button's own message says so when the button starts it). A courtesy: a refusal is
    logged, the session goes on."""
    started = await session_store.get(bot.db, session_id)
    lobby = bot.get_channel(group.lobby_channel_id or 0)
    if started is None or not started.text_channel_id or not isinstance(lobby, discord.TextChannel):
        return
    channel = f"<#{started.text_channel_id}>"
    try:
        await lobby.send(
            texts.SESSION_OPEN.format(group=group.name, channel=channel),
            allowed_mentions=discord.AllowedMentions.none(),
        )
    except REST_FAULTS as exc:
        log.info("could not tell lobby %s the session started: %s", lobby.id, fault_code(exc))


async def _member_answer(bot: BalintBot, session: Planned) -> str:
    """To a member pressing the leaders' button: who may, then what comes next, or where
    the session already runs."""
    refusal = common_texts.WHO_MAY["leaders"]
    live = await session_store.get(bot.db, session.id) if session.status == "live" else None
    if live is not None and live.text_channel_id:
        return f"{refusal} {texts.DUE_LIVE.format(channel=f'<#{live.text_channel_id}>')}"
    if session.status == PLANNED and session.scheduled_end > bot.now():
        return f"{refusal} {texts.DUE_MEMBER}"
    return texts.DUE_OVER


def start_view(session_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(StartNowButton(session_id))
    return view


async def on_due(bot: BalintBot, timer: Timer) -> None:
    """At scheduled_start: offer the button in the lobby, unless started, cancelled or live.

    A passing failure (a 5xx, a reset, a 429 past discord.py's retries) is raised, and the
    clock runs this again (the kind is idempotent) while the meeting's time lasts; a run
    after an earlier one looks first for the button that run may have posted (Discord
    posted it, the bot never heard). The last try that can still help tells the leaders.
    """
    if timer.session_id is None:
        return
    session = await schedule_store.get_session(bot.db, timer.session_id)
    if session is None or session.status != PLANNED:
        return
    if session.scheduled_end is not None and session.scheduled_end <= bot.now():
        return  # found late (a restart after an outage): its time is over
    group = await group_store.get(bot.db, session.group_id)
    if group is None or group.archived or not group.lobby_channel_id:
        return
    if await session_store.live_for_group(bot.db, group.id) is not None:
        return  # the leaders already opened a session (ad hoc): nothing to offer
    start = session.scheduled_start
    try:
        lobby = bot.get_channel(group.lobby_channel_id) or await bot.fetch_channel(
            group.lobby_channel_id
        )
        if timer.ran_before and await _posted(bot, lobby, timer, session.id):
            return
        await send_once(
            lobby,  # type: ignore[arg-type]
            content=texts.DUE_MESSAGE.format(group=group.name, when=format_dt(start, "t")),
            view=start_view(session.id),
            allowed_mentions=discord.AllowedMentions.none(),
        )
    except (discord.Forbidden, discord.NotFound) as exc:
        # A server setting or a deletion, not a bug: the leaders learn how to start anyway.
        log.warning(
            "start button not posted in lobby %s: %s %s",
            group.lobby_channel_id,
            exc.status,
            exc.code,
        )
        await tell_leaders(bot, group, line_of(texts.DUE_NOT_POSTED))
    except REST_FAULTS as exc:
        if not passing(exc) or not _last_useful_try(bot, timer, session.scheduled_end):
            raise  # a passing one: the clock tries again (a minute later, then longer)
        log.warning(
            "start button not posted in lobby %s: %s; given up",
            group.lobby_channel_id,
            fault_code(exc),
        )
        await tell_leaders(bot, group, line_of(texts.DUE_NOT_POSTED_OUTAGE))


def _last_useful_try(bot: BalintBot, timer: Timer, end: datetime | None) -> bool:
    """Whether no retry is left, or the next would come once the meeting is over (nothing
    to start then): this run then gives up and says so."""
    kind = bot.timers.kinds.get(timer.kind)
    if kind is None or bot.timers.last_try(timer):
        return True
    return end is not None and retry_due(kind, timer, bot.now()) >= end


async def _posted(bot: BalintBot, lobby: object, timer: Timer, session_id: int) -> bool:
    """Whether an earlier run of this timer posted the button (its answer lost, or the
    process killed as it went out): a message of ours with it, since the timer was first
    due. Raises what reading the lobby raises (a passing failure: the clock tries again)."""
    me = bot.user
    if me is None or not isinstance(lobby, discord.abc.Messageable):
        return False
    button = f"balint:startnow:{session_id}"
    return await ours_after(
        lobby, me.id, since_due(timer), lambda message: button in custom_ids(message), _LOOK_AT
    )


async def offer_missed(bot: BalintBot, guild_id: int) -> None:
    """Invited back to a server: a button that came due while the bot was out of it
    (bot/clock.py cancelled its timer) is offered now, or at its start if that is still
    ahead, while the meeting's time lasts; a leader back in the lobby expects it there.
    Only a cancelled timer is revived: a button posted before the removal is still in the
    lobby (and works again), so none is offered twice. A button held back by an overrun
    meeting (`offer_held_back`) and missed likewise is offered the same way."""
    now = bot.now()
    for group in await group_store.in_guild(bot.db, guild_id):
        for planned in await schedule_store.planned_for_group(bot.db, group.id, ending_after=now):
            due = max(planned.scheduled_start, now)
            if await bot.timers.revive(f"due:{planned.id}", due) is not None:
                continue
            held = await timer_store.cancelled_keys(bot.db, f"due:{planned.id}:after:")
            if held:
                await bot.timers.revive(held[0], now)


async def offer_held_back(bot: BalintBot, ended_id: int, kind: str) -> None:
    """A meeting ran past the next one's start, whose button `on_due` then held back:
    offer it now. A keyed timer per (session, ended meeting), so a re-run of the end's
    work (after a restart) offers it no second time."""
    ended = await session_store.get(bot.db, ended_id)
    group = await group_store.get(bot.db, ended.group_id) if ended else None
    if ended is None or ended.ended_at is None or group is None:
        return
    now = bot.now()
    for planned in await schedule_store.planned_for_group(bot.db, ended.group_id, ending_after=now):
        # Held back only if its own timer ran while this meeting was live: one still to
        # run (the end's work re-run after an outage) or run after the end offers it itself.
        due = await timer_store.by_key(bot.db, f"due:{planned.id}")
        if due is None or due.fired_at is None or due.fired_at > ended.ended_at:
            continue
        if planned.scheduled_start <= now:
            await bot.timers.add(
                kind=kind,
                key=f"due:{planned.id}:after:{ended_id}",
                due_at=now,
                guild_id=group.guild_id,  # skipped while the bot is out of that server
                group_id=group.id,
                session_id=planned.id,
            )
