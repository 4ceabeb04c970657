"""One way to tell a group's leaders something: their channel, else a DM to each.

Used for notices only the leaders should see (a case offered, a purge that is stuck,
a member's records erased). Failures are logged with ids and status codes only.

A notice given as a plain string names no group: enough in the group's own leaders'
channel, not in a DM, where a leader of two groups could not tell which one it is about.
By DM it is prefixed with the group's name, as that leader tells it apart.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.store import groups as group_store
from bot.textfit import MESSAGE_LIMIT, pack
from bot.texts import common as texts
from cogs._dm_names import DmGroupName, Line

if TYPE_CHECKING:
    from bot.app import BalintBot
    from bot.store.groups import Group

log = logging.getLogger(__name__)

QUIET = discord.AllowedMentions.none()


def in_dm(line: Line | str, group: str) -> str:
    """The notice as a DM shows it: `group` is the name this leader knows it by."""
    if isinstance(line, str):
        return texts.DM_NOTICE.format(group=group, notice=line)
    return line(group=group)


async def tell_leaders(bot: BalintBot, group: Group, line: Line | str) -> None:
    """A line in the leaders' channel, else a DM to each leader; failures are logged.

    A `Line` names the group: in a DM, as that leader tells it apart (cogs/_dm_names.py);
    a plain string gets that name before it in a DM.
    """
    channel = bot.get_channel(group.leaders_channel_id or 0)
    if isinstance(channel, discord.TextChannel):
        text = line if isinstance(line, str) else line(group=group.name)
        if await _post(channel, group, text):
            return
    named = await DmGroupName.of(bot, group)
    for leader in await group_store.leaders(bot.db, group.id):
        await _dm(bot, leader.user_id, in_dm(line, named.to(leader.user_id)))


async def tell_leaders_lines(bot: BalintBot, group: Group, lines: list[str]) -> None:
    """Plain lines (one line each, no group named) in as few messages as fit, wherever
    they go: a DM has the group's name before them, so it packs them tighter."""
    channel = bot.get_channel(group.leaders_channel_id or 0)
    left = lines
    if isinstance(channel, discord.TextChannel):
        left = []
        for message in pack(lines):
            if not await _post(channel, group, message):
                left += message.split("\n")  # those lines go by DM
    if not left:
        return
    named = await DmGroupName.of(bot, group)
    for leader in await group_store.leaders(bot.db, group.id):
        name = named.to(leader.user_id)
        for message in pack(left, MESSAGE_LIMIT - len(in_dm("", name))):
            await _dm(bot, leader.user_id, in_dm(message, name))


async def _post(channel: discord.TextChannel, group: Group, text: str) -> bool:
    try:
        await channel.send(text, allowed_mentions=QUIET)
    except REST_FAULTS as exc:
        log.warning("leaders' channel of group %s refused: %s", group.id, fault_code(exc))
        return False
    return True


async def _dm(bot: BalintBot, user_id: int, text: str) -> None:
    try:
        dm = await bot.create_dm(discord.Object(user_id))
        await dm.send(text, allowed_mentions=QUIET)
    except REST_FAULTS as exc:
        log.warning("notice to leader %s failed: %s", user_id, fault_code(exc))
