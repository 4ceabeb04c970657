"""The sentence a user gets for a Discord refusal (bot/errors.describe, a pure mapping).

Why: Discord answers 50013 Missing Permissions for a channel the bot can see but lacks a
permission in, and 50001 Missing Access for one it cannot see at all (its role lost View
Channel there). Each says what an admin can do, not "something went wrong on my side".
"""

from __future__ import annotations

from types import SimpleNamespace

import discord

from bot.errors import describe
from bot.texts import common as texts


def refusal(code: int) -> discord.Forbidden:
    response = SimpleNamespace(status=403, reason="Forbidden")
    return discord.Forbidden(response, {"code": code, "message": "refused"})  # type: ignore[arg-type]


def test_a_missing_permission_says_what_to_give() -> None:
    assert describe(refusal(50013)) == texts.MISSING_PERMISSIONS.format(
        what=texts.MISSING_FOR_CHANGE, permissions=texts.INVITE_PERMISSIONS
    )


def test_a_channel_hidden_from_the_bot_says_how_to_show_it_again() -> None:
    """Missing Access: giving permissions to the role would not help if the channel's own
    overwrite hides it; the sentence says to allow View Channel there."""
    assert describe(refusal(50001)) == texts.MISSING_ACCESS
    assert "View Channel" in texts.MISSING_ACCESS


def test_another_refusal_is_not_blamed_on_permissions() -> None:
    assert describe(refusal(50007)) == texts.UNEXPECTED_ERROR
