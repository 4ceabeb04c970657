"""A timer's round of DMs (the 24 h reminder, the case prompt) that a crash cannot cut short.

Why: one timer DMs a whole group. Run once and never again, a process killed after
the 2nd of 6 DMs left 4 people without their reminder; run again from the top, it
would DM the first 2 twice. So the round's timer kind is registered idempotent (a
restart runs it again, within its grace) and each person's DM leaves a row in
timer_deliveries: 'sending' just before it, then 'sent' (with the message's id),
'closed' or 'failed' just after. The re-run skips everyone with a settled row.

Only the one DM in flight at the crash is in doubt ('sending'). The re-run looks in
that person's DM channel for a message of ours that carries the round's first button
and is newer than the round's last DM that was sent (snowflakes grow with time):
found, it is not sent again; not found, it is sent. If the look fails, it is not
sent: lost rather than twice. At the round's very first DM only what Discord stamped
since the timer was first due (a minute's leeway for the clocks' difference) is looked
at: an earlier round's DM with the same button (last week's follow-up question, the
24 h reminder when the 1 h one was in flight) is not this round's, which then sends.
A round that knows a message of Discord's posted just before it began (the session's
frame, for the session-start round) passes its id as `floor`, a later floor still.

A lost answer is the same doubt without a crash: a 503 or a reset after Discord posted
the DM. A round the clock runs again after a passing failure (`retry_passing`) keeps
that DM 'sending', so the retry looks for it as the re-run after a crash does; before
it, people later in the round may have been sent theirs, so each 'sending' row keeps
the round's newest DM before it (its message id) as where to look from. The round's
lobby post (`post`) is looked for in the same way when the timer runs again.

A round opened with `retry_passing` treats every DM that way, and `finish()` at its end
raises TryAgain when one is still to go: the clock runs the timer again within its kind's
grace (bot/timer_kinds.py), and the re-run DMs only those. A DM without buttons is looked
for by its text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.compat import REST_FAULTS, TryAgain, fault_code, passing
from bot.store import deliveries as store
from bot.store.deliveries import Delivery
from bot.store.timers import Timer
from cogs._lost_answers import maybe_made

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

_CANNOT_DM = 50007
_LOOK_AT = 10  # messages after the round's last DM: the one in flight is among the first
# Discord stamps ids by its clock, the timer is due by ours: a DM sent just as the round
# began still counts as this round's though the clocks differ a little (lost, not twice).
_CLOCKS_DIFFER = timedelta(minutes=1)


class DmRound:
    """The DMs of one timer's run, each person at most once across restarts."""

    def __init__(
        self,
        bot: BalintBot,
        timer: Timer,
        done: dict[int, Delivery],
        floor: int = 0,
        retry_passing: bool = False,
    ) -> None:
        self.bot = bot
        self.timer = timer
        self.done = done
        self.retry_passing = retry_passing
        # People whose DM failed for now in this run: the clock's retry sends theirs.
        self.to_retry: set[int] = set()
        # Nothing of this round is older than the id Discord stamped as the timer was first
        # due (or `floor`); the newest DM sent so far: a DM about to go comes after it.
        self.since_due = max(since_due(timer), floor)
        self.newest = max([self.since_due, *(d.message_id or 0 for d in done.values())])

    @classmethod
    async def open(
        cls, bot: BalintBot, timer: Timer, *, floor: int = 0, retry_passing: bool = False
    ) -> DmRound:
        """The round as far as it got (nothing yet, or what a crashed run recorded).

        `floor`: the id of a message posted before the round began, if one is known.
        `retry_passing`: every DM of the round as `send`'s; end the round with `finish`.
        """
        done = await store.of_timer(bot.db, timer.id)
        return cls(bot, timer, done, floor, retry_passing)

    def finish(self) -> None:
        """End of the round's run: TryAgain if a DM failed for now (the clock runs the
        timer again, and the re-run sends only those), after everyone else had theirs."""
        if self.to_retry:
            raise TryAgain(self.timer.id)

    def closed(self) -> list[int]:
        """People whose DMs are closed and who were not yet mentioned in the lobby instead."""
        return [uid for uid, d in self.done.items() if d.state == store.CLOSED]

    async def mentioned(self, user_ids: list[int]) -> None:
        """Recorded before the lobby post, so a re-run does not mention them twice."""
        await self._settle(user_ids, store.MENTIONED)

    async def post(
        self, channel: discord.abc.Messageable, content: str, user_ids: list[int], **kw: Any
    ) -> None:
        """One lobby post naming `user_ids`: recorded as mentioned first, so a restart
        after a kill mid-post never mentions them twice; put back if the post failed (an
        error, not a kill), so the timer's next run (the clock's retry after a 503) posts
        it, unless that run finds it: Discord may have posted it and lost its answer."""
        if self.timer.ran_before and await self._found(
            channel, self.since_due, lambda message: message.content == content
        ):
            await self._settle(user_ids, store.MENTIONED)
            return
        await self._settle(user_ids, store.MENTIONED)
        try:
            await channel.send(content, **kw)
        except Exception:
            await self._settle(user_ids, store.CLOSED)
            raise

    async def _settle(self, user_ids: list[int], state: str) -> None:
        await store.settle(self.bot.db, self.timer.id, user_ids, state, self.bot.now())
        for uid in user_ids:
            self.done[uid] = Delivery(state)

    async def send(
        self, user_id: int, content: str, *, retry_passing: bool | None = None, **kw: Any
    ) -> str:
        """DM one person unless this round already did; what became of it is recorded
        and returned (a deliveries state).

        Any Discord error (closed DMs, a 5xx after discord.py's retries, a 429) costs
        this person their DM, not the rest of the round theirs: logged with the user id
        and status only. `retry_passing`: the timer runs again after a passing failure
        (a 5xx, a 429, the network), so such a DM is forgotten, not settled as failed:
        the re-run sends it; 'sending' is returned: still to go. None: the round's own.
        """
        if retry_passing is None:
            retry_passing = self.retry_passing
        earlier = self.done.get(user_id)
        if earlier is not None and earlier.state != store.SENDING:
            return earlier.state
        try:
            channel = await self.bot.create_dm(discord.Object(user_id))
            # In flight when the process died, or its answer lost: sent again only if it
            # surely did not land.
            if earlier is not None and await self._landed(channel, content, kw, earlier):
                await self._record(user_id, store.SENT)
                return store.SENT
            await self._record(user_id, store.SENDING, self.newest)  # where to look from
            message = await channel.send(content, **kw)
        except REST_FAULTS as exc:  # refused, or the connection broke: the others go on
            closed = isinstance(exc, discord.Forbidden) and exc.code == _CANNOT_DM
            if not closed:
                why = (
                    f"HTTP {exc.status} (code {exc.code})"
                    if isinstance(exc, discord.HTTPException)
                    else fault_code(exc)
                )
                log.warning("DM to user %s failed: %s", user_id, why)
            if retry_passing and passing(exc):  # as discord.py itself retries a 502
                if not maybe_made(exc):  # a 429: surely not posted, so sent afresh
                    await store.forget(self.bot.db, self.timer.id, user_id)
                    self.done.pop(user_id, None)
                # Else kept 'sending': Discord may have posted it, the retry looks first.
                self.to_retry.add(user_id)
                return store.SENDING
            state = store.CLOSED if closed else store.FAILED
            await self._record(user_id, state)
            return state
        await self._record(user_id, store.SENT, message.id)
        return store.SENT

    async def _record(self, user_id: int, state: str, message_id: int | None = None) -> None:
        await store.record(
            self.bot.db, self.timer.id, user_id, state, self.bot.now(), message_id=message_id
        )
        self.done[user_id] = Delivery(state, message_id)
        if state == store.SENT and message_id:
            self.newest = max(self.newest, message_id)

    async def _landed(
        self, channel: discord.DMChannel, content: str, kw: dict[str, Any], earlier: Delivery
    ) -> bool:
        """Whether the DM in doubt (in flight at a crash, or its answer lost) reached
        Discord; True if we cannot tell. Looked for after the round's newest DM before it,
        which its row keeps: by its first button, or by its text if it has none (compared
        in memory only, never kept)."""
        view = kw.get("view")
        items = view.children if isinstance(view, discord.ui.View) else []
        marker = next((getattr(item, "custom_id", None) for item in items), None)
        after = max(self.since_due, earlier.message_id or 0)
        if marker is None:
            return await self._found(
                channel, after, lambda message: message.content.strip() == content.strip()
            )
        return await self._found(channel, after, lambda message: marker in custom_ids(message))

    async def _found(
        self,
        channel: discord.abc.Messageable,
        after: int,
        match: Callable[[discord.Message], bool],
    ) -> bool:
        """Whether a message of ours newer than `after` matches; True if we cannot tell
        (lost rather than twice)."""
        me = self.bot.user
        if me is None:
            return True
        try:
            return await ours_after(channel, me.id, after, match)
        except REST_FAULTS as exc:
            where = getattr(channel, "id", None)
            log.warning("history of channel %s unreadable: %s", where, fault_code(exc))
            return True


def since_due(timer: Timer) -> int:
    """The id Discord stamped as the timer first came due, less the clocks' leeway:
    nothing its runs posted is older."""
    return discord.utils.time_snowflake(timer.first_due - _CLOCKS_DIFFER)


async def ours_after(
    channel: discord.abc.Messageable,
    me: int,
    after: int,
    match: Callable[[discord.Message], bool],
    look_at: int = _LOOK_AT,
) -> bool:
    """Whether one of the first `look_at` messages newer than `after` is ours and matches:
    a post an earlier run may have made. Raises what reading the history raises."""
    async for message in channel.history(limit=look_at, after=discord.Object(after)):
        if message.author.id == me and match(message):
            return True
    return False


def custom_ids(message: discord.Message) -> set[str]:
    """The custom ids of a message's buttons and menus (rows hold the items)."""
    found: set[str] = set()
    for row in message.components:
        for item in getattr(row, "children", [row]):
            custom_id = getattr(item, "custom_id", None)
            if custom_id:
                found.add(custom_id)
    return found
