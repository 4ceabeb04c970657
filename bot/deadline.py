"""Answer an interaction in one call when its work is quick; defer it before 3 s run out.

Why: a deferral is a REST call of its own, and the answer after it a second one (a
followup). A press or command whose work takes milliseconds is answered in one call
instead. But Discord drops an interaction that is not answered within 3 seconds of its
sending ("This interaction failed"), and a change can wait that long (its session's
lock held by a change waiting out a 429): the guard defers it at DEFER_AFTER, and the
answer becomes a followup, as it was when every command deferred at once.
"""

from __future__ import annotations

import asyncio
import logging

import discord

from bot.compat import REST_FAULTS, fault_code

log = logging.getLogger(__name__)

# Discord counts its 3 s from the event's sending; the network takes its share both ways.
DEFER_AFTER = 2.0
_KEY = "balint:deadline"


class Deadline:
    """The deferral armed for one interaction, undone by its answer (`settle`)."""

    __slots__ = ("_deferring", "_handle", "_interaction")

    def __init__(self, interaction: discord.Interaction, after: float) -> None:
        self._interaction: discord.Interaction | None = interaction
        self._deferring: asyncio.Task[None] | None = None
        self._handle = asyncio.get_running_loop().call_later(after, self._fire)

    def _fire(self) -> None:
        self._deferring = asyncio.create_task(self._defer())

    async def _defer(self) -> None:
        interaction = self._interaction
        if interaction is None or interaction.response.is_done():
            return
        try:
            if interaction.type is discord.InteractionType.component:
                await interaction.response.defer()
            else:
                await interaction.response.defer(ephemeral=True, thinking=True)
        except REST_FAULTS as exc:  # the answer tries again, and says so if it fails too
            log.warning("interaction %s not deferred: %s", interaction.id, fault_code(exc))

    async def settle(self) -> None:
        """Before the first answer: no deferral from now on; one under way finishes first."""
        self._handle.cancel()
        if self._interaction is not None:
            self._interaction.extras.pop(_KEY, None)  # no cycle left for the collector
            self._interaction = None
        if self._deferring is not None:
            await self._deferring


def arm(interaction: discord.Interaction, after: float = DEFER_AFTER) -> None:
    """Answer later than this (`after` seconds from now) and the interaction is deferred."""
    if not interaction.response.is_done() and _KEY not in interaction.extras:
        interaction.extras[_KEY] = Deadline(interaction, after)


async def settle(interaction: discord.Interaction) -> None:
    """Call before answering: the armed deferral is called off, or waited for if it began."""
    deadline = interaction.extras.get(_KEY)
    if deadline is not None:
        await deadline.settle()
