"""Create Message's `enforce_nonce`: one message per nonce, however often it is sent.

Discord: "If true and nonce is present, it will be checked for uniqueness in the past few
minutes. If another message was created by the same author with the same nonce, that
message will be returned and no new message will be created." discord.py sends a random
nonce with enforce_nonce on every send, and its retry of a 500/502/504 reuses it: without
this, a lost answer (faults.inject_lost) made the simulator post a message twice where
Discord posts it once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .world import Message

if TYPE_CHECKING:
    from .simulator import Simulator

NONCE_TIME = dt.timedelta(minutes=2)  # "the past few minutes"


def same_nonce(
    sim: Simulator, body: dict[str, Any]
) -> tuple[tuple[int, str] | None, Message | None]:
    """The key to record the new message under (None: no enforced nonce), and the message
    already made with it, if any."""
    if not body.get("enforce_nonce") or body.get("nonce") is None:
        return None, None
    key = (sim.bot_user.id, str(body["nonce"]))
    old = sim.world.nonces.get(key)
    if old is None or old.deleted or old.created_at <= sim.world.now() - NONCE_TIME:
        return key, None
    return key, old


def remember(sim: Simulator, key: tuple[int, str], message: Message) -> None:
    """Record the message made with this nonce; those past Discord's window go first.

    Why: Discord keeps a nonce for "the past few minutes" only. Kept for ever, the
    record held every message a long run sent (the long-run benchmark counted them as
    the bot's heap, 800 bytes a meeting)."""
    nonces = sim.world.nonces
    horizon = sim.world.now() - NONCE_TIME
    while nonces:
        oldest = next(iter(nonces))  # insertion order is creation order
        if nonces[oldest].created_at > horizon:
            break
        del nonces[oldest]
    nonces[key] = message
