"""At start-up: top up every scheduled group to what its plan needs now.

`replan` writes a group's planned rows, their timers and their Discord events one after
another, with no transaction around them (a transaction cannot hold a REST call), so a
crash part-way (kill -9, host restart) can leave a group with some of it: a session
planned while the one it should plan beside it is missing, a row with no reminders, a
row with no event. Nothing else would notice until the first planned session ends, and
the missing session's reminders would be late by then. Commands are not re-run after a
restart; the advance timer is (it is registered idempotent: a run cut short is run
again), so reconcile only has to look once, at start-up.

A group in order costs 6 read queries and nothing else: the group, its series and its
overrides (2), its held dates, its planned rows, and the pending timers those rows should
have (one query by exact keys). Any difference and the group is replanned in full
(idempotent: keys dedupe timers; rows are matched by date, so nothing is planned twice).
Before that, one query finds sessions cancelled (or of a group whose events were turned
off) just before a crash whose Discord event was not deleted yet.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.store import groups as group_store
from bot.store import schedules as store
from bot.store import timers as timer_store
from cogs._schedule_plan import forget_event, leads_for, missing, replan, sort_planned, timer_plan

if TYPE_CHECKING:
    from bot.app import BalintBot


async def in_order(bot: BalintBot, group_id: int, now: datetime) -> bool:
    """Whether `replan` would change nothing for this group now (reads only).

    In order: no planned row to cancel or move, none missing, an event for each session
    ahead (when events are on and the bot may make them), and every timer `_arm` writes
    pending at its due time.
    """
    group = await group_store.get(bot.db, group_id)
    if group is None:
        return True
    state = await store.load(bot.db, group.id, group.zone)
    held = await store.held_dates(bot.db, group.id)
    planned = await store.planned_for_group(bot.db, group.id, ending_after=now)
    sorted_ = sort_planned(group, state, held, planned, now)
    if sorted_.drop or missing(bot, group, state, held, now, sorted_):
        return False
    leads = leads_for(bot, group)
    events_wanted = group.events_enabled and may_make_events(bot, group.guild_id)
    wanted: dict[str, datetime] = {}
    for row, slot in sorted_.keep:
        if (row.scheduled_start, row.scheduled_end) != (slot.start_utc, slot.end_utc):
            return False
        if events_wanted and row.event_id is None and slot.start_utc > now:
            return False
        for key, (_kind, due) in timer_plan(row.id, slot, leads, now).items():
            wanted[key] = due
    return await timer_store.pending_due(bot.db, wanted) == wanted


def may_make_events(bot: BalintBot, guild_id: int) -> bool:
    """Whether the bot's role may create events there (from the cache, no REST call).

    Why: without Create Events (or Manage Events), a session's missing event is no crash's
    leftover; replanning for it would repeat one refused call per session at every start.
    An unknown server counts as allowed (as before: replan finds out).
    """
    guild = bot.get_guild(guild_id)
    if guild is None or guild.unavailable:
        return True
    have = guild.me.guild_permissions
    return have.manage_events or have.create_events


async def drop_orphan_events(bot: BalintBot) -> None:
    """Delete the Discord events of sessions cancelled, or of groups whose events were
    turned off, just before a crash (one query; none in the usual case). The row forgets
    its event, as cancel_session and drop_event do: an event Discord refuses to delete is
    logged, not tried at every start; a passing failure is redone later."""
    for row in await store.stale_events(bot.db):
        group = await group_store.get(bot.db, row.group_id)
        if group is not None and row.event_id is not None:
            await forget_event(bot, group, row)
        else:
            await store.set_event(bot.db, row.id, None)


async def reconcile(bot: BalintBot) -> int:
    """Replan every scheduled group that is not in order; how many were replanned.

    First, events left by a crash (a session cancelled, events turned off) are deleted.
    """
    await drop_orphan_events(bot)
    now = bot.now()
    replanned = 0
    for group_id in await store.groups_with_schedules(bot.db):
        if await in_order(bot, group_id, now):
            continue
        await replan(bot, group_id, look_first=True)  # a crash may have come after a create
        replanned += 1
    return replanned
