"""Choosing who presents the next case: the one function `/case pick`, its menu and
`/session presenter` call, so a leader gets one behaviour whichever they use.

One week by one command and the next by the other, the records must agree: the case's
kind (a promised or offered follow-up is a follow-up of the member's earlier case, so the
promise is closed when it is told), the answer, and the line the group sees.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot import deadline
from bot.compat import REST_FAULTS, fault_code
from bot.domain.cases import (
    CASE_CALL,
    CaseKind,
    FollowupState,
    Offer,
    OfferKind,
    Promise,
    kind_for,
    promise_stands,
)
from bot.errors import UserError, reply
from bot.keyed_locks import KeyedLock
from bot.store import cases as store
from bot.store import session_cases
from bot.store.groups import Group
from bot.texts import cases as texts
from bot.texts import facilitation as session_texts
from cogs._case_pick_rule import check_presenter, mention

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)


async def standing_promises(bot: BalintBot, group_id: int) -> list[Promise]:
    """The group's promised follow-ups that still stand (not lapsed: promise_stands)."""
    found = await store.promised(bot.db, group_id)
    return [Promise(c.id, c.presenter_id) for c, since in found if promise_stands(since)]


async def choose_presenter(
    bot: BalintBot,
    interaction: discord.Interaction,
    group: Group,
    seen: store.SessionRef,
    user_id: int,
    lock: KeyedLock[int],
) -> None:
    """Record the choice as new case or follow-up, answer the leader, tell the group.

    `seen` is the meeting as the command found it; `lock` the meeting's one lock (the
    session engine's). The caller has checked that the caller is a leader.
    """
    db = bot.db
    deadline.arm(interaction)  # answered in one call, or deferred if the wait is long
    await deadline.before_lock(lock)  # another change of the meeting holds it: defer first
    async with lock:
        session = await _still_live(bot, seen)
        cases = await check_presenter(db, group, session.id, session.phase, user_id)
        promises = await standing_promises(bot, group.id)
        rows = await store.offers(db, session.id)
        offers = [Offer(r.user_id, OfferKind(r.kind), r.offered_at) for r in rows]
        own = [
            (c.id, FollowupState(c.followup_state))
            for c in await store.of_presenter(db, group.id, user_id)
            if c.session_id != session.id
        ]
        kind, followup_of = kind_for(user_id, promises, offers, own)
        # A choice not begun yet is replaced by this one (session_cases.set_presenter).
        case_id = await session_cases.set_presenter(db, session.id, user_id, kind.value, bot.now())
        await store.set_followup_of(db, case_id, followup_of)
        position = len([c for c in cases if not c.pending]) + 1
    text = texts.PICK_DONE.format(
        member=mention(user_id), position=position, max_cases=group.max_cases
    )
    await reply(interaction, text)
    bot.dispatch("balint_case_presenter_chosen", session.id, user_id)
    template = texts.PICKED_FOLLOWUP if kind is CaseKind.FOLLOWUP else texts.PICKED
    channel = bot.get_channel(session.text_channel_id or 0)
    if isinstance(channel, discord.TextChannel):
        try:
            await channel.send(
                template.format(member=mention(user_id)),
                allowed_mentions=discord.AllowedMentions(users=True, roles=False),
            )
        except REST_FAULTS as exc:  # the case is stored: the line is only an announcement
            log.warning("could not announce the presenter in %s: %s", session.id, fault_code(exc))


async def _still_live(bot: BalintBot, seen: store.SessionRef) -> store.SessionRef:
    """The meeting read again under its lock: ended or moved on since the command came,
    the leader is told so and nothing is chosen."""
    fresh = await store.session(bot.db, seen.id)
    if fresh is None or fresh.status != store.LIVE:
        raise UserError(texts.MEETING_OVER)
    if fresh.phase != seen.phase and fresh.phase != CASE_CALL:
        name = session_texts.PHASE_NAMES.get(fresh.phase or "", fresh.phase or "")
        raise UserError(session_texts.ALREADY_MOVED.format(phase=name))
    return fresh
