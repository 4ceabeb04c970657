"""Route table: `METHOD /path/{param}` templates matched against request paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from . import (
    polls,
    routes_channels,
    routes_events,
    routes_guild,
    routes_interactions,
    routes_messages,
    routes_threads,
)

Handler = Callable[..., tuple[int, Any]]


class Router:
    def __init__(self, routes: list[tuple[str, str, Handler]]) -> None:
        # (method, segment count) -> [(segments, template, handler)], literal-heavy first
        self._table: dict[tuple[str, int], list[tuple[list[str], str, Handler]]] = {}
        self._cache: dict[tuple[str, str], tuple[str, dict[str, str], Handler] | None] = {}
        for method, template, handler in routes:
            segs = template.strip("/").split("/")
            self._table.setdefault((method, len(segs)), []).append((segs, template, handler))
        for entries in self._table.values():
            entries.sort(key=lambda e: sum(s.startswith("{") for s in e[0]))

    def match(self, method: str, path: str) -> tuple[str, dict[str, str], Handler] | None:
        parts = path.strip("/").split("/")
        for segs, template, handler in self._table.get((method, len(parts)), ()):
            params: dict[str, str] = {}
            for seg, part in zip(segs, parts, strict=True):
                if seg[0] == "{":
                    params[seg[1:-1]] = unquote(part)
                elif seg != part:
                    break
            else:
                return template, params, handler
        return None


def template_of(method: str, path: str) -> str | None:
    m = ROUTER.match(method, path)
    return m[0] if m else None


ROUTER = Router(
    routes_guild.ROUTES
    + routes_channels.ROUTES
    + routes_events.ROUTES
    + routes_messages.ROUTES
    + routes_interactions.ROUTES
    + routes_threads.ROUTES
    + polls.ROUTES
)
