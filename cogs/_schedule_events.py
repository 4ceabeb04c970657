"""Discord guild scheduled events for a group's next session.

Discord has no per-role private events: an event is visible to everyone on the
server.  So the event names the group and links the lobby (which only members
can open); it never carries anything else.  A failing call (403: no Manage
Events; or a broken connection) never breaks scheduling: it is logged and the caller
tells the leader.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING

import discord

from bot.compat import REST_FAULTS, fault_code, gone, passing, route_missing
from bot.store import schedules as store
from bot.store.groups import Group
from bot.texts import scheduling as texts
from cogs import _lost_answers as lost

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

# Only this 404 means the event was deleted (by hand); a 404 with code 0 is a server
# without the route (bot/compat.py): a new event then would sit beside the old one.
UNKNOWN_EVENT = 10070


def lobby_url(group: Group) -> str:
    """A link to the group's lobby; to the server while a deleted lobby awaits `/group repair`."""
    server = f"https://discord.com/channels/{group.guild_id}"
    return f"{server}/{group.lobby_channel_id}" if group.lobby_channel_id else server


async def _guild(bot: BalintBot, guild_id: int) -> discord.Guild:
    return bot.get_guild(guild_id) or await bot.fetch_guild(guild_id)


class Done(Enum):
    """How a call on an event went: a passing failure (a 5xx, a 429, the network) is worth
    redoing later (cogs/_schedule_event_redo.py); a refusal (a 403: the bot's role lacks
    Create Events) stays one; a server without the events routes (a 404 on the route
    itself) has no events at all. The leaders are told which (bot/texts/scheduling.py)."""

    OK = "ok"
    GONE = "gone"  # the event was deleted by hand (a move's caller makes a new one)
    REFUSED = "refused"
    PASSING = "passing"
    NO_ROUTE = "no_route"


def failed_as(exc: BaseException) -> Done:
    """Which failure a call's error is, for what the leaders are told."""
    if route_missing(exc):
        return Done.NO_ROUTE
    return Done.PASSING if passing(exc) else Done.REFUSED


# Which failure the leaders hear of when several calls failed: what someone must act on.
_FIRST = (Done.REFUSED, Done.NO_ROUTE, Done.PASSING)


def worst(*failures: Done | None) -> Done | None:
    """The failure to tell of among these (None and OK are none)."""
    return next((done for done in _FIRST if done in failures), None)


def failed_note(failed: Done | None) -> str:
    """What a command's answer adds when an event call failed: what happened, what to do."""
    return texts.EVENT_FAILED[failed.value] if failed is not None else ""


@dataclass(frozen=True, slots=True)
class Made:
    """A create's result: the event's id, or None and why (`failure`): after a passing
    failure a later try may make it, where a 403 stays a 403."""

    event_id: int | None
    failure: Done = Done.OK

    @property
    def passing(self) -> bool:
        return self.failure is Done.PASSING


async def create(
    bot: BalintBot, group: Group, start: datetime, end: datetime, *, look_first: bool = False
) -> Made:
    """Create the event; its id, or none if Discord refused or the call broke (logged).

    `look_first`: an earlier try may have made it (Discord did the work, then answered a
    5xx or the connection broke; or a crash came before its id was stored): that event is
    adopted rather than a second one made.
    """
    try:
        guild = await _guild(bot, group.guild_id)
        if look_first and (found := await made_before(bot, guild, group, start)) is not None:
            log.info("event %s of group %s was made by an earlier try", found, group.id)
            return Made(found)
        before = lost.event_ids(guild)
        event = await guild.create_scheduled_event(
            name=texts.EVENT_NAME.format(group=group.name)[:100],
            start_time=start,
            end_time=end,
            entity_type=discord.EntityType.external,
            location=lobby_url(group),
            privacy_level=discord.PrivacyLevel.guild_only,
            description=texts.EVENT_DESCRIPTION.format(group=group.name)[:1000],
            reason=texts.AUDIT_REASON,
        )
    except REST_FAULTS as exc:
        log.warning(
            "could not create event: guild=%s group=%s fault=%s",
            group.guild_id,
            group.id,
            fault_code(exc),
        )
        return Made(None, failed_as(exc))
    await lost.drop_doubles(guild, event, before)  # a 502's resend made it twice
    return Made(event.id)


async def made_before(
    bot: BalintBot, guild: discord.Guild, group: Group, start: datetime
) -> int | None:
    """The bot's own scheduled event for this group and start, not held by any session
    row (one awaiting its delete is held): matched on what the bot sets, name, lobby link
    and start time. Several (each of discord.py's resends of a 5xx was carried out): one
    is kept, the others deleted. Raises what the list call raises."""
    name = texts.EVENT_NAME.format(group=group.name)[:100]
    me = bot.user.id if bot.user is not None else None
    found = [
        event
        for event in await guild.fetch_scheduled_events(with_counts=False)
        if (event.name, event.location, event.start_time, event.creator_id)
        == (name, lobby_url(group), start, me)
        and event.status is discord.EventStatus.scheduled
        and not await store.holds_event(bot.db, event.id)
    ]
    kept = await lost.keep_newest(found)
    return kept.id if kept is not None else None


async def move(
    bot: BalintBot, group: Group, event_id: int, start: datetime | None, end: datetime
) -> Done:
    """Move the event to the session's new time; GONE if the event was deleted by hand
    (the caller makes a new one); a failure is logged.

    `start` None: only the end changes. Discord refuses any edit that sends a start in
    the past, so a due session's unchanged start is never sent again.
    """
    times = {"scheduled_end_time": end.isoformat()}
    if start is not None:
        times["scheduled_start_time"] = start.isoformat()
    try:
        await bot.http.edit_scheduled_event(
            group.guild_id, event_id, reason=texts.AUDIT_REASON, **times
        )
    except REST_FAULTS as exc:
        if gone(exc, UNKNOWN_EVENT):
            log.info("event %s of group %s is gone; a new one is made", event_id, group.id)
            return Done.GONE
        log.warning(
            "could not edit event %s: group=%s fault=%s",
            event_id,
            group.id,
            fault_code(exc),
        )
        return failed_as(exc)
    return Done.OK


async def delete(bot: BalintBot, group: Group, event_id: int) -> Done:
    """Remove the event of a skipped or cleared session; an already gone event is fine."""
    try:
        await bot.http.delete_scheduled_event(group.guild_id, event_id, reason=texts.AUDIT_REASON)
    except REST_FAULTS as exc:
        if gone(exc, UNKNOWN_EVENT):
            return Done.OK
        log.warning(
            "could not delete event %s: group=%s fault=%s",
            event_id,
            group.id,
            fault_code(exc),
        )
        return failed_as(exc)
    return Done.OK
