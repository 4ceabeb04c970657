"""The sentence a user gets for a Discord refusal (bot/errors.describe, a pure mapping).

Why: Discord answers 50013 Missing Permissions for a channel the bot can see but lacks a
permission in, and 50001 Missing Access for one it cannot see at all (its role lost View
Channel there). Both are fixed by the same admin step, so both must say what to give,
not "something went wrong on my side".
"""

from __future__ import annotations

from types import SimpleNamespace

import discord
import pytest

from bot.errors import describe
from bot.texts import common as texts


def refusal(code: int) -> discord.Forbidden:
    response = SimpleNamespace(status=403, reason="Forbidden")
    return discord.Forbidden(response, {"code": code, "message": "refused"})  # type: ignore[arg-type]


@pytest.mark.parametrize("code", [50013, 50001], ids=["missing-permissions", "missing-access"])
def test_a_refusal_for_want_of_permission_or_access_says_what_to_give(code: int) -> None:
    sentence = describe(refusal(code))
    assert sentence == texts.MISSING_PERMISSIONS.format(
        what=texts.MISSING_FOR_CHANGE, permissions=texts.INVITE_PERMISSIONS
    )


def test_another_refusal_is_not_blamed_on_permissions() -> None:
    assert describe(refusal(50007)) == texts.UNEXPECTED_ERROR
