"""Permission plan: who may write in the session channel and speak in voice, per phase.

The presenter tells the story without interruption, then "pushes back" and
listens while the group discusses. The bot keeps that shape with channel
overwrites. Every change is a *plan*: the group role's Send Messages overwrite
plus member overwrites for at most the presenter and the floor holder, so the
number of REST writes per change never grows with the group's size. The
leaders' allow overwrites are written once at session start and lifted at the
end; they are never part of a per-phase diff.

Threads are no part of a Balint meeting: on Discord, Send Messages does not cover
threads, and a new server's @everyone may open threads and write in them. A thread
beside the session channel would let members talk past the presenter, past the
floor holder and after the end, so the group role's overwrite denies threads in
every phase, from the channel's creation to its purge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from bot.domain.phases import Phase, TurnMode

# Phases in which only the presenter (and the leaders) may write.
PRESENTER_ONLY: frozenset[Phase] = frozenset({Phase.PRESENTATION, Phase.RETURN})

# Whether the group role may open or write in threads in the session channel: never.
ROLE_THREADS = False


@dataclass(frozen=True)
class ChannelPlan:
    """Send Messages for the group role, plus member exceptions.

    `member_send[m]` is True (allow), False (deny) or None (remove the
    member's overwrite so they inherit from the role). A member missing from
    the mapping is treated as None. Leaders never appear here.
    """

    role_send: bool
    member_send: Mapping[int, bool | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "member_send", MappingProxyType(dict(self.member_send)))

    def __hash__(self) -> int:
        return hash((self.role_send, frozenset(self.member_send.items())))


@dataclass(frozen=True, slots=True)
class OverwriteWrite:
    """One REST call: set (True/False) or remove (None) Send Messages for a target.

    `target_id` None with kind "role" means the group's role.
    """

    target_kind: Literal["role", "member"]
    target_id: int | None
    send: bool | None

    @property
    def threads(self) -> bool | None:
        """Opening and writing in threads: False (deny) for the role, always; None
        (as the target's saved overwrite has it) for members, whom the role's deny covers.
        """
        return ROLE_THREADS if self.target_kind == "role" else None


def may_send(
    user_id: int,
    phase: Phase,
    presenter_id: int | None,
    leaders: frozenset[int],
    floor_holder: int | None,
    mode: TurnMode,
) -> bool:
    """Whether one member may write now: the rule the plan encodes.

    Leaders always may while the session is live, even a leader who presents
    (someone must be able to run the meeting). In strict mode only the floor
    holder writes, within what the phase allows; in presentation and return the
    presenter holds the floor by the nature of the phase.
    """
    if phase is Phase.ENDED:
        return False
    if user_id in leaders:
        return True
    if phase in PRESENTER_ONLY:
        return user_id == presenter_id
    if phase is Phase.DISCUSSION and user_id == presenter_id:
        return False
    if mode is TurnMode.STRICT:
        return user_id == floor_holder
    return True


def _role_may_send(phase: Phase, mode: TurnMode) -> bool:
    """What an ordinary member (not presenter, not floor holder) may do."""
    if phase is Phase.ENDED or phase in PRESENTER_ONLY:
        return False
    return mode is not TurnMode.STRICT


def channel_plan(
    phase: Phase,
    presenter_id: int | None,
    leaders: frozenset[int],
    floor_holder: int | None,
    mode: TurnMode,
) -> ChannelPlan:
    """The plan for one moment of the session; exceptions only where they differ."""
    role_send = _role_may_send(phase, mode)
    members: dict[int, bool | None] = {}
    for user_id in (presenter_id, floor_holder):
        if user_id is None or user_id in leaders or user_id in members:
            continue
        allowed = may_send(user_id, phase, presenter_id, leaders, floor_holder, mode)
        members[user_id] = None if allowed == role_send else allowed
    return ChannelPlan(role_send=role_send, member_send=members)


def senders(
    phase: Phase,
    presenter_id: int | None,
    leaders: frozenset[int],
    floor_holder: int | None,
    mode: TurnMode,
    members: Iterable[int],
) -> frozenset[int]:
    """Everyone in `members` (and the leaders) who may write now."""
    everyone = set(members) | set(leaders)
    return frozenset(
        u for u in everyone if may_send(u, phase, presenter_id, leaders, floor_holder, mode)
    )


def effective_send(plan: ChannelPlan, user_id: int, leader_allows: frozenset[int]) -> bool:
    """What Discord computes for a member: member overwrite first, else the role.

    `leader_allows` are the members whose leader allow overwrite is in place
    (all leaders while live, nobody after the end).
    """
    if user_id in leader_allows:
        return True
    value = plan.member_send.get(user_id)
    return plan.role_send if value is None else value


def diff_plans(old: ChannelPlan | None, new: ChannelPlan) -> list[OverwriteWrite]:
    """The writes that turn `old` into `new`; everything, if `old` is unknown.

    At most one role write plus one per member named in either plan (at most
    the old and new presenter and floor holder): independent of group size.
    """
    if old is None:
        return full_plan_writes(new)
    writes: list[OverwriteWrite] = []
    if old.role_send != new.role_send:
        writes.append(OverwriteWrite("role", None, new.role_send))
    for user_id in sorted(set(old.member_send) | set(new.member_send)):
        before = old.member_send.get(user_id)
        after = new.member_send.get(user_id)
        if before != after:
            writes.append(OverwriteWrite("member", user_id, after))
    return writes


def full_plan_writes(plan: ChannelPlan) -> list[OverwriteWrite]:
    """Every write of a plan, for re-applying it after a restart."""
    writes = [OverwriteWrite("role", None, plan.role_send)]
    writes.extend(
        OverwriteWrite("member", user_id, send)
        for user_id, send in sorted(plan.member_send.items())
    )
    return writes


def leader_overwrites(leaders: Iterable[int]) -> list[OverwriteWrite]:
    """Allow overwrites for the leaders, written once when the session starts."""
    return [OverwriteWrite("member", user_id, True) for user_id in sorted(set(leaders))]


def stale_member_allows(
    allowed: Iterable[int], entitled: Iterable[int], already_written: Iterable[int]
) -> list[OverwriteWrite]:
    """Member send-allows nobody is entitled to any more, to be removed.

    Why: a leader who steps down during a session keeps the allow written for them
    at the start; without this they could still write while the presenter speaks.
    `allowed` are the members whose overwrite allows sending now, `entitled` those
    the current state allows (leaders while live, presenter, floor holder), and
    `already_written` the members the pending writes touch anyway.
    """
    keep = set(entitled) | set(already_written)
    return [OverwriteWrite("member", uid, None) for uid in sorted(set(allowed) - keep)]


def release_leader_overwrites(leaders: Iterable[int]) -> list[OverwriteWrite]:
    """Remove the leaders' overwrites at the end: after the end nobody writes."""
    return [OverwriteWrite("member", user_id, None) for user_id in sorted(set(leaders))]


# --- voice -------------------------------------------------------------------


def voice_speakers(
    phase: Phase,
    presenter_id: int | None,
    leaders: frozenset[int],
    floor_holder: int | None,
    mode: TurnMode,
    present_members: Iterable[int],
) -> frozenset[int]:
    """Who among those in the voice channel may speak; mirrors the text rule.

    After the end nobody is held back any more: enforcement stops, so every
    mute the bot set is lifted.
    """
    present = frozenset(present_members)
    if phase is Phase.ENDED:
        return present
    return frozenset(
        u for u in present if may_send(u, phase, presenter_id, leaders, floor_holder, mode)
    )


def mute_changes(
    old_speakers: frozenset[int],
    new_speakers: frozenset[int],
    connected: frozenset[int],
    muted_by_bot: frozenset[int],
) -> tuple[frozenset[int], frozenset[int]]:
    """(to_mute, to_unmute) for members connected to voice.

    Server mute is server-wide and outlives the channel, so the bot mutes only
    members whose right to speak was just lost, and unmutes only members it
    muted itself: a member muted by a moderator stays muted.
    """
    to_mute = (connected & old_speakers) - new_speakers - muted_by_bot
    to_unmute = connected & new_speakers & muted_by_bot
    return frozenset(to_mute), frozenset(to_unmute)


def on_voice_join(
    user_id: int, speakers: frozenset[int], muted_by_bot: frozenset[int]
) -> Literal["mute", "unmute"] | None:
    """What to do when a member joins voice mid-session (or after a restart).

    Mute them if they may not speak now; lift a mute the bot set earlier if
    they now may; otherwise leave their voice state alone.
    """
    if user_id in speakers:
        return "unmute" if user_id in muted_by_bot else None
    return None if user_id in muted_by_bot else "mute"
