"""Go-rounds: whom `/round start` calls on, and a member arriving while one runs.

Why: a round gives each member present a turn (bot/domain/rounds.py). Called on from the
group's whole list, a member who never came had their turn too, and the leader had to
skip each one, or wait out their turn time, while the group waited. Presence is what
attendance records (cogs/attendance.py: voice, a message, a button, the frame's
acknowledgement); one seen while the round runs without them gets a turn at its end,
whether first seen now or made a member (added, added back, no longer a leader) since it
began: keyed on the attendance record's first entry, one added back after a removal, already
recorded present, was never called on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain import session as domain
from bot.domain.phases import SessionState
from bot.domain.rounds import owed_a_turn, round_candidates
from bot.errors import UserError
from bot.store import attendance as attendance_store
from bot.store import groups as group_store

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_engine import Engine, Live, Reader, Transition

PRESENT = "present"


def round_starter(bot: BalintBot) -> Reader:
    """The `/round start` transition: the members present (not away) in the group's order,
    read under the session's lock (Engine.change): one removed meanwhile gets no turn."""

    async def read(live: Live) -> Transition:
        members = await group_store.members(bot.db, live.group.id)
        ordered = [m.user_id for m in members if m.role == "member"]
        entries = await attendance_store.for_session(bot.db, live.session.id)
        present = {e.user_id for e in entries if e.status == PRESENT}

        def start(state: SessionState) -> domain.Outcome:
            return domain.start_round(state, round_candidates(ordered, present, state.away))

        return start

    return read


class RoundArrivals:
    """A member's presence at a meeting whose round runs without them puts them at its end.

    Attendance dispatches `balint_member_arrived` from the presence facts it reads anyway
    (no extra statement per signal); the rule (rounds.owed_a_turn) decides under the lock.
    """

    def __init__(self, bot: BalintBot, engine: Engine) -> None:
        self.bot, self.engine = bot, engine

    def register(self) -> None:
        self.bot.add_listener(self.arrived, "on_balint_member_arrived")

    async def arrived(self, session_id: int, user_id: int) -> None:
        async def read(live: Live) -> Transition:
            """Still a member, under the lock (read only if a turn is owed): one removed
            since attendance saw them in the group is not put back in the round."""
            if owed_a_turn(live.state, user_id):
                membership = await group_store.membership(self.bot.db, live.group.id, user_id)
                if membership is not None and membership.left_at is None:
                    return lambda s: domain.join_round(s, user_id)
            return lambda s: (s, [])

        try:
            await self.engine.change(session_id, read=read)
        except UserError:
            return  # the meeting ended meanwhile
