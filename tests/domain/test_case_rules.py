"""The rules of volunteering, picking, follow-ups and fairness (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.cases import (
    PROMISE_STANDS_FOR_MEETINGS,
    Candidate,
    CaseKind,
    FollowupAnswer,
    FollowupState,
    Offer,
    OfferKind,
    Promise,
    answer_followup,
    candidates,
    check_pick,
    fairness,
    followed_case,
    kind_for,
    promise_stands,
    prompt_due,
    should_arm,
    stale_offers_before,
)
from bot.domain.phases import DomainError

T0 = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_promised_followups_come_first_then_offers_by_time() -> None:
    offers = [
        Offer(3, OfferKind.CASE, at(5)),
        Offer(4, OfferKind.FOLLOWUP, at(1)),
        Offer(5, OfferKind.NONE, at(0)),
        Offer(6, OfferKind.CASE, at(3)),
    ]
    promises = [Promise(20, 7), Promise(10, 8)]
    found = candidates(promises, offers)
    assert [c.user_id for c in found] == [8, 7, 4, 6, 3]
    assert found[0] == Candidate(8, CaseKind.FOLLOWUP, 10, True)
    assert found[2] == Candidate(4, CaseKind.FOLLOWUP, None, False)
    assert found[3].kind is CaseKind.NEW


def test_not_this_time_and_those_already_presenting_are_not_listed() -> None:
    offers = [Offer(3, OfferKind.NONE, at(0)), Offer(4, OfferKind.CASE, at(1))]
    assert candidates([Promise(1, 9)], offers, already_presenting=[4, 9]) == []


def test_a_member_with_a_promise_who_offers_a_new_case_keeps_the_place_with_a_new_case() -> None:
    offers = [Offer(1, OfferKind.CASE, at(0)), Offer(7, OfferKind.CASE, at(9))]
    found = candidates([Promise(30, 7)], offers)
    assert found[0] == Candidate(7, CaseKind.NEW, None, True)
    assert [c.user_id for c in found] == [7, 1]
    assert kind_for(7, [Promise(30, 7)], offers) == (CaseKind.NEW, None)
    assert kind_for(7, [Promise(30, 7)], []) == (CaseKind.FOLLOWUP, 30)
    assert kind_for(99, [Promise(30, 7)], offers) == (CaseKind.NEW, None)


def test_an_unpromised_followup_follows_the_latest_case_still_awaiting_one() -> None:
    followup = [Offer(7, OfferKind.FOLLOWUP, at(0))]
    own = [
        (10, FollowupState.LATER),
        (20, FollowupState.ASKED),
        (30, FollowupState.NO),
        (40, FollowupState.DONE),
    ]
    assert kind_for(7, [], followup, own) == (CaseKind.FOLLOWUP, 20)
    assert followed_case([(5, FollowupState.YES), (6, FollowupState.NONE)]) == 5
    assert followed_case([(30, FollowupState.NO), (40, FollowupState.DONE)]) is None
    assert kind_for(7, [], followup) == (CaseKind.FOLLOWUP, None)  # nothing to follow
    # A promise still says which case; a new case follows nothing.
    assert kind_for(7, [Promise(10, 7)], followup, own) == (CaseKind.FOLLOWUP, 10)
    assert kind_for(7, [], [Offer(7, OfferKind.CASE, at(0))], own) == (CaseKind.NEW, None)


def test_pick_checks_membership_duplicates_and_the_maximum() -> None:
    check_pick(1, is_member=True, presenters=[], begun=0, max_cases=2)
    check_pick(1, is_member=True, presenters=[2, 3], begun=1, max_cases=2)  # 3 replaced
    with pytest.raises(DomainError, match="not_member"):
        check_pick(1, is_member=False, presenters=[], begun=0, max_cases=2)
    with pytest.raises(DomainError, match="already_presenting"):
        check_pick(1, is_member=True, presenters=[1], begun=1, max_cases=2)
    with pytest.raises(DomainError, match="max_cases"):
        check_pick(1, is_member=True, presenters=[2, 3], begun=2, max_cases=2)
    with pytest.raises(DomainError, match="not_agreed"):
        check_pick(1, is_member=True, presenters=[], begun=0, max_cases=2, has_access=False)
    with pytest.raises(DomainError, match="not_case_call"):
        check_pick(1, is_member=True, presenters=[], begun=0, max_cases=2, phase="discussion")


@pytest.mark.parametrize(
    ("state", "answer", "expected"),
    [
        (FollowupState.ASKED, FollowupAnswer.YES, FollowupState.YES),
        (FollowupState.ASKED, FollowupAnswer.LATER, FollowupState.LATER),
        (FollowupState.ASKED, FollowupAnswer.NO, FollowupState.NO),
        (FollowupState.YES, FollowupAnswer.NO, FollowupState.NO),  # a change of mind
    ],
)
def test_followup_answers(
    state: FollowupState, answer: FollowupAnswer, expected: FollowupState
) -> None:
    assert answer_followup(state, answer) is expected


@pytest.mark.parametrize("state", [FollowupState.NONE, FollowupState.DONE])
def test_followup_answers_refused_when_not_asked_or_done(state: FollowupState) -> None:
    with pytest.raises(DomainError, match="followup_closed"):
        answer_followup(state, FollowupAnswer.YES)


def test_prompts_are_armed_only_when_near_and_only_for_meetings_ahead() -> None:
    start = T0 + timedelta(days=3)
    assert prompt_due(start, 48) == start - timedelta(hours=48)
    assert not should_arm(start, 48, start - timedelta(hours=51))
    assert should_arm(start, 48, start - timedelta(hours=50))
    assert should_arm(start, 48, start - timedelta(hours=1))  # late, still ahead
    assert not should_arm(start, 48, start)


def test_fairness_counts_last_date_and_meetings_since() -> None:
    joined = T0 - timedelta(days=100)
    meetings = [T0 + timedelta(days=7 * i) for i in range(5)]
    presented = [(1, meetings[0]), (1, meetings[2]), (2, meetings[4]), (99, meetings[1])]
    rows = {r.user_id: r for r in fairness({1: joined, 2: joined, 3: joined}, presented, meetings)}
    assert (rows[1].cases, rows[1].last_at, rows[1].meetings_since) == (2, meetings[2], 2)
    assert (rows[2].cases, rows[2].meetings_since) == (1, 0)
    assert (rows[3].cases, rows[3].last_at, rows[3].meetings_since) == (0, None, 5)
    order = [r.user_id for r in fairness({1: joined, 2: joined, 3: joined}, presented, meetings)]
    assert order == [3, 2, 1]  # never presented first; then fewest cases


def test_fairness_for_a_newcomer_counts_meetings_since_joining() -> None:
    meetings = [T0, T0 + timedelta(days=7), T0 + timedelta(days=14)]
    rows = fairness({5: T0 + timedelta(days=1)}, [], meetings)
    assert rows[0].meetings_since == 2


def test_offers_of_a_meeting_never_held_are_stale_a_day_after_its_planned_end() -> None:
    assert stale_offers_before(T0) == T0 - timedelta(days=1)


def test_ask_again_twice_without_an_answer_and_always_after_later() -> None:
    from bot.domain.cases import MAX_UNANSWERED_ASKS, FollowupState, ask_again

    assert ask_again(FollowupState.ASKED, 0) and ask_again(FollowupState.ASKED, 1)
    assert not ask_again(FollowupState.ASKED, MAX_UNANSWERED_ASKS)
    assert ask_again(FollowupState.LATER, 5)
    assert not ask_again(FollowupState.NO, 0) and not ask_again(FollowupState.YES, 0)


def test_a_promise_stands_for_the_promised_meeting_and_the_one_after() -> None:
    """Not yet held: listed; one meeting went by without it (away?): still listed; two: it
    lapses, so the leaders' list is not headed by it at every meeting for ever."""
    assert PROMISE_STANDS_FOR_MEETINGS == 2
    assert [promise_stands(n) for n in range(4)] == [True, True, False, False]
