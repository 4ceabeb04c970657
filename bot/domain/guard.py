"""Spot things in a message that look like patient identifiers.

Why: Balint cases are told from memory, with no names, dates of birth, record
numbers or documents.  The bot warns (and the cog may hide the message) when a
message contains something shaped like an identifier.  ``scan`` returns only
the *kinds* found, never the matched text, so nothing identifying is copied
into logs or storage.

Rules (a heuristic; it aims to catch well-formed identifiers, not to be proof):

* NHS number: 10 digits, plain or grouped 3-3-4 by spaces or hyphens, with a
  valid modulus-11 check digit.  An invalid checksum does not count.
* Medicare (Australia): 10 digits (11 with the issue number), first digit 2-6,
  grouped 4-5-1 or plain, check digit (9th) = sum(d * 1,3,7,9,1,3,7,9) % 10.
* US SSN: ``AAA-GG-SSSS`` with hyphens, excluding area 000/666/9xx, group 00,
  serial 0000.
* Phone: ``+`` and 8-15 digits (spaces, dots, hyphens, brackets allowed); a
  national number with a trunk ``0`` and 10-12 digits in total ("07700 900123",
  "0412 345 678", "(02) 9876 5432"); a North American number 3-3-4 with the
  last separator present ("(555) 123-4567", "555-123-4567").  Doses, ages,
  years, blood pressures, times and short numbers have too few digits or the
  wrong separators, so they never match.
* E-mail addresses.
* Record numbers: a cue (MRN, NHI, URN, UR number, CHI number, record no./number,
  hospital no./number/ID, patient ID/no./number, medical record) followed by a
  token of at least 4 letters/digits that contains a digit.
* Dates (reported as DATE_OF_BIRTH): any *full* date, i.e. day, month and
  4-digit year (dd/mm/yyyy, mm/dd/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd,
  "3 March 1956", "March 3, 1956"), whatever the year and whatever the cue: a
  full date narrows a story down to one person or one encounter, and a case
  told from memory needs none.  A birth cue (DOB, d.o.b., date of birth, born,
  b.) also makes a 2-digit-year date count ("DOB 12/03/56").  Month and year,
  day and month, or a year alone never count.
* Attachments: any attachment counts (documents are not shared in a group).

Only ASCII digits count as digits.  Linear time: every pattern uses bounded
repetition only, starts with a literal or character class followed by a
fixed-width look-behind that fails at once inside a token, and is run on the
whole text (no length cap).  Texts without a digit and without ``@`` take a
fast path; texts with fewer than 8 digits skip the long-number checks.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from datetime import date
from operator import mul

__all__ = ["IdentifierKind", "medicare_valid", "nhs_valid", "scan"]


class IdentifierKind(enum.StrEnum):
    """What kind of identifier was seen; the only thing ``scan`` reveals."""

    DATE_OF_BIRTH = "date_of_birth"
    NHS_NUMBER = "nhs_number"
    MEDICARE_NUMBER = "medicare_number"
    SSN = "ssn"
    PHONE = "phone"
    EMAIL = "email"
    RECORD_NUMBER = "record_number"
    ATTACHMENT = "attachment"


# Every pattern starts with a literal or a character class (so the regex engine
# can skip ahead cheaply) and checks "not inside a longer token" with a
# fixed-width look-behind just after that first character.
_NHS = re.compile(r"[0-9](?<![0-9]{2})[0-9]{2}([ \-]?)[0-9]{3}\1[0-9]{4}(?![0-9])")
_MEDICARE = re.compile(r"[2-6](?<![0-9][2-6])[0-9]{3}([ \-]?)[0-9]{5}\1[0-9][0-9]?(?![0-9])")
_SSN = re.compile(
    r"[0-8](?<![0-9\-][0-8])[0-9]{2}(?<!000)(?<!666)-(?!00)[0-9]{2}-(?!0000)[0-9]{4}"
    r"(?![0-9]|-[0-9])"
)
_PHONE_INTL = re.compile(r"\+(?<![\w+]\+) ?[0-9](?:[ .\-]?\(?[0-9]\)?){7,14}(?![0-9])")
_PHONE_TRUNK = re.compile(
    r"[(0](?<![\w+.,/][(0])"
    r"(?:(?<=\()0[0-9]{1,4}\) ?[0-9](?:[ \-]?[0-9]){5,9}|(?<=0)[0-9](?:[ \-]?[0-9]){8,10})"
    r"(?![0-9]|[.,/][0-9])"
)
_PHONE_NANP = re.compile(
    r"[(2-9](?<![\w+.,/][(2-9])"
    r"(?:(?<=\()[2-9][0-9]{2}\) ?|(?<=[2-9])[0-9]{2}[ .\-]?)"
    r"[0-9]{3}[ .\-][0-9]{4}(?![0-9]|[.,/\-][0-9])"
)
_EMAIL = re.compile(r"@(?<=[\w.%+\-]@)[^\W_][\w\-]{0,62}(?:\.[\w\-]{1,63}){0,8}\.[^\W\d_]{2,24}")
# The following run on the lower-cased text; a word boundary before the cue is
# checked in Python (a leading \b would stop the engine from skipping ahead).
_RECORD = re.compile(
    r"(?:mrn|nhi|urn|ur\s?(?:no|number)|chi\s?(?:no|number)"
    r"|(?:medical\s|hospital\s|patient\s)?records?\s?(?:no|number|num|id|\#)"
    r"|hospital\s?(?:no|number|num|id|\#)|patient\s?(?:id|no|number|num|\#))"
    r"(?![a-z])\.?\s{0,3}[:#.\-]?\s{0,3}"
    r"(?=[a-z]{0,20}[0-9])[a-z0-9]{4}"
)
_RECORD_CUES = ("mrn", "nhi", "urn", "ur", "chi", "record", "hospital", "patient")
_NUM_DATE = re.compile(
    r"[0-9](?<![0-9./\-][0-9])"
    r"(?:[0-9]?([/.\-])[0-9]{1,2}\1[0-9]{4}|[0-9]{3}([/.\-])[0-9]{1,2}\2[0-9]{1,2})"
    r"(?![0-9]|[./\-][0-9])"
)
_DATE_SEPARATORS = re.compile(r"[/.\-]")
_CUED_DATE = re.compile(
    r"(?:dob|d\.o\.b|date\s{1,3}of\s{1,3}birth|born|b\.)\.?\s{0,3}(?:on\s{1,3})?"
    r"[:\-]?\s{0,3}([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{2})(?![0-9])"
)
_BIRTH_CUES = ("dob", "d.o.b", "birth", "born", "b.")
_MONTHS = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_CUES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_YEAR = re.compile(r"[0-9]{4}")
_DAY_MONTH_YEAR = re.compile(
    r"([0-9])(?<![0-9][0-9])([0-9]?)(?:st|nd|rd|th)?\s{1,3}(?:of\s{1,3})?"
    + _MONTHS
    + r"\.?,?\s{1,3}([0-9]{4})(?![0-9])"
)
_MONTH_DAY_YEAR = re.compile(
    _MONTHS + r"\.?\s{1,3}([0-9]{1,2})(?:st|nd|rd|th)?,?\s{1,3}([0-9]{4})(?![0-9])"
)
_MONTH_NUMBERS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_GROUP_SPLIT = re.compile(r"[ \-()]+")
_COUNT_DIGITS = tuple("0123456789")
_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_MEDICARE_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9)


def nhs_valid(digits: str) -> bool:
    """Modulus-11 check of a 10-digit NHS number (11 -> 0, 10 is never valid)."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(map(mul, map(int, digits[:9]), _NHS_WEIGHTS))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == ord(digits[9]) - 48


