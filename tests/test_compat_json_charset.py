"""A Discord-compatible server that marks its JSON `application/json; charset=utf-8`.

Why: Spacebar (Express) and many REST proxies add the charset, which the media type
allows (RFC 8259, RFC 9110). discord.py parses a body as JSON only when the header is
exactly `application/json`, as Discord sends it; with the charset every answer stayed
text, and `balint-bot sync` and `run` (README: "set api_base_url and gateway_url")
stopped at login with a TypeError traceback. Driven here by a real HTTP server.
"""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import discord
import pytest

from bot import __main__ as cli
from bot.config import load_settings
from bot.texts import operator as texts

APP_ID = "223456789012345678"
USER = {
    "id": APP_ID,
    "username": "balint",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
    "flags": 0,
}
APPLICATION = {
    "id": APP_ID,
    "name": "Balint",
    "icon": None,
    "description": "",
    "bot_public": True,
    "bot_require_code_grant": False,
    "verify_key": "0" * 64,
    "flags": 0,
    "owner": USER,
    "team": None,
    "summary": "",
}


class _CompatibleServer(BaseHTTPRequestHandler):
    """The few routes `sync` calls, answered as an Express-based server does."""

    uploaded: list[Any] = []

    def _answer(self, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path.endswith("/users/@me"):
            self._answer(USER)
        elif self.path.endswith("/oauth2/applications/@me"):
            self._answer(APPLICATION)
        else:
            self.send_error(404)

    def do_PUT(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        commands = json.loads(self.rfile.read(length))
        type(self).uploaded = commands
        self._answer(
            [{**c, "id": str(900 + i), "application_id": APP_ID} for i, c in enumerate(commands)]
        )

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _CompatibleServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/api/v9"
    httpd.shutdown()
    httpd.server_close()
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
    count = len(_CompatibleServer.uploaded)
    assert count > 0 and out.out.strip() == texts.SYNCED_GLOBALLY.format(count=count)
