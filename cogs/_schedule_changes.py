"""What `/schedule set|once|skip|move` change: validate, store, replan, and the answer.

Split from cogs/scheduling.py, which keeps the commands' signatures and the
checks on the caller.  Each function returns the answer and whether the Discord
event could not be kept in step (the cog adds a line saying so).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from discord.utils import format_dt

from bot.domain.meeting_fit import overrun, plan_minutes
from bot.domain.recurrence import (
    Cadence,
    Schedule,
    build_rrule,
    current_slot,
    first_date,
    local_instant,
    local_today,
    one_off,
)
from bot.domain.schedule_rules import (
    first_gap_session,
    meant_date,
    series_start,
    validate_move,
    validate_once,
    validate_series,
    validate_skip,
)
from bot.errors import UserError
from bot.store import schedules as store
from bot.store.groups import Group
from bot.texts import scheduling as texts
from cogs import _schedule_events as events
from cogs import _schedule_input as parse
from cogs import _schedule_plan as plan
from cogs._session_durations import durations_of

if TYPE_CHECKING:
    from bot.app import BalintBot

Answer = tuple[str, events.Done | None]  # the text, and how an event call failed


async def set_series(
    bot: BalintBot,
    found: Group,
    cadence: str,
    weekday: int,
    time: str,
    duration: int,
    week: int | None,
    starts: str | None,
    until: str | None,
) -> Answer:
    """The group's series, replacing any; an existing one-off keeps its date."""
    at = parse.hhmm(time)
    minutes = parse.duration(duration)
    first = parse.maybe_day(starts, texts.WHAT_START_DATE)
    last = parse.maybe_day(until, texts.WHAT_END_DATE)
    now = bot.now()
    kind = Cadence(cadence)
    nth = (week or 1) if kind is Cadence.MONTHLY else None
    probe = one_off(now.date(), at, minutes, found.zone)
    today = local_today(probe, now)
    first = first or today
    problem = validate_series(first, last, today)
    if problem is not None:
        raise UserError(texts.SERIES_PROBLEMS[problem].format(value=first.isoformat()))
    first = series_start(kind, weekday, first)
    if last is not None and last < first:
        raise UserError(texts.SERIES_PROBLEMS["no_occurrence"].format(value=""))
    series = Schedule(
        rrule=build_rrule(kind, weekday, nth),
        local_time=at,
        starts=first,
        until=last,
        duration_minutes=minutes,
        zone=found.zone,
    )
    if first_date(series) is None:
        raise UserError(texts.SERIES_PROBLEMS["no_occurrence"].format(value=""))
    kept = await plan.store_series(bot, found, series, now)
    outcome = await plan.replan(bot, found.id)
    summary = texts.CADENCE_SUMMARY[kind.value].format(
        weekday=texts.WEEKDAY_NAMES[weekday],
        time=f"{at:%H:%M}",
        week=texts.WEEK_NAMES.get(nth or 1, ""),
    )
    if outcome.planned is None:
        text = texts.SET_DONE_NONE.format(group=found.name, summary=summary, zone=found.zone)
    else:
        start = outcome.planned.scheduled_start
        text = texts.SET_DONE.format(
            group=found.name,
            summary=summary,
            zone=found.zone,
            when=format_dt(start, "F"),
            rel=format_dt(start, "R"),
        )
    return text + kept + gap_note(series, now) + plan_note(
        bot, found, minutes
    ), outcome.event_failed


def gap_note(series: Schedule, now: datetime) -> str:
    """A line for the leader if the clocks skip the series' time on a coming date."""
    shifted = first_gap_session(series, now)
    if shifted is None:
        return ""
    return texts.SET_GAP_NOTE.format(
        time=f"{series.local_time:%H:%M}",
        day=shifted.original_date.isoformat(),
        zone=series.zone,
        when=format_dt(shifted.start_utc, "F"),
    )


