"""The agreement DM, its "I agree" button, and giving the group role after agreeing.

Why a DynamicItem: the button (`balint:agree:<group_id>:<version>`) must work
after a restart and days later. The version in the id makes an old DM's button
recognisably outdated once the leaders change the agreement. Pressing it stores
a consents row (time of agreement) and then grants the group role if the member
does not have it yet: that grant is the gate of the confidentiality issue.
"""

from __future__ import annotations

import logging
import re
from enum import Enum
from typing import TYPE_CHECKING, Any

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.domain.agreement import Press, is_current, press_verdict
from bot.errors import UserError, handles_errors, reply
from bot.store import consents
from bot.store import groups as group_store
from bot.store.groups import Group
from bot.texts import agreement as texts
from cogs import _groups_setup as setup_
from cogs._dm_names import dm_group_name
from cogs._dm_round import DmRound
from cogs._leaders_notice import tell_leaders

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

CANNOT_DM = 50007


class Delivery(Enum):
    SENT = "sent"
    CLOSED = "closed"  # the member's DMs are closed (50007)
    FAILED = "failed"  # any other Discord error, or the member left the server


async def may_enter_now(bot: BalintBot, group: Group, user_id: int) -> bool:
    """The gate: the role at once only for someone who accepted the current version."""
    latest = await consents.latest(bot.db, group.id, user_id)
    return is_current(latest, group.agreement_version)


def agreement_text(bot: BalintBot, group: Group) -> str:
    """The leaders' text, else the configured default."""
    return group.agreement_text or bot.settings.agreement_text


def agreement_embed(bot: BalintBot, group: Group, name: str | None = None) -> discord.Embed:
    """The agreement alone in the description: up to 4,000 characters of it fit Discord's
    4,096-character limit, so the intro goes in the message's content. `name`: the group's
    name as a DM to its reader shows it (with its server for a namesake's member)."""
    embed = discord.Embed(
        title=texts.DM_TITLE.format(name=name or group.name),
        description=agreement_text(bot, group),
    )
    embed.set_footer(text=texts.DM_FOOTER.format(version=group.agreement_version))
    return embed


def agree_view(group: Group) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AgreeButton(group.id, group.agreement_version))
    return view


async def send(bot: BalintBot, group: Group, user_id: int, intro: str) -> Delivery:
    """DM the current agreement with its button; never raises for a failed call (refused,
    or the connection reset).

    `intro` is a template with the group's `{name}`, named as a DM names it."""
    guild = bot.get_guild(group.guild_id)
    member = guild.get_member(user_id) if guild else None
    if member is None:
        log.warning("agreement DM: user %s is not on server %s", user_id, group.guild_id)
        return Delivery.FAILED
    name = await dm_group_name(bot, group, user_id)
    try:
        await member.send(
            intro.format(name=name), embed=agreement_embed(bot, group, name), view=agree_view(group)
        )
    except discord.Forbidden as exc:
        if exc.code == CANNOT_DM:
            return Delivery.CLOSED
        log.warning("agreement DM to user %s refused: %s", user_id, exc.code)
        return Delivery.FAILED
    except REST_FAULTS as exc:  # a reset too: a rejoin goes on to the member's other groups
        log.warning("agreement DM to user %s failed: %s", user_id, fault_code(exc))
        return Delivery.FAILED
    return Delivery.SENT


async def tell_leaders_unreachable(bot: BalintBot, group: Group, user_id: int) -> None:
    """The member cannot see the lobby yet: the leaders' channel, else a DM to each
    leader (a channel deleted by hand must not leave the leaders unaware)."""
    await tell_leaders(bot, group, texts.UNREACHABLE.format(user=f"<@{user_id}>"))


async def deliver(bot: BalintBot, group: Group, user_id: int, intro: str) -> Delivery:
    """Send the agreement (`intro`: a template with `{name}`); if the member's DMs are
    closed, tell the leaders."""
    result = await send(bot, group, user_id, intro)
    if result is Delivery.CLOSED:
        await tell_leaders_unreachable(bot, group, user_id)
    return result