def medicare_valid(digits: str) -> bool:
    """Check digit of an Australian Medicare number (10 or 11 digits, first 2-6)."""
    if len(digits) not in (10, 11) or not digits.isascii() or not digits.isdigit():
        return False
    if digits[0] not in "23456":
        return False
    total = sum(map(mul, map(int, digits[:8]), _MEDICARE_WEIGHTS))
    return total % 10 == ord(digits[8]) - 48


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _numeric_date(first: str, second: str, year: str) -> bool:
    """Either day/month or month/day order must give a real date."""
    a, b, y = int(first), int(second), int(year)
    if y < 100:
        y += 1900
    return _real_date(y, b, a) or _real_date(y, a, b)


def _any_match(pattern: re.Pattern[str], text: str, check: Callable[[re.Match[str]], bool]) -> bool:
    """Run a pattern with a validator over every candidate, stopping at the first hit."""
    return any(check(match) for match in pattern.finditer(text))


def _phone_groups_ok(match: re.Match[str]) -> bool:
    """A trunk-prefixed number has at most 4 groups of 2+ digits, unlike a list of scores."""
    groups = _GROUP_SPLIT.split(match[0].strip("()"))
    return len(groups) <= 4 and all(len(g) >= 2 for g in groups)


def _at_word_start(text: str, match: re.Match[str]) -> bool:
    """The stand-in for a leading \b: the cue is not the tail of a longer word."""
    start = match.start()
    return start == 0 or not text[start - 1].isalnum()


