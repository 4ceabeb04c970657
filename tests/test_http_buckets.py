"""discord.py's idle-bucket clean-up still runs, but at most every 30 seconds."""

from __future__ import annotations

import asyncio

from discord.http import HTTPClient

from bot.http_buckets import CLEAN_EVERY, throttle_bucket_cleanup


async def test_idle_buckets_go_but_the_walk_is_not_repeated_at_every_new_bucket() -> None:
    http = HTTPClient(asyncio.get_running_loop())
    now = [1000.0]
    throttle_bucket_cleanup(http, lambda: now[0])
    idle_since = asyncio.get_running_loop().time() - 301  # idle for over 5 minutes

    def make(first: int, count: int) -> None:
        for index in range(first, first + count):
            http.get_ratelimit(f"GET /channels/{index}")._last_request = idle_since  # noqa: SLF001

    make(0, 300)  # over discord.py's threshold of 256: the first walk runs
    after_first_walk = len(http._buckets)  # noqa: SLF001
    assert after_first_walk < 300
    make(300, 300)  # within 30 s: no walk, however many new buckets
    assert len(http._buckets) == after_first_walk + 300  # noqa: SLF001
    now[0] += CLEAN_EVERY
    http.get_ratelimit("GET /channels/new")
    assert list(http._buckets) == ["GET /channels/new"]  # noqa: SLF001 - every idle one gone
    await http.close()


def test_the_bot_installs_the_throttle(tmp_path) -> None:
    from bot.app import BalintBot
    from bot.config import load_settings

    bot = BalintBot(load_settings(None, database_path=tmp_path / "x.sqlite3", token="t"))
    assert bot.http._try_clear_expired_ratelimits.__name__ == "cleanup"
