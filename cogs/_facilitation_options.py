"""The options of the facilitation commands as the command picker shows them.

Why: discord.py sends "…" as the description of an option nobody described, so a
leader choosing `/phase extend` at the end of a working day would see `minutes …`;
and a `group` option without autocomplete must be typed exactly. Every command of
cogs/facilitation.py takes its options' words from bot/texts through `options`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import discord
from discord import app_commands

from bot.access import group_autocomplete
from bot.domain.phases import Phase, TurnMode
from bot.texts import facilitation as texts

T = TypeVar("T")

PHASE_CHOICES = [
    app_commands.Choice(name=texts.PHASE_NAMES[p.value], value=p.value)
    for p in Phase
    if p is not Phase.ENDED
]
MODE_CHOICES = [
    app_commands.Choice(name=texts.MODE_NAMES[m.value], value=m.value) for m in TurnMode
]


async def groups(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The caller's groups matching what they typed."""
    return await group_autocomplete(interaction.client, interaction, current)  # type: ignore[arg-type]


def options(**described: str) -> Callable[[T], T]:
    """Describe `group` (with autocomplete) and the command's other options."""

    def apply(func: T) -> T:
        func = app_commands.describe(group=texts.OPTION_GROUP, **described)(func)
        return app_commands.autocomplete(group=groups)(func)

    return apply
