"""Turn what a leader typed into domain values, or one sentence saying what to type."""

from __future__ import annotations

from datetime import date, time

from bot.domain.timeparse import ParseError, parse_date, parse_hhmm
from bot.errors import UserError
from bot.texts import scheduling as texts

MIN_DURATION, MAX_DURATION = 30, 240


def hhmm(text: str) -> time:
    try:
        return parse_hhmm(text)
    except ParseError as exc:
        raise UserError(texts.TIME_PROBLEMS[exc.code]) from None


def day(text: str, what: str = texts.WHAT_DATE) -> date:
    try:
        return parse_date(text)
    except ParseError as exc:
        value = text.strip()[:20]
        raise UserError(texts.DATE_PROBLEMS[exc.code].format(what=what, value=value)) from None


def maybe_day(text: str | None, what: str) -> date | None:
    return day(text, what) if text and text.strip() else None


def duration(minutes: int) -> int:
    if not MIN_DURATION <= minutes <= MAX_DURATION:
        raise UserError(texts.DURATION_PROBLEM)
    return minutes
