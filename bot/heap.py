"""Keep the garbage collector's pauses short in a bot that runs for months.

CPython's oldest-generation collection walks every tracked object: with a
guild's cache, the cogs, the command tree and the scheduler loaded, that walk
takes tens of milliseconds and stalls every interaction waiting behind it.
Objects alive once the bot is ready live as long as the process, so they are
moved out of the collector's sight (`gc.freeze`, what the CPython docs advise
for long-lived start-up state). Objects made later are collected as usual.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)


def freeze_startup_heap() -> int:
    """Collect once, then freeze what survives; returns how many objects are now frozen."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.debug("start-up heap frozen: %d objects", frozen)
    return frozen
