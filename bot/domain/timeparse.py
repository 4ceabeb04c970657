"""Parsing of the times, dates and zones that leaders type into commands.

Why: input is deliberately narrow (``H:MM``/``HH:MM``, ISO dates, IANA zone
names) so that nothing is guessed: "7pm", "19.00" or "03/04/2026" mean
different things to different people, and a fixed offset such as "UTC+2"
is wrong half the year.  Every failure carries a short reason code
(``ParseError.code``, also ``str(error)``) that ``texts.py`` turns into a
sentence saying what to type instead.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, time
from functools import lru_cache
from zoneinfo import ZoneInfo

__all__ = [
    "ParseError",
    "looks_like_offset",
    "parse_date",
    "parse_hhmm",
    "validate_zone",
    "zone_suggestions",
]

_HHMM = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# "+2", "-05:30", "UTC+2", "GMT-1", "UTC +0530", "z+1", with a real minus sign too.
_OFFSET = re.compile(
    r"\s*(?:utc|gmt|z|etc/gmt|etc/utc)?\s*[+\-\u2212]\s*[0-9]{1,2}(?::?[0-9]{2})?\s*",
    re.IGNORECASE,
)
# Links kept only for backwards compatibility; offering them invites mistakes.
_LEGACY_PREFIXES = (
    "etc/",
    "systemv/",
    "us/",
    "canada/",
    "brazil/",
    "chile/",
    "mexico/",
    "posix/",
    "right/",
)


class ParseError(ValueError):
    """A user-caused parse failure; ``code`` is stable and safe to show."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_hhmm(text: str) -> time:
    """Parse ``H:MM`` or ``HH:MM`` (24-hour clock) into a wall-clock time.

    Codes: ``bad_time_format``, ``hour_out_of_range``, ``minute_out_of_range``.
    """
    match = _HHMM.fullmatch(text.strip())
    if match is None:
        raise ParseError("bad_time_format")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23:
        raise ParseError("hour_out_of_range")
    if minute > 59:
        raise ParseError("minute_out_of_range")
    return time(hour, minute)


def parse_date(text: str) -> date:
    """Parse an ISO ``YYYY-MM-DD`` date; codes ``bad_date_format``, ``no_such_date``."""
    match = _ISO_DATE.fullmatch(text.strip())
    if match is None:
        raise ParseError("bad_date_format")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as exc:
        raise ParseError("no_such_date") from exc


def looks_like_offset(text: str) -> bool:
    """True for "+2", "UTC+2", "GMT-05:30", "Etc/GMT+1": offsets, not zones."""
    return _OFFSET.fullmatch(text) is not None


@lru_cache(maxsize=1)
def _all_zones() -> dict[str, str]:
    """Lower-cased name -> canonical IANA name, computed once per process."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def _is_legacy(name: str) -> bool:
    lowered = name.lower()
    if "/" not in name:
        return name != "UTC"
    return lowered.startswith(_LEGACY_PREFIXES)


@lru_cache(maxsize=1)
def _suggestable() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(name, lowered, lowered components) for every zone worth offering, sorted."""
    names = sorted(name for name in _all_zones().values() if not _is_legacy(name))
    return tuple((n, n.lower(), tuple(n.lower().split("/"))) for n in names)


def validate_zone(name: str) -> ZoneInfo | str:
    """Return the zone for an IANA name, or an error code string.

    Codes: ``offset_not_zone`` (fixed offsets, including ``Etc/GMT+2``, ignore DST),
    ``unknown_zone``.  Matching is case-insensitive; the name is looked up in the
    known list before ``ZoneInfo`` sees it, so no path is ever opened from input.
    """
    cleaned = name.strip().replace(" ", "_")
    if not cleaned:
        return "unknown_zone"
    if looks_like_offset(name) or re.fullmatch(r"etc/gmt[+\-][0-9]{1,2}", cleaned, re.I):
        return "offset_not_zone"
    canonical = _all_zones().get(cleaned.lower())
    if canonical is None:
        return "unknown_zone"
    return ZoneInfo(canonical)


def zone_suggestions(prefix: str, limit: int = 25, preferred: str | None = None) -> list[str]:
    """Zone names for autocomplete, best first.

    `preferred` (the operator's default_timezone) comes first whenever it matches the
    input, so an organiser in that zone picks it without typing.

    Ranking: the whole name starts with the input, then any path component
    ("Lon" -> "Europe/London"), then a plain substring; within a rank the closest
    (shortest) match first, so "Lon" offers London before Longyearbyen.
    Spaces count as underscores ("new york").  Offsets return [] so the caller can
    explain why a fixed offset is not a zone.
    """
    if limit <= 0 or looks_like_offset(prefix):
        return []
    query = prefix.strip().lower().replace(" ", "_")
    zones = _suggestable()
    if not query:
        return _prefer([name for name, _, _ in zones], preferred, query, limit)
    ranked: list[tuple[int, int, str]] = []
    for name, lowered, parts in zones:
        if lowered.startswith(query):
            ranked.append((0, len(lowered), name))
            continue
        hits = [len(part) for part in parts if part.startswith(query)]
        if hits:
            ranked.append((1, min(hits), name))
        elif query in lowered:
            ranked.append((2, len(lowered), name))
    ranked.sort()
    return _prefer([name for _, _, name in ranked], preferred, query, limit)


def _prefer(names: list[str], preferred: str | None, query: str, limit: int) -> list[str]:
    """`preferred` first if the input matches it, even an old-style name ("US/Eastern")
    left out of the suggestions: the operator chose it, and validate_zone accepts it."""
    known = _all_zones().get((preferred or "").lower())
    if known is not None and query in known.lower():
        names = [known, *(name for name in names if name != known)]
    return names[:limit]
