"""The anonymous "pulse" survey members may answer after a session.

Why: leaders want to know whether the group feels useful and safe, but a
member must never be identifiable from an answer.  So the store keeps only
counts per (question, value), and duplicate votes are refused through an
HMAC of the user id under a per-survey random salt.  When the survey closes
the salt is destroyed, and the tokens can no longer be linked to anyone.
Averages of fewer than ``min_answers`` answers are withheld, because in a
group of six a mean of two answers can point at a person.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

__all__ = [
    "MAX_VALUE",
    "MIN_VALUE",
    "QUESTIONS",
    "new_salt",
    "summarise",
    "validate_answer",
    "voter_token",
]

QUESTIONS: tuple[str, ...] = ("useful", "safe", "leave_vs_arrive")
MIN_VALUE = 1
MAX_VALUE = 5
_SALT_BYTES = 32


def new_salt() -> bytes:
    """A fresh 32-byte secret for one survey; never stored past its closing."""
    return secrets.token_bytes(_SALT_BYTES)


def voter_token(salt: bytes, user_id: int) -> str:
    """HMAC-SHA256 of the user id: lets the store refuse a second vote without the id."""
    if len(salt) < 16:
        raise ValueError("salt_too_short")
    return hmac.new(salt, str(int(user_id)).encode("ascii"), hashlib.sha256).hexdigest()


def validate_answer(question: str, value: int) -> str | None:
    """An error code for a bad answer (``unknown_question``, ``out_of_range``), else None."""
    if question not in QUESTIONS:
        return "unknown_question"
    if isinstance(value, bool) or not isinstance(value, int):
        return "out_of_range"
    if not MIN_VALUE <= value <= MAX_VALUE:
        return "out_of_range"
    return None


def summarise(
    counts: Mapping[str, Mapping[int, int]], min_answers: int = 3
) -> dict[str, tuple[float | None, int]]:
    """Per question: (average rounded to 2 places, or None if under ``min_answers``; n).

    Every known question is present in the result, answered or not, so that the
    shape of the summary itself reveals nothing.  Invalid stored values raise.
    """
    summary: dict[str, tuple[float | None, int]] = {}
    for question in counts:
        if question not in QUESTIONS:
            raise ValueError("unknown_question")
    for question in QUESTIONS:
        per_value = counts.get(question, {})
        total = 0
        weighted = 0
        for value, count in per_value.items():
            if validate_answer(question, value) is not None:
                raise ValueError("out_of_range")
            if count < 0:
                raise ValueError("negative_count")
            total += count
            weighted += value * count
        if total < max(min_answers, 1):
            summary[question] = (None, total)
        else:
            summary[question] = (round(weighted / total, 2), total)
    return summary
