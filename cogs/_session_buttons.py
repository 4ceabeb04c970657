"""What each status/frame button of a session does, once the caller is checked and deferred.

Split from cogs/facilitation.py so the cog stays a thin list of commands; the
"Next phase" and "+5 min" buttons share `advance` and `extend` with `/phase next`
and `/phase extend`, so a button and its command can never drift apart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import discord

from bot import deadline
from bot.access import require
from bot.domain import session as domain
from bot.domain.access import Action
from bot.errors import UserError, reply
from bot.store import groups as group_store
from bot.store import session_acks
from bot.store import sessions as session_store
from bot.store.groups import Group
from bot.textfit import fill
from bot.texts import facilitation as texts
from cogs._session_engine import Engine, Live, Reader, Transition, mention, phase_name
from cogs._session_views import seen_floor

if TYPE_CHECKING:
    from bot.app import BalintBot
    from bot.store.sessions import Session

# What the caller must be allowed to do, per button action.
BUTTON_ACTIONS = {
    "next": Action.PHASE_NEXT,
    "extend": Action.PHASE_EXTEND,
    "nextspk": Action.NEXT_SPEAKER,
    "raise": Action.RAISE_HAND,
    "lower": Action.RAISE_HAND,
    "done": Action.DONE,
    "pass": Action.PASS_TURN,
    "here": Action.IM_HERE,
    "ack": Action.ACK_CONFIDENTIALITY,
    "ackwho": Action.PHASE_NEXT,  # leaders only: who has not read the reminder
}

# The presence signal a press is, where it is not "command" (a leader driving the meeting):
# "I'm here" is the member's own. The cog sends it with the facts read with the press.
PRESS_SOURCES = {"here": "button"}

Press = Callable[[discord.Interaction, "Session", Group, str | None], Awaitable[None]]


def still_allowed(
    bot: BalintBot, interaction: discord.Interaction, action: Action, transition: Transition
) -> Reader:
    """The caller checked again under the session's lock (Engine.change's read), for a
    transition that stores their own id: removed from the group since their first check,
    they are not put back in the meeting (nor, erased, stored again). Pass the caller's id
    to Engine.change as `caller`: their membership then comes with the locked read."""

    async def read(live: Live) -> Transition:
        known = live.known(interaction.user.id)
        await require(bot, interaction, action, live.group, known=known)
        return transition

    return read


class SessionButtons:
    """One method per button action; `press` picks it."""

    def __init__(self, bot: BalintBot, engine: Engine) -> None:
        self.bot, self.engine = bot, engine
        self.actions: dict[str, Press] = {
            "next": lambda i, s, g, arg: self.advance(i, s.id, arg),
            "extend": lambda i, s, g, arg: self.extend(i, s.id, 5, seen=arg),
            "nextspk": self._next_speaker,
            "raise": self._raise,
            "lower": self._lower,
            "done": self._own_turn(domain.done, texts.DONE_OK),
            "pass": self._own_turn(domain.round_pass, texts.PASSED),
            "here": self._here,
            "ack": self._ack,
            "ackwho": self._ackwho,
        }

    async def press(
        self,
        interaction: discord.Interaction,
        session: Session,
        group: Group,
        action: str,
        arg: str | None,
    ) -> None:
        await self.actions[action](interaction, session, group, arg)

    async def advance(self, interaction: discord.Interaction, sid: int, seen: str | None) -> None:
        """The next phase; `seen` is the phase the leader saw on the button, if any."""
        _, new, _ = await self.engine.change(
            sid, lambda s: domain.advance(s, self.bot.now()), seen_phase=seen
        )
        await reply(interaction, texts.PHASE_NOW.format(phase=phase_name(new.phase)))

    async def extend(
        self, interaction: discord.Interaction, sid: int, minutes: int, *, seen: str | None = None
    ) -> None:
        """More minutes for the phase the leader saw (`seen`), never for the one after it."""
        _, new, _ = await self.engine.change(
            sid, lambda s: domain.extend(s, minutes, self.bot.now()), seen_phase=seen
        )
        when = discord.utils.format_dt(new.phase_deadline, "R") if new.phase_deadline else "—"
        await reply(interaction, texts.EXTENDED.format(phase=phase_name(new.phase), when=when))

    async def _next_speaker(
        self, interaction: discord.Interaction, session: Session, group: Group, arg: str | None
    ) -> None:
        _, new, _ = await self.engine.change(
            session.id, domain.next_speaker, seen_floor=seen_floor(arg)
        )
        given = texts.FLOOR_GIVEN.format(member=mention(new.floor_holder))
        await reply(interaction, given if new.floor_holder else texts.ROUND_COMPLETE_SKIP)

    async def _raise(
        self, interaction: discord.Interaction, session: Session, group: Group, arg: str | None
    ) -> None:
        uid = interaction.user.id
        checked = still_allowed(
            self.bot, interaction, Action.RAISE_HAND, lambda s: domain.raise_hand(s, uid)
        )
        _, new, _ = await self.engine.change(session.id, read=checked, caller=uid)
        position = new.hand_queue.index(uid) + 1 if uid in new.hand_queue else 1
        await reply(interaction, texts.HAND_RAISED.format(position=position))

    async def _lower(
        self, interaction: discord.Interaction, session: Session, group: Group, arg: str | None
    ) -> None:
        uid = interaction.user.id
        _, _, effects = await self.engine.change(session.id, lambda s: domain.lower_hand(s, uid))
        await reply(interaction, texts.HAND_LOWERED if effects else texts.HAND_NOT_RAISED)

    def _own_turn(self, rule: Callable[..., domain.Outcome], answer: str) -> Press:
        """A button about the presser's own turn ("Done", "Pass"): one rule, one answer."""

        async def press(
            interaction: discord.Interaction, session: Session, group: Group, arg: str | None
        ) -> None:
            uid = interaction.user.id
            await self.engine.change(session.id, lambda s: rule(s, uid))
            await reply(interaction, answer)

        return press

    async def _here(
        self, interaction: discord.Interaction, session: Session, group: Group, arg: str | None
    ) -> None:
        if not session.live:
            raise UserError(texts.ALREADY_ENDED)
        # The signal itself went out with the press (Facilitation.on_session_button).
        await reply(interaction, texts.HERE_OK)

    async def _ack(
        self, interaction: discord.Interaction, session: Session, group: Group, arg: str | None
    ) -> None:
        uid = interaction.user.id
        lock = self.engine.lock(session.id)  # what an erasure or the end holds
        await deadline.before_lock(lock)
        async with lock:
            fresh = await session_store.get(self.bot.db, session.id)
            if fresh is None or not fresh.live:
                raise UserError(texts.ALREADY_ENDED)  # present = signals at the session
            # Checked again: erased or removed while Discord took the answer, they are
            # not stored again.
            await require(self.bot, interaction, Action.ACK_CONFIDENTIALITY, group)
            added = await session_acks.add_ack(self.bot.db, session.id, uid, self.bot.now())
        if added:
            self.bot.dispatch("balint_member_present", session.id, uid, "ack")
            if self.engine.status is not None:
                self.engine.status.touch(session.id)
        await reply(interaction, texts.ACK_OK)

    async def _ackwho(
        self, interaction: discord.Interaction, session: Session, group: Group, arg: str | None
    ) -> None:
        acked = await session_acks.acked(self.bot.db, session.id)
        missing = [
            m.user_id
            for m in await group_store.members(self.bot.db, group.id)
            if m.user_id not in acked
        ]
        listed = [mention(u) for u in missing]
        await reply(
            interaction, fill(texts.ACK_MISSING, "members", listed) if missing else texts.ACK_ALL
        )
