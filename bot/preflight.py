"""What a new user gets wrong before the bot reaches Discord, each told in one line.

Why: without these a mistyped token, an intent left off in the Developer Portal
or a database in a directory that does not exist ended in a traceback of
discord.py, aiohttp or sqlite3 internals, which does not say what to change.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path
from typing import Any

import aiohttp
import discord
import yarl

from bot.config import DISCORD_API_BASE, Settings
from bot.sync import SyncRefused
from bot.texts import operator as texts

# Discord's bot tokens (and Spacebar's JWTs): three base64url parts joined by dots.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+")


class GatewayUnreachable(Exception):
    """The first connection to the gateway failed: nothing answered at gateway_url."""

    def __init__(self, url: str, reason: BaseException) -> None:
        super().__init__(url, reason)
        self.url, self.reason = url, reason


async def reach_gateway(http: Any, url: str) -> None:
    """Open and close one websocket to the gateway before discord.py connects.

    Why: discord.py retries a failed gateway for ever (and its first retry, with no
    socket yet, raised AttributeError), so a mistyped gateway_url of a self-hosted
    server showed only tracebacks. Nothing is sent: Discord counts an IDENTIFY, not a
    connection. Called once, after the REST login has reached api_base_url.
    """
    target = yarl.URL(url).with_query(v=10, encoding="json")
    try:
        socket = await asyncio.wait_for(http.ws_connect(str(target)), timeout=30)
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise GatewayUnreachable(url, exc) from None
    await socket.close()


def token_problem(settings: Settings) -> str | None:
    """A missing or misshapen token, found offline (Discord would only say 401)."""
    token = settings.token.get_secret_value().strip() if settings.token else ""
    if not token:
        return texts.NO_TOKEN
    if token.lower().startswith("bot "):
        return texts.TOKEN_HAS_PREFIX
    if any(char in token for char in "\"' \t\n"):
        return texts.TOKEN_HAS_QUOTES
    # The shape is Discord's: a self-hosted compatible server may issue tokens of its own.
    if settings.api_base_url == DISCORD_API_BASE and not TOKEN_SHAPE.fullmatch(token):
        return texts.TOKEN_BAD_SHAPE
    return None


def database_problem(path: Path | str, *, must_exist: bool = False) -> str | None:
    """SQLite says only "unable to open database file": name the path and the fix."""
    if str(path) == ":memory:":
        return None
    full = Path(path).resolve()
    if full.is_dir():
        return texts.DATABASE_IS_DIRECTORY.format(path=full, example=full / "balint.sqlite3")
    if not full.parent.is_dir():
        return texts.DATABASE_DIR_MISSING.format(directory=full.parent)
    if must_exist and not full.is_file():
        return texts.DATABASE_MISSING.format(path=full)
    return None


def explain(exc: BaseException, settings: Settings) -> str | None:
    """The sentence for a failure to start or sync, or None if it is not one we know."""
    if isinstance(exc, discord.LoginFailure):
        return texts.TOKEN_REFUSED
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        intents = [texts.INTENT_MEMBERS]
        if settings.message_content_intent:
            intents.append(texts.INTENT_CONTENT)
        return texts.INTENTS_REFUSED.format(intents=" and ".join(intents))
    if isinstance(exc, GatewayUnreachable):
        reason = " ".join(str(exc.reason).split()) or type(exc.reason).__name__
        return texts.GATEWAY_UNREACHABLE.format(url=exc.url, reason=reason)
    if isinstance(exc, SyncRefused):
        return texts.SYNC_FORBIDDEN.format(guild=exc.guild_id)
    if isinstance(exc, discord.HTTPException):
        if exc.status == 404 and exc.code == 0:  # no API route at all, not a thing unknown
            return texts.API_NOT_FOUND.format(url=settings.api_base_url)
        text = " ".join(str(exc.text).split())  # one line, whatever the server sent
        return texts.DISCORD_ERROR.format(status=exc.status, reason=exc.code, text=text[:300])
    if isinstance(exc, aiohttp.ClientError):
        return texts.CANNOT_REACH.format(url=settings.api_base_url, reason=exc)
    if isinstance(exc, sqlite3.Error):
        return texts.DATABASE_FAILED.format(path=settings.database_path, reason=exc)
    return None
