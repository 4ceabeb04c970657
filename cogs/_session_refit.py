"""A session channel brought back to its plan: after a restart, and for a new group role.

Why: Discord drops a deleted role's overwrites with it. /group repair makes a
new role and refits the group's own channels (cogs/_groups_admin.py), then
dispatches `balint_group_role_replaced`; the facilitation cog calls
`refit_role`, which gives the new role its overwrite on the live session's text
channel (the current plan again, as after a restart), on its voice channel, and
on a permanent session channel between meetings (read-only, as the end left it).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.domain import session as domain
from bot.store import groups as group_store
from bot.store import session_perms
from bot.store import sessions as session_store
from bot.store.sessions import Session
from bot.texts import facilitation as texts
from cogs._session_apply import (
    ROLE_BASE,
    ROLE_BASE_DENY,
    VOICE_ROLE,
    ApplyFailed,
    stale_allow_writes,
)
from cogs._session_room import is_permanent

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_engine import Engine

log = logging.getLogger(__name__)


async def reapply_plan(bot: BalintBot, engine: Engine, session: Session) -> bool:
    """The live session's text channel back to its plan, writing only differences."""
    async with engine.lock(session.id):
        live = await engine.fetch(session.id)
        if live is None:
            return False
        channel = engine.text_channel(live.session)
        if channel is None or live.group.role_id is None:
            return False
        writes = domain.restore_writes(live.state)
        # A crash between an overwrite write and the stored state can leave a
        # member's send-allow the store does not know about: take it back too.
        bot_id = bot.user.id if bot.user else 0
        writes += stale_allow_writes(channel, bot_id, live, writes, live_after=True)
        try:
            await engine.applier.apply(channel, live.group.role_id, writes, only_differences=True)
        except ApplyFailed as exc:
            log.warning("session %s plan not restored: %s", session.id, exc)
            return False
        await session_store.save_state(
            bot.db,
            live.state,
            applied=True,
            old=live.state,
            now=bot.now(),
            applied_was=live.session.applied_phase,
        )
    if engine.status is not None:
        engine.status.touch(session.id)
    return True


async def refit_role(bot: BalintBot, engine: Engine, group_id: int) -> None:
    """The group's (new) role gets its overwrite on the group's session channels."""
    group = await group_store.get(bot.db, group_id)
    guild = bot.get_guild(group.guild_id) if group is not None else None
    if group is None or guild is None or group.role_id is None:
        return
    role = guild.get_role(group.role_id)
    if role is None:
        return
    base = [(role.id, ROLE_BASE, ROLE_BASE_DENY)]
    session = await session_store.live_for_group(bot.db, group.id)
    if session is not None:
        if session.text_channel_id is not None:
            # What the plan's Send bits go on top of, as the start saved it for the old role.
            await session_perms.save_overwrites(bot.db, session.text_channel_id, base, bot.now())
        await reapply_plan(bot, engine, session)
        voice = guild.get_channel(session.voice_channel_id or 0)
        if isinstance(voice, discord.VoiceChannel):
            try:
                await voice.set_permissions(role, overwrite=VOICE_ROLE, reason=texts.REFIT_AUDIT)
            except REST_FAULTS as exc:
                log.warning("session %s: voice not refitted: %s", session.id, fault_code(exc))
        return
    if not is_permanent(group):
        return
    channel = guild.get_channel(group.session_channel_id or 0)
    if not isinstance(channel, discord.TextChannel):
        return
    await session_perms.save_overwrites(bot.db, channel.id, base, bot.now())
    try:
        await engine.applier.apply(channel, role.id, domain.closed_channel_writes())
    except ApplyFailed as exc:
        log.warning("group %s: permanent channel not refitted: %s", group.id, exc)
