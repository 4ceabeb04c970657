"""The aiohttp session seam: a fake session, its responses and the recorded calls."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import aiohttp
import discord.http
import discord.webhook.async_ as webhook_async
import orjson
from multidict import CIMultiDict

if TYPE_CHECKING:
    from .simulator import Simulator

_API_RE = re.compile(r"^https?://[^/]+/api(?:/v\d+)?")


def _dumps(body: Any) -> str:
    """JSON text of a response: orjson (as fast as the bot's side), json for what it refuses."""
    try:
        return orjson.dumps(body).decode()
    except TypeError:
        return json.dumps(body)


@dataclass
class Call:
    method: str
    route: str
    params: dict[str, str]
    json: Any
    query: dict[str, str]
    reason: str | None
    status: int = 0
    files: list[tuple[str, bytes]] = field(default_factory=list)
    url: str = ""
    auth: str | None = None
    response: Any = None

    def __repr__(self) -> str:
        return f"<Call {self.method} {self.route} {self.params} -> {self.status}>"


class FakeResponse:
    def __init__(
        self,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
        *,
        error: BaseException | None = None,
        lost: bool = False,
    ) -> None:
        self.status = status
        # Carried out by Discord, answer lost on the way back (faults.inject_lost).
        self.lost = lost
        # A failure below HTTP: the session raises it instead of answering.
        self.error = error
        self.reason = {
            200: "OK",
            204: "No Content",
            400: "Bad Request",
            403: "Forbidden",
            404: "Not Found",
            413: "Payload Too Large",
            429: "Too Many Requests",
            500: "Internal Server Error",
            502: "Bad Gateway",
            504: "Gateway Timeout",
        }.get(status, "Error")
        self.headers: CIMultiDict[str] = CIMultiDict(headers or {})
        self._raw: bytes | None = None
        if body is None:
            self._text = ""
        elif isinstance(body, bytes):
            self._text, self._raw = "", body
        elif isinstance(body, str):
            self._text = body
            self.headers.setdefault("content-type", "text/plain")
        else:
            self._text = _dumps(body)
            self.headers["content-type"] = "application/json"
        self._body = body

    async def text(self, encoding: str = "utf-8") -> str:
        return self._text

    async def json(self, **_: Any) -> Any:
        return orjson.loads(self._text) if self._text else None

    async def read(self) -> bytes:
        return self._raw if self._raw is not None else self._text.encode()

    def release(self) -> None:
        pass

    async def __aenter__(self) -> FakeResponse:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


def _split_url(url: str) -> str:
    for base in (discord.http.Route.BASE, webhook_async.Route.BASE):
        if url.startswith(base):
            return url[len(base) :]
    m = _API_RE.match(url)
    if m:
        return url[m.end() :]
    raise AssertionError(f"request to a URL outside the API base: {url}")


def _read_value(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if isinstance(value, str):
        return value.encode()
    if hasattr(value, "read"):
        pos = value.tell() if hasattr(value, "tell") else None
        data = value.read()
        if pos is not None and hasattr(value, "seek"):
            value.seek(pos)
        return data if isinstance(data, bytes) else str(data).encode()
    return bytes(value)


def parse_body(data: Any) -> tuple[Any, list[tuple[str, bytes]]]:
    """JSON string or aiohttp.FormData -> (json, [(filename, bytes)])."""
    if data is None:
        return None, []
    if isinstance(data, aiohttp.FormData):
        payload: Any = None
        files: list[tuple[str, bytes]] = []
        for type_options, _headers, value in data._fields:
            name = type_options.get("name")
            filename = type_options.get("filename")
            if name == "payload_json":
                payload = orjson.loads(value)
            elif filename is not None:
                files.append((filename, _read_value(value)))
        return payload, files
    if isinstance(data, bytes | bytearray):
        data = data.decode()
    if isinstance(data, str):
        return (orjson.loads(data) if data else None), []
    return data, []


class FakeSession:
    """Stands in for `http._HTTPClient__session` (aiohttp.ClientSession)."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.closed = False

    def request(self, method: str, url: str, **kw: Any) -> _Pending:
        return _Pending(self, method, url, kw)

    def get(self, url: str, **kw: Any) -> _Pending:
        return _Pending(self, "GET", url, kw)

    async def ws_connect(self, *a: Any, **kw: Any) -> Any:
        raise AssertionError("the simulator has no websocket")

    async def close(self) -> None:
        self.closed = True


class _Pending:
    __slots__ = ("session", "method", "url", "kw", "resp")

    def __init__(self, session: FakeSession, method: str, url: str, kw: dict[str, Any]) -> None:
        self.session, self.method, self.url, self.kw = session, method, url, kw

    async def __aenter__(self) -> FakeResponse:
        sim = self.session.sim
        if sim.held is not None and not sim.held.is_set() and not _is_answer(self.url):
            sim.held_now += 1
            try:
                await sim.held.wait()
            finally:
                sim.held_now -= 1
        response = sim._handle_request(self.method, self.url, self.kw)
        if response.error is not None:
            await asyncio.sleep(0)
            raise response.error
        if sim.gateway_first:
            await sim.echo_before_answer()
        # A real request waits for the network: the bot's other tasks run meanwhile. Without
        # this, a command's REST calls would run as one block no other interaction can cut.
        await asyncio.sleep(0)
        return response

    async def __aexit__(self, *exc: object) -> None:
        return None


def _is_answer(url: str) -> bool:
    """An interaction's callback, or a followup or edit through its token."""
    return "/interactions/" in url or "/webhooks/" in url


def make_call(method: str, url: str, kw: dict[str, Any]) -> tuple[Call, str]:
    path = _split_url(url)
    body, files = parse_body(kw.get("data", kw.get("json")))
    headers = kw.get("headers") or {}
    reason = headers.get("X-Audit-Log-Reason")
    q = kw.get("params") or {}
    query = {str(k): str(v) for k, v in q.items()}
    if "?" in path:
        path, _, qs = path.partition("?")
        for part in qs.split("&"):
            k, _, v = part.partition("=")
            query[unquote(k)] = unquote(v)
    call = Call(
        method=method.upper(),
        route="",
        params={},
        json=body,
        query=query,
        reason=unquote(reason) if reason else None,
        files=files,
        url=url,
        auth=headers.get("Authorization"),
    )
    return call, path
