"""Pulse survey: anonymous tokens, small-number suppression, answer validation."""

from __future__ import annotations

import pytest

from bot.domain.pulse import QUESTIONS, new_salt, summarise, validate_answer, voter_token


def test_voter_token_is_stable_per_salt_and_unlinkable_across_salts() -> None:
    salt = new_salt()
    assert len(salt) == 32
    assert voter_token(salt, 42) == voter_token(salt, 42)
    assert voter_token(salt, 42) != voter_token(salt, 43)
    assert voter_token(salt, 42) != voter_token(new_salt(), 42)
    token = voter_token(salt, 123456789012345678)
    assert len(token) == 64 and "123456789012345678" not in token
    with pytest.raises(ValueError):
        voter_token(b"short", 1)


def test_validate_answer() -> None:
    assert validate_answer("useful", 1) is None
    assert validate_answer("leave_vs_arrive", 5) is None
    assert validate_answer("useful", 0) == "out_of_range"
    assert validate_answer("useful", 6) == "out_of_range"
    assert validate_answer("useful", True) == "out_of_range"
    assert validate_answer("fun", 3) == "unknown_question"


def test_summarise_hides_small_numbers() -> None:
    summary = summarise({"useful": {4: 2, 5: 1}, "safe": {5: 2}})
    assert summary == {
        "useful": (4.33, 3),
        "safe": (None, 2),
        "leave_vs_arrive": (None, 0),
    }
    assert set(summary) == set(QUESTIONS)
    assert summarise({"safe": {5: 2}}, min_answers=2)["safe"] == (5.0, 2)


def test_summarise_rejects_bad_data() -> None:
    with pytest.raises(ValueError):
        summarise({"useful": {9: 3}})
    with pytest.raises(ValueError):
        summarise({"other": {3: 3}})
    with pytest.raises(ValueError):
        summarise({"useful": {3: -1}})
