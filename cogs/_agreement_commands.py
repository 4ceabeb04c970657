"""/group agreement set|show|resend: the leaders' text, who has not agreed, a second DM.

Why a Group subclass: discord.py binds the commands of an `app_commands.Group`
subclass to the group object itself, so cogs/groups.py can attach it under
`/group` with one `add_command` in its cog_load, whatever order the cogs load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.access import group_autocomplete, require, resolve_group
from bot.domain.access import Action
from bot.domain.agreement import TEXT_MAX, TEXT_MIN, is_current, next_version, pending, text_problem
from bot.errors import UserError, handles_errors, reply
from bot.store import consents
from bot.store import groups as group_store
from bot.store.groups import Group
from bot.store.timers import Timer
from bot.textfit import EMBED_FIELD_LIMIT, fit
from bot.texts import agreement as texts
from bot.texts import groups as group_texts
from cogs import _agreement_dm as dm
from cogs._dm_round import DmRound

if TYPE_CHECKING:
    from bot.app import BalintBot

# The round of DMs after a change: a stored timer per version, `agreement_again:<group>:<v>`.
K_ASK_AGAIN = "agreement_again"


def _bot(interaction: discord.Interaction) -> BalintBot:
    return interaction.client  # type: ignore[return-value]


async def _active(bot: BalintBot, interaction: discord.Interaction, name: str | None) -> Group:
    group = await resolve_group(bot, interaction, name)
    if group.archived:
        raise UserError(group_texts.ARCHIVED.format(name=group.name))
    return group


async def ask_everyone_again(bot: BalintBot, timer: Timer) -> None:
    """After a change: every current member who has not agreed to it yet (its author has)
    gets the new version by DM, once. A stored timer's round (cogs/_dm_round.py): a
    restart in the middle asks those not asked yet, and nobody twice. A newer version has
    a round of its own: this one stops sending once it is made."""
    group = await group_store.get(bot.db, timer.group_id or 0)
    version = int(timer.dedupe_key.rsplit(":", 1)[1])
    if group is None or group.archived or group.agreement_version != version:
        return
    guild = bot.get_guild(group.guild_id)
    # A DM that failed for now (a 5xx, a reset) is sent by the clock's retry, once.
    dm_round = await DmRound.open(bot, timer, retry_passing=True)
    agreed = await consents.latest_by_user(bot.db, group.id)
    for membership in await group_store.members(bot.db, group.id):
        user_id = membership.user_id
        if agreed.get(user_id, 0) >= version or guild is None or guild.get_member(user_id) is None:
            continue  # the author agreed by writing it; someone off the server cannot be DMed
        # Re-checked per member: a newer change part-way through has a round of its own.
        await dm.ask(bot, group.id, user_id, texts.DM_INTRO_CHANGED, dm_round, version)
    dm_round.finish()


class AgreementModal(discord.ui.Modal):
    """A paragraph prefilled with the current text; submitting makes a new version."""

    def __init__(self, group: Group, current: str) -> None:
        super().__init__(title=texts.MODAL_TITLE, custom_id=f"balint:agreement:{group.id}")
        self.group_id = group.id
        self.text: discord.ui.TextInput[AgreementModal] = discord.ui.TextInput(
            label=texts.MODAL_LABEL,
            style=discord.TextStyle.paragraph,
            default=current[:TEXT_MAX],
            min_length=TEXT_MIN,
            max_length=TEXT_MAX,
            custom_id="text",
        )
        self.add_item(self.text)

    @handles_errors
    async def on_submit(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        group = await group_store.get(bot.db, self.group_id)
        if group is None:
            raise UserError(texts.NO_SUCH_GROUP)
        await require(bot, interaction, Action.GROUP_AGREEMENT_SET, group)
        if group.archived:
            raise UserError(group_texts.ARCHIVED.format(name=group.name))
        new_text = str(self.text.value)
        problem = text_problem(new_text, dm.agreement_text(bot, group))
        if problem is not None:
            raise UserError(texts.TEXT_PROBLEMS[problem].format(minimum=TEXT_MIN, maximum=TEXT_MAX))
        version = next_version(group.agreement_version)
        async with bot.db.transaction():
            await group_store.update_settings(
                bot.db, group.id, agreement_text=new_text.strip(), agreement_version=version
            )
            # The leader who wrote the new text has agreed to it by submitting it.
            await consents.accept(bot.db, group.id, interaction.user.id, version, bot.clock.now())
            # In the same transaction: a crash after the change cannot lose the round.
            timer = await bot.timers.add(
                kind=K_ASK_AGAIN,
                key=f"{K_ASK_AGAIN}:{group.id}:{version}",
                due_at=bot.clock.now(),
                guild_id=group.guild_id,
                group_id=group.id,  # no user id: erasing the author must not end the round
            )
        await reply(interaction, texts.SET_DONE.format(name=group.name, version=version))
        if timer is not None:
            await bot.timers.fire(timer.id)


class AgreementCommands(app_commands.Group, name="agreement", description="The group agreement"):
    """Attached under /group by cogs/groups.py."""

    @app_commands.command(name="set", description="Replace the group agreement (leaders)")
    @app_commands.describe(group="Which group (default: this channel's)")
    async def set_(self, interaction: discord.Interaction, group: str | None = None) -> None:
        bot = _bot(interaction)
        found = await _active(bot, interaction, group)
        await require(bot, interaction, Action.GROUP_AGREEMENT_SET, found)
        await interaction.response.send_modal(AgreementModal(found, dm.agreement_text(bot, found)))

    @app_commands.command(name="show", description="Read the group agreement")
    @app_commands.describe(group="Which group (default: this channel's)")
    async def show(self, interaction: discord.Interaction, group: str | None = None) -> None:
        bot = _bot(interaction)
        found = await resolve_group(bot, interaction, group)
        caller = await require(bot, interaction, Action.GROUP_AGREEMENT_SHOW, found)
        embed = discord.Embed(
            title=texts.SHOW_TITLE.format(name=found.name, version=found.agreement_version),
            description=dm.agreement_text(bot, found),
        )
        if caller.is_leader:
            members = [m.user_id for m in await group_store.members(bot.db, found.id)]
            latest = await consents.latest_by_user(bot.db, found.id)
            waiting = pending(members, latest, found.agreement_version)
            listed = fit([f"<@{uid}>" for uid in waiting], EMBED_FIELD_LIMIT)
            value = listed or texts.SHOW_NOBODY_PENDING
            embed.add_field(name=texts.SHOW_PENDING, value=value, inline=False)
        await reply(interaction, embed=embed)

    @app_commands.command(name="resend", description="Send the agreement to a member again")
    @app_commands.describe(member="Who gets it", group="Which group (default: this channel's)")
    async def resend(
        self,
        interaction: discord.Interaction,
        member: discord.Member,
        group: str | None = None,
    ) -> None:
        bot = _bot(interaction)
        found = await _active(bot, interaction, group)
        await require(bot, interaction, Action.GROUP_AGREEMENT_SET, found)
        membership = await group_store.membership(bot.db, found.id, member.id)
        if membership is None or membership.left_at is not None:
            raise UserError(texts.RESEND_NOT_MEMBER.format(user=member.mention, name=found.name))
        latest = await consents.latest(bot.db, found.id, member.id)
        if is_current(latest, found.agreement_version):
            raise UserError(texts.RESEND_ALREADY.format(user=member.mention, name=found.name))
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await dm.send(bot, found, member.id, texts.DM_INTRO_RESENT)
        template = {
            dm.Delivery.SENT: texts.RESENT,
            dm.Delivery.CLOSED: texts.RESEND_UNREACHABLE,
            dm.Delivery.FAILED: texts.RESEND_FAILED,
        }[result]
        await reply(interaction, template.format(user=member.mention, name=found.name))

    @set_.autocomplete("group")
    @show.autocomplete("group")
    @resend.autocomplete("group")
    async def _group_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await group_autocomplete(_bot(interaction), interaction, current)
