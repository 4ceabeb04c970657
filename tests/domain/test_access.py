"""The authorization table: complete, closed to outsiders, leaders run the meeting."""

from __future__ import annotations

import pytest

from bot.domain.access import (
    ALLOWED,
    GROUP_MEMBERS,
    LEADERS,
    WHO_KEYS,
    Action,
    Actor,
    actors_for,
    is_allowed,
    is_allowed_any,
    resolve_actor,
    who_may,
)

MEETING_ACTIONS = [
    Action.SESSION_START,
    Action.SESSION_END,
    Action.PHASE_NEXT,
    Action.PHASE_GOTO,
    Action.PHASE_EXTEND,
    Action.TURNS_MODE,
    Action.ROUND_START,
    Action.FLOOR_GIVE,
    Action.NEXT_SPEAKER,
    Action.CASE_PICK,
    Action.CASE_OFFERS,
    Action.GROUP_SETTINGS,
]
MEMBER_ACTIONS = [
    Action.GROUP_INFO,
    Action.GROUP_AGREEMENT_SHOW,
    Action.AGREEMENT_ACCEPT,
    Action.SCHEDULE_SHOW,
    Action.SCHEDULE_CALENDAR,
    Action.REMINDERS_TOGGLE,
    Action.RSVP,
    Action.RAISE_HAND,
    Action.DONE,
    Action.PASS_TURN,
    Action.AWAY,
    Action.BACK,
    Action.IM_HERE,
    Action.ACK_CONFIDENTIALITY,
    Action.CASE_OFFER,
    Action.FOLLOWUP_ANSWER,
    Action.ATTENDANCE_ME,
    Action.ATTENDANCE_CERTIFICATE,
    Action.PULSE_ANSWER,
]
OPEN_TO_ALL = {
    Action.ABOUT,
    Action.PRIVACY_SHOW,
    Action.PRIVACY_EXPORT,
    Action.PRIVACY_FORGET,
    Action.GROUP_LIST,
}
ORGANISER_ACTIONS = [
    Action.GROUP_CREATE,
    Action.GROUP_LEADERS,
    Action.GROUP_ARCHIVE,
    Action.GROUP_REPAIR,
    Action.GROUP_TIMEZONE,
    Action.GROUP_INFO,
]


def test_every_action_has_a_row_and_a_who_key() -> None:
    assert set(ALLOWED) == set(Action)
    for action in Action:
        assert ALLOWED[action], action
        assert who_may(action) in WHO_KEYS.values()


def test_action_values_match_the_planned_names() -> None:
    assert Action("group_create") is Action.GROUP_CREATE
    assert Action("pass_turn") is Action.PASS_TURN
    assert len(Action) == 56


@pytest.mark.parametrize("action", MEETING_ACTIONS)
@pytest.mark.parametrize("actor", list(Actor))
def test_only_leaders_run_the_meeting(action: Action, actor: Actor) -> None:
    assert is_allowed(action, actor) == (actor in LEADERS)


@pytest.mark.parametrize("action", MEMBER_ACTIONS)
def test_members_and_presenter_may(action: Action) -> None:
    for actor in (Actor.MEMBER, Actor.PRESENTER, Actor.LEADER, Actor.CO_LEADER):
        assert is_allowed(action, actor), (action, actor)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("actor", [Actor.OUTSIDER, Actor.OTHER_GROUP_MEMBER])
def test_outsiders_see_only_open_actions(action: Action, actor: Actor) -> None:
    assert is_allowed(action, actor) == (action in OPEN_TO_ALL)


@pytest.mark.parametrize("action", ORGANISER_ACTIONS)
def test_organisers_and_admins_set_groups_up(action: Action) -> None:
    assert is_allowed(action, Actor.ORGANISER) and is_allowed(action, Actor.ADMIN)


