"""The anonymous pulse survey: counts per answer value, and voter tokens until it closes.

No row ever holds a user id.  pulse_voters holds an HMAC of the user id under
the survey's salt, only so a second answer can be refused; closing the survey
sets the salt to NULL and deletes those tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store.clocktime import from_epoch, to_epoch
from bot.store.database import Database


@dataclass(frozen=True, slots=True)
class Survey:
    session_id: int
    salt: bytes | None
    closes_at: datetime

    def is_open(self, now: datetime) -> bool:
        return self.salt is not None and now < self.closes_at


async def open_survey(db: Database, session_id: int, salt: bytes, closes_at: datetime) -> bool:
    """Create the session's survey once; False if it already exists."""
    count = await db.rowcount(
        "INSERT INTO pulse_surveys (session_id, salt, closes_at) VALUES (?, ?, ?) "
        "ON CONFLICT (session_id) DO NOTHING",
        (session_id, salt, to_epoch(closes_at)),
    )
    return count > 0


async def survey(db: Database, session_id: int) -> Survey | None:
    row = await db.fetchone("SELECT * FROM pulse_surveys WHERE session_id = ?", (session_id,))
    if row is None:
        return None
    salt = row["salt"]
    return Survey(
        session_id=row["session_id"],
        salt=bytes(salt) if salt is not None else None,
        closes_at=from_epoch(row["closes_at"]),  # type: ignore[arg-type]
    )


async def record_answer(
    db: Database, session_id: int, voter_token: str, question: str, value: int
) -> bool:
    """Count one answer unless this voter already answered this question; True if counted."""
    async with db.transaction():
        fresh = await db.rowcount(
            "INSERT INTO pulse_voters (session_id, voter_token, question) VALUES (?, ?, ?) "
            "ON CONFLICT (session_id, voter_token, question) DO NOTHING",
            (session_id, voter_token, question),
        )
        if not fresh:
            return False
        await db.execute(
            "INSERT INTO pulse_counts (session_id, question, value, answers) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (session_id, question, value) DO UPDATE SET "
            "answers = pulse_counts.answers + 1",
            (session_id, question, value),
        )
    return True


async def close(db: Database, session_id: int) -> None:
    """Destroy the salt and the voter tokens: nothing can link an answer to anyone now."""
    async with db.transaction():
        await db.execute("UPDATE pulse_surveys SET salt = NULL WHERE session_id = ?", (session_id,))
        await db.execute("DELETE FROM pulse_voters WHERE session_id = ?", (session_id,))


async def still_open(db: Database, session_ids: list[int], now: datetime) -> dict[int, datetime]:
    """Per session whose survey still takes answers: when it closes."""
    if not session_ids:
        return {}
    marks = ", ".join("?" for _ in session_ids)
    rows = await db.fetchall(
        "SELECT session_id, closes_at FROM pulse_surveys WHERE salt IS NOT NULL "
        f"AND closes_at > ? AND session_id IN ({marks})",
        (to_epoch(now), *session_ids),
    )
    return {row["session_id"]: from_epoch(row["closes_at"]) for row in rows}  # type: ignore[misc]


async def counts(db: Database, session_ids: list[int]) -> dict[int, dict[str, dict[int, int]]]:
    """Per session: {question: {value: answers}} (sessions without answers are absent)."""
    if not session_ids:
        return {}
    marks = ", ".join("?" for _ in session_ids)
    rows = await db.fetchall(
        "SELECT session_id, question, value, answers FROM pulse_counts "
        f"WHERE session_id IN ({marks})",
        session_ids,
    )
    found: dict[int, dict[str, dict[int, int]]] = {}
    for row in rows:
        per_question = found.setdefault(row["session_id"], {})
        per_question.setdefault(row["question"], {})[row["value"]] = row["answers"]
    return found
