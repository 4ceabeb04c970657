"""Cases: who may present, in which order the leaders see volunteers, follow-ups, fairness.

Volunteering is where members hesitate most, so the rules keep it private and
pressure-free: the bot orders who offered, the leaders choose, the bot never
picks on its own. Nothing about a case itself exists here: a case is a
presenter, a meeting and a position, never a title or a text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.phases import DomainError

# How far ahead the hourly scan arms a prompt timer: a session moved after its
# prompt was armed is off by at most this much, and nothing is armed far ahead.
ARM_WINDOW = timedelta(hours=2)
CASE_CALL = "case_call"  # bot.domain.phases.Phase.CASE_CALL
# Offers are for one meeting: they go when it ends or is cancelled, and the daily
# retention job drops those of a planned meeting that was never held this long after
# its planned end (a day leaves room for a meeting started late or ended late).
OFFERS_KEPT_AFTER_PLANNED_END = timedelta(days=1)


class OfferKind(StrEnum):
    """A member's answer to "Do you have a case?"."""

    CASE = "case"
    FOLLOWUP = "followup"
    NONE = "none"


class CaseKind(StrEnum):
    NEW = "new"
    FOLLOWUP = "followup"


class FollowupState(StrEnum):
    """none -> asked -> yes | later | no; later -> asked again before the meeting after."""

    NONE = "none"  # presented, the meeting has not ended yet
    ASKED = "asked"  # to be asked (or asked) before the next meeting
    YES = "yes"  # a follow-up is promised for the meeting it was asked about
    LATER = "later"  # ask again before the meeting after that one
    NO = "no"  # closed
    DONE = "done"  # the follow-up was presented


class FollowupAnswer(StrEnum):
    YES = "yes"
    LATER = "later"
    NO = "no"


# Answers are accepted while the question is open or answered (a member may change
# their mind); once the follow-up was presented the question is closed.
ANSWERABLE: frozenset[FollowupState] = frozenset(
    {FollowupState.ASKED, FollowupState.YES, FollowupState.LATER, FollowupState.NO}
)
# States in which the hourly scan looks for the next meeting to ask about.
TO_ASK: frozenset[FollowupState] = frozenset({FollowupState.ASKED, FollowupState.LATER})
# States in which a case still waits for its follow-up: a follow-up presented later
# closes it (the meeting's end makes it done), so the presenter is not asked again.
AWAITING_FOLLOWUP: frozenset[FollowupState] = frozenset(
    {FollowupState.ASKED, FollowupState.LATER, FollowupState.YES}
)


@dataclass(frozen=True, slots=True)
class Offer:
    user_id: int
    kind: OfferKind
    offered_at: datetime


@dataclass(frozen=True, slots=True)
class Promise:
    """A follow-up a presenter said yes to: `case_id` is the case it follows."""

    case_id: int
    user_id: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """One line of the leaders' list: who, what they would present, why listed."""

    user_id: int
    kind: CaseKind
    followup_of: int | None
    promised: bool


def candidates(
    promises: Iterable[Promise],
    offers: Iterable[Offer],
    already_presenting: Iterable[int] = (),
) -> list[Candidate]:
    """Promised follow-ups first (oldest case first), then offers by the time they came in.

    A member appears once. Someone with a promise who also offered a new case
    keeps their place at the top but is listed (and picked) with a new case:
    their latest answer says what they bring. "Not this time" is never listed.
    """
    skip = set(already_presenting)
    by_user = {o.user_id: o for o in offers}
    out: list[Candidate] = []
    seen: set[int] = set()
    for promise in sorted(promises, key=lambda p: p.case_id):
        if promise.user_id in skip or promise.user_id in seen:
            continue
        offer = by_user.get(promise.user_id)
        if offer is not None and offer.kind is OfferKind.CASE:
            out.append(Candidate(promise.user_id, CaseKind.NEW, None, True))
        else:
            out.append(Candidate(promise.user_id, CaseKind.FOLLOWUP, promise.case_id, True))
        seen.add(promise.user_id)
    for offer in sorted(by_user.values(), key=lambda o: (o.offered_at, o.user_id)):
        if offer.kind is OfferKind.NONE or offer.user_id in skip or offer.user_id in seen:
            continue
        kind = CaseKind.FOLLOWUP if offer.kind is OfferKind.FOLLOWUP else CaseKind.NEW
        out.append(Candidate(offer.user_id, kind, None, False))
        seen.add(offer.user_id)
    return out


def kind_for(
    user_id: int,
    promises: Iterable[Promise],
    offers: Iterable[Offer],
    own_cases: Iterable[tuple[int, FollowupState]] = (),
) -> tuple[CaseKind, int | None]:
    """What a picked member presents: as listed, else a new case.

    A follow-up without a promise (offered with "I have a follow-up", say after
    answering "Later") follows the member's latest case still awaiting one;
    `own_cases` are (case id, follow-up state) of the member's earlier cases.
    """
    for candidate in candidates(promises, offers):
        if candidate.user_id == user_id:
            if candidate.kind is CaseKind.FOLLOWUP and candidate.followup_of is None:
                return CaseKind.FOLLOWUP, followed_case(own_cases)
            return candidate.kind, candidate.followup_of
    return CaseKind.NEW, None


