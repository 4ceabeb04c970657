"""One way to tell a group's leaders something: their channel, else a DM to each.

Used for notices only the leaders should see (a case offered, a purge that is stuck,
a member's records erased). Failures are logged with ids and status codes only.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.store import groups as group_store
from cogs._dm_names import DmGroupName, Line

if TYPE_CHECKING:
    from bot.app import BalintBot
    from bot.store.groups import Group

log = logging.getLogger(__name__)

QUIET = discord.AllowedMentions.none()


async def tell_leaders(bot: BalintBot, group: Group, line: Line | str) -> None:
    """A line in the leaders' channel, else a DM to each leader; failures are logged.

    A `Line` names the group: in a DM, as that leader tells it apart (cogs/_dm_names.py).
    """
    channel = bot.get_channel(group.leaders_channel_id or 0)
    if isinstance(channel, discord.TextChannel):
        try:
            text = line if isinstance(line, str) else line(group=group.name)
            await channel.send(text, allowed_mentions=QUIET)
            return
        except discord.HTTPException as exc:
            log.warning("leaders' channel of group %s refused: %s", group.id, exc.status)
    named = await DmGroupName.of(bot, group)
    for leader in await group_store.leaders(bot.db, group.id):
        text = line if isinstance(line, str) else line(group=named.to(leader.user_id))
        try:
            dm = await bot.create_dm(discord.Object(leader.user_id))
            await dm.send(text, allowed_mentions=QUIET)
        except discord.HTTPException as exc:
            log.warning("notice to leader %s failed: %s %s", leader.user_id, exc.status, exc.code)
