"""A Discord-compatible server over real HTTP, as Spacebar (Express) answers: JSON marked
`application/json; charset=utf-8`, and only the routes that `sync` and a login call."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

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


class CompatibleServer(BaseHTTPRequestHandler):
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


@contextmanager
def compatible_server() -> Iterator[str]:
    """The server's api_base_url while it runs."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), CompatibleServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/api/v9"
    httpd.shutdown()
    httpd.server_close()
