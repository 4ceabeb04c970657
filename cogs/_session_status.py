"""The one status message of a session: rendering and debounced, coalesced edits.

Discord limits message edits, so edits are coalesced per session: a change
marks the session dirty and one edit task per session renders the latest
state from the store; changes that arrive while an edit is in flight cause one
more edit, not one each. The countdown is `<t:..:R>` markup: no edit needed.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord.http import handle_message_parameters

from bot.compat import REST_FAULTS, fault_code
from bot.domain.phases import Phase
from bot.store import session_acks, session_group
from bot.store import sessions as session_store
from bot.textfit import EMBED_FIELD_LIMIT, fit
from bot.texts import facilitation as texts
from cogs import _lost_answers as lost
from cogs._session_engine import Live, mention, phase_name
from cogs._session_views import StatusComponents, status_components, status_view

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_engine import Engine

log = logging.getLogger(__name__)

# Discord allows about 5 edits per 5 s on a channel's messages: at most one edit a second,
# the first at once, later ones coalesced into one at the end of the second.
MIN_EDIT_INTERVAL = 1.0
UNKNOWN_MESSAGE = 10008  # Discord's code; Unknown Channel (10003) means the channel is gone


async def render(
    bot: BalintBot, live: Live, *, raw: bool = False
) -> tuple[discord.Embed, discord.ui.View | StatusComponents | None]:
    """The embed and buttons for the session's current state (`raw`: as a payload only)."""
    state = live.state
    embed = discord.Embed(
        title=texts.STATUS_TITLE.format(phase=phase_name(state.phase)),
        description=texts.PHASE_HINTS[state.phase.value],
        colour=discord.Colour.teal() if state.live else discord.Colour.dark_grey(),
    )
    if not state.live:
        embed.description = texts.STATUS_ENDED
        return embed, None
    if state.phase_deadline is not None:
        when = discord.utils.format_dt(state.phase_deadline, "R")
        embed.description = f"{embed.description}\n{texts.STATUS_PHASE_ENDS.format(when=when)}"
    embed.add_field(name=texts.STATUS_FIELD_PRESENTER, value=mention(state.presenter_id))

    def who(user_id: int, bold: bool = False) -> str:
        """A mention, marked when they dropped out: a leader on a phone sees why the one
        holding the floor (or due next) is silent, and may move on."""
        shown = f"**{mention(user_id)}**" if bold else mention(user_id)
        return texts.STATUS_AWAY_MARK.format(member=shown) if user_id in state.away else shown

    floor = who(state.floor_holder) if state.floor_holder else texts.STATUS_FLOOR_LEADERS
    embed.add_field(name=texts.STATUS_FIELD_FLOOR, value=floor)
    embed.add_field(name=texts.STATUS_FIELD_MODE, value=texts.MODE_NAMES[state.turn_mode.value])
    if state.hand_queue:
        hands = [f"{i}. {who(u)}" for i, u in enumerate(state.hand_queue, 1)]
        queue = fit(hands, EMBED_FIELD_LIMIT, sep="\n")
        embed.add_field(name=texts.STATUS_FIELD_QUEUE, value=queue, inline=False)
    if state.in_round:  # whose turn it is in bold, who is next after it
        turns = [who(u, bold=i == state.round_index) for i, u in enumerate(state.round_order)]
        order = " → ".join(turns)
        if len(order) > EMBED_FIELD_LIMIT:  # a large group: from the current speaker on
            order = fit(turns[state.round_index :], EMBED_FIELD_LIMIT, sep=" → ")
        embed.add_field(name=texts.STATUS_FIELD_ROUND, value=order, inline=False)
    if state.away:
        away = fit([mention(u) for u in sorted(state.away)], EMBED_FIELD_LIMIT)
        embed.add_field(name=texts.STATUS_FIELD_AWAY, value=away, inline=False)
    done, total = await session_acks.ack_counts(bot.db, live.session.id, live.group.id)
    embed.add_field(
        name=texts.STATUS_FIELD_ACKS, value=texts.STATUS_ACKS.format(done=done, total=total)
    )
    if live.session.voice_channel_id:
        voice = (
            texts.STATUS_VOICE_ENFORCED
            if live.group.voice_mode == "enforced"
            else texts.STATUS_VOICE_ADVISORY
        )
        embed.add_field(name=texts.STATUS_FIELD_VOICE, value=voice, inline=False)
    buttons = status_components if raw else status_view
    return embed, buttons(live.session.id, state.phase, state.floor_holder)


