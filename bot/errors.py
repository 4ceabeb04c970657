"""One error path for commands and buttons: a clear ephemeral sentence, context in the log.

The log line names the command, guild, channel and user ids and the error, never
anything a member wrote.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from bot import deadline
from bot.answer_lost import acknowledged
from bot.compat import REST_FAULTS, fault_code
from bot.permissions_needed import label
from bot.textfit import pack
from bot.texts import common as texts

if TYPE_CHECKING:
    from discord.ext import commands

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


class UserError(app_commands.AppCommandError):
    """Something the user can fix; its message is shown to them, ephemerally."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Refused(UserError):
    """The caller may not do this; the message says who may."""


async def reply(
    interaction: discord.Interaction, content: str | None = None, **kwargs: Any
) -> None:
    """Answer once, or follow up if already answered or deferred; ephemeral by default."""
    kwargs.setdefault("ephemeral", True)
    await deadline.settle(interaction)
    if interaction.response.is_done():
        await interaction.followup.send(content, **kwargs)
    else:
        await interaction.response.send_message(content, **kwargs)


async def reply_lines(interaction: discord.Interaction, lines: list[str], **kwargs: Any) -> None:
    """`reply` with whole lines in as many messages as Discord's 2,000 characters need."""
    for content in pack(lines):
        await reply(interaction, content, **kwargs)


def _member_gone(error: BaseException) -> bool:
    """A user option naming someone no longer in the server: Discord sent no member data,
    so discord.py could not make the Member the command asks for."""
    return (
        isinstance(error, app_commands.TransformerError)
        and error.type is discord.AppCommandOptionType.user
        and isinstance(error.value, discord.User)
    )


def describe(error: BaseException) -> str:
    """The sentence a user sees for an error."""
    original = getattr(error, "original", None) or getattr(error, "__cause__", None) or error
    if isinstance(error, UserError):
        return error.message
    if isinstance(original, UserError):
        return original.message
    if _member_gone(error):
        return texts.NOT_IN_SERVER.format(who=error.value.mention)  # type: ignore[attr-defined]
    if isinstance(error, app_commands.NoPrivateMessage):
        return texts.GUILD_ONLY
    if isinstance(error, app_commands.CommandOnCooldown):
        return texts.COOLDOWN.format(seconds=error.retry_after)
    if isinstance(error, app_commands.BotMissingPermissions):
        perms = ", ".join(label(p) for p in error.missing_permissions)
        return texts.MISSING_PERMISSIONS.format(what=texts.MISSING_FOR_COMMAND, permissions=perms)
    if isinstance(error, app_commands.CheckFailure):
        return texts.WHO_MAY["anyone"]
    if isinstance(original, discord.Forbidden) and original.code == 50001:
        return texts.MISSING_ACCESS  # a channel it cannot see: a permission would not help
    if isinstance(original, discord.Forbidden) and original.code == 50013:
        return texts.MISSING_PERMISSIONS.format(
            what=texts.MISSING_FOR_CHANGE, permissions=texts.INVITE_PERMISSIONS
        )
    if isinstance(original, discord.RateLimited) or (
        isinstance(original, discord.HTTPException) and original.status == 429
    ):
        return texts.RATE_LIMITED
    if isinstance(original, discord.DiscordServerError):
        return texts.DISCORD_DOWN
    if isinstance(original, REST_FAULTS) and not isinstance(original, discord.HTTPException):
        # The connection broke below HTTP (reset, DNS, timeout): Discord gave no answer.
        return texts.DISCORD_DOWN
    return texts.UNEXPECTED_ERROR


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the user what to do and log the context; never raises."""
    command = interaction.command.qualified_name if interaction.command else None
    custom_id = (interaction.data or {}).get("custom_id") if interaction.data else None
    expected = (
        isinstance(error, UserError)
        or isinstance(getattr(error, "original", None), UserError)
        or _member_gone(error)
    )
    if not expected:
        log.error(
            "interaction failed: command=%s custom_id=%s guild=%s channel=%s user=%s error=%r",
            command,
            custom_id,
            interaction.guild_id,
            interaction.channel_id,
            interaction.user.id if interaction.user else None,
            getattr(error, "original", error),
            exc_info=not isinstance(getattr(error, "original", error), REST_FAULTS),
        )
    try:
        if acknowledged(getattr(error, "original", error)):
            # Answered already, by something else (a double answer): a second answer would
            # be refused the same way; a followup reaches the user.
            await interaction.followup.send(describe(error), ephemeral=True)
        else:
            await reply(interaction, describe(error))
    except REST_FAULTS as exc:
        # The answer itself failed (403, expired token, a broken connection): logged,
        # never crashes the bot.
        log.warning("could not answer interaction %s: %s", interaction.id, fault_code(exc))


def handles_errors(func: F) -> F:
    """For button and modal callbacks: route any error through report_error."""

    @functools.wraps(func)
    async def wrapper(
        self: Any, interaction: discord.Interaction, *args: Any, **kwargs: Any
    ) -> Any:
        try:
            return await func(self, interaction, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every error gets a sentence
            await report_error(interaction, exc)
            return None

    return wrapper  # type: ignore[return-value]


def install_error_handler(bot: commands.Bot) -> None:
    async def on_tree_error(
        interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)

    bot.tree.error(on_tree_error)
