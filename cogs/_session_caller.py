"""Which group a session command means, may the caller run it, and the group's live session.

Split from cogs/facilitation.py (which is near its size limit). Every session command
needs the three before it answers; from the group's own channels (the usual case: the
lobby, the session channel in the group's category) `session_group.by_channel_live`
reads them in one statement instead of three or four. A group named in the command, or
found from the caller's groups, takes the general path of `resolve_group`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.access import require, resolve_group
from bot.domain.access import Action
from bot.errors import UserError
from bot.store import session_group
from bot.store import sessions as session_store
from bot.store.groups import Group
from bot.store.sessions import Session
from bot.texts import facilitation as texts

if TYPE_CHECKING:
    from bot.app import BalintBot


async def group_live(
    bot: BalintBot, interaction: discord.Interaction, name: str | None, action: Action
) -> tuple[Group, Session]:
    """The group and its live session, once the caller is allowed `action` in it; read
    fresh from the store (nothing is kept between interactions)."""
    channel = interaction.channel
    if not name and channel is not None and interaction.guild_id is not None:
        category_id = getattr(channel, "category_id", None)
        found = await session_group.by_channel_live(
            bot.db, interaction.guild_id, channel.id, category_id, interaction.user.id
        )
        if found is not None:
            group, membership, session = found
            await require(bot, interaction, action, group, known=membership)
            if session is None:
                raise UserError(texts.NO_LIVE_SESSION)
            return group, session
    group = await resolve_group(bot, interaction, name)
    await require(bot, interaction, action, group)
    session = await session_store.live_for_group(bot.db, group.id)
    if session is None:
        raise UserError(texts.NO_LIVE_SESSION)
    return group, session


__all__ = ["group_live"]
