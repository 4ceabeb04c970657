"""Full dates and birth-cued dates, for the identifier guard (bot/domain/guard.py).

Why a module of its own: dates are the largest family of the guard's patterns, and
the guard's rules (in guard.py's docstring) stay readable beside the long-number
kinds.  Same rules for every pattern here: it starts with a literal or a character
class, runs in linear time, and calendar checks use precomputed look-up tables.
``any_match`` and ``at_word_start`` are shared with guard.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["any_match", "at_word_start", "has_date"]

# Groups: first digit, second digit of a d/m/yyyy date, separator, its second
# number, its year; or the last 3 digits of a yyyy-mm-dd year, separator, month, day.
_NUM_DATE = re.compile(
    r"([0-9])(?<![0-9./\-][0-9])"
    r"(?:([0-9]?)([/.\-])([0-9]{1,2})\3([0-9]{4})|([0-9]{3})([/.\-])([0-9]{1,2})\7([0-9]{1,2}))"
    r"(?![0-9]|[./\-][0-9])"
)
# A birth cue, then up to three short words ("her dob is", "born on the"), then the date.
_CUE = r"(?:dob|d\.o\.b|date\s{1,3}of\s{1,3}birth|born|b\.)\.?\s{0,3}(?:[a-z]{1,6}\s{1,3}){0,3}"
_CUED_DATE = re.compile(
    _CUE + r"[:\-]?\s{0,3}([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{2})(?![0-9])"
)
_BIRTH_CUES = ("dob", "d.o.b", "birth", "born", "b.")
_MONTHS = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_CUES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_YEAR = re.compile(r"[0-9](?<![0-9]{2})[0-9]{3}")
# "3 March 1956", "3rd of March, 1956", and the print-out form "03-Mar-1956" / "3/Mar/1956".
_DAY_MONTH_YEAR = re.compile(
    r"([0-9])(?<![0-9][0-9])([0-9]?)(?:st|nd|rd|th)?(?:\s{1,3}(?:of\s{1,3})?|[\-/.])"
    + _MONTHS
    + r"\.?(?:,?\s{1,3}|[\-/.])([0-9]{4})(?![0-9])"
)
_MONTH_DAY_YEAR = re.compile(
    _MONTHS + r"\.?\s{1,3}([0-9]{1,2})(?:st|nd|rd|th)?,?\s{1,3}([0-9]{4})(?![0-9])"
)
# A birth cue with a month name and a 2-digit year: "DOB 12 Mar 56", "born 3-jan-61".
_CUED_MONTH_DATE = re.compile(
    _CUE
    + r"[:\-]?\s{0,3}([0-9]{1,2})(?:st|nd|rd|th)?(?:\s{1,3}(?:of\s{1,3})?|[\-/.])"
    + _MONTHS
    + r"\.?(?:,?\s{1,3}|[\-/.])([0-9]{2})(?![0-9])"
)
_MONTH_NUMBERS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _real_date(year: int, month: int, day: int) -> bool:
    """What ``datetime.date`` accepts, without the cost of raising ValueError."""
    if not (1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month]):
        return False
    return month != 2 or day != 29 or _leap(year)


def _pair_table(either_order: bool) -> dict[tuple[str, str], bool]:
    """(first, second) number strings that can be day and month -> valid in every year.

    False means only in a leap year (29 February); a missing pair never is.
    With ``either_order`` the pair may be day/month or month/day, otherwise only
    month/day (as in yyyy-mm-dd).
    """
    numbers = [str(n) for n in range(10)] + [f"{n:02d}" for n in range(100)]
    table = {}
    for a in numbers:
        for b in numbers:
            orders = [(int(a), int(b)), (int(b), int(a))] if either_order else [(int(a), int(b))]
            if any(_real_date(2001, m, d) for m, d in orders):
                table[a, b] = True
            elif any(_real_date(2000, m, d) for m, d in orders):
                table[a, b] = False
    return table


_EITHER_ORDER = _pair_table(either_order=True)
_MONTH_DAY = _pair_table(either_order=False)


def _numeric_date(first: str, second: str, year: str) -> bool:
    """Either day/month or month/day order must give a real date."""
    every_year = _EITHER_ORDER.get((first, second))
    if every_year is None:
        return False
    if every_year:
        return True
    y = int(year)
    if y < 100:
        y += 1900
    return _leap(y)


def _iso_date(year: str, month: str, day: str) -> bool:
    """yyyy-mm-dd (or with / or .) that is a real calendar date."""
    every_year = _MONTH_DAY.get((month, day))
    if every_year is None:
        return False
    y = int(year)
    return y >= 1 and (every_year or _leap(y))


def any_match(pattern: re.Pattern[str], text: str, check: Callable[[re.Match[str]], bool]) -> bool:
    """Run a pattern with a validator over every candidate, stopping at the first hit."""
    return any(check(match) for match in pattern.finditer(text))


def at_word_start(text: str, match: re.Match[str]) -> bool:
    """The stand-in for a leading \b: the cue is not the tail of a longer word."""
    start = match.start()
    return start == 0 or not text[start - 1].isalnum()


def _has_numeric_date(text: str) -> bool:
    """dd/mm/yyyy, mm/dd/yyyy or yyyy-mm-dd that is a real calendar date."""
    for first, second, _, middle, year, year_tail, _, month, day in _NUM_DATE.findall(text):
        if year_tail:
            if _iso_date(first + year_tail, month, day):
                return True
        elif _numeric_date(first + second, middle, year):
            return True
    return False


def has_date(text: str, low: str) -> bool:
    """Full dates (any cue) and birth-cued dates with a 2-digit year."""
    if _has_numeric_date(text):
        return True
    if any(cue in low for cue in _BIRTH_CUES) and (
        any_match(
            _CUED_DATE,
            low,
            lambda m: at_word_start(low, m) and _numeric_date(m[1], m[3], m[4]),
        )
        or any_match(
            _CUED_MONTH_DATE,
            low,
            lambda m: (
                at_word_start(low, m) and _real_date(2000, _MONTH_NUMBERS[m[2][:3]], int(m[1]))
            ),
        )
    ):
        return True
    # Both are needed; on long texts the substring tests are the cheaper first check.
    if len(text) > 1000:
        if not (any(cue in low for cue in _MONTH_CUES) and _YEAR.search(text)):
            return False
    elif not (_YEAR.search(text) and any(cue in low for cue in _MONTH_CUES)):
        return False
    if any_match(
        _DAY_MONTH_YEAR,
        low,
        lambda m: _real_date(int(m[4]), _MONTH_NUMBERS[m[3][:3]], int(m[1] + m[2])),
    ):
        return True
    return any_match(
        _MONTH_DAY_YEAR,
        low,
        lambda m: (
            at_word_start(low, m) and _real_date(int(m[3]), _MONTH_NUMBERS[m[1][:3]], int(m[2]))
        ),
    )
