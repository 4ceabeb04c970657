"""/group timezone: the group keeps meeting at the same wall-clock times in a new zone.

An organiser who picked the wrong zone at /group create, or a group that moves, changes
it here instead of archiving the group. What moves is bot/domain/zone_change.py. The
zone, the sessions that keep their instant and the old zone of the meetings held (their
dates stay the days they were held on) are stored in one transaction, then the
scheduling capability's replan (cogs/_schedule_plan.py), under the same hold of its
lock, moves the planned sessions, their timers and their Discord events. A crash before
the commit leaves the old zone and plan; after it, start-up reconcile finishes the new
plan (_schedule_reconcile.py). The lobby's line is a timer stored in that transaction
and fired after the replan: a crash before it (at an event's move, say) posts it at
start-up; one during its very post leaves it unposted rather than posted twice.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.utils import format_dt

from bot.compat import REST_FAULTS, fault_code
from bot.domain.timeparse import validate_zone
from bot.domain.zone_change import Pin, date_taken, pins
from bot.errors import UserError, reply
from bot.store import groups as group_store
from bot.store import schedules as store
from bot.store import sessions as session_store
from bot.store.clocktime import to_epoch
from bot.store.groups import Group
from bot.store.timers import Timer
from bot.texts import groups as texts
from cogs import _schedule_events as events
from cogs import _schedule_plan as plan

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

# `zone_lobby_line:<group id>:<epoch of the change>:<new zone>`: the lobby told once.
K_LOBBY_LINE = "zone_lobby_line"


async def change_zone(
    bot: BalintBot, interaction: discord.Interaction, found: Group, zone_text: str
) -> None:
    """Validate as /group create does, store, replan; answer, and tell the lobby."""
    zone = validate_zone(zone_text)
    if isinstance(zone, str):
        raise UserError(texts.ZONE_PROBLEMS[zone].format(zone=zone_text.strip()[:40]))
    if zone.key == found.zone:
        raise UserError(texts.ZONE_SAME.format(name=found.name, zone=found.zone))
    await interaction.response.defer(ephemeral=True, thinking=True)
    kept: list[Pin] = []
    line: list[Timer] = []

    async def store_zone() -> bool:
        """Read under the replan lock: the plan the pins are computed from is current."""
        group = await group_store.get(bot.db, found.id)
        if group is None or group.zone == zone.key:
            return False
        state = await store.load(bot.db, group.id, group.zone)
        held = await store.held_dates(bot.db, group.id)
        kept.extend(pins(state.series, state.onces, zone.key, bot.now(), held))
        clash = date_taken(state.series, state.onces, kept, zone.key)
        if clash is not None:  # before anything is stored
            raise UserError(
                texts.ZONE_DATE_TAKEN.format(
                    name=found.name,
                    zone=zone.key,
                    day=clash.original_date.isoformat(),
                    new_day=clash.day.isoformat(),
                )
            )
        async with bot.db.transaction():
            await session_store.keep_held_zone(bot.db, group.id, group.zone)
            await group_store.update_settings(bot.db, group.id, zone=zone.key)
            for pin in kept:
                if pin.one_off:
                    await store.pin_once(bot.db, group.id, pin.original_date, pin.day, pin.at)
                else:
                    await store.add_move(bot.db, group.id, pin.original_date, pin.day, pin.at)
            timer = await bot.timers.add(
                kind=K_LOBBY_LINE,
                key=f"{K_LOBBY_LINE}:{group.id}:{to_epoch(bot.now())}:{zone.key}",
                due_at=bot.now(),
                guild_id=group.guild_id,
                group_id=group.id,
                hold=True,  # after the replan; a restart posts it if this process dies first
            )
            line.extend([timer] if timer else [])
        return True

    outcome = await plan.replan_after(bot, found.id, store_zone)
    if outcome is None:  # another change to the same zone came first
        raise UserError(texts.ZONE_SAME.format(name=found.name, zone=zone.key))
    if outcome.planned is None:
        lines = [texts.ZONE_SET_NONE.format(name=found.name, zone=zone.key)]
    else:
        when, rel = (format_dt(outcome.planned.scheduled_start, s) for s in "FR")
        lines = [texts.ZONE_SET.format(name=found.name, zone=zone.key, when=when, rel=rel)]
    lines += [
        texts.ZONE_KEPT.format(
            day=pin.original_date.isoformat(), when=format_dt(pin.start_utc, "F"), zone=zone.key
        )
        for pin in kept
    ]
    for timer in line:
        await bot.timers.release(timer.dedupe_key)
        await bot.timers.fire(timer.id)
    await reply(interaction, "\n".join(lines) + events.failed_note(outcome.event_failed))


async def tell_lobby(bot: BalintBot, timer: Timer) -> None:
    """The K_LOBBY_LINE timer's run: one line in the lobby; a lobby Discord refuses
    (deleted, no access) is only logged: the change is made, and the leader has the answer."""
    group = await group_store.get(bot.db, timer.group_id or 0)
    zone = timer.dedupe_key.split(":", 3)[3]
    if group is None or not group.lobby_channel_id:
        return
    try:
        lobby = bot.get_channel(group.lobby_channel_id) or await bot.fetch_channel(
            group.lobby_channel_id
        )
        await lobby.send(  # type: ignore[union-attr]
            texts.ZONE_LOBBY.format(name=group.name, zone=zone),
            allowed_mentions=discord.AllowedMentions.none(),
        )
    except REST_FAULTS as exc:  # refused, or the connection broke: the change stands
        log.warning("zone change: lobby not told: group=%s %s", group.id, fault_code(exc))