def _numeric_candidate(match: re.Match[str]) -> bool:
    """dd/mm/yyyy, mm/dd/yyyy or yyyy-mm-dd that is a real calendar date."""
    first, second, third = _DATE_SEPARATORS.split(match[0])
    if len(first) == 4:
        return _real_date(int(first), int(second), int(third))
    return _numeric_date(first, second, third)


def _has_date(text: str, low: str) -> bool:
    """Full dates (any cue) and birth-cued dates with a 2-digit year."""
    if _any_match(_NUM_DATE, text, _numeric_candidate):
        return True
    if any(cue in low for cue in _BIRTH_CUES) and _any_match(
        _CUED_DATE,
        low,
        lambda m: _at_word_start(low, m) and _numeric_date(m[1], m[3], m[4]),
    ):
        return True
    if not (_YEAR.search(text) and any(cue in low for cue in _MONTH_CUES)):
        return False
    if _any_match(
        _DAY_MONTH_YEAR,
        low,
        lambda m: _real_date(int(m[4]), _MONTH_NUMBERS[m[3][:3]], int(m[1] + m[2])),
    ):
        return True
    return _any_match(
        _MONTH_DAY_YEAR,
        low,
        lambda m: (
            _at_word_start(low, m) and _real_date(int(m[3]), _MONTH_NUMBERS[m[1][:3]], int(m[2]))
        ),
    )


def _digits_only(match: re.Match[str]) -> str:
    return match[0].replace(" ", "").replace("-", "")


def scan(text: str, attachments: int = 0) -> frozenset[IdentifierKind]:
    """Return the kinds of identifier-like things in a message (never the text)."""
    found: set[IdentifierKind] = set()
    if attachments > 0:
        found.add(IdentifierKind.ATTACHMENT)
    if "@" in text and _EMAIL.search(text):
        found.add(IdentifierKind.EMAIL)
    # Fast path: every other kind needs digits, and most need many of them.
    digits = sum(map(text.count, _COUNT_DIGITS))
    if digits == 0:
        return frozenset(found)
    # Lower-casing may change the length of some scripts; only yes/no answers
    # are taken from ``low``, never positions into ``text``.
    low = text.lower()
    if any(cue in low for cue in _RECORD_CUES) and _any_match(
        _RECORD, low, lambda m: _at_word_start(low, m)
    ):
        found.add(IdentifierKind.RECORD_NUMBER)
    if digits >= 4 and _has_date(text, low):
        found.add(IdentifierKind.DATE_OF_BIRTH)
    if digits < 8:
        return frozenset(found)
    if _any_match(_NHS, text, lambda m: nhs_valid(_digits_only(m))):
        found.add(IdentifierKind.NHS_NUMBER)
    if _any_match(_MEDICARE, text, lambda m: medicare_valid(_digits_only(m))):
        found.add(IdentifierKind.MEDICARE_NUMBER)
    if _SSN.search(text):
        found.add(IdentifierKind.SSN)
    if (
        _PHONE_INTL.search(text)
        or _any_match(_PHONE_TRUNK, text, _phone_groups_ok)
        or _PHONE_NANP.search(text)
    ):
        found.add(IdentifierKind.PHONE)
    return frozenset(found)
