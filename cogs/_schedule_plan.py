"""Keep the planned sessions of a group in step with its schedule.

The NEXT occurrence is materialised: a `sessions` row with status
'planned', its reminder timers (`remind:<sid>:<lead>:<start epoch>`), a quorum check
at the first lead time (`quorum:<sid>:<lead>:<start epoch>`), a timer at its end that plans the
following one (`advance_schedule:<sid>:end`; the `:end` suffix keeps the key
prefix-unique so cancelling session 12 never touches session 120), and the
Discord event.  `replan` compares the stored planned row with what the
schedule says now and moves, cancels or creates accordingly, so every command
(set, once, skip, move, clear) and the advance timer share one path.  A row
planned earlier stays planned while its session is still ahead, even when
another now comes first (an extra one-off): its RSVPs, event and reminders live on.
A later session whose first reminder (or the 2 h a leader may start it early) falls
before the plan next advances is planned at once too (schedule_rules.to_plan), so
that reminder is not lost and an early start takes that session, not an ad-hoc one.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from bot.domain.recurrence import Occurrence, Schedule, current_slot, local_instant, one_off
from bot.domain.schedule_rules import (
    lead_minutes,
    one_off_dates_of,
    reminder_plan,
    to_plan,
)
from bot.store import groups as group_store
from bot.store import schedules as store
from bot.store import timers as timer_store
from bot.store.clocktime import to_epoch
from bot.store.groups import Group
from bot.store.schedules import GroupSchedules, Planned
from bot.texts import scheduling as texts
from cogs import _schedule_events as events
from cogs._schedule_event_redo import redo_later

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

REMINDER, QUORUM, ADVANCE = "session_reminder", "session_quorum", "advance_schedule"
# At scheduled_start: the lobby "Start the session" button (handler: cogs/_lobby_start.py).
# Not cancelled with the session (`due:12` would prefix `due:120`): the handler does
# nothing unless the session is still planned.
DUE = "session_due"
# /session start takes a session planned this soon (cogs/_session_lifecycle.PLANNED_WINDOW).
START_EARLY = timedelta(hours=2)


@dataclass
class Outcome:
    """What replan did, for the command's answer."""

    planned: Planned | None = None
    # How an event call failed, if one did (passing: it is redone later, _schedule_event_redo):
    # the answer tells the leader what happened (bot/texts/scheduling.py EVENT_FAILED).
    event_failed: events.Done | None = None


def slot_of(state: GroupSchedules, original: date) -> Occurrence | None:
    """Where the occurrence of an original local date is now (None: skipped or gone).

    A date skipped from the series may hold a one-off instead (validate_once refuses a
    one-off on a date the series still uses), so a skipped series date looks at one-offs.
    """
    if state.series is not None:
        slot = current_slot(state.series, original)
        if slot is not None:
            return slot
    for single in state.onces:
        if single.starts == original:
            return current_slot(single, original)
    return None


async def store_series(bot: BalintBot, group: Group, series: Schedule, now: datetime) -> str:
    """Replace the group's series in one transaction; the answer's note on kept one-offs.

    A one-off on a date of the new series keeps that date: the series skip is stored
    with the series, so nothing is half-stored and the planner never merges the two.
    """
    async with bot.db.transaction():
        state = await store.load(bot.db, group.id, group.zone)
        taken = one_off_dates_of(series, state.onces)
        await store.set_series(bot.db, group.id, series, now)
        for day in taken:
            await store.add_skip(bot.db, group.id, day)
    if not taken:
        return ""
    note = texts.SET_KEEPS_ONE_OFFS if len(taken) == 1 else texts.SET_KEEPS_ONE_OFFS_MANY
    return note.format(dates=", ".join(day.isoformat() for day in taken))


def leads_for(bot: BalintBot, group: Group) -> list[int]:
    return lead_minutes(group.reminder_lead_minutes, bot.settings.reminder_lead_minutes)