def test_plain_members_cannot_create_or_archive() -> None:
    assert not is_allowed(Action.GROUP_CREATE, Actor.MEMBER)
    assert not is_allowed(Action.GROUP_ARCHIVE, Actor.MEMBER)
    assert not is_allowed(Action.CASE_OFFERS, Actor.MEMBER)
    assert not is_allowed(Action.ATTENDANCE_GROUP, Actor.PRESENTER)


def test_leader_and_co_leader_have_equal_rights() -> None:
    for action in Action:
        assert is_allowed(action, Actor.LEADER) == is_allowed(action, Actor.CO_LEADER)


def test_who_may_keys() -> None:
    assert who_may(Action.PHASE_NEXT) == "leaders"
    assert who_may(Action.RSVP) == "group_members"
    assert who_may(Action.GROUP_CREATE) == "organisers"
    assert who_may(Action.ABOUT) == "anyone"
    assert who_may(Action.GROUP_ARCHIVE) == "leaders_or_organisers"


def ctx(user: int, **kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "user_id": user,
        "leaders": {1, 2},
        "members": {1, 2, 10, 11},
        "presenter_id": 10,
        "is_organiser": False,
        "is_admin": False,
        "member_of_other_group": False,
    }
    base.update(kw)
    return base


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (ctx(1), Actor.LEADER),
        (ctx(2, co_leaders={2}), Actor.CO_LEADER),
        (ctx(10), Actor.PRESENTER),
        (ctx(11), Actor.MEMBER),
        (ctx(11, is_organiser=True, is_admin=True), Actor.MEMBER),
        (ctx(1, is_admin=True), Actor.LEADER),
        (ctx(99, is_admin=True), Actor.ADMIN),
        (ctx(99, is_organiser=True), Actor.ORGANISER),
        (ctx(99, member_of_other_group=True), Actor.OTHER_GROUP_MEMBER),
        (ctx(99), Actor.OUTSIDER),
    ],
)
def test_resolve_actor_precedence(kwargs: dict[str, object], expected: Actor) -> None:
    assert resolve_actor(**kwargs) is expected  # type: ignore[arg-type]


def test_admin_who_is_not_a_leader_is_refused_the_meeting() -> None:
    actors = actors_for(**ctx(99, is_admin=True, is_organiser=True))  # type: ignore[arg-type]
    assert not is_allowed_any(Action.SESSION_START, actors)
    assert not is_allowed_any(Action.RAISE_HAND, actors)
    assert is_allowed_any(Action.GROUP_REPAIR, actors)


def test_organiser_who_is_a_member_keeps_organiser_rights() -> None:
    actors = actors_for(**ctx(11, is_organiser=True))  # type: ignore[arg-type]
    assert resolve_actor(**ctx(11, is_organiser=True)) is Actor.MEMBER  # type: ignore[arg-type]
    assert is_allowed_any(Action.GROUP_ARCHIVE, actors)
    assert is_allowed_any(Action.RSVP, actors)
    assert not is_allowed_any(Action.PHASE_NEXT, actors)


def test_presenter_is_also_a_member() -> None:
    actors = actors_for(**ctx(10))  # type: ignore[arg-type]
    assert {Actor.PRESENTER, Actor.MEMBER} <= actors
    assert Actor.OUTSIDER not in actors


def test_group_members_set_is_exactly_the_group() -> None:
    assert {Actor.MEMBER, Actor.PRESENTER, Actor.LEADER, Actor.CO_LEADER} == GROUP_MEMBERS


def test_a_former_member_may_read_only_their_own_record() -> None:
    actors = actors_for(**ctx(99), former_members={99})  # type: ignore[arg-type]
    assert {Actor.FORMER_MEMBER, Actor.OUTSIDER} <= actors
    assert is_allowed_any(Action.ATTENDANCE_ME, actors)
    assert is_allowed_any(Action.ATTENDANCE_CERTIFICATE, actors)
    assert not is_allowed_any(Action.RSVP, actors)
    assert not is_allowed_any(Action.ATTENDANCE_GROUP, actors)
    assert Actor.FORMER_MEMBER not in actors_for(**ctx(11), former_members={11})  # type: ignore[arg-type]
