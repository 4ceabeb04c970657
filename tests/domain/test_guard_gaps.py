"""Identifier guard gaps closed later: SSNs written with spaces, phones with 00 or 011.

Each true positive here was missed before its fix; each false positive is ordinary
clinical talk (three numbers in a row, night-time clinic hours) that must stay quiet.
"""

from __future__ import annotations

import time

import pytest

from bot.domain.guard import IdentifierKind, scan

K = IdentifierKind

# --- US SSN written with spaces (or none): counts after an SSN cue ---------------------

CUED_SSNS = [
    "SSN 078 05 1120",
    "ssn: 078 05 1120",
    "SSN 078051120",
    "His social security number is 078 05 1120.",
    "Social Security No. 078 05 1120",
    "her SS# 078 05 1120 was on the form",
    "SSN - 078 05 1120",
    "SSN  078  05  1120",  # double spaces, as a form's fixed-width fields print it
    "SSN 078  05 1120",  # uneven spaces
    "his soc sec is 078-05 1120",  # mixed separators after a cue
]


@pytest.mark.parametrize("text", CUED_SSNS)
def test_a_cued_ssn_with_spaces_counts(text: str) -> None:
    assert K.SSN in scan(text), text


@pytest.mark.parametrize(
    "text",
    [
        "SSN 000 05 1120",  # area 000
        "SSN 666 05 1120",  # area 666
        "SSN 912 05 1120",  # area 9xx
        "SSN 078 00 1120",  # group 00
        "SSN 078 05 0000",  # serial 0000
        "SSN 078 05 11201",  # a longer number
        "SSN 1078 05 1120",  # a longer number
        "SSN 078 05 1120 5",  # part of a list of numbers
        "classn 078 05 1120",  # "ssn" inside a word is no cue
    ],
)
def test_invalid_or_uncued_spaced_ssns_do_not_count(text: str) -> None:
    assert K.SSN not in scan(text), text


def test_the_hyphenated_form_still_needs_no_cue() -> None:
    assert K.SSN in scan("078-05-1120")
    assert K.SSN in scan("SSN 078-05-1120")


# Three numbers 3-2-4 are ordinary talk without an SSN cue (readings, doses, scores).
THREE_NUMBERS = [
    "078 05 1120",
    "BP 120 80 and pulse 72",
    "BP 135 85 2023 and 150 95 2024",
    "Fluids 250 50 1000 ml over the night",
    "He scored 120 45 1500 on the three tests",
    "clinic hours 830 12 1400, then home visits",
    "No SSN on file; BP 120 80, pulse 72, weight 85 kg",
    "the SSN question came up 3 times in 12 visits over 2024",
]


@pytest.mark.parametrize("text", THREE_NUMBERS)
def test_three_ordinary_numbers_are_no_ssn(text: str) -> None:
    assert scan(text) == frozenset(), text


# --- International phone numbers with the 00 prefix, as with + ---------------------------

DOUBLE_ZERO_PHONES = [
    "0044 7700 900123",
    "0061 412 345 678",
    "call her on 0044 20 7946 0958 tonight",
    "0033 1 23 45 67 89",
    "0011 61 412 345 678",  # Australia's own exit code, then the country
    "0044 (0)20 7946 0958",
    "004477009001234",
    "011 44 20 7946 0958",  # North America's exit code, then the country
    "011-61-412-345-678",
    "01144 20 7946 0958",
    "011 33 1 23 45 67 89",
    "call 011 49 30 1234567 after six",
]


@pytest.mark.parametrize("text", DOUBLE_ZERO_PHONES)
def test_an_international_prefix_number_is_a_phone(text: str) -> None:
    assert K.PHONE in scan(text), text


@pytest.mark.parametrize(
    "text",
    [
        "00 11 22 33 44 55",  # a list of scores
        "night clinic 0030-0100 0130-0200",  # 24-hour times only
        "0015 0030 0045 0100 were her feeds",  # times again
        "0044 7700",  # too short
        "011 44 7700",  # too short
        "1011 44 20 7946 0958",  # inside a longer number
        "x0044 7700 900123",  # inside a longer token
        "1000044 7700 900123",  # inside a longer number
        "0044 7700 900 mg then 0044 7700 900 ml",  # dose units
    ],
)
def test_00_lookalikes_are_no_phone(text: str) -> None:
    assert K.PHONE not in scan(text), text


ADVERSARIAL = {
    "ssn-cues": "SSN no 078 05 112 " * 5_600,
    "ssn-words": "ssn is the ssn of " * 5_600 + "078 05 1120",
    "double-zero": "0044 " * 20_000,
    "double-zero-times": "0030-0100 " * 10_000,
    "exit-011": "011 44 " * 16_500,
    "ssn-spaces": "SSN  078  05  112 " * 5_600,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_new_patterns_stay_linear(name: str) -> None:
    text = ADVERSARIAL[name]
    assert len(text) >= 99_000
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        scan(text)
        best = min(best, time.perf_counter() - started)
    assert best < 1.0, f"{name}: {best:.3f}s"