async def cancel_session(bot: BalintBot, group: Group, planned: Planned) -> events.Done:
    """Cancel a planned row, its timers and its event; how the event call went.

    `balint_session_cancelled` lets the other capabilities drop what they keep for it
    (the cases capability: its offers and its case-prompt timer). The event id is cleared
    only after the delete call: a crash before it leaves the cancelled row holding it, and
    start-up deletes that event (_schedule_reconcile.drop_orphan_events). A passing failure
    keeps it too, and the delete is redone later (_schedule_event_redo).
    """
    await store.cancel_planned(bot.db, planned.id)
    bot.dispatch("balint_session_cancelled", planned.id)
    for prefix in (
        f"remind:{planned.id}:",
        f"quorum:{planned.id}:",
        f"advance_schedule:{planned.id}:",
    ):
        await bot.timers.cancel(prefix)
    if planned.event_id is not None:
        return await forget_event(bot, group, planned)
    return events.Done.OK


async def forget_event(bot: BalintBot, group: Group, row: Planned) -> events.Done:
    """Delete the row's event and forget it (refused: the leader is told); a passing
    failure keeps the id on the row and redoes the delete later. How the delete went."""
    assert row.event_id is not None
    done = await events.delete(bot, group, row.event_id)
    if done is events.Done.PASSING:
        await redo_later(bot, group, row.id)
        return done
    await store.set_event(bot.db, row.id, None)
    return done


def reminder_key(session_id: int, lead: int, start: datetime) -> str:
    """One reminder per session, lead time and start time (so a moved session is reminded)."""
    return f"remind:{session_id}:{lead}:{to_epoch(start)}"


def quorum_key(session_id: int, lead: int, start: datetime) -> str:
    return f"quorum:{session_id}:{lead}:{to_epoch(start)}"


def timer_plan(
    session_id: int, occ: Occurrence, leads: list[int], now: datetime
) -> dict[str, tuple[str, datetime]]:
    """Every timer a planned session has pending once armed at ``now``: key -> (kind, due).

    Reminders and the quorum check already late (short notice) are not sent: reminder_plan.
    The lobby button (`due:`) is wanted only while its start is ahead; the advance timer at
    its end always (a row is planned only while its session has not ended).
    """
    wanted: dict[str, tuple[str, datetime]] = {
        reminder_key(session_id, lead, occ.start_utc): (REMINDER, due)
        for lead, due in reminder_plan(occ.start_utc, leads, now)
    }
    if leads:
        due = occ.start_utc - timedelta(minutes=leads[0])
        if due > now:
            wanted[quorum_key(session_id, leads[0], occ.start_utc)] = (QUORUM, due)
    if occ.start_utc > now:
        wanted[f"due:{session_id}"] = (DUE, occ.start_utc)
    wanted[advance_key(session_id)] = (ADVANCE, occ.end_utc)
    return wanted


def advance_key(session_id: int) -> str:
    return f"advance_schedule:{session_id}:end"


async def _arm(bot: BalintBot, group: Group, session_id: int, occ: Occurrence) -> None:
    """Add (or move) the session's timers; keys dedupe, so this is safe to repeat.

    Reminder and quorum keys carry the start time: when the session moves, the timers
    for the old time still pending are cancelled and those for the new time are added,
    even if the old time's reminder already went out. A reminder already sent (or missed)
    for a start time is never sent again; one cancelled by a move is revived on moving back.
    Start-up reconcile checks the same `timer_plan` is pending (_schedule_reconcile.py).
    """
    ids = {"guild_id": group.guild_id, "group_id": group.id, "session_id": session_id}
    wanted = timer_plan(session_id, occ, leads_for(bot, group), bot.now())
    for prefix in (f"remind:{session_id}:", f"quorum:{session_id}:"):
        for key in await timer_store.pending_keys(bot.db, prefix):
            if key not in wanted:  # another start time, or a lead time no longer used
                await bot.timers.cancel(key)
    for key, (kind, due) in wanted.items():
        if kind in (DUE, ADVANCE):
            continue
        if await bot.timers.add(kind=kind, key=key, due_at=due, **ids) is None:
            await bot.timers.revive(key, due)  # moved away, then back: cancelled, never sent
    # The lobby button is moved even for a session already due (its timer has fired).
    for kind, key, due in (
        (DUE, f"due:{session_id}", occ.start_utc),
        (ADVANCE, advance_key(session_id), occ.end_utc),
    ):
        await bot.timers.move(key, due)
        await bot.timers.add(kind=kind, key=key, due_at=due, **ids)


