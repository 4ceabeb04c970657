"""Cases and volunteering offers: ids, kinds, positions and times; never what a case is about.

Also the few reads of the `sessions` table the cases capability needs (the
group's live meeting, the next planned one, planned meetings coming up), done
here directly so that this module does not depend on the facilitation and
scheduling repositories' shapes. The one sessions column it writes is its own:
the id of the session's latest case call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.store.clocktime import from_epoch, to_epoch
from bot.store.database import Database, Row
from bot.store.session_refs import COLUMNS as _SESSION_COLS
from bot.store.session_refs import SessionRef
from bot.store.session_refs import session_ref as _session

PLANNED, LIVE, ENDED = "planned", "live", "ended"


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    session_id: int
    group_id: int
    presenter_id: int
    kind: str
    followup_of: int | None
    position: int
    followup_state: str
    followup_after: datetime | None
    followup_session_id: int | None
    started_at: datetime | None
    ended_at: datetime | None

    @property
    def pending(self) -> bool:
        """Chosen, not begun: choosing again replaces this one (facilitation's rule)."""
        return self.started_at is None and self.ended_at is None


@dataclass(frozen=True, slots=True)
class OfferRow:
    session_id: int
    user_id: int
    kind: str
    offered_at: datetime


def _case(row: Row) -> Case:
    return Case(
        id=row["id"],
        session_id=row["session_id"],
        group_id=row["group_id"],
        presenter_id=row["presenter_id"],
        kind=row["kind"],
        followup_of=row["followup_of"],
        position=row["position"],
        followup_state=row["followup_state"],
        followup_after=from_epoch(row["followup_after"]),
        followup_session_id=row["followup_session_id"],
        started_at=from_epoch(row["started_at"]),
        ended_at=from_epoch(row["ended_at"]),
    )


_CASE_SELECT = (
    "SELECT c.id, c.session_id, s.group_id, c.presenter_id, c.kind, c.followup_of, c.position, "
    "c.followup_state, c.followup_after, c.followup_session_id, c.started_at, c.ended_at "
    "FROM cases c JOIN sessions s ON s.id = c.session_id "
)


# A case with how many of its group's meetings ended since its follow-up was promised.
_PROMISE_SELECT = (
    "SELECT c.id, c.session_id, s.group_id, c.presenter_id, c.kind, c.followup_of, c.position, "
    "c.followup_state, c.followup_after, c.followup_session_id, c.started_at, c.ended_at, "
    "(SELECT COUNT(*) FROM sessions m WHERE m.group_id = s.group_id AND m.status = ? "
    "AND m.ended_at > COALESCE(c.followup_promised_at, 0)) AS since "
    "FROM cases c JOIN sessions s ON s.id = c.session_id "
)


# -- sessions (read only) ---------------------------------------------------------------


async def session(db: Database, session_id: int) -> SessionRef | None:
    row = await db.fetchone(f"SELECT {_SESSION_COLS} FROM sessions WHERE id = ?", (session_id,))
    return _session(row) if row else None


async def live_session(db: Database, group_id: int) -> SessionRef | None:
    row = await db.fetchone(
        f"SELECT {_SESSION_COLS} FROM sessions WHERE group_id = ? AND status = ? "
        "ORDER BY id DESC LIMIT 1",
        (group_id, LIVE),
    )
    return _session(row) if row else None


async def next_planned(db: Database, group_id: int, after: datetime) -> SessionRef | None:
    """The group's first planned meeting starting after `after`."""
    row = await db.fetchone(
        f"SELECT {_SESSION_COLS} FROM sessions WHERE group_id = ? AND status = ? "
        "AND scheduled_start > ? ORDER BY scheduled_start, id LIMIT 1",
        (group_id, PLANNED, to_epoch(after)),
    )
    return _session(row) if row else None


async def planned_between(db: Database, start: datetime, end: datetime) -> list[SessionRef]:
    """Planned meetings of every group starting in (start, end]."""
    rows = await db.fetchall(
        f"SELECT {_SESSION_COLS} FROM sessions WHERE status = ? AND scheduled_start > ? "
        "AND scheduled_start <= ? ORDER BY scheduled_start, id",
        (PLANNED, to_epoch(start), to_epoch(end)),
    )
    return [_session(row) for row in rows]


async def held_meetings(db: Database, group_id: int) -> list[datetime]:
    """When each meeting of the group that took place was held."""
    rows = await db.fetchall(
        "SELECT COALESCE(started_at, scheduled_start) AS at FROM sessions "
        "WHERE group_id = ? AND status IN (?, ?) AND COALESCE(started_at, scheduled_start) "
        "IS NOT NULL",
        (group_id, LIVE, ENDED),
    )
    return [from_epoch(row["at"]) for row in rows]  # type: ignore[misc]


async def held_zones(db: Database, group_id: int) -> dict[datetime, str]:
    """Meeting time -> the zone it was held in, for the meetings held before the group
    changed zone (the rest are dated in the group's zone of now)."""
    rows = await db.fetchall(
        "SELECT COALESCE(started_at, scheduled_start) AS at, held_zone FROM sessions "
        "WHERE group_id = ? AND held_zone IS NOT NULL "
        "AND COALESCE(started_at, scheduled_start) IS NOT NULL",
        (group_id,),
    )
    return {from_epoch(row["at"]): row["held_zone"] for row in rows}  # type: ignore[misc]


async def set_call_message(db: Database, session_id: int, message_id: int | None) -> None:
    """The session's "Who has a case?" message of the current case call (None: none yet,
    or the call is over): its count is kept true from here."""
    await db.execute(
        "UPDATE sessions SET case_call_message_id = ? WHERE id = ?", (message_id, session_id)
    )


async def call_message(db: Database, session_id: int) -> tuple[int, int] | None:
    """(channel id, message id) of the session's latest case call, if one was posted."""
    row = await db.fetchone(
        "SELECT text_channel_id, case_call_message_id FROM sessions WHERE id = ?", (session_id,)
    )
    if row is None or not row["text_channel_id"] or not row["case_call_message_id"]:
        return None
    return int(row["text_channel_id"]), int(row["case_call_message_id"])


async def calls_missing(db: Database) -> list[int]:
    """Live sessions in the case call whose call was never posted (a crash came between)."""
    rows = await db.fetchall(
        "SELECT id FROM sessions WHERE status = ? AND phase = 'case_call' "
        "AND case_call_message_id IS NULL ORDER BY id",
        (LIVE,),
    )
    return [row["id"] for row in rows]


# -- offers -------------------------------------------------------------------------------


async def set_offer(db: Database, session_id: int, user_id: int, kind: str, now: datetime) -> None:
    """One answer per member and meeting; a new answer replaces the old one (and its time)."""
    await db.execute(
        "INSERT INTO offers (session_id, user_id, kind, offered_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (session_id, user_id) DO UPDATE SET kind = excluded.kind, "
        "offered_at = excluded.offered_at",
        (session_id, user_id, kind, to_epoch(now)),
    )


# Offers count only while their author is in the session's group: someone who offered and
# then left (or was removed) cannot be picked, and must not make the call say "offered".
_IN_GROUP = (
    "user_id IN (SELECT m.user_id FROM memberships m JOIN sessions s ON s.group_id = m.group_id "
    "WHERE s.id = ? AND m.left_at IS NULL)"
)


async def offers(db: Database, session_id: int) -> list[OfferRow]:
    """The meeting's answers of members still in its group, oldest first."""
    rows = await db.fetchall(
        "SELECT session_id, user_id, kind, offered_at FROM offers WHERE session_id = ? "
        f"AND {_IN_GROUP} ORDER BY offered_at, user_id",
        (session_id, session_id),
    )
    return [
        OfferRow(r["session_id"], r["user_id"], r["kind"], from_epoch(r["offered_at"]))  # type: ignore[arg-type]
        for r in rows
    ]


async def offered_count(db: Database, session_id: int) -> int:
    """How many members offered a case or follow-up: the only figure members see.

    Members already chosen to present in this meeting are left out (their offer was
    taken up), the rule bot.domain.cases.candidates applies to the leaders' list; so are
    those no longer in the group.
    """
    row = await db.fetchone(
        "SELECT COUNT(*) AS n FROM offers WHERE session_id = ? AND kind IN ('case', 'followup') "
        f"AND user_id NOT IN (SELECT presenter_id FROM cases WHERE session_id = ?) AND {_IN_GROUP}",
        (session_id, session_id, session_id),
    )
    return int(row["n"]) if row else 0


async def delete_offers(db: Database, session_id: int) -> int:
    return await db.rowcount("DELETE FROM offers WHERE session_id = ?", (session_id,))


async def withdraw_offers(
    db: Database, group_id: int, user_id: int, statuses: Iterable[str]
) -> int:
    """A removed member's offers for the group's sessions in `statuses` (not held yet)."""
    wanted = sorted(statuses)
    marks = ", ".join("?" for _ in wanted)
    return await db.rowcount(
        "DELETE FROM offers WHERE user_id = ? AND session_id IN (SELECT id FROM sessions "
        f"WHERE group_id = ? AND status IN ({marks}))",
        (user_id, group_id, *wanted),
    )


async def delete_stale_offers(db: Database, planned_end_before: datetime) -> int:
    """Offers no meeting will use: of cancelled or ended sessions, and of planned ones
    that were never held and were planned to end before `planned_end_before`."""
    return await db.rowcount(
        "DELETE FROM offers WHERE session_id IN (SELECT id FROM sessions WHERE "
        "status IN ('cancelled', 'ended') OR (status = ? AND "
        "COALESCE(scheduled_end, scheduled_start) < ?))",
        (PLANNED, to_epoch(planned_end_before)),
    )


# -- cases ---------------------------------------------------------------------------------


async def get(db: Database, case_id: int) -> Case | None:
    row = await db.fetchone(_CASE_SELECT + "WHERE c.id = ?", (case_id,))
    return _case(row) if row else None


async def in_session(db: Database, session_id: int) -> list[Case]:
    rows = await db.fetchall(
        _CASE_SELECT + "WHERE c.session_id = ? ORDER BY c.position, c.id", (session_id,)
    )
    return [_case(row) for row in rows]


async def add(
    db: Database,
    session_id: int,
    presenter_id: int,
    kind: str,
    position: int,
    *,
    followup_of: int | None = None,
) -> int:
    """Insert a case in the shape facilitation's set_presenter writes (the fallback)."""
    return await db.execute(
        "INSERT INTO cases (session_id, presenter_id, kind, followup_of, position) "
        "VALUES (?, ?, ?, ?, ?)",
        (session_id, presenter_id, kind, followup_of, position),
    )


async def set_followup_of(db: Database, case_id: int, followup_of: int | None) -> None:
    """Which earlier case this one follows (NULL: a new case); set on every pick."""
    await db.execute("UPDATE cases SET followup_of = ? WHERE id = ?", (followup_of, case_id))


async def close_followed(db: Database, session_id: int) -> None:
    """The meeting ended: the cases its follow-ups followed are done."""
    await db.execute(
        "UPDATE cases SET followup_state = 'done' WHERE id IN "
        "(SELECT followup_of FROM cases WHERE session_id = ? AND followup_of IS NOT NULL)",
        (session_id,),
    )


async def promised(db: Database, group_id: int) -> list[tuple[Case, int]]:
    """Follow-ups promised ("yes") and not presented yet by members still in the group,
    oldest case first, each with how many of the group's meetings ended since the promise
    (bot.domain.cases.promise_stands decides whether it still stands)."""
    rows = await db.fetchall(
        _PROMISE_SELECT + "WHERE s.group_id = ? AND c.followup_state = 'yes' AND EXISTS ("
        "SELECT 1 FROM memberships m WHERE m.group_id = s.group_id "
        "AND m.user_id = c.presenter_id AND m.left_at IS NULL) ORDER BY c.id",
        (ENDED, group_id),
    )
    return [(_case(row), int(row["since"])) for row in rows]


async def of_presenter(db: Database, group_id: int, presenter_id: int) -> list[Case]:
    """Every case this member presented in the group, oldest first."""
    rows = await db.fetchall(
        _CASE_SELECT + "WHERE s.group_id = ? AND c.presenter_id = ? ORDER BY c.id",
        (group_id, presenter_id),
    )
    return [_case(row) for row in rows]


async def ask_after_meeting(db: Database, session_id: int, ended_at: datetime) -> list[Case]:
    """The meeting ended: its presenters are to be asked before the next one."""
    await db.execute(
        "UPDATE cases SET followup_state = 'asked', followup_after = ?, "
        "followup_session_id = NULL WHERE session_id = ? AND followup_state = 'none'",
        (to_epoch(ended_at), session_id),
    )
    return await in_session(db, session_id)


async def to_ask(db: Database, group_id: int | None = None) -> list[Case]:
    """Cases whose presenter is still to be asked (asked, later): one group's, or every group's."""
    where = "WHERE c.followup_state IN ('asked', 'later') "
    if group_id is None:
        rows = await db.fetchall(_CASE_SELECT + where + "ORDER BY c.id")
    else:
        rows = await db.fetchall(
            _CASE_SELECT + where + "AND s.group_id = ? ORDER BY c.id", (group_id,)
        )
    return [_case(row) for row in rows]


async def set_followup(
    db: Database,
    case_id: int,
    state: str,
    *,
    after: datetime | None = None,
    session_id: int | None = None,
    promised_at: datetime | None = None,
) -> None:
    """Move a case's follow-up question; `after`, `session_id` and `promised_at` (when the
    presenter said yes) are kept when not given."""
    await db.execute(
        "UPDATE cases SET followup_state = ?, "
        "followup_after = COALESCE(?, followup_after), "
        "followup_session_id = COALESCE(?, followup_session_id), "
        "followup_promised_at = COALESCE(?, followup_promised_at) WHERE id = ?",
        (
            state,
            to_epoch(after) if after else None,
            session_id,
            to_epoch(promised_at) if promised_at else None,
            case_id,
        ),
    )


async def presented(db: Database, group_id: int) -> list[tuple[int, datetime]]:
    """(presenter, meeting time) for every case of the group: the fairness figures."""
    rows = await db.fetchall(
        "SELECT c.presenter_id, COALESCE(s.started_at, s.scheduled_start) AS at "
        "FROM cases c JOIN sessions s ON s.id = c.session_id WHERE s.group_id = ? "
        "AND COALESCE(s.started_at, s.scheduled_start) IS NOT NULL",
        (group_id,),
    )
    return [(row["presenter_id"], from_epoch(row["at"])) for row in rows]  # type: ignore[misc]
