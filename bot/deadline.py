"""Answer an interaction in one call when its work is quick; defer it before it waits.

Why: a deferral is a REST call of its own, and the answer after it a second one (a
followup). A press or command whose work is store-only (raise a hand, "I'm here") is
answered in one call instead. The issue's rule is "answered or deferred at once", and
Discord drops an interaction not answered within 3 seconds of its sending, so the
deferral still comes first whenever the work waits:
- before the work's first REST call (a permission write, a line in the channel): the
  bot's HTTP client asks `before_discord()`, which defers the interaction of the task
  it runs in (a context variable, so nothing is passed down the call chain);
- before waiting for a session's lock another change holds (`before_discord()` too);
- at DEFER_AFTER in any case (a slow store), as a last guard.
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from typing import Any, Protocol

import discord
from discord.http import HTTPClient

from bot.compat import REST_FAULTS, fault_code

log = logging.getLogger(__name__)

# Discord counts its 3 s from the event's sending; the network takes its share both ways.
DEFER_AFTER = 2.0
_KEY = "balint:deadline"
# The deadline armed in this task (and copied into the tasks it starts): what
# `before_discord` defers. A settled one does nothing.
_ARMED: ContextVar[Deadline | None] = ContextVar("balint_deadline", default=None)


class _Lock(Protocol):
    def locked(self) -> bool: ...


class Deadline:
    """The deferral armed for one interaction, undone by its answer (`settle`)."""

    __slots__ = ("_deferring", "_handle", "_interaction")

    def __init__(self, interaction: discord.Interaction, after: float) -> None:
        self._interaction: discord.Interaction | None = interaction
        self._deferring: asyncio.Future[None] | None = None
        self._handle = asyncio.get_running_loop().call_later(after, self._fire)

    def _fire(self) -> None:
        self._deferring = asyncio.create_task(self._defer())

    async def _defer(self) -> None:
        interaction = self._interaction
        if interaction is None or interaction.response.is_done():
            return
        try:
            await defer(interaction)
        except REST_FAULTS as exc:  # the answer tries again, and says so if it fails too
            log.warning("interaction %s not deferred: %s", interaction.id, fault_code(exc))

    async def defer_now(self) -> None:
        """The work is about to wait (on Discord, or on a lock): defer before it does, in
        this task (the one answering), so the deferral is part of the command's own work."""
        if self._interaction is None:
            return  # answered already
        self._handle.cancel()
        if self._deferring is not None:  # the timer's, or another task's, under way
            await self._deferring
            return
        deferred = self._deferring = asyncio.get_running_loop().create_future()
        try:
            await self._defer()
        finally:
            deferred.set_result(None)

    async def settle(self) -> None:
        """Before the first answer: no deferral from now on; one under way finishes first."""
        self._handle.cancel()
        if self._interaction is not None:
            self._interaction.extras.pop(_KEY, None)  # no cycle left for the collector
            self._interaction = None
        if self._deferring is not None:
            await self._deferring


async def defer(interaction: discord.Interaction) -> None:
    """Defer as the interaction's kind wants: a press updates its message later; a command
    shows "thinking", and its answer is ephemeral. Nothing if it was answered already."""
    if interaction.response.is_done():
        return
    if interaction.type is discord.InteractionType.component:
        await interaction.response.defer()
    else:
        await interaction.response.defer(ephemeral=True, thinking=True)


def arm(interaction: discord.Interaction, after: float = DEFER_AFTER) -> None:
    """Answer later than this (`after` seconds from now) and the interaction is deferred."""
    if not interaction.response.is_done() and _KEY not in interaction.extras:
        interaction.extras[_KEY] = armed = Deadline(interaction, after)
        _ARMED.set(armed)


async def before_discord() -> None:
    """Called before a REST call or a wait: the interaction this task is answering, if it
    is not answered yet, is deferred first ("answered or deferred at once")."""
    armed = _ARMED.get()
    if armed is not None:
        await armed.defer_now()


async def before_lock(lock: _Lock) -> None:
    """Called before taking a lock the answer waits for: held by another change (its REST
    calls may take seconds), the interaction this task answers is deferred first."""
    if lock.locked():
        await before_discord()


async def settle(interaction: discord.Interaction) -> None:
    """Call before answering: the armed deferral is called off, or waited for if it began."""
    deadline = interaction.extras.get(_KEY)
    if deadline is not None:
        await deadline.settle()


def defer_before_requests(http: HTTPClient) -> None:
    """Every REST call of the bot's client first defers the interaction its task answers.
    Interaction answers go through discord.py's webhook adapter, not this, so a deferral
    never defers itself."""
    original = http.request

    async def request(*args: Any, **kwargs: Any) -> Any:
        if _ARMED.get() is not None:
            await before_discord()
        return await original(*args, **kwargs)

    http.request = request  # type: ignore[method-assign]