@dataclass
class Sorted:
    """A group's planned rows against its schedule now: what stays, what goes."""

    keep: list[tuple[Planned, Occurrence]]
    drop: list[Planned]
    due_now: bool  # a kept session is due (started by the clock, not by a leader)


def sort_planned(
    group: Group,
    state: GroupSchedules,
    held: frozenset[date],
    planned: list[Planned],
    now: datetime,
) -> Sorted:
    """Which planned rows (not over by ``now``, in start order) stay, and where they are now.

    A session still ahead stays planned when another comes before it (an extra one-off,
    a move): its RSVPs, its event and its reminders are kept. One row per date.
    """
    out = Sorted([], [], False)
    for row in planned:
        slot = None if group.archived else slot_of(state, row.occurrence_date)
        in_progress = (
            slot is not None
            and slot.start_utc == row.scheduled_start
            and slot.start_utc <= now < slot.end_utc
        )
        ahead = slot is not None and slot.start_utc > now and slot.original_date not in held
        if (
            slot is None
            or not (in_progress or ahead)
            or any(k.occurrence_date == row.occurrence_date for k, _ in out.keep)
        ):
            out.drop.append(row)
            continue
        out.due_now |= in_progress
        out.keep.append((row, slot))
    return out


def missing(
    bot: BalintBot,
    group: Group,
    state: GroupSchedules,
    held: frozenset[date],
    now: datetime,
    sorted_: Sorted,
) -> list[Occurrence]:
    """The sessions to plan now that have no kept row (schedule_rules.to_plan).

    While a session is due (not started yet), the next one is planned at its end,
    unless its first reminder or its early start falls before then.
    """
    if group.archived:
        return []
    leads = leads_for(bot, group)
    plan_ahead = max(timedelta(minutes=leads[0]) if leads else START_EARLY, START_EARLY)
    ends = [slot.end_utc for _, slot in sorted_.keep]  # the plan advances at the first
    wanted = to_plan(state.all, now, held, plan_ahead, min(ends, default=None), not sorted_.due_now)
    have = {row.occurrence_date for row, _ in sorted_.keep}
    return [occ for occ in wanted if occ.original_date not in have]


async def replan(bot: BalintBot, group_id: int, *, look_first: bool = False) -> Outcome:
    """Bring the group's planned session in line with its schedule (idempotent).

    One at a time per group: two at once would both find no Discord event and make two.
    `look_first`: a missing event may have been made before a crash; adopt it if so.
    """
    async with bot.locks["replan", group_id]:
        return await _replan(bot, group_id, look_first=look_first)


async def replan_after(
    bot: BalintBot, group_id: int, change: Callable[[], Awaitable[bool]]
) -> Outcome | None:
    """Make a store change, then replan, under one hold of the replan lock.

    For a change computed from the plan itself (a new time zone): no other replan may
    come between the reading and the writing. ``change`` returns False when it changed
    nothing (then None, and no replan).
    """
    async with bot.locks["replan", group_id]:
        if not await change():
            return None
        return await _replan(bot, group_id)


