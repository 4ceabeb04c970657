"""Keep what members wrote out of discord.py's DEBUG logs.

Why: at DEBUG, discord.http logs every response body ("GET ... has received
[...]"; reading a channel's history returns what members wrote) and
discord.gateway logs every gateway event ("WebSocket Event: {...}", and a
MESSAGE_CREATE carries the message). No log line may hold that, whatever level
an operator chooses. These filters replace those bodies with a placeholder;
everything else is logged as before.
"""

from __future__ import annotations

import logging
from typing import Any

RECEIVED = "%s %s has received %s"
GATEWAY_EVENT = "For Shard ID %s: WebSocket Event: %s"
PLACEHOLDER = "<message bodies are not logged>"
# Gateway events whose payload can hold text members wrote (a thread started on a message
# is named after its text).
MESSAGE_EVENTS = frozenset(
    {
        "MESSAGE_CREATE",
        "MESSAGE_UPDATE",
        "INTERACTION_CREATE",
        "THREAD_CREATE",
        "THREAD_UPDATE",
        "THREAD_LIST_SYNC",
    }
)
# Events logged with one key blanked: GUILD_CREATE lists the server's active threads.
PARTLY = {"GUILD_CREATE": "threads"}
# Response bodies that can hold what members wrote: messages, and thread names.
TEXT_ROUTES = ("/messages", "/threads")


class RedactMessageBodies(logging.Filter):
    """Blank the body of message responses and message-bearing gateway events."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if not isinstance(args, tuple) or len(args) < 2:
            return True
        if record.msg == RECEIVED and len(args) == 3 and _text_body(str(args[1]), args[2]):
            record.args = (args[0], args[1], PLACEHOLDER)
        elif record.msg == GATEWAY_EVENT and _carries_text(args[1]):
            event = args[1].get("t") if isinstance(args[1], dict) else None
            record.args = (args[0], {"t": event, "d": PLACEHOLDER})
        elif record.msg == GATEWAY_EVENT and isinstance(args[1], dict):
            key = PARTLY.get(str(args[1].get("t")))
            data = args[1].get("d")
            if key is not None and isinstance(data, dict) and key in data:
                record.args = (args[0], {**args[1], "d": {**data, key: PLACEHOLDER}})
        return True


def _text_body(url: str, body: Any) -> bool:
    """A text route's body, or a thread's (a thread edited or deleted: /channels/{id})."""
    thread = isinstance(body, dict) and "thread_metadata" in body
    return thread or any(route in url for route in TEXT_ROUTES)


def _carries_text(payload: Any) -> bool:
    if isinstance(payload, dict):
        return payload.get("t") in MESSAGE_EVENTS
    return True  # an undecoded frame: never log it whole


_FILTER = RedactMessageBodies()


def install() -> None:
    """Idempotent: one filter on each discord.py logger that can log bodies."""
    for name in ("discord.http", "discord.gateway"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