class StatusUpdater:
    """Coalesces edits of each session's status message: at most one in flight."""

    def __init__(self, bot: BalintBot, engine: Engine) -> None:
        self.bot = bot
        self.engine = engine
        # Tests run on a manual clock and want each edit at once; a real clock keeps the pace.
        self.min_interval = 0.0 if bot.clock.manual else MIN_EDIT_INTERVAL
        self._dirty: set[int] = set()
        self._tasks: dict[int, asyncio.Task[None]] = {}
        # The state a change just stored, so its edit need not read it back (one process
        # per database: nobody else writes it). Only the newest touch's is kept; a touch
        # without one (acks, a refit) makes the edit read the store.
        self._latest: dict[int, Live | None] = {}

    def touch(self, session_id: int, live: Live | None = None) -> None:
        """Mark dirty; the edit runs once the current interaction has been answered.

        `live` is the session as the change that touched it stored it (its new state);
        the edit renders it instead of loading the session again.
        """
        self._dirty.add(session_id)
        self._latest[session_id] = live
        if session_id not in self._tasks:
            self._tasks[session_id] = asyncio.create_task(self._run(session_id))

    async def _run(self, session_id: int) -> None:
        loop = asyncio.get_running_loop()
        try:
            await asyncio.sleep(0)  # let the caller answer its interaction first
            while session_id in self._dirty:
                self._dirty.discard(session_id)
                began = loop.time()
                await self._edit(session_id)
                if self.min_interval:
                    # Linger: changes in the next second are shown by one edit at its end.
                    await asyncio.sleep(max(0.0, self.min_interval - (loop.time() - began)))
        finally:
            self._tasks.pop(session_id, None)
            self._latest.pop(session_id, None)

    async def _current(self, session_id: int) -> Live | None:
        """The session to show: as the last change stored it, else read from the store.

        An ended session is always read: its end is shown once, and a purge may follow.
        """
        live = self._latest.pop(session_id, None)
        if live is not None and live.state.live:
            return live
        found = await session_group.get(self.bot.db, session_id)
        if found is None:
            return None
        session, group = found
        if session.status_message_id is None or session.purged_at:
            return None
        return await self.engine.load(session, group)

    async def _edit(self, session_id: int) -> None:
        live = await self._current(session_id)
        if live is None:
            return
        session = live.session
        if session.status_message_id is None or session.text_channel_id is None:
            return
        embed, view = await render(self.bot, live, raw=True)
        # The raw route (what PartialMessage.edit sends): the edited Message is not needed back,
        # and the buttons are DynamicItems registered once, so no view needs storing per edit.
        with handle_message_parameters(
            embed=embed,
            view=view,  # type: ignore[arg-type]  # a payload-only stand-in (StatusComponents)
            previous_allowed_mentions=self.bot.allowed_mentions,
        ) as params:
            try:
                await self.bot.http.edit_message(
                    session.text_channel_id, session.status_message_id, params=params
                )
                return
            except discord.NotFound as exc:
                if exc.code != UNKNOWN_MESSAGE or not live.state.live:
                    log.warning("status message of session %s not edited: 404", session_id)
                    return
            except REST_FAULTS as exc:  # refused, or the connection broke: the next touch edits
                log.warning(
                    "status message of session %s not edited: %s", session_id, fault_code(exc)
                )
                return
        await self._post_again(live)

    async def _post_again(self, live: Live) -> None:
        """Deleted by hand (a moderator): without it the meeting has no buttons, so post anew."""
        session = live.session
        assert session.text_channel_id is not None
        embed, view = await render(self.bot, live, raw=True)
        with handle_message_parameters(
            embed=embed,
            view=view,  # type: ignore[arg-type]
            previous_allowed_mentions=self.bot.allowed_mentions,
            nonce=lost.nonce(),  # a 502 resent: posted once, one set of buttons
        ) as params:
            try:
                data = await self.bot.http.send_message(session.text_channel_id, params=params)
            except REST_FAULTS as exc:
                log.warning(
                    "status of session %s not posted again: %s", session.id, fault_code(exc)
                )
                return
        await session_store.set_status_message(self.bot.db, session.id, int(data["id"]))
        log.info("status message of session %s was deleted: posted again", session.id)

    async def wait(self) -> None:
        """For shutdown: let pending edits finish."""
        if self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)


__all__ = ["Phase", "StatusUpdater", "render"]
