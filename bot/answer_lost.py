"""An interaction's answer Discord made though its reply was lost: carry on, do not fail.

Why: a 5xx from Discord's edge (or a reset discord.py retries) can come after Discord
made the answer. discord.py's webhook adapter then sends the callback again by itself,
and Discord refuses the copy with 400/40060 "Interaction has already been acknowledged".
discord.py raised that, so the command stopped although the user saw the answer (or the
deferral): its followups and edits were skipped, a modal's submit went unheard, and the
error handler tried to answer a second time.

The one seam is the adapter's `create_interaction_response`, through which every answer
of discord.py 2.7 goes (`InteractionResponse.defer`, `send_message`, `edit_message`,
`send_modal`, `autocomplete`, ...). A reset, which discord.py does not retry, is sent
again here once. A 40060 after a try of the SAME call got a 5xx or a reset means this
answer was made: it returns a callback payload without a message, and
discord.py records the answer as it would on success (is_done(), the view or modal
stored). Any other 40060 (a real double answer, a bug) is raised as before and logged.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import discord
from discord.webhook import async_ as webhook_async

log = logging.getLogger(__name__)

ALREADY_ACKNOWLEDGED = 40060
# No answer: the connection broke (reset, closed). Discord may have carried the request out.
BROKEN = (OSError, aiohttp.ClientConnectionError)
_MARK = "_balint_answer_lost"


class _Watched:
    """The adapter's session for one answer: notes a try whose reply was lost."""

    __slots__ = ("_session", "lost")

    def __init__(self, session: Any) -> None:
        self._session = session
        self.lost = False

    def request(self, *args: Any, **kwargs: Any) -> _WatchedRequest:
        return _WatchedRequest(self, self._session.request(*args, **kwargs))


class _WatchedRequest:
    __slots__ = ("_inner", "_watch")

    def __init__(self, watch: _Watched, inner: Any) -> None:
        self._watch, self._inner = watch, inner

    async def __aenter__(self) -> Any:
        try:
            response = await self._inner.__aenter__()
        except BROKEN:  # the connection broke, after sending maybe: Discord may have acted
            self._watch.lost = True
            raise
        if response.status >= 500:  # the edge's 5xx: Discord may have acted
            self._watch.lost = True
        return response

    async def __aexit__(self, *exc: object) -> Any:
        return await self._inner.__aexit__(*exc)


def _sent(params: Any) -> dict[str, Any]:
    """The callback's JSON body (type and data), from a plain or a multipart answer."""
    if params.payload is not None:
        return params.payload
    for part in params.multipart or []:
        if part.get("name") == "payload_json":
            return json.loads(part["value"])
    return {}


def _rewind(params: Any) -> None:
    """Files read by the lost try are read again from their start."""
    for file in params.files or []:
        file.reset(seek=True)


def made_payload(interaction_id: int, params: Any) -> dict[str, Any]:
    """What Discord answers a callback with, minus the message the bot never learned of:
    discord.py 2.7 reads `interaction.id` and the loading/ephemeral flags from it."""
    sent = _sent(params)
    flags = int((sent.get("data") or {}).get("flags") or 0)
    return {
        "interaction": {
            "id": str(interaction_id),
            "response_message_id": None,
            "response_message_loading": sent.get("type") == 5,
            "response_message_ephemeral": bool(flags & 64),
        }
    }


def acknowledged(error: BaseException) -> bool:
    """Discord's "Interaction has already been acknowledged"."""
    return isinstance(error, discord.HTTPException) and error.code == ALREADY_ACKNOWLEDGED


def install(adapter: Any | None = None) -> None:
    """Wrap the adapter's `create_interaction_response` (discord.py 2.7.1: the default
    `discord.webhook.async_.async_context` adapter, a private attribute; the test
    tests/test_lost_interaction_answer.py fails if discord.py stops using it). Once only."""
    adapter = adapter if adapter is not None else webhook_async.async_context.get()
    if getattr(adapter, _MARK, False):
        return
    original: Callable[..., Awaitable[Any]] = adapter.create_interaction_response

    async def create_interaction_response(
        interaction_id: int, token: str, *, session: Any, params: Any, **kwargs: Any
    ) -> Any:
        watched = _Watched(session)
        send = functools.partial(
            original, interaction_id, token, session=watched, params=params, **kwargs
        )
        try:
            try:
                return await send()
            except BROKEN as exc:
                # discord.py sends a 5xx again itself, a reset (ECONNRESET on Linux) not: the
                # same answer once more. Made already, Discord refuses it (40060): never twice.
                log.warning("interaction %s: answer sent again after %r", interaction_id, exc)
                _rewind(params)
                return await send()
        except discord.HTTPException as exc:
            if not (watched.lost and acknowledged(exc)):
                raise
            log.warning(
                "interaction %s: the answer's reply was lost, Discord had made it (40060)",
                interaction_id,
            )
            return made_payload(interaction_id, params)

    adapter.create_interaction_response = create_interaction_response
    setattr(adapter, _MARK, True)