async def ask(
    bot: BalintBot,
    group_id: int,
    user_id: int,
    intro: str | None = None,
    dm_round: DmRound | None = None,
    version: int | None = None,
) -> None:
    """The agreement DM to a member who has not agreed to the current version yet.

    `dm_round`: sent as part of a timer's round, so a re-run after a crash sends it once.
    `version`: only while that version is the current one (the round after a change: a
    newer change has its own round, which would send the same text a second time).
    """
    group = await group_store.get(bot.db, group_id)
    membership = await group_store.membership(bot.db, group_id, user_id)
    if group is None or membership is None or membership.left_at is not None:
        return
    if version is not None and group.agreement_version != version:
        return
    if await may_enter_now(bot, group, user_id):
        return  # a returning member who already agreed to this version
    if intro is None:
        intro = texts.DM_INTRO_LEADER if membership.is_leader else texts.DM_INTRO
    if dm_round is None:
        await deliver(bot, group, user_id, intro)
        return
    name = await dm_group_name(bot, group, user_id)
    await dm_round.send(
        user_id,
        intro.format(name=name),
        embed=agreement_embed(bot, group, name),
        view=agree_view(group),
    )
    if user_id in dm_round.closed():
        await dm_round.mentioned([user_id])  # recorded first: the leaders are told once
        await tell_leaders_unreachable(bot, group, user_id)


async def grant_access(bot: BalintBot, group: Group, user_id: int) -> bool:
    """Give the group role if missing; True if it was given now (False: already had it)."""
    guild = bot.get_guild(group.guild_id)
    role = guild.get_role(group.role_id) if guild and group.role_id else None
    member = guild.get_member(user_id) if guild else None
    if role is None or member is None:
        raise UserError(texts.ROLE_MISSING)
    if role in member.roles:
        return False
    try:
        await setup_.grant(member, role, texts.AUDIT_REASON)
    except setup_.SetupFailed:
        raise UserError(texts.GRANT_FAILED) from None
    return True


class AgreeButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"balint:agree:(?P<group_id>[0-9]+):(?P<version>[0-9]+)",
):
    """ "I agree" under an agreement DM; only a current member of that group may press it."""

    def __init__(self, group_id: int, version: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=texts.AGREE_BUTTON,
                style=discord.ButtonStyle.success,
                custom_id=f"balint:agree:{group_id}:{version}",
            )
        )
        self.group_id = group_id
        self.version = version

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AgreeButton:
        return cls(int(match["group_id"]), int(match["version"]))

    @handles_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        bot: BalintBot = interaction.client  # type: ignore[assignment]
        group = await group_store.get(bot.db, self.group_id)
        if group is None:
            raise UserError(texts.NO_SUCH_GROUP)
        user_id = interaction.user.id
        membership = await group_store.membership(bot.db, group.id, user_id)
        is_member = membership is not None and membership.left_at is None
        verdict = press_verdict(self.version, group.agreement_version, is_member=is_member)
        name = await dm_group_name(bot, group, user_id)  # pressed in a DM
        if verdict is Press.NOT_MEMBER:
            raise UserError(texts.NOT_A_MEMBER.format(name=name))
        if group.archived:
            raise UserError(texts.GROUP_ARCHIVED.format(name=name))
        await interaction.response.defer(ephemeral=True, thinking=True)
        if verdict is Press.OUTDATED:
            await deliver(bot, group, user_id, texts.DM_INTRO_RESENT)
            await reply(interaction, texts.OUTDATED.format(name=name))
            return
        stored = await consents.accept(
            bot.db, group.id, user_id, group.agreement_version, bot.clock.now()
        )
        granted = await grant_access(bot, group, user_id)
        if granted:
            lobby = f"<#{group.lobby_channel_id}>" if group.lobby_channel_id else name
            await reply(interaction, texts.AGREED_ACCESS.format(lobby=lobby))
        elif stored:
            await reply(
                interaction,
                texts.AGREED.format(version=group.agreement_version, name=name),
            )
        else:
            await reply(
                interaction,
                texts.ALREADY_AGREED.format(version=group.agreement_version, name=name),
            )


__all__ = [
    "AgreeButton",
    "Delivery",
    "agree_view",
    "agreement_embed",
    "agreement_text",
    "ask",
    "deliver",
    "grant_access",
    "may_enter_now",
    "send",
]
