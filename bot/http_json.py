"""Read a JSON answer as JSON whatever parameters its media type carries.

Why: discord.py parses a body only when Content-Type is exactly `application/json`,
which is what Discord sends. A Discord-compatible server (Spacebar, on Express) or a
REST proxy in front of Discord sends `application/json; charset=utf-8`, which means
the same thing (RFC 9110 media type parameters): discord.py then handed the text on
as if it were the object, and the bot stopped at login with a TypeError.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import discord.http
import discord.webhook.async_
from discord import utils


async def json_or_text(response: aiohttp.ClientResponse) -> dict[str, Any] | str:
    """discord.py's `json_or_text`, matching the media type without its parameters."""
    text = await response.text(encoding="utf-8")
    media = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media == "application/json":
        return utils._from_json(text)  # noqa: SLF001 - discord.py's own parser (orjson)
    return text


def accept_json_parameters() -> None:
    """Install the reader where discord.py's REST client and its webhooks look it up."""
    discord.http.json_or_text = json_or_text  # type: ignore[assignment]
    discord.webhook.async_.json_or_text = json_or_text  # type: ignore[attr-defined]