async def _replan(bot: BalintBot, group_id: int, *, look_first: bool = False) -> Outcome:
    outcome = Outcome()
    group = await group_store.get(bot.db, group_id)
    if group is None:
        return outcome
    now = bot.now()
    state = await store.load(bot.db, group.id, group.zone)
    held = await store.held_dates(bot.db, group.id)
    planned = await store.planned_for_group(bot.db, group.id, ending_after=now)
    sorted_ = sort_planned(group, state, held, planned, now)
    kept: list[Planned] = []
    for row in sorted_.drop:
        done = await cancel_session(bot, group, row)
        outcome.event_failed = events.worst(outcome.event_failed, done)
    for row, slot in sorted_.keep:
        moved = slot.start_utc != row.scheduled_start or slot.end_utc != row.scheduled_end
        if moved:
            # The event first: a crash between the two leaves the row at its old time,
            # which start-up reconcile sees and replans (the event's move is repeated).
            if row.event_id is not None and group.events_enabled:
                start = slot.start_utc if slot.start_utc != row.scheduled_start else None
                done = await events.move(bot, group, row.event_id, start, slot.end_utc)
                if done is events.Done.GONE:  # deleted by hand: made anew below
                    await store.set_event(bot.db, row.id, None)
                elif done is events.Done.PASSING:  # before the row moves: see above
                    await redo_later(bot, group, row.id)
                outcome.event_failed = events.worst(outcome.event_failed, done)
            await store.reschedule_planned(bot.db, row.id, slot.start_utc, slot.end_utc)
        await _arm(bot, group, row.id, slot)
        if moved:  # the cases capability moves the meeting's case prompt
            bot.dispatch("balint_session_moved", row.id)
        kept.append(row)
    for upcoming in missing(bot, group, state, held, now, sorted_):
        session_id = await store.insert_planned(
            bot.db, group.id, upcoming.original_date, upcoming.start_utc, upcoming.end_utc
        )
        await _arm(bot, group, session_id, upcoming)
        inserted = await store.get_session(bot.db, session_id)
        assert inserted is not None
        kept.append(inserted)
    rows = [await store.get_session(bot.db, k.id) for k in kept]
    outcome.planned = min(
        (row for row in rows if row is not None), key=lambda row: row.scheduled_start, default=None
    )
    for row in rows:
        # Discord refuses an event that starts in the past (a session due but not started).
        if row is None or not group.events_enabled or row.event_id is not None:
            continue
        if row.scheduled_start <= now:
            continue
        made = await events.create(
            bot, group, row.scheduled_start, row.scheduled_end, look_first=look_first
        )
        if made.event_id is None:
            outcome.event_failed = events.worst(outcome.event_failed, made.failure)
            if made.passing:
                await redo_later(bot, group, row.id)
            continue
        await store.set_event(bot.db, row.id, made.event_id)
        if outcome.planned is not None and outcome.planned.id == row.id:
            outcome.planned = await store.get_session(bot.db, row.id)
    return outcome


async def session_on(bot: BalintBot, group: Group, day: date) -> Planned | None:
    """The session of an original local date, else the one taking place that day (moved)."""
    session = await store.by_occurrence(bot.db, group.id, day)
    # The first and last days of the calendar have no UTC midnight in every zone.
    if session is None and date.min + timedelta(days=1) < day < date.max - timedelta(days=1):
        probe = one_off(day, time(0), 30, group.zone)
        midnight = local_instant(probe, day, time(0))
        after = local_instant(probe, day + timedelta(days=1), time(0))
        session = await store.starting_between(bot.db, group.id, midnight, after)
    return session


async def drop_event(bot: BalintBot, group: Group) -> events.Done | None:
    """Events turned off (stored before this): delete the coming events, keep the sessions.

    As in cancel_session, a row forgets its event only after the delete call (refused
    too: the leader is told). A crash before that leaves the id with events off, and
    start-up deletes that event and clears the id (_schedule_reconcile.drop_orphan_events),
    so it neither stays on the server nor stops a new one when events are turned on.
    After a replan under way (the replan lock): it may be making an event it read as on.
    """
    failed: events.Done | None = None
    async with bot.locks["replan", group.id]:
        for planned in await store.planned_for_group(bot.db, group.id, ending_after=bot.now()):
            if planned.event_id is not None:
                failed = events.worst(failed, await forget_event(bot, group, planned))
    return failed
