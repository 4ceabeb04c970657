"""Which edit of each recently edited message the identifier guard has read (no content).

Used by cogs/confidentiality.py to tell an edit from the other updates Discord sends as
MESSAGE_UPDATE with the whole message: a link preview resolving, a pin, a poll ending.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime

KEEP = 2048  # messages: previews resolve within seconds of an edit, so a short memory will do


class SeenEdits:
    """The last `edited_timestamp` read per message id, the oldest forgotten first.

    Why: the bot keeps no message cache, so there is no old text to compare with, and
    re-reading every update warned twice about a message with a link (once when posted,
    again when its preview came). Only an edit sets `edited_timestamp`; the updates that
    follow it keep it. Memory only, ids and times, never what was written. A restart
    empties it: the edits the guard warned about are also stored (bot/store/guard_edits.py),
    so a pin after a restart does not warn again; an edit only read, or never read (made
    while the bot was down), is read again: harmless, or the check it would have missed.
    """

    def __init__(self, keep: int = KEEP) -> None:
        self._keep = keep
        self._seen: OrderedDict[int, datetime] = OrderedDict()

    def new_edit(self, message_id: int, edited_at: datetime | None) -> bool:
        """True (and noted) if this update carries an edit not read before."""
        if edited_at is None or self._seen.get(message_id) == edited_at:
            return False
        self._seen[message_id] = edited_at
        self._seen.move_to_end(message_id)
        while len(self._seen) > self._keep:
            self._seen.popitem(last=False)
        return True


__all__ = ["SeenEdits"]
