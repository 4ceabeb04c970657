"""Pure group rules: names, size, leaders."""

from __future__ import annotations

import pytest

from bot.domain.groups import (
    NAME_MAX,
    SizeVerdict,
    change_leaders,
    channel_slug,
    clean_name,
    leader_roles,
    name_key,
    name_problem,
    size_verdict,
)


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (1, SizeVerdict.OK),
        (12, SizeVerdict.OK),
        (13, SizeVerdict.WARN),
        (16, SizeVerdict.WARN),
        (17, SizeVerdict.REFUSE),
    ],
)
def test_size_warns_above_twelve_and_refuses_above_the_maximum(
    size: int, expected: SizeVerdict
) -> None:
    assert size_verdict(size, 16) is expected


def test_a_maximum_below_twelve_refuses_without_warning() -> None:
    assert size_verdict(9, 8) is SizeVerdict.REFUSE
    assert size_verdict(8, 8) is SizeVerdict.OK


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Tuesday group", None),
        ("Médecins généralistes 2", None),
        ("", "empty"),
        ("   ", "empty"),
        ("x" * (NAME_MAX + 1), "too_long"),
        ("@everyone", "bad_character"),
        ("a#b", "bad_character"),
        ("tab\there", "bad_character"),
        ("zero\u200bwidth", "bad_character"),
    ],
)
def test_name_problems(name: str, problem: str | None) -> None:
    assert name_problem(name) == problem


def test_names_and_slugs() -> None:
    assert clean_name("  Tuesday   group ") == "Tuesday group"
    assert channel_slug("Tuesday Group") == "tuesday-group"
    assert channel_slug("GPs (rural), North!") == "gps-rural-north"
    assert channel_slug("Médecins") == "médecins"
    assert channel_slug("!!!") == "group"


def test_leader_roles() -> None:
    assert leader_roles(1, None) == ((1, "leader"),)
    assert leader_roles(1, 2) == ((1, "leader"), (2, "co_leader"))
    with pytest.raises(ValueError, match="same_person"):
        leader_roles(1, 1)


def test_change_leaders_keeps_at_most_two_and_steps_others_down() -> None:
    change = change_leaders([1, 2], 3, 1)
    assert change.leaders == (3, 1)
    assert change.stepping_down == (2,)
    assert change.role_of(3) == "leader" and change.role_of(1) == "co_leader"
    solo = change_leaders([1, 2], 1, None)
    assert solo.leaders == (1,) and solo.stepping_down == (2,)
    with pytest.raises(ValueError):
        change_leaders([1], 4, 4)


def test_a_removal_withdraws_answers_only_for_meetings_not_over() -> None:
    from bot.domain.groups import REMOVAL_WITHDRAWS_ANSWERS_OF

    assert {"planned", "live"} <= REMOVAL_WITHDRAWS_ANSWERS_OF
    assert not {"ended", "cancelled"} & REMOVAL_WITHDRAWS_ANSWERS_OF  # an excused "no" stays


def test_name_key_folds_case_of_any_letter_and_the_spelling_of_accents() -> None:
    assert name_key("Équipe") == name_key("équipe") == name_key("E\u0301quipe")
    assert name_key("Thursday  Balint") == name_key("thursday balint")
    assert name_key("Équipe") != name_key("Equipe")  # an accent is not case