def followed_case(own_cases: Iterable[tuple[int, FollowupState]]) -> int | None:
    """The latest (highest id) of a member's cases whose follow-up is still awaited."""
    waiting = [case_id for case_id, state in own_cases if state in AWAITING_FOLLOWUP]
    return max(waiting, default=None)


def check_pick(
    user_id: int,
    *,
    is_member: bool,
    presenters: Iterable[int],
    begun: int,
    max_cases: int,
    phase: str | None = CASE_CALL,
    has_access: bool = True,
) -> None:
    """Raise DomainError('not_case_call' | 'not_member' | 'not_agreed' |
    'already_presenting' | 'max_cases').

    The presenter is chosen in the case-call phase (choosing during a case would
    change who presents in the middle of it). `presenters`: everyone chosen in
    this meeting (begun or not); `begun`: how many cases have begun. A choice
    that has not begun is replaced by a new pick, so it does not count against
    the maximum. `has_access`: the member agreed to the group agreement (see
    bot.domain.agreement.has_access); one who has not cannot see the meeting.
    """
    if phase != CASE_CALL:
        raise DomainError("not_case_call")
    if not is_member:
        raise DomainError("not_member")
    if not has_access:
        raise DomainError("not_agreed")
    if user_id in set(presenters):
        raise DomainError("already_presenting")
    if begun >= max_cases:
        raise DomainError("max_cases")


# A promised follow-up ("Yes, next time") heads the leaders' list for the meeting it was
# promised for and the one after (the presenter may have been away, or time ran out).
# Then it lapses: leaders are not reminded of it at every meeting for ever, and the
# presenter is not asked again (never pushed). They can still bring it ("I have a
# follow-up"), or promise it anew with the same buttons.
PROMISE_STANDS_FOR_MEETINGS = 2


def promise_stands(meetings_ended_since: int) -> bool:
    """Whether a promised follow-up is still listed, given how many of the group's
    meetings ended since the promise without it being presented (once presented, the
    meeting's end closes it: done)."""
    return meetings_ended_since < PROMISE_STANDS_FOR_MEETINGS


def answer_followup(state: FollowupState, answer: FollowupAnswer) -> FollowupState:
    """The follow-up state after a presenter's answer."""
    if state not in ANSWERABLE:
        raise DomainError("followup_closed")
    return FollowupState(answer.value)


def stale_offers_before(now: datetime) -> datetime:
    """Offers of a never-held meeting planned to end before this moment are stale."""
    return now - OFFERS_KEPT_AFTER_PLANNED_END


def prompt_due(session_start: datetime, lead_hours: int) -> datetime:
    return session_start - timedelta(hours=lead_hours)


# A follow-up question nobody answers is asked this many times, then left alone: members
# are never pushed. "Later" is an answer, and asks again whatever the count.
MAX_UNANSWERED_ASKS = 2


def ask_again(state: FollowupState, times_asked: int) -> bool:
    """Whether the follow-up question goes out before the next meeting."""
    if state is FollowupState.LATER:
        return True
    return state is FollowupState.ASKED and times_asked < MAX_UNANSWERED_ASKS


def should_arm(session_start: datetime, lead_hours: int, now: datetime) -> bool:
    """A prompt is armed once its time is within the scan window and the meeting is ahead."""
    return session_start > now and prompt_due(session_start, lead_hours) <= now + ARM_WINDOW


@dataclass(frozen=True, slots=True)
class Fairness:
    """One member's line in /case history: a count, a date, a number; nothing else."""

    user_id: int
    cases: int
    last_at: datetime | None
    meetings_since: int


def fairness(
    members: Mapping[int, datetime],
    presented: Iterable[tuple[int, datetime]],
    meetings: Iterable[datetime],
) -> list[Fairness]:
    """Per member (user id -> joined at): cases presented, last one, meetings held since.

    `presented` holds (presenter, meeting time) per case; `meetings` the times
    of the group's held meetings. Never presented: meetings since joining.
    Who waited longest comes first, so leaders can spread the chances.
    """
    times = sorted(meetings)
    counts: dict[int, int] = dict.fromkeys(members, 0)
    last: dict[int, datetime] = {}
    for user_id, at in presented:
        if user_id not in counts:
            continue
        counts[user_id] += 1
        if user_id not in last or at > last[user_id]:
            last[user_id] = at
    rows = []
    for user_id, joined in members.items():
        if user_id in last:
            after = sum(1 for t in times if t > last[user_id])
        else:
            after = sum(1 for t in times if t >= joined)
        rows.append(Fairness(user_id, counts[user_id], last.get(user_id), after))
    return sorted(rows, key=lambda r: (r.cases, -r.meetings_since, r.user_id))
