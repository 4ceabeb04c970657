"""The group agreement's rules: is a member's acceptance current, what a press means.

Why pure: the gate (no group role before "I agree"), the re-acceptance after the
leaders change the text, and who is reminded at a session are Balint rules, and
they are tested here without Discord. The shell (cogs/agreement.py) gathers the
facts: the group's current version and each member's latest accepted version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

TEXT_MIN = 10
TEXT_MAX = 4000


class Standing(StrEnum):
    """Where a member stands with the group's current agreement."""

    CURRENT = "current"  # accepted the current version
    OUTDATED = "outdated"  # accepted an earlier version: keeps access, is asked again
    NEVER = "never"  # never accepted: no group role yet (leaders excepted)


class Press(StrEnum):
    """What an "I agree" press means."""

    ACCEPT = "accept"
    OUTDATED = "outdated"  # a newer version exists: re-send it
    NOT_MEMBER = "not_member"  # not (or no longer) in the group: refused


def standing(latest_accepted: int | None, current: int) -> Standing:
    """A member's standing from the highest version they accepted."""
    if latest_accepted is None:
        return Standing.NEVER
    return Standing.CURRENT if latest_accepted >= current else Standing.OUTDATED


def is_current(latest_accepted: int | None, current: int) -> bool:
    """The gate: the role is granted at once only to someone who accepted this version."""
    return standing(latest_accepted, current) is Standing.CURRENT


def has_access(latest_accepted: int | None, current: int, *, is_leader: bool = False) -> bool:
    """Whether a member sees the group's channels, so can take part in a meeting.

    A member who never agreed has no group role yet; an outdated acceptance keeps
    access (the member is reminded); a leader has the role from the start. Who has
    no access is not asked for a case and cannot be made the presenter.
    """
    return is_leader or standing(latest_accepted, current) is not Standing.NEVER


def with_access(
    members: Iterable[tuple[int, bool]], latest: Mapping[int, int], current: int
) -> list[int]:
    """Who should hold the group role (in order): leaders, and members who agreed to any version.

    `members` are (user_id, is_leader). Used wherever the role is given back in bulk
    (/group repair, a member rejoining the server): the gate must hold there too.
    """
    return [uid for uid, lead in members if has_access(latest.get(uid), current, is_leader=lead)]


class Holding(StrEnum):
    """Whether someone who holds the group role may keep it, and if not, why not."""

    MAY_HOLD = "may_hold"  # a leader, or a member who agreed to some version
    NOT_MEMBER = "not_member"  # not (or no longer) in the group: the leaders add them first
    NOT_AGREED = "not_agreed"  # a member who never agreed: they press "I agree" first


def holding(
    latest_accepted: int | None, current: int, *, is_member: bool, is_leader: bool = False
) -> Holding:
    """The gate applied to a role holder, however the role came (a hand grant included).

    The same rule as `has_access`: nobody reads the group's channels without being a
    member who agreed, bar the leaders, who hold the frame from the start.
    """
    if not is_member:
        return Holding.NOT_MEMBER
    if has_access(latest_accepted, current, is_leader=is_leader):
        return Holding.MAY_HOLD
    return Holding.NOT_AGREED


def not_entitled(
    holders: Iterable[int], members: Mapping[int, bool], latest: Mapping[int, int], current: int
) -> list[tuple[int, Holding]]:
    """Holders of the role (in order, each once) who may not hold it, and why.

    `members` maps each current member's user id to whether they lead the group.
    Used where the role's holders are checked in bulk (/group repair, start-up).
    """
    result: list[tuple[int, Holding]] = []
    seen: set[int] = set()
    for uid in holders:
        if uid in seen:
            continue
        seen.add(uid)
        verdict = holding(
            latest.get(uid), current, is_member=uid in members, is_leader=members.get(uid, False)
        )
        if verdict is not Holding.MAY_HOLD:
            result.append((uid, verdict))
    return result


def press_verdict(pressed_version: int, current: int, *, is_member: bool) -> Press:
    """A press by a non-member is refused; one on another version's button is outdated."""
    if not is_member:
        return Press.NOT_MEMBER
    return Press.ACCEPT if pressed_version == current else Press.OUTDATED


def next_version(current: int) -> int:
    """Any change of the text is a new version, which every member is asked to accept."""
    return current + 1


def text_problem(new_text: str, old_text: str) -> str | None:
    """'too_short', 'too_long', 'unchanged' or None (the text is cleaned of outer blanks)."""
    cleaned = new_text.strip()
    if len(cleaned) < TEXT_MIN:
        return "too_short"
    if len(cleaned) > TEXT_MAX:
        return "too_long"
    if cleaned == old_text.strip():
        return "unchanged"
    return None


def pending(members: Iterable[int], latest: Mapping[int, int], current: int) -> list[int]:
    """Everyone in `members` (in order) who has not accepted the current version."""
    return [uid for uid in members if not is_current(latest.get(uid), current)]


def to_remind(
    members: Iterable[tuple[int, bool]], latest: Mapping[int, int], current: int
) -> list[int]:
    """Who is reminded at a session: those with access but not the current version.

    `members` are (user_id, is_leader). A member who never agreed has no role and
    cannot see the session; a leader has the role from the start, so a leader who
    has not agreed yet is reminded like a member with an outdated acceptance.
    """
    result = []
    for uid, is_leader in members:
        state = standing(latest.get(uid), current)
        if state is Standing.OUTDATED or (state is Standing.NEVER and is_leader):
            result.append(uid)
    return result
