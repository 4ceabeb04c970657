"""Redo a session's Discord event work that failed for a passing reason.

A move, delete or create of a session's event that Discord answered with a 5xx (or a 429
past discord.py's retries, or the network broke) is redone by a timer (`event_redo:`),
which the clock runs again after each passing failure (bot/timer_kinds.py RETRY_AFTER). The
timer row is what says something is still to do, so a restart loses nothing; its
handler re-reads the session and makes the event match it now (moved to the stored
times, deleted if the session is off, made if missing), so a run repeated after a crash,
or after a later command already did the work, does nothing twice. A create looks first
for the event an earlier try may have made. When the bot gives up (or Discord refuses),
the leaders are told once what is wrong and what to do.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from discord.utils import format_dt

from bot.compat import TryAgain
from bot.store import groups as group_store
from bot.store import schedules as store
from bot.store import timers as timer_store
from bot.store.clocktime import to_epoch
from bot.store.groups import Group
from bot.store.timers import Timer
from bot.texts import scheduling as texts
from bot.timer_kinds import RETRY_AFTER
from cogs import _schedule_events as events
from cogs._leaders_notice import tell_leaders

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

REDO = "event_redo"


def _prefix(session_id: int) -> str:
    return f"{REDO}:{session_id}:"  # the colon: session 12's never prefixes session 120's


async def redo_later(bot: BalintBot, group: Group, session_id: int) -> None:
    """Store that this session's event is still to put right, a retry's wait from now.

    One open timer per session is enough (its handler does whatever is wanted when it
    runs); the key carries the time, so a later failure, after this one is done or given
    up, gets a timer of its own.
    """
    if await timer_store.open_with_prefix(bot.db, _prefix(session_id)):
        return
    now = bot.now()
    await bot.timers.add(
        kind=REDO,
        key=f"{_prefix(session_id)}{to_epoch(now)}",
        due_at=now + RETRY_AFTER[0],
        guild_id=group.guild_id,
        group_id=group.id,
        session_id=session_id,
    )


async def on_redo(bot: BalintBot, timer: Timer) -> None:
    """Make the session's event match the session; try again later on a passing failure,
    and tell the leaders once when that was the last try or Discord refused."""
    if timer.group_id is None or timer.session_id is None:
        return
    async with bot.locks["replan", timer.group_id]:  # no replan moves or makes it meanwhile
        group = await group_store.get(bot.db, timer.group_id)
        if group is None:
            return
        failed = await _put_right(bot, group, timer.session_id)
    if failed is None:
        return
    what, why = failed
    if why is events.Done.PASSING and not bot.timers.last_try(timer):
        raise TryAgain(timer.session_id)  # the clock runs it again
    row = await store.get_session(bot.db, timer.session_id)
    if row is None:
        return
    if what == "delete":  # given up: the leaders delete it by hand, as for a refusal
        await store.set_event(bot.db, row.id, None)
    log.warning("event of session %s: %s given up (%s); leaders told", row.id, what, why.value)
    when = format_dt(row.scheduled_start, "F")
    await tell_leaders(bot, group, texts.EVENT_GIVEN_UP[what][why.value].format(when=when))


async def _put_right(
    bot: BalintBot, group: Group, session_id: int
) -> tuple[str, events.Done] | None:
    """Do what the session's event still needs; None if it is in order now, else what
    failed and how (passing, refused, or no events routes on this server)."""
    row = await store.get_session(bot.db, session_id)
    if row is None or row.status not in (store.PLANNED, store.CANCELLED):
        return None  # started or over: its event is no longer the schedule's to keep
    now = bot.now()
    wanted = row.status == store.PLANNED and group.events_enabled and not group.archived
    if row.event_id is not None and not wanted:
        done = await events.delete(bot, group, row.event_id)
        if done is events.Done.OK:
            await store.set_event(bot.db, row.id, None)
            return None
        return "delete", done
    if not wanted or row.scheduled_end <= now:
        return None
    if row.event_id is not None:
        start = row.scheduled_start if row.scheduled_start > now else None
        done = await events.move(bot, group, row.event_id, start, row.scheduled_end)
        if done is events.Done.OK:
            return None
        if done is not events.Done.GONE:
            return "move", done
        await store.set_event(bot.db, row.id, None)  # deleted by hand: made anew
    if row.scheduled_start <= now:
        return None  # Discord refuses an event that starts in the past
    made = await events.create(bot, group, row.scheduled_start, row.scheduled_end, look_first=True)
    if made.event_id is None:
        return "create", made.failure
    await store.set_event(bot.db, row.id, made.event_id)
    return None
