"""A meeting's end on the real clock (APScheduler, as in production).

Why: the end's timers (its follow-up work, the purge) are stored in the transaction
that stores the end. Armed there, a timer due now ran as soon as it committed, before
the end's own REST calls. With the purge delay set to 0, the purge deleted the voice
channel (Discord disconnects whoever is in it) before the end lifted the bot's server
mutes: a disconnected member cannot be unmuted (40032), so members stayed server-muted,
in every voice channel of the server, until they next joined one.
"""

from __future__ import annotations

from bot.store import sessions as session_store
from tests.realclock_support import real_clock_world, until
from tests.session_support import enforced_voice_session, leader, reload, start_session
from tests.support import make_group

MEMBER = "/guilds/{guild_id}/members/{user_id}"
CHANNEL = "/channels/{channel_id}"


async def test_a_purge_due_at_once_comes_after_the_end_lifted_the_mutes(tmp_path) -> None:
    async with real_clock_world(tmp_path, purge_delay_minutes=0) as world:
        handle = await make_group(world, size=4)
        presenter, *listeners = handle.members
        session, channel, voice = await enforced_voice_session(world, handle, handle.members)
        await leader(world, handle, "phase goto", channel, phase="case_call")
        await leader(world, handle, "session presenter", channel, member=presenter)
        await leader(world, handle, "phase next", channel)  # presentation: the others listen
        assert all(world.member(m).mute for m in listeners)
        world.sim.reset_calls()
        await leader(world, handle, "session end", channel)

        async def purged() -> bool:
            return (await reload(world, session)).purged_at is not None

        await until(world, purged, "the session is purged")
        assert world.sim.channel(voice.id) is None and world.sim.channel(channel.id) is None
        still_muted = [m.name for m in handle.members if world.member(m).mute]
        assert still_muted == [], f"left server-muted: {still_muted}"
        assert await world.bot.db.fetchall("SELECT * FROM voice_mutes") == []
        calls = world.sim.calls
        unmutes = [i for i, c in enumerate(calls) if c.route == MEMBER]
        deletes = [i for i, c in enumerate(calls) if c.method == "DELETE" and c.route == CHANNEL]
        assert len(unmutes) == len(listeners) and len(deletes) == 2
        assert max(unmutes) < min(deletes), "the purge ran before the end was done"
        assert await session_store.live_for_group(world.bot.db, handle.group.id) is None


async def test_an_end_cut_short_by_an_unexpected_error_is_still_purged(tmp_path) -> None:
    """The purge waits for the end's REST calls, but not for ever: one failing in a way
    nobody catches (here: the line "the session has ended") still arms it at once."""
    async with real_clock_world(tmp_path, purge_delay_minutes=0) as world:
        handle = await make_group(world, size=2)
        session, channel = await start_session(world, handle)
        original = world.sim._handle_request

        def broken(method: str, url: str, kwargs: dict) -> object:
            if method == "POST" and url.endswith(f"/channels/{channel.id}/messages"):
                world.sim._handle_request = original
                raise RuntimeError("the end's line could not be posted")
            return original(method, url, kwargs)

        world.sim._handle_request = broken  # type: ignore[method-assign]
        await leader(world, handle, "session end", channel)

        async def purged() -> bool:
            return (await reload(world, session)).purged_at is not None

        await until(world, purged, "the session is purged")
        assert world.sim.channel(channel.id) is None
        logged = [e.getMessage() for e in world.sim.errors if hasattr(e, "getMessage")]
        assert any("could not be posted" in line for line in logged), world.sim.errors
        world.sim.errors.clear()  # the error above was the test's own doing
