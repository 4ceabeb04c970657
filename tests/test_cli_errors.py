"""A new user's usual mistakes at `run` and `sync`: one line saying what to do, no traceback.

Discord cannot be reached from the tests, so its answers are raised where discord.py
raises them: `HTTPClient.static_login` (the 401 of a wrong token, or no network) and
`Client.connect` (close code 4014, intents off in the Developer Portal).
"""

from __future__ import annotations

import argparse
import http.server
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
import discord
import pytest

from bot import __main__ as cli
from bot.app import BalintBot
from bot.config import load_settings
from bot.texts import operator as texts

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789ABCD"


@pytest.fixture(autouse=True)
def _endpoints_back() -> Any:
    yield
    discord.http.Route.BASE = "https://discord.com/api/v10"


def settings(tmp_path: Path, **overrides: Any) -> Any:
    overrides.setdefault("token", TOKEN)
    return load_settings(None, database_path=tmp_path / "db.sqlite3", **overrides)


def raise_at_login(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    async def static_login(self: Any, token: str) -> Any:
        raise exc

    monkeypatch.setattr(discord.http.HTTPClient, "static_login", static_login)


def test_a_token_discord_refuses(tmp_path: Path, monkeypatch, capsys) -> None:
    raise_at_login(monkeypatch, discord.LoginFailure("Improper token has been passed."))
    assert cli._run(settings(tmp_path), argparse.Namespace()) == cli.EXIT_USAGE
    assert capsys.readouterr().err.strip() == texts.TOKEN_REFUSED
    raise_at_login(monkeypatch, discord.LoginFailure("Improper token has been passed."))
    assert cli._sync(settings(tmp_path), argparse.Namespace(global_=False)) == cli.EXIT_USAGE
    assert capsys.readouterr().err.strip() == texts.TOKEN_REFUSED


def test_no_network_names_the_address(tmp_path: Path, monkeypatch, capsys) -> None:
    raise_at_login(monkeypatch, aiohttp.ClientConnectionError("Cannot connect to host"))
    assert cli._run(settings(tmp_path), argparse.Namespace()) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("cannot reach https://discord.com/api/v10: Cannot connect to host")
    assert "Traceback" not in err


@pytest.mark.parametrize("content", [True, False])
def test_privileged_intents_off_in_the_portal(
    tmp_path: Path, monkeypatch, capsys, content: bool
) -> None:
    """The members intent is always asked for; Message Content only if the setting says so."""

    async def login(self: Any, token: str) -> None:
        return None

    async def connect(self: Any, *, reconnect: bool = True) -> None:
        raise discord.PrivilegedIntentsRequired(None)

    monkeypatch.setattr(BalintBot, "login", login)
    monkeypatch.setattr(BalintBot, "connect", connect)
    code = cli._run(settings(tmp_path, message_content_intent=content), argparse.Namespace())
    assert code == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "Server Members Intent" in err and "Developer Portal" in err
    assert ("Message Content Intent" in err) is content


def test_sync_to_a_server_the_bot_is_not_in(tmp_path: Path, monkeypatch, capsys) -> None:
    async def login(self: Any, token: str) -> None:
        return None

    async def sync(self: Any, *, guild: Any = None) -> list[Any]:
        response = SimpleNamespace(status=403, reason="Forbidden")
        raise discord.Forbidden(response, {"code": 50001, "message": "Missing Access"})

    monkeypatch.setattr(BalintBot, "login", login)
    monkeypatch.setattr(discord.app_commands.CommandTree, "sync", sync)
    config = settings(tmp_path, dev_guild_ids=[123456789012345678])
    assert cli._sync(config, argparse.Namespace(global_=False)) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.strip() == texts.SYNC_FORBIDDEN.format(guild=123456789012345678)


def test_the_token_shape_is_checked_only_against_discord(tmp_path: Path) -> None:
    """A self-hosted compatible server may issue tokens of another shape: let it answer."""
    from bot.preflight import token_problem

    opaque = "an-opaque-token-of-another-server"
    assert token_problem(settings(tmp_path, token=opaque)) == texts.TOKEN_BAD_SHAPE
    own = settings(tmp_path, token=opaque, api_base_url="http://localhost:3001/api/v9")
    assert token_problem(own) is None
    prefixed = settings(tmp_path, token="Bot x", api_base_url="http://localhost:3001/api/v9")
    assert token_problem(prefixed) == texts.TOKEN_HAS_PREFIX


class _WebPage(http.server.BaseHTTPRequestHandler):
    """A web server that is not the Discord API: a Spacebar's client page, or a typo'd port."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_error(404)

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def web_page() -> Any:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _WebPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_api_base_url_without_the_api_is_one_line(tmp_path: Path, web_page: str, capsys) -> None:
    """README: Spacebar's `api_base_url` ends in /api/v9. Left off, the server answered
    404 with its HTML page, printed whole after "Discord answered 404 (0):"."""
    config = settings(tmp_path, api_base_url=web_page, gateway_url="ws://127.0.0.1:9/")
    for command in (cli._run, cli._sync):
        assert command(config, argparse.Namespace(global_=False)) == cli.EXIT_USAGE
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1, lines
        assert web_page in lines[0] and "api_base_url" in lines[0] and "<" not in lines[0]
