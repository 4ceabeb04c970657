"""Pure rules about a Balint group's shape: its name, its size, its leaders.

Why: a Balint group is small and stable (6-12 members, one leader or two
co-leaders); the shell asks these functions before it touches Discord, so a
refusal never leaves anything half-made.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

WARN_ABOVE = 12
MAX_LEADERS = 2
NAME_MAX = 50
# Characters that would break mentions, markdown or channel names in Discord.
_FORBIDDEN = set("@#:`*_~|<>\\")


class SizeVerdict(StrEnum):
    OK = "ok"
    WARN = "warn"  # above the usual 12: allowed, but the leader is told
    REFUSE = "refuse"  # above the configured maximum


def size_verdict(new_size: int, max_size: int) -> SizeVerdict:
    """What adding up to `new_size` members (leaders not counted) means."""
    if new_size > max_size:
        return SizeVerdict.REFUSE
    if new_size > WARN_ABOVE:
        return SizeVerdict.WARN
    return SizeVerdict.OK


def name_problem(name: str) -> str | None:
    """None if the group name is usable, else a reason code: empty, too_long, bad_character."""
    cleaned = name.strip()
    if not cleaned:
        return "empty"
    if len(cleaned) > NAME_MAX:
        return "too_long"
    for char in cleaned:
        if char in _FORBIDDEN or unicodedata.category(char).startswith("C"):
            return "bad_character"
    return None


def clean_name(name: str) -> str:
    """Collapse runs of whitespace so "Tuesday   group" and "Tuesday group" are one name."""
    return " ".join(name.split())


def name_key(name: str) -> str:
    """What two group names share when they are the same name: "Équipe" and "équipe", like
    "Thursday" and "thursday", read alike to a GP, so case (of any letter, not only
    ASCII's) and Unicode's two spellings of an accent do not make them two names."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", clean_name(name)).casefold())


def channel_slug(name: str) -> str:
    """A Discord text-channel name for the group: lower case, hyphens, no punctuation."""
    lowered = clean_name(name).lower()
    slug = re.sub(r"[^\w\-]+", "-", lowered, flags=re.UNICODE).replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    return slug[:80] or "group"


@dataclass(frozen=True, slots=True)
class LeaderChange:
    """The new leaders (in order: leader, co-leader) and who steps down to member."""

    leaders: tuple[int, ...]
    stepping_down: tuple[int, ...]

    def role_of(self, user_id: int) -> str:
        return "leader" if self.leaders[0] == user_id else "co_leader"


def leader_roles(leader: int, co_leader: int | None) -> tuple[tuple[int, str], ...]:
    """(user id, role) for the leaders of a new group; refuses the same person twice."""
    if co_leader is None:
        return ((leader, "leader"),)
    if co_leader == leader:
        raise ValueError("same_person")
    return ((leader, "leader"), (co_leader, "co_leader"))


def change_leaders(current: Iterable[int], leader: int, co_leader: int | None) -> LeaderChange:
    """At most two leaders; previous leaders not named again become members."""
    named: Sequence[int] = [uid for uid, _ in leader_roles(leader, co_leader)]
    stepping_down = tuple(uid for uid in current if uid not in named)
    return LeaderChange(leaders=tuple(named), stepping_down=stepping_down)


# A removal withdraws what the member said about meetings not over yet (their RSVP and
# their case offer): a leader who adds them back expects a fresh answer, not an old "yes"
# or an offer nobody renewed. Answers about meetings already held stay (an RSVP "no"
# keeps an absence excused). Session statuses, as plain strings.
REMOVAL_WITHDRAWS_ANSWERS_OF = frozenset({"planned", "live"})
