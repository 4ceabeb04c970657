"""Go-rounds: whom `/round start` calls on, and a member arriving while one runs.

Why: a round gives each member present a turn (bot/domain/rounds.py). Called on from the
group's whole list, a member who never came had their turn too, and the leader had to
skip each one, or wait out their turn time, while the group waited. Presence is what
attendance records (cogs/attendance.py: voice, a message, a button, the frame's
acknowledgement); one first seen while the round runs gets a turn at its end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain import session as domain
from bot.domain.phases import SessionState
from bot.domain.rounds import round_candidates
from bot.errors import UserError
from bot.store import attendance as attendance_store
from bot.store import groups as group_store

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_engine import Engine

PRESENT = "present"


async def round_starter(bot: BalintBot, group_id: int, session_id: int):  # type: ignore[no-untyped-def]
    """The `/round start` transition: the members present (not away) in the group's order."""
    members = [m.user_id for m in await group_store.members(bot.db, group_id) if m.role == "member"]
    entries = await attendance_store.for_session(bot.db, session_id)
    present = {e.user_id for e in entries if e.status == PRESENT}

    def start(state: SessionState) -> domain.Outcome:
        return domain.start_round(state, round_candidates(members, present, state.away))

    return start


class RoundArrivals:
    """A member's first presence at a meeting while a round runs puts them at its end."""

    def __init__(self, bot: BalintBot, engine: Engine) -> None:
        self.bot, self.engine = bot, engine

    def register(self) -> None:
        self.bot.add_listener(self.arrived, "on_balint_member_arrived")

    async def arrived(self, session_id: int, user_id: int) -> None:
        try:
            await self.engine.change(session_id, lambda s: domain.join_round(s, user_id))
        except UserError:
            return  # the meeting ended meanwhile
