"""The one table of who may do what, for every command and button.

Cogs check it before acting (Discord's `default_permissions` are only hints
admins can override, and are ignored on subcommands), and an authorization
matrix test walks it. A Balint group is closed: organisers and server admins
set groups up, but they do not run or join the meeting unless they lead it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Actor(StrEnum):
    """The role a user plays with respect to one group."""

    OUTSIDER = "outsider"
    MEMBER = "member"
    OTHER_GROUP_MEMBER = "other_group_member"
    PRESENTER = "presenter"
    CO_LEADER = "co_leader"
    LEADER = "leader"
    FORMER_MEMBER = "former_member"  # left the group; their own attendance record stays theirs
    ORGANISER = "organiser"  # Manage Server or the configured organiser role
    ADMIN = "admin"  # server administrator


class Action(StrEnum):
    """Every slash command and button the bot offers."""

    GROUP_CREATE = "group_create"
    GROUP_ADD = "group_add"
    GROUP_REMOVE = "group_remove"
    GROUP_LEADERS = "group_leaders"
    GROUP_INFO = "group_info"
    GROUP_LIST = "group_list"
    GROUP_ARCHIVE = "group_archive"
    GROUP_REPAIR = "group_repair"
    GROUP_TIMEZONE = "group_timezone"
    GROUP_AGREEMENT_SET = "group_agreement_set"
    GROUP_AGREEMENT_SHOW = "group_agreement_show"
    GROUP_SETTINGS = "group_settings"
    AGREEMENT_ACCEPT = "agreement_accept"
    SCHEDULE_SET = "schedule_set"
    SCHEDULE_ONCE = "schedule_once"
    SCHEDULE_SHOW = "schedule_show"
    SCHEDULE_SKIP = "schedule_skip"
    SCHEDULE_MOVE = "schedule_move"
    SCHEDULE_CLEAR = "schedule_clear"
    SCHEDULE_CALENDAR = "schedule_calendar"
    SCHEDULE_ROSTER = "schedule_roster"
    REMINDERS_TOGGLE = "reminders_toggle"
    RSVP = "rsvp"
    SESSION_START = "session_start"
    SESSION_END = "session_end"
    PHASE_NEXT = "phase_next"
    PHASE_GOTO = "phase_goto"
    PHASE_EXTEND = "phase_extend"
    TURNS_MODE = "turns_mode"
    ROUND_START = "round_start"
    FLOOR_GIVE = "floor_give"
    RAISE_HAND = "raise_hand"
    DONE = "done"
    PASS_TURN = "pass_turn"
    NEXT_SPEAKER = "next_speaker"
    AWAY = "away"
    BACK = "back"
    IM_HERE = "im_here"
    ACK_CONFIDENTIALITY = "ack_confidentiality"
    CASE_OFFER = "case_offer"
    CASE_PICK = "case_pick"
    CASE_OFFERS = "case_offers"
    CASE_HISTORY = "case_history"
    FOLLOWUP_ANSWER = "followup_answer"
    ATTENDANCE_MARK = "attendance_mark"
    ATTENDANCE_ME = "attendance_me"
    ATTENDANCE_GROUP = "attendance_group"
    ATTENDANCE_EXPORT = "attendance_export"
    ATTENDANCE_CERTIFICATE = "attendance_certificate"
    ATTENDANCE_CHART = "attendance_chart"
    PULSE_VIEW = "pulse_view"
    PULSE_ANSWER = "pulse_answer"
    PRIVACY_SHOW = "privacy_show"
    PRIVACY_EXPORT = "privacy_export"
    PRIVACY_FORGET = "privacy_forget"
    ABOUT = "about"


_A = Action
ANYONE: frozenset[Actor] = frozenset(Actor)
LEADERS: frozenset[Actor] = frozenset({Actor.LEADER, Actor.CO_LEADER})
GROUP_MEMBERS: frozenset[Actor] = LEADERS | {Actor.MEMBER, Actor.PRESENTER}
ORGANISERS: frozenset[Actor] = frozenset({Actor.ORGANISER, Actor.ADMIN})
# One's own attendance: a GP who moved practice still needs it for their portfolio.
OWN_RECORD: frozenset[Actor] = GROUP_MEMBERS | {Actor.FORMER_MEMBER}

# Leaders and co-leaders have equal, full control of their group.
# Organisers and admins create groups, set leaders, archive, repair and see
# every group, but session, phase, turn and case commands are refused to an
# admin who is not a leader: a Balint group is closed, and what is said in it
# stays among its members.
ALLOWED: dict[Action, frozenset[Actor]] = {
    _A.GROUP_CREATE: ORGANISERS,
    _A.GROUP_ADD: LEADERS,
    _A.GROUP_REMOVE: LEADERS,
    _A.GROUP_LEADERS: LEADERS | ORGANISERS,
    _A.GROUP_INFO: GROUP_MEMBERS | ORGANISERS,
    _A.GROUP_LIST: ANYONE,  # each sees only their own groups; organisers see all
    _A.GROUP_ARCHIVE: LEADERS | ORGANISERS,
    _A.GROUP_REPAIR: LEADERS | ORGANISERS,
    _A.GROUP_TIMEZONE: LEADERS | ORGANISERS,  # a wrong zone at create, or the group moved
    _A.GROUP_AGREEMENT_SET: LEADERS,
    _A.GROUP_AGREEMENT_SHOW: GROUP_MEMBERS | ORGANISERS,
    _A.GROUP_SETTINGS: LEADERS,  # /settings set|reset; viewing is GROUP_INFO
    _A.AGREEMENT_ACCEPT: GROUP_MEMBERS,  # the "I agree" button, sent to members only
    _A.SCHEDULE_SET: LEADERS,
    _A.SCHEDULE_ONCE: LEADERS,
    _A.SCHEDULE_SHOW: GROUP_MEMBERS | ORGANISERS,
    _A.SCHEDULE_SKIP: LEADERS,
    _A.SCHEDULE_MOVE: LEADERS,
    _A.SCHEDULE_CLEAR: LEADERS,
    _A.SCHEDULE_CALENDAR: GROUP_MEMBERS,
    _A.SCHEDULE_ROSTER: LEADERS,  # who said they will come: the leaders' planning
    _A.REMINDERS_TOGGLE: GROUP_MEMBERS,
    _A.RSVP: GROUP_MEMBERS,
    _A.SESSION_START: LEADERS,
    _A.SESSION_END: LEADERS,
    _A.PHASE_NEXT: LEADERS,
    _A.PHASE_GOTO: LEADERS,
    _A.PHASE_EXTEND: LEADERS,
    _A.TURNS_MODE: LEADERS,
    _A.ROUND_START: LEADERS,
    _A.FLOOR_GIVE: LEADERS,
    _A.RAISE_HAND: GROUP_MEMBERS,  # the presenter in discussion: refused by turns
    _A.DONE: GROUP_MEMBERS,
    _A.PASS_TURN: GROUP_MEMBERS,
    _A.NEXT_SPEAKER: LEADERS,
    _A.AWAY: GROUP_MEMBERS,
    _A.BACK: GROUP_MEMBERS,
    _A.IM_HERE: GROUP_MEMBERS,
    _A.ACK_CONFIDENTIALITY: GROUP_MEMBERS,
    _A.CASE_OFFER: GROUP_MEMBERS,
    _A.CASE_PICK: LEADERS,
    _A.CASE_OFFERS: LEADERS,  # who offered a case is seen only by the leaders
    _A.CASE_HISTORY: LEADERS,
    _A.FOLLOWUP_ANSWER: GROUP_MEMBERS,
    _A.ATTENDANCE_MARK: LEADERS,
    _A.ATTENDANCE_ME: OWN_RECORD,
    _A.ATTENDANCE_GROUP: LEADERS,
    _A.ATTENDANCE_EXPORT: LEADERS,
    _A.ATTENDANCE_CERTIFICATE: OWN_RECORD,  # one's own certificate only
    _A.ATTENDANCE_CHART: LEADERS,
    _A.PULSE_VIEW: LEADERS,
    _A.PULSE_ANSWER: GROUP_MEMBERS,
    _A.PRIVACY_SHOW: ANYONE,
    _A.PRIVACY_EXPORT: ANYONE,
    _A.PRIVACY_FORGET: ANYONE,
    _A.ABOUT: ANYONE,
}

# Description keys for the refusal sentence ("Only the group's leaders may ...").
WHO_KEYS: dict[frozenset[Actor], str] = {
    ANYONE: "anyone",
    LEADERS: "leaders",
    GROUP_MEMBERS: "group_members",
    ORGANISERS: "organisers",
    LEADERS | ORGANISERS: "leaders_or_organisers",
    GROUP_MEMBERS | ORGANISERS: "group_members_or_organisers",
    OWN_RECORD: "group_members",
}


def is_allowed(action: Action, actor: Actor) -> bool:
    """Whether one actor may do the action."""
    return actor in ALLOWED[action]


def is_allowed_any(action: Action, actors: Iterable[Actor]) -> bool:
    """The real check: a user may act if any of the roles they hold allows it.

    An organiser who is also a plain member may still archive the group.
    """
    allowed = ALLOWED[action]
    return any(actor in allowed for actor in actors)


def who_may(action: Action) -> str:
    """A short key naming who may do the action, for the refusal sentence."""
    return WHO_KEYS[ALLOWED[action]]


def actors_for(
    user_id: int,
    leaders: Iterable[int],
    members: Iterable[int],
    presenter_id: int | None,
    is_organiser: bool,
    is_admin: bool,
    member_of_other_group: bool,
    *,
    co_leaders: Iterable[int] = (),
    former_members: Iterable[int] = (),
) -> frozenset[Actor]:
    """Every role the user holds with respect to this group.

    `leaders` are the group's leaders; `co_leaders` may name those of them
    (or others) recorded as co-leaders; both have the same rights.
    Someone who is not in the group is an OUTSIDER (and also an
    OTHER_GROUP_MEMBER if they belong to another group, and a FORMER_MEMBER
    if they once were in this one).
    """
    leader_set = frozenset(leaders)
    co_leader_set = frozenset(co_leaders)
    member_set = frozenset(members)
    roles: set[Actor] = set()
    if user_id in co_leader_set:
        roles.add(Actor.CO_LEADER)
    elif user_id in leader_set:
        roles.add(Actor.LEADER)
    if presenter_id is not None and user_id == presenter_id:
        roles.add(Actor.PRESENTER)
    if user_id in member_set or user_id == presenter_id:
        roles.add(Actor.MEMBER)
    in_group = bool(roles)
    if is_organiser:
        roles.add(Actor.ORGANISER)
    if is_admin:
        roles.add(Actor.ADMIN)
    if not in_group:
        roles.add(Actor.OUTSIDER)
        if member_of_other_group:
            roles.add(Actor.OTHER_GROUP_MEMBER)
        if user_id in frozenset(former_members):
            roles.add(Actor.FORMER_MEMBER)
    return frozenset(roles)


# Highest first: the role shown to the user and used in logs.
PRECEDENCE: tuple[Actor, ...] = (
    Actor.LEADER,
    Actor.CO_LEADER,
    Actor.PRESENTER,
    Actor.MEMBER,
    Actor.ADMIN,
    Actor.ORGANISER,
    Actor.FORMER_MEMBER,
    Actor.OTHER_GROUP_MEMBER,
    Actor.OUTSIDER,
)


def resolve_actor(
    user_id: int,
    leaders: Iterable[int],
    members: Iterable[int],
    presenter_id: int | None,
    is_organiser: bool,
    is_admin: bool,
    member_of_other_group: bool,
    *,
    co_leaders: Iterable[int] = (),
) -> Actor:
    """The single most specific role: leader > co-leader > presenter > member > admin/organiser.

    For permission checks use `is_allowed_any(action, actors_for(...))`.
    """
    roles = actors_for(
        user_id,
        leaders,
        members,
        presenter_id,
        is_organiser,
        is_admin,
        member_of_other_group,
        co_leaders=co_leaders,
    )
    return next(actor for actor in PRECEDENCE if actor in roles)
