"""Route handlers: listing threads, as Discord documents it (Channel resource; Guild resource).

* List Active Guild Threads, ``GET /guilds/{guild}/threads/active``: every active
  (unarchived) thread of the server the bot can see, public and private, newest
  first; no paging. ``members``: the bot's own thread member object for each
  returned thread it is in.
* List Public Archived Threads, ``GET /channels/{channel}/threads/archived/public``:
  the channel's archived public threads (announcement threads in an announcement
  channel), by ``archive_timestamp`` descending; needs Read Message History.
* List Private Archived Threads, ``.../threads/archived/private``: the archived
  private threads; needs Read Message History and Manage Threads.
* Both archived lists take ``before`` (an ISO 8601 timestamp: threads archived
  before it) and ``limit`` (2 to 100; default 50), and answer ``threads``,
  ``members`` and ``has_more``. A ``limit`` outside that range, or not a number, is
  refused as an invalid form body (50035), not clamped: discord.py keeps its own
  requests within 2 and 100 for this reason.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from . import payloads as P
from .permissions import MANAGE_THREADS, READ_HISTORY, VIEW_CHANNEL, channel_permissions
from .routes_guild import ApiError, Result
from .threads import PRIVATE_THREAD, PUBLIC_THREAD
from .world import Channel, Guild, iso, snowflake_time

if TYPE_CHECKING:
    from .simulator import Simulator
    from .transport import Call

ANNOUNCEMENT, ANNOUNCEMENT_THREAD = 5, 10
DEFAULT_LIMIT, MIN_LIMIT, MAX_LIMIT = 50, 2, 100


def _seen(sim: Simulator, guild: Guild, thread: Channel) -> bool:
    return bool(channel_permissions(guild, sim.bot_member(guild), thread) & VIEW_CHANNEL)


def _members(sim: Simulator, threads: list[Channel]) -> list[dict[str, Any]]:
    """The bot's thread member object for each listed thread it is in."""
    me = sim.bot_user.id
    return [
        {
            "id": str(t.id),
            "user_id": str(me),
            "join_timestamp": iso(snowflake_time(t.id)),
            "flags": 0,
        }
        for t in threads
        if me in t.thread_members
    ]


def active_threads(sim: Simulator, c: Call) -> Result:
    g = sim.guild(int(c.params["guild_id"]))
    found = [t for t in g.threads.values() if not t.archived and _seen(sim, g, t)]
    found.sort(key=lambda t: t.id, reverse=True)
    return 200, {"threads": [P.thread(t) for t in found], "members": _members(sim, found)}


def _archived_at(thread: Channel) -> dt.datetime:
    return thread.archive_changed or snowflake_time(thread.id)


def _before(raw: str | None) -> dt.datetime | None:
    if raw is None:
        return None
    try:
        when = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, P.error(50035, "Invalid Form Body")) from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not MIN_LIMIT <= limit <= MAX_LIMIT:
        raise ApiError(400, P.error(50035, "Invalid Form Body"))
    return limit


def _archived(sim: Simulator, c: Call, *, private: bool) -> Result:
    parent = sim.channel_or_404(int(c.params["channel_id"]))
    g = sim.world.guild_of(parent)
    if g is None or parent.is_thread:
        raise ApiError(400, P.error(50024, "Cannot execute action on this channel type"))
    sim.require(g, READ_HISTORY | (MANAGE_THREADS if private else 0), parent)
    if private:
        kind = PRIVATE_THREAD
    else:
        kind = ANNOUNCEMENT_THREAD if parent.type == ANNOUNCEMENT else PUBLIC_THREAD
    before = _before(c.query.get("before"))
    limit = _limit(c.query.get("limit"))
    found = [
        t
        for t in g.threads.values()
        if t.parent_id == parent.id
        and t.type == kind
        and t.archived
        and (before is None or _archived_at(t) < before)
    ]
    found.sort(key=_archived_at, reverse=True)
    page = found[:limit]
    return 200, {
        "threads": [P.thread(t) for t in page],
        "members": _members(sim, page),
        "has_more": len(found) > limit,
    }


def public_archived(sim: Simulator, c: Call) -> Result:
    return _archived(sim, c, private=False)


def private_archived(sim: Simulator, c: Call) -> Result:
    return _archived(sim, c, private=True)


ROUTES = [
    ("GET", "/guilds/{guild_id}/threads/active", active_threads),
    ("GET", "/channels/{channel_id}/threads/archived/public", public_archived),
    ("GET", "/channels/{channel_id}/threads/archived/private", private_archived),
]
