"""Time, date and zone parsing: narrow input, stable reason codes."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.timeparse import (
    ParseError,
    looks_like_offset,
    parse_date,
    parse_hhmm,
    validate_zone,
    zone_suggestions,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("19:00", time(19)), ("7:05", time(7, 5)), (" 00:00 ", time(0)), ("23:59", time(23, 59))],
)
def test_parse_hhmm_ok(text: str, expected: time) -> None:
    assert parse_hhmm(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("25:00", "hour_out_of_range"),
        ("24:00", "hour_out_of_range"),
        ("19:60", "minute_out_of_range"),
        ("7pm", "bad_time_format"),
        ("19.00", "bad_time_format"),
        ("1900", "bad_time_format"),
        ("19:0", "bad_time_format"),
        ("", "bad_time_format"),
        ("١٩:٠٠", "bad_time_format"),
    ],
)
def test_parse_hhmm_errors(text: str, code: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_hhmm(text)
    assert info.value.code == code and str(info.value) == code
    assert isinstance(info.value, ValueError)


def test_parse_date() -> None:
    assert parse_date("2026-12-01") == date(2026, 12, 1)
    for text, code in [
        ("01/12/2026", "bad_date_format"),
        ("2026-2-1", "bad_date_format"),
        ("2026-02-30", "no_such_date"),
    ]:
        with pytest.raises(ParseError) as info:
            parse_date(text)
        assert info.value.code == code


def test_validate_zone() -> None:
    assert validate_zone("Europe/London") == ZoneInfo("Europe/London")
    assert validate_zone("europe/london") == ZoneInfo("Europe/London")
    assert validate_zone("America/New York") == ZoneInfo("America/New_York")
    assert validate_zone("UTC") == ZoneInfo("UTC")
    for offset in ["+2", "UTC+2", "GMT+1", "utc-05:30", "Etc/GMT+2", "\u22123"]:
        assert validate_zone(offset) == "offset_not_zone", offset
    for unknown in ["Mars/Olympus", "", "London", "../../etc/passwd", "Europe/"]:
        assert validate_zone(unknown) == "unknown_zone", unknown


def test_looks_like_offset() -> None:
    assert looks_like_offset("GMT+1") and looks_like_offset("+0530")
    assert not looks_like_offset("Europe/London")


def test_zone_suggestions() -> None:
    assert zone_suggestions("Lon")[0] == "Europe/London"
    assert zone_suggestions("lon")[0] == "Europe/London"
    assert zone_suggestions("new york") == ["America/New_York"]
    assert zone_suggestions("Sydney") == ["Australia/Sydney"]
    assert zone_suggestions("UTC+2") == []
    assert zone_suggestions("+2") == []
    assert "UTC" in zone_suggestions("UTC")
    assert len(zone_suggestions("a")) == 25
    assert len(zone_suggestions("a", limit=3)) == 3
    assert zone_suggestions("", limit=0) == []
    everything = zone_suggestions("", limit=10_000)
    assert "Europe/London" in everything
    assert not any(name.startswith(("Etc/", "SystemV/", "US/", "posix/")) for name in everything)
    assert all("/" in name or name == "UTC" for name in everything)
