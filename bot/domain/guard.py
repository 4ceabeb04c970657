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
  serial 0000.  Written with spaces or as 9 plain digits ("078 05 1120",
  "078051120", "078  05  1120") it counts only after an SSN cue (SSN, social security, soc sec,
  SS#, SS no), up to three short words before the number ("his social security
  number is"): without the hyphens, 3-2-4 digits are as likely three ordinary
  numbers (readings, doses, scores) as an SSN.
* Phone: ``+`` or an international prefix, ``00`` or North America's ``011``
  (then a digit 1-9, the country code), and 8-15 digits (spaces, dots, hyphens,
  brackets allowed); a national number with a trunk ``0`` and 10-12 digits in total ("07700 900123",
  "0412 345 678", "(02) 9876 5432"); a North American number 3-3-4 with the
  last separator present ("(555) 123-4567", "555-123-4567").  Doses, ages,
  years, blood pressures, times and short numbers have too few digits or the
  wrong separators, so they never match; nor does a number followed by a unit
  ("250-500-1000 mg", "500 750 1000 ml") or made of 24-hour times only
  ("0830-1230 1400-1800").
* E-mail addresses.
* Record numbers: a cue (MRN, NHI, URN, UR number, CHI number, record no./number,
  hospital no./number/ID, patient ID/no./number, medical record) followed by a
  token of at least 4 letters/digits that contains a digit.
* Dates (reported as DATE_OF_BIRTH; found by bot/domain/guard_dates.py): any
  *full* date, i.e. day, month and 4-digit year (dd/mm/yyyy, mm/dd/yyyy,
  dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd,
  "3 March 1956", "March 3, 1956", the print-out form "03-Mar-1956"), whatever
  the year and whatever the cue: a full date narrows a story down to one person
  or one encounter, and a case told from memory needs none.  A birth cue (DOB,
  d.o.b., date of birth, born, b.), up to three short words before the date
  ("her dob is"), also makes a 2-digit-year date count ("DOB 12/03/56",
  "DOB 12 Mar 56").  Month and year, day and month, or a year alone never count.
* Attachments: any attachment counts (documents are not shared in a group).

Only ASCII digits count as digits.  Linear time: every pattern uses bounded
repetition only, starts with a literal or character class followed by a
fixed-width look-behind that fails at once inside a token, and is run on the
whole text (no length cap).  Texts without a digit and without ``@`` take a
fast path; texts with fewer than 8 digits, or without 8 digits close together,
skip the long-number checks.  Checksums and calendar checks use precomputed
look-up tables, so a text full of near-miss candidates stays cheap.
"""

from __future__ import annotations

import enum
import re
from datetime import datetime, timedelta
from operator import mul

from bot.domain.guard_dates import any_match, at_word_start, has_date

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
# NHS and Medicare capture their digits in the groups the checksum tables below
# are keyed by, so a candidate is checked with a few dict look-ups.
_NHS = re.compile(r"([0-9](?<![0-9]{2})[0-9]{2})([ \-]?)([0-9]{3})\2([0-9]{3})([0-9])(?![0-9])")
_MEDICARE = re.compile(
    r"([2-6](?<![0-9][2-6])[0-9])([0-9]{2})([ \-]?)([0-9]{2})([0-9]{2})([0-9])\3[0-9][0-9]?"
    r"(?![0-9])"
)
# The SSN pattern starts at its first hyphen (a literal the engine finds fast,
# so runs of digits cost nothing) and looks back for the area number.
_SSN = re.compile(
    r"-(?<=(?<![0-9\-])[0-8][0-9]{2}-)(?<!000-)(?<!666-)(?!00)[0-9]{2}-(?!0000)[0-9]{4}"
    r"(?![0-9]|-[0-9])"
)
# The same with spaces or no separator: only after a cue (the "s" look-behind is the
# cue's word boundary), then up to three short words, then the number.
_SSN_CUED = re.compile(
    r"s(?<!\ws)(?:sn|ocial\s{1,3}security|oc\.?\s{0,3}sec|s\s?\#|s\s?no)(?![a-z])"
    r"[.:?,]?\s{0,3}(?:[a-z']{1,8}[.:,]?\s{1,3}){0,3}[:#\-]?\s{0,3}"
    r"(?!000|666)[0-8][0-9]{2}(?: {1,3}|-)?(?!00)[0-9]{2}(?: {1,3}|-)?(?!0000)[0-9]{4}"
    r"(?![0-9]|[ \-][0-9])"
)
_SSN_CUES = ("ssn", "soc", "ss#", "ss #", "ss no")
_PHONE_INTL = re.compile(r"\+(?<![\w+]\+) ?[0-9](?:[ .\-]?\(?[0-9]\)?){7,14}(?![0-9])")
# A number that starts with 0: "(02) 9876 5432", an international prefix then a
# country code (group 1, read as the + form above): 00 ("0044 7700 900123",
# "0011 61 ..."; no space after 00, or scores "00 11 22 33" would look like one) or
# North America's 011 ("011 44 20 7946 0958"), or a trunk 0.
# One pattern for the three, so a text full of zeros has one candidate per position.
_PHONE_TRUNK = re.compile(
    r"[(0](?<![\w+.,/][(0])"
    r"(?:(?<=\()0[0-9]{1,4}\) ?[0-9](?:[ \-]?[0-9]){5,9}"
    r"|(?<=0)(0|11[ .\-]?)(?=[1-9])[0-9](?:[ .\-]?\(?[0-9]\)?){7,14}"
    r"|(?<=0)[0-9](?:[ \-]?[0-9]){8,10})"
    r"(?![0-9]|[.,/][0-9])"
)
# A trunk-prefixed number has at most 4 groups of 2+ digits, unlike a list of scores
# (used with fullmatch on a _PHONE_TRUNK match without the 00 prefix: at most 15 digits).
_PHONE_TRUNK_GROUPS = re.compile(r"\(?[0-9]{2,16}(?:[ \-()]{1,4}[0-9]{2,16}){0,3}")
_PHONE_NANP = re.compile(
    r"[(2-9](?<![\w+.,/][(2-9])"
    r"(?:(?<=\()[2-9][0-9]{2}\) ?|(?<=[2-9])[0-9]{2}[ .\-]?)"
    r"[0-9]{3}[ .\-][0-9]{4}(?![0-9]|[.,/\-][0-9])"
)
# Only unambiguous dose units, as a whole word: "unit 4", "g'day" or "L." are no doses.
_UNIT = re.compile(r" ?(?:mg|mcg|µg|ug|ml|mL|iu|IU|mmol|kg)(?![\w'])")
_SEPARATORS_TO_SPACE = str.maketrans("-().", "    ")
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
# A record-number match needs one of these cues; the short ones ("ur", "chi") and
# the common words ("hospital", "patient") only count when a number word follows.
_RECORD_CUES = ("mrn", "nhi", "urn", "record")
_RECORD_CUE_WORDS = re.compile(r"(?:ur|chi|hospital|patient)\s?(?:n|id|\#)")
_COUNT_DIGITS = tuple("0123456789")
# A necessary condition for every long-number kind (NHS, Medicare, SSN, phone):
# 8 digits in a row with at most 3 of " .-()" between neighbours.  Ordinary
# messages fail it at once and skip the long-number patterns.
_LONG_NUMBER = re.compile(r"[0-9](?<![0-9]{2})(?:[ .\-()]{0,3}[0-9]){7}")
_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_MEDICARE_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9)


def _weighted(width: int, weights: tuple[int, ...]) -> dict[str, int]:
    """Weighted digit sum of every ``width``-digit string (a checksum look-up table)."""
    return {
        f"{n:0{width}d}": sum(map(mul, map(int, f"{n:0{width}d}"), weights))
        for n in range(10**width)
    }


# NHS: with d the tenth digit, the number is valid exactly when
# (weighted sum + d) % 11 == 0 (remainder 1 would need check digit 10: no digit).
_NHS_SUM_1 = _weighted(3, _NHS_WEIGHTS[0:3])
_NHS_SUM_2 = _weighted(3, _NHS_WEIGHTS[3:6])
_NHS_SUM_3 = _weighted(3, _NHS_WEIGHTS[6:9])
_DIGIT = _weighted(1, (1,))
# Medicare: weights 1,3,7,9,1,3,7,9 over four pairs of digits.
_MEDICARE_SUM_13 = _weighted(2, (1, 3))
_MEDICARE_SUM_79 = _weighted(2, (7, 9))


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


def _has_nhs_number(text: str) -> bool:
    """A 3-3-4 (or plain 10-digit) number with a valid modulus-11 check digit."""
    return any(
        (_NHS_SUM_1[a] + _NHS_SUM_2[b] + _NHS_SUM_3[c] + _DIGIT[d]) % 11 == 0
        for a, _, b, c, d in _NHS.findall(text)
    )


def _has_medicare_number(text: str) -> bool:
    """A 4-5-1 (or plain) Medicare number whose 9th digit is its check digit."""
    return any(
        (_MEDICARE_SUM_13[a] + _MEDICARE_SUM_79[b] + _MEDICARE_SUM_13[c] + _MEDICARE_SUM_79[d]) % 10
        == _DIGIT[check]
        for a, b, _, c, d, check in _MEDICARE.findall(text)
    )


def _unit_after(text: str, end: int) -> bool:
    """A dose or volume unit right after the number: "250-500-1000 mg" is no phone."""
    return _UNIT.match(text, end) is not None


def _times_of_day(number: str) -> bool:
    """Groups of four digits that are all 24-hour times: "0830-1230 1400-1800"."""
    groups = number.translate(_SEPARATORS_TO_SPACE).split()
    return len(groups) > 1 and all(len(g) == 4 and g[:2] < "24" and g[2] < "6" for g in groups)


def _has_phone(text: str) -> bool:
    return (
        any_match(_PHONE_INTL, text, lambda m: not _unit_after(text, m.end()))
        or any_match(
            _PHONE_TRUNK,
            text,
            lambda m: (
                (m[1] is not None or bool(_PHONE_TRUNK_GROUPS.fullmatch(m[0])))
                and not _times_of_day(m[0])
                and not _unit_after(text, m.end())
            ),
        )
        or any_match(_PHONE_NANP, text, lambda m: not _unit_after(text, m.end()))
    )


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
    if (any(cue in low for cue in _RECORD_CUES) or _RECORD_CUE_WORDS.search(low)) and any_match(
        _RECORD, low, lambda m: at_word_start(low, m)
    ):
        found.add(IdentifierKind.RECORD_NUMBER)
    if digits >= 4 and has_date(text, low):
        found.add(IdentifierKind.DATE_OF_BIRTH)
    if digits < 8 or not _LONG_NUMBER.search(text):
        return frozenset(found)
    if _has_nhs_number(text):
        found.add(IdentifierKind.NHS_NUMBER)
    if _has_medicare_number(text):
        found.add(IdentifierKind.MEDICARE_NUMBER)
    if _SSN.search(text) or (
        any(cue in low for cue in _SSN_CUES) and _SSN_CUED.search(low) is not None
    ):
        found.add(IdentifierKind.SSN)
    if _has_phone(text):
        found.add(IdentifierKind.PHONE)
    return frozenset(found)


# How long the guard remembers an edit it warned about (bot/store/guard_edits.py): long
# enough for a preview (seconds) or a pin (days, weeks) not to repeat the warning after a
# restart; bounded, as it is a message id kept about someone's words. Older, a pin after a
# restart repeats one warning at worst: never an edit left unread.
WARNED_EDITS_KEPT = timedelta(days=30)


def warned_edits_before(now: datetime) -> datetime:
    """Edits warned about before this moment are forgotten by the daily retention job."""
    return now - WARNED_EDITS_KEPT


def read_update(new_to_memory: bool, warned_already: bool) -> bool:
    """Whether the guard reads a message update: only one carrying an edit it has not
    read (a pin or a preview repeats the last edit's time), and not an edit it warned about
    before a restart emptied its memory. An edit it may have missed (made while the bot was
    down) is read, however old: a name left unread is worse than a second warning."""
    return new_to_memory and not warned_already
