"""Identifier guard: catches identifier shapes, leaves clinical talk alone, runs in linear time."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.guard import IdentifierKind, medicare_valid, nhs_valid, scan

K = IdentifierKind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("his NHS number is 943 476 5919", K.NHS_NUMBER),
        ("9434765919", K.NHS_NUMBER),
        ("943-476-5919.", K.NHS_NUMBER),
        ("Medicare 2123 45670 1", K.MEDICARE_NUMBER),
        ("2123456701", K.MEDICARE_NUMBER),
        ("21234567012", K.MEDICARE_NUMBER),
        ("SSN 123-45-6789", K.SSN),
        ("call her on +44 20 7946 0958", K.PHONE),
        ("+61412345678", K.PHONE),
        ("+1 (555) 123-4567", K.PHONE),
        ("mobile 07700 900123", K.PHONE),
        ("ring (555) 123-4567 tomorrow", K.PHONE),
        ("555-123-4567", K.PHONE),
        ("0412 345 678", K.PHONE),
        ("(02) 9876 5432", K.PHONE),
        ("020 7946 0958", K.PHONE),
        ("write to jo.bloggs@example.co.uk", K.EMAIL),
        ("MRN 1234567", K.RECORD_NUMBER),
        ("mrn: A12345", K.RECORD_NUMBER),
        ("record no. 12345", K.RECORD_NUMBER),
        ("hospital number 123456", K.RECORD_NUMBER),
        ("Patient ID 12345", K.RECORD_NUMBER),
        ("NHI ABC1234", K.RECORD_NUMBER),
        ("DOB 12/03/1956", K.DATE_OF_BIRTH),
        ("d.o.b. 12/03/56", K.DATE_OF_BIRTH),
        ("date of birth: 3-4-56", K.DATE_OF_BIRTH),
        ("born on 3 March 1956", K.DATE_OF_BIRTH),
        ("born March 3, 1956", K.DATE_OF_BIRTH),
        ("seen on 12/03/2024", K.DATE_OF_BIRTH),
        ("1956-03-12", K.DATE_OF_BIRTH),
        ("12.03.1956", K.DATE_OF_BIRTH),
        ("the 3rd of March 1956", K.DATE_OF_BIRTH),
        ("12-31-1999", K.DATE_OF_BIRTH),
    ],
)
def test_true_positives(text: str, kind: IdentifierKind) -> None:
    assert kind in scan(text)


def test_attachment() -> None:
    assert scan("here is the letter", attachments=1) == {K.ATTACHMENT}
    assert scan("nothing attached", attachments=0) == frozenset()


def test_returns_kinds_only() -> None:
    found = scan("MRN 1234567 and jo@example.com")
    assert found == {K.RECORD_NUMBER, K.EMAIL}
    assert all(isinstance(kind, IdentifierKind) for kind in found)


def test_nhs_checksum() -> None:
    assert nhs_valid("9434765919")
    assert not nhs_valid("9434765918")
    assert not nhs_valid("943476591")
    assert K.NHS_NUMBER not in scan("943 476 5918")
    assert K.NHS_NUMBER not in scan("94347659190")
    # Weighted sum 12 -> check digit 10: no tenth digit can make it valid.
    assert not any(nhs_valid(f"000000006{d}") for d in range(10))
    # Remainder 0 -> check digit 11 -> 0.
    assert nhs_valid("0000000000")


def test_medicare_checksum() -> None:
    assert medicare_valid("2123456701")
    assert medicare_valid("21234567011")
    assert not medicare_valid("2123456711")
    assert not medicare_valid("1123456701")
    assert K.MEDICARE_NUMBER not in scan("2123 45671 1")


@pytest.mark.parametrize(
    "text",
    [
        "000-12-3456",
        "666-12-3456",
        "912-12-3456",
        "123-00-4567",
        "123-45-0000",
    ],
)
def test_invalid_ssn(text: str) -> None:
    assert K.SSN not in scan(text)


@pytest.mark.parametrize(
    "text",
    [
        "32/13/1999",
        "31/02/2020",
        "March 1956",
        "03/1956",
        "in 1956",
        "born in 1956",
        "12 March",
        "on 12/03",
        "DOB 1956",
        "record 12",
        "patient 12345",
        "MRN abcd",
        "jo at example dot com",
        "user@localhost",
    ],
)
def test_not_identifiers(text: str) -> None:
    assert scan(text) == frozenset()


ORDINARY = [
    "She takes 500 mg of metformin twice a day",
    "He is 45 and has had 3 admissions since 2019",
    "BP was 140/90",
    "We met at 19:30",
    "HbA1c 48 mmol/mol",
    "I've seen her 12 times this year",
    "The appointment lasted 10 minutes",
    "call 999",
    "a 45-year-old man with chest pain",
    "2.5mg of bisoprolol",
    "eGFR 45 ml/min/1.73m2",
    "Her PHQ-9 was 18 and GAD-7 was 15",
    "He drinks 30 units a week",
    "we spent 20-25 minutes on it",
    "temperature 38.5, pulse 110, sats 94%",
    "he came back 3 or 4 times in March",
    "in March 2023 she stopped coming",
    "she was 16 when it started",
    "the session ran from 19:00 to 20:30",
    "I have had about 1500 consultations this year",
    "it took 2 hours 15 minutes",
    "cholesterol 5.2, LDL 3.1, HDL 1.2",
    "7 out of 10 for pain",
    "She rang 111 twice and then 999",
    "weight 82.4 kg, BMI 31",
    "I felt like a 2/10 that day",
    "He has been on 40 mg citalopram since 2021",
    "The patient was admitted 4 times between 2018 and 2022",
    "INR 2.5 - 3.5 target",
    "ferritin 12 ug/L, Hb 98 g/L",
    "I think about that 10 minute appointment a lot",
    "Born into a family of 5, she was the eldest",
    "We meet every 2nd Tuesday at 7:30",
    "My list is 2000 patients",
    "Sat 3 May, the surgery was closed",
    "The 15-minute slot felt too short",
    "It was my 3rd locum shift in 2 weeks",
    "He takes 1 g paracetamol 4 times a day",
    "Her son is 12 and her daughter 14",
    "we were at 140/85 and then 150/95",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_clinical_talk_passes(text: str) -> None:
    assert scan(text) == frozenset(), text


ADVERSARIAL = {
    "ones": "1" * 100_000,
    "one-space": "1 " * 50_000,
    "at": "a@" * 50_000,
    "plus": "+1-" * 33_000,
    "mrn": "MRN " * 25_000,
    "zeros": "0" * 99_999 + "x",
    "pairs": "00 " * 33_333,
    "slashes": "1/1/" * 25_000,
    "dots": "1." * 50_000,
    "hyphens": "1-" * 50_000,
    "parens": "(0" * 50_000,
    "dob": "dob 1" * 20_000,
    "months": "3 march " * 12_500,
    "letters": "a" * 100_000,
    "email-ish": "a." * 50_000 + "@",
    "labels": "x@" + "a." * 50_000,
    "nhs-shaped": "123 456 7890 " * 7_700,
    "mixed": "12/03/19 +44 MRN a@b. 943-" * 4_000,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_inputs_are_linear(name: str) -> None:
    text = ADVERSARIAL[name]
    assert len(text) >= 99_000
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        scan(text)
        best = min(best, time.perf_counter() - started)
    assert best < 1.0, f"{name}: {best:.3f}s"


def test_long_message_is_scanned_to_the_end() -> None:
    assert K.NHS_NUMBER in scan("x " * 50_000 + "943 476 5919")
    assert K.EMAIL in scan("a" * 100_000 + " jo@example.com")


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(0, 3))
def test_scan_never_raises(text: str, attachments: int) -> None:
    found = scan(text, attachments)
    assert isinstance(found, frozenset)
    assert (K.ATTACHMENT in found) == (attachments > 0)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 +-()./:@aMRNdobDOB", max_size=200))
def test_scan_never_raises_on_dense_input(text: str) -> None:
    scan(text)


def _reference_date(year: int, month: int, day: int) -> bool:
    import datetime as dt

    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def test_checksum_tables_agree_with_validators() -> None:
    import random

    rng = random.Random(11)
    for _ in range(3000):
        d = "".join(rng.choice("0123456789") for _ in range(10))
        for sep in ("", " ", "-"):
            nhs = f"{d[:3]}{sep}{d[3:6]}{sep}{d[6:]}"
            assert (K.NHS_NUMBER in scan(nhs)) == nhs_valid(d), nhs
        medicare = "2" + d[1:] + rng.choice(("", "1"))
        spaced = f"{medicare[:4]} {medicare[4:9]} {medicare[9:]}"
        assert (K.MEDICARE_NUMBER in scan(spaced)) == medicare_valid(medicare), spaced


@pytest.mark.parametrize("year", [1900, 2000, 2001, 2004, 2100])
def test_numeric_dates_follow_the_calendar(year: int) -> None:
    for first in range(0, 33):
        for second in range(0, 14):
            a, b = f"{first:02d}", f"{second:02d}"
            either = _reference_date(year, second, first) or _reference_date(year, first, second)
            assert (K.DATE_OF_BIRTH in scan(f"{a}/{b}/{year}")) == either, (a, b, year)
            iso = _reference_date(year, first, second)
            assert (K.DATE_OF_BIRTH in scan(f"{year}-{a}-{b}")) == iso, (a, b, year)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29/02/2000", True),
        ("29/02/1900", False),
        ("02/29/2004", True),
        ("DOB 29/2/56", True),
        ("DOB 29/2/57", False),
        ("0000-01-01", False),
        ("29 Feb 2000", True),
        ("Feb 29, 2001", False),
    ],
)
def test_leap_days(text: str, expected: bool) -> None:
    assert (K.DATE_OF_BIRTH in scan(text)) == expected


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("x123-45-6789", K.SSN, True),
        ("1123-45-6789", K.SSN, False),
        ("-123-45-6789", K.SSN, False),
        ("123-45-6789-1", K.SSN, False),
        ("UR number 12345", K.RECORD_NUMBER, True),
        ("CHI no 1234567890", K.RECORD_NUMBER, True),
        ("your number 12345", K.RECORD_NUMBER, False),
        ("4 hours, 12345 steps", K.RECORD_NUMBER, False),
        ("0412 345 678", K.PHONE, True),
        ("01 2 3 4 5 6 7 8 9", K.PHONE, False),
        ("00 11 22 33 44 55", K.PHONE, False),
    ],
)
def test_edges_of_the_fast_paths(text: str, kind: IdentifierKind, expected: bool) -> None:
    assert (kind in scan(text)) == expected, text


MORE_ADVERSARIAL = {
    "medicare-shaped": "2123 45671 1 " * 7_700,
    "invalid-dates": "32/13/1999 " * 9_100,
    "cued-invalid-dates": "DOB 32/13/56 " * 7_700,
    "invalid-month-dates": "32 march 1999 " * 7_200,
    "trunk-groups": "0412 345 678, " * 7_200,
    "scores": "0 1 2 3 4 5 6 7 8 9 " * 5_000,
}


@pytest.mark.parametrize("name", sorted(MORE_ADVERSARIAL))
def test_more_adversarial_inputs_are_linear(name: str) -> None:
    text = MORE_ADVERSARIAL[name]
    assert len(text) >= 99_000
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        scan(text)
        best = min(best, time.perf_counter() - started)
    assert best < 1.0, f"{name}: {best:.3f}s"
