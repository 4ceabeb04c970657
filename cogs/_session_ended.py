"""What follows a meeting's end (attendance, the pulse survey, follow-ups, the guard count),
run from a stored timer so that a crash cannot lose it.

Why: the end used to be announced with `dispatch`, after the channel was closed. A
process killed between storing the end and that dispatch left the meeting without
its attendance marks, survey and follow-up questions, and nothing brought them back.
Now the timer is stored in the same transaction as the end itself; it is fired at
once after the end's REST calls, and a restart fires one that never ran or was cut
short. Its listeners are idempotent (each checks what is already done, or is a timer
of its own with a key), so a re-run completes the work without doing any of it twice.

It and the purge timer are stored held (not armed): with the real clock a timer due
now runs as soon as its transaction commits, and a purge due at once (delay 0)
deleted the voice channel, disconnecting the members, before the end lifted their
server mutes. `announce` arms both once the end's own REST calls are done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.store.timers import Timer
from cogs._session_purge import purge_key

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_engine import Engine, Live

K_ENDED = "session_ended"
EVENT = "balint_session_ended"


def ended_key(session_id: int) -> str:
    return f"{K_ENDED}:{session_id}"


class EndNotice:
    """Stores, fires and runs the end's timer."""

    def __init__(self, bot: BalintBot, engine: Engine) -> None:
        self.bot = bot
        self.engine = engine

    def register(self) -> None:
        # No grace: a meeting's follow-up work is never too late; idempotent: re-run.
        self.bot.timers.register(K_ENDED, self.on_due, grace=None, idempotent=True)

    async def store(self, live: Live) -> None:
        """Called inside the transaction that stores the end."""
        await self.bot.timers.add(
            kind=K_ENDED,
            key=ended_key(live.session.id),
            due_at=self.bot.now(),
            guild_id=live.group.guild_id,
            group_id=live.group.id,
            session_id=live.session.id,
            hold=True,
        )

    async def announce(self, live: Live) -> None:
        """After the end's REST calls: the purge timer is armed, and this timer runs now, in
        the background (the leader's answer does not wait for the group's DMs)."""
        timer = await self.bot.timers.release(ended_key(live.session.id))
        await self.bot.timers.release(purge_key(live.session.id))
        if timer is not None:
            self.engine.spawn(self.bot.timers.fire(timer.id))

    async def on_due(self, timer: Timer) -> None:
        if timer.session_id is not None:
            await self.bot.run_listeners(EVENT, timer.session_id)


__all__ = ["EVENT", "K_ENDED", "EndNotice", "ended_key"]
