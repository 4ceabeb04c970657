"""Storing a session's live state: only what differs from the state it was loaded as.

Why: every press of a meeting's buttons saves the state (issue #5 wants them cheap).
Rewriting the session's row and the whole hand queue for one raised hand cost 4 + N
statements (BEGIN, the row, DELETE, one INSERT per hand waiting, COMMIT); the hand is
one INSERT.  The store stays the truth: `old` is the state the caller loaded from the
store under the session's lock, so writing the difference leaves the rows exactly as
writing everything would, and more than one statement still goes in one transaction.

A queue keeps its places 0, 1, 2 ... in order (the privacy export shows them): an added
member goes after the highest place, one who leaves moves those behind up by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.phases import Phase, SessionState, withdraws_case
from bot.store.clocktime import to_epoch
from bot.store.database import Database
from bot.store.session_cases import end_case, withdraw_case

Write = tuple[str, Sequence[Any]]

_ROW = (
    "UPDATE sessions SET phase = ?, phase_started_at = ?, phase_deadline = ?, "
    "turn_mode = ?, floor_holder_id = ?, cases_done = ?, round_phase = ?, "
    "round_index = ?, applied_phase = CASE WHEN ? THEN ? ELSE applied_phase END "
    "WHERE id = ?"
)
_INSERT = "INSERT INTO session_queue (session_id, kind, position, user_id) VALUES (?, ?, ?, ?)"
_APPEND = (
    "INSERT INTO session_queue (session_id, kind, position, user_id) "
    "SELECT ?, ?, COALESCE(MAX(position), -1) + 1, ? FROM session_queue "
    "WHERE session_id = ? AND kind = ?"
)
_MOVE_UP = (
    "UPDATE session_queue SET position = position - 1 WHERE session_id = ? AND kind = ? "
    "AND position > (SELECT position FROM session_queue WHERE session_id = ? AND kind = ? "
    "AND user_id = ?)"
)
_REMOVE = "DELETE FROM session_queue WHERE session_id = ? AND kind = ? AND user_id = ?"
_AWAY = "INSERT INTO session_away (session_id, user_id, since) VALUES (?, ?, ?)"
_CLEAR = "DELETE FROM session_queue WHERE session_id = ? AND kind = ?"
# The phases of one case (a local copy keeps this module free of a second domain import).
_CASE = frozenset({Phase.PRESENTATION, Phase.QUESTIONS, Phase.DISCUSSION, Phase.RETURN})


async def save_state(
    db: Database,
    state: SessionState,
    *,
    applied: bool,
    old: SessionState | None,
    now: datetime,
    applied_was: str | None = None,
) -> None:
    """Write what `state` changed since `old` (everything when `old` is None); `applied`
    records the plan as in place, and `applied_was` is the row's `applied_phase` as loaded
    with `old` (the row is written again unless it already says so)."""
    sid = state.session_id
    writes: list[Write] = []
    row = _row(state, applied)
    if old is None or row != _row(old, applied) or (applied and applied_was != row[0]):
        writes.append((_ROW, row))  # a raised or lowered hand leaves the row as it is
    if old is None:
        writes.append(("DELETE FROM session_queue WHERE session_id = ?", (sid,)))
        writes += [(_INSERT, (sid, "hand", i, u)) for i, u in enumerate(state.hand_queue)]
        writes += [(_INSERT, (sid, "round", i, u)) for i, u in enumerate(state.round_order)]
    else:
        writes += _queue_writes(sid, "hand", old.hand_queue, state.hand_queue)
        writes += _queue_writes(sid, "round", old.round_order, state.round_order)
    if old is None or dict(old.away) != dict(state.away):
        writes.append(("DELETE FROM session_away WHERE session_id = ?", (sid,)))
        writes += [(_AWAY, (sid, u, to_epoch(t))) for u, t in state.away.items()]
    if old is not None and old.phase not in _CASE and state.phase in _CASE:
        writes.append(
            (
                "UPDATE cases SET started_at = ? WHERE session_id = ? AND ended_at IS NULL "
                "AND started_at IS NULL",
                (to_epoch(now), sid),
            )
        )
    case_closes = old is not None and old.presenter_id is not None and state.presenter_id is None
    if len(writes) == 1 and not case_closes:  # one statement is atomic by itself
        await db.execute(*writes[0])
        return
    if not writes and not case_closes:
        return
    async with db.transaction():
        for sql, params in writes:
            await db.execute(sql, params)
        if case_closes and old is not None and withdraws_case(old.phase, state.phase):
            await withdraw_case(db, sid)
        elif case_closes:
            await end_case(db, sid, now)


def _row(state: SessionState, applied: bool) -> tuple[Any, ...]:
    """The session row's values as `_ROW` writes them: phase, times, mode, floor, round."""
    deadline = state.phase_deadline
    return (
        state.phase.value,
        to_epoch(state.phase_started_at),
        None if deadline is None else to_epoch(deadline),
        state.turn_mode.value,
        state.floor_holder,
        state.cases_done,
        state.phase.value if state.in_round else None,
        state.round_index,
        int(applied),
        state.phase.value,
        state.session_id,
    )


def _queue_writes(sid: int, kind: str, old: tuple[int, ...], new: tuple[int, ...]) -> list[Write]:
    """One queue's change: members added at its end, one member leaving it, or all anew."""
    if old == new:
        return []
    if new[: len(old)] == old:
        return [(_APPEND, (sid, kind, u, sid, kind)) for u in new[len(old) :]]
    if len(new) == len(old) - 1:
        gone = next((u for u, v in zip(old, new, strict=False) if u != v), old[-1])
        if tuple(u for u in old if u != gone) == new:
            remove: Write = (_REMOVE, (sid, kind, gone))
            if gone == old[-1]:
                return [remove]
            return [(_MOVE_UP, (sid, kind, sid, kind, gone)), remove]
    return [(_CLEAR, (sid, kind)), *[(_INSERT, (sid, kind, i, u)) for i, u in enumerate(new)]]