def plan_note(bot: BalintBot, found: Group, minutes: int) -> str:
    """A line for the leader if the meeting's full plan is longer than the session."""
    durations = durations_of(bot, found)
    if not overrun(durations, found.max_cases, minutes):
        return ""
    total = plan_minutes(durations, found.max_cases)
    return texts.PLAN_LONGER.format(cases=found.max_cases, plan=total, minutes=minutes)


async def add_once(bot: BalintBot, found: Group, date: str, time: str, duration: int) -> Answer:
    """A one-off session; one session per date, so a taken date is refused."""
    day, at, minutes = parse.day(date), parse.hhmm(time), parse.duration(duration)
    state = await store.load(bot.db, found.id, found.zone)
    problem = validate_once(day, at, minutes, found.zone, bot.now(), state.series, state.onces)
    if problem is not None:
        raise UserError(
            texts.ONCE_PROBLEMS[problem].format(time=f"{at:%H:%M}", day=day, zone=found.zone)
        )
    single = one_off(day, at, minutes, found.zone)
    await store.add_once(bot.db, found.id, single)
    outcome = await plan.replan(bot, found.id)
    start = local_instant(single, day, at)
    text = texts.ONCE_DONE.format(
        group=found.name, when=format_dt(start, "F"), rel=format_dt(start, "R")
    )
    return text + plan_note(bot, found, minutes), outcome.event_failed


async def skip_date(bot: BalintBot, found: Group, date: str) -> Answer:
    """Skip a series date, or drop the one-off on that date."""
    day = parse.day(date)
    state = await store.load(bot.db, found.id, found.zone)
    held = await store.held_dates(bot.db, found.id)
    # A one-off may sit on a date skipped from the series: that date is the one-off's.
    in_series = state.series is not None and current_slot(state.series, day) is not None
    if not in_series and any(single.starts == day for single in state.onces):
        if day < local_today(state.onces[0], bot.now()):
            raise UserError(texts.SKIP_PROBLEMS["in_the_past"].format(value=day.isoformat()))
        if day in held:
            raise UserError(texts.SKIP_PROBLEMS["started"].format(value=day.isoformat()))
        await store.remove_once(bot.db, found.id, day)
    else:
        if state.series is None:
            raise UserError(texts.NO_SCHEDULE)
        today = local_today(state.series, bot.now())
        original = meant_date(state.series, day)  # a moved session by its new date
        problem = validate_skip(state.series, original, today, held)
        if problem is not None:
            raise UserError(texts.SKIP_PROBLEMS[problem].format(value=day.isoformat()))
        await store.add_skip(bot.db, found.id, original)
    outcome = await plan.replan(bot, found.id)
    return texts.SKIP_DONE.format(value=day.isoformat()), outcome.event_failed


async def move_date(
    bot: BalintBot, found: Group, date: str, new_date: str, new_time: str
) -> Answer:
    """Move one series date to another date and time."""
    day, target, at = (
        parse.day(date),
        parse.day(new_date, texts.WHAT_NEW_DATE),
        parse.hhmm(new_time),
    )
    state = await store.load(bot.db, found.id, found.zone)
    original = meant_date(state.series, day) if state.series is not None else day
    in_series = state.series is not None and current_slot(state.series, original) is not None
    if not in_series and any(single.starts == day for single in state.onces):
        raise UserError(texts.MOVE_PROBLEMS["one_off"].format(value=day.isoformat()))
    if state.series is None:
        raise UserError(texts.NO_SCHEDULE)
    held = await store.held_dates(bot.db, found.id)
    problem = validate_move(state.series, original, target, at, bot.now(), state.onces, held)
    if problem is not None:
        raise UserError(
            texts.MOVE_PROBLEMS[problem].format(
                value=day.isoformat(), time=f"{at:%H:%M}", day=target, zone=found.zone
            )
        )
    await store.add_move(bot.db, found.id, original, target, at)
    outcome = await plan.replan(bot, found.id)
    start = local_instant(state.series, target, at)
    text = texts.MOVE_DONE.format(
        value=day.isoformat(), when=format_dt(start, "F"), rel=format_dt(start, "R")
    )
    return text, outcome.event_failed
