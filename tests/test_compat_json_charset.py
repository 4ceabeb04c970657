"""A Discord-compatible server that marks its JSON `application/json; charset=utf-8`.

Why: Spacebar (Express) and many REST proxies add the charset, which the media type
allows (RFC 8259, RFC 9110). discord.py parses a body as JSON only when the header is
exactly `application/json`, as Discord sends it; with the charset every answer stayed
text, and `balint-bot sync` and `run` (README: "set api_base_url and gateway_url")
stopped at login with a TypeError traceback. Driven here by a real HTTP server.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import discord
import pytest

from bot import __main__ as cli
from bot.config import load_settings
from bot.texts import operator as texts
from tests.compat_server import CompatibleServer, compatible_server


@pytest.fixture
def server() -> Iterator[str]:
    with compatible_server() as url:
        yield url
    discord.http.Route.BASE = "https://discord.com/api/v10"


def test_sync_to_a_server_that_adds_a_charset(tmp_path: Path, server: str, capsys) -> None:
    settings = load_settings(
        None,
        database_path=tmp_path / "db.sqlite3",
        token="a-spacebar-token",
        api_base_url=server,
        gateway_url="ws://127.0.0.1:9/",
    )
    code = cli._sync(settings, argparse.Namespace(global_=False))
    out = capsys.readouterr()
    assert code == cli.EXIT_OK, out.err
    count = len(CompatibleServer.uploaded)
    assert count > 0 and out.out.strip() == texts.SYNCED_GLOBALLY.format(count=count)
