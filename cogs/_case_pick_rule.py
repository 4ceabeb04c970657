"""Who may be chosen to present, asked the same way by `/case pick` and `/session presenter`.

Both commands choose the presenter of the next case, so both ask bot.domain.cases.check_pick
(the group's maximum of cases, nobody twice a meeting, members who agreed) and refuse with
the same sentence: a leader is never told "X presents" for a case that cannot begin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.agreement import has_access
from bot.domain.cases import check_pick
from bot.domain.phases import DomainError
from bot.errors import UserError
from bot.store import cases as store
from bot.store import consents
from bot.store import groups as group_store
from bot.store.groups import Group
from bot.texts import agreement as agreement_texts
from bot.texts import cases as texts

if TYPE_CHECKING:
    from bot.store.database import Database


def mention(user_id: int) -> str:
    return f"<@{user_id}>"


async def check_presenter(
    db: Database, group: Group, session_id: int, phase: str | None, user_id: int
) -> list[store.Case]:
    """Raise UserError saying why `user_id` cannot present the next case; else the meeting's
    cases so far (the caller holds the meeting's lock, so they are still true when it writes)."""
    cases = await store.in_session(db, session_id)
    membership = await group_store.membership(db, group.id, user_id)
    is_member = membership is not None and membership.left_at is None
    agreed = await consents.latest(db, group.id, user_id)
    try:
        check_pick(
            user_id,
            is_member=is_member,
            presenters=[c.presenter_id for c in cases],
            begun=sum(1 for c in cases if not c.pending),
            max_cases=group.max_cases,
            phase=phase,
            has_access=has_access(
                agreed,
                group.agreement_version,
                is_leader=membership is not None and membership.is_leader,
            ),
        )
    except DomainError as exc:
        raise UserError(refusal(exc.reason, group, user_id)) from None
    return cases


def refusal(reason: str, group: Group, user_id: int) -> str:
    """The sentence for a check_pick reason: what is wrong and what the leader can do."""
    if reason == "not_member":
        return texts.NOT_MEMBER.format(member=mention(user_id), group=group.name)
    if reason == "not_case_call":
        return texts.NOT_CASE_CALL
    if reason == "not_agreed":
        return agreement_texts.NOT_AGREED_PRESENTER.format(member=mention(user_id))
    if reason == "already_presenting":
        return texts.ALREADY_PRESENTING.format(member=mention(user_id))
    return texts.MAX_CASES.format(max_cases=group.max_cases)
