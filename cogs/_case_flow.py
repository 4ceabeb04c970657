"""What happens when someone volunteers, when leaders look at the list and when they pick.

The rules (order, limits, follow-up states) are bot.domain.cases; this is the
shell: read the store, check the caller, write, tell the right people. Who
offered is shown to the leaders only; the channel only ever shows a count.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.access import require
from bot.compat import REST_FAULTS, fault_code
from bot.domain.access import Action
from bot.domain.cases import (
    CASE_CALL,
    Candidate,
    CaseKind,
    FollowupAnswer,
    FollowupState,
    Offer,
    OfferKind,
    answer_followup,
    candidates,
)
from bot.domain.phases import DomainError
from bot.errors import UserError, reply
from bot.keyed_locks import KeyedLock, KeyedLocks
from bot.store import cases as store
from bot.store import groups as group_store
from bot.store.groups import Group
from bot.textfit import fill, pack
from bot.texts import cases as texts
from cogs._case_choose import choose_presenter, standing_promises
from cogs._case_items import offer_view, pick_view
from cogs._dm_names import line_of
from cogs._leaders_notice import tell_leaders as notify_leaders

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)
QUIET = discord.AllowedMentions.none()
ACTIVE = (store.PLANNED, store.LIVE)


def mention(user_id: int) -> str:
    return f"<@{user_id}>"


def counter_line(count: int) -> str:
    if count <= 0:
        return texts.COUNTER_NONE
    return texts.COUNTER_ONE if count == 1 else texts.COUNTER_MANY.format(count=count)


def call_text(count: int) -> str:
    return f"{texts.CALL}\n{counter_line(count)}"


class CaseFlow:
    """Volunteering, the leaders' list, picking, and follow-up answers."""

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot
        # Kept only while held or waited for: one per meeting for ever would grow for months.
        self._locks: KeyedLocks[int] = KeyedLocks()
        self._call_locks: KeyedLocks[int] = KeyedLocks()

    def lock(self, session_id: int) -> KeyedLock[int]:
        """The meeting's one lock (the session engine's), so a pick and a change of the
        meeting (`/phase next`, `/session end`) never read each other's half; our own only
        if facilitation is not loaded."""
        engine = getattr(self.bot.get_cog("Facilitation"), "engine", None)
        return engine.lock(session_id) if engine is not None else self._locks[session_id]

    def _call_lock(self, session_id: int) -> KeyedLock[int]:
        """Count and edit of the call one at a time, so the last edit shows the last count."""
        return self._call_locks[session_id]

    # -- volunteering ------------------------------------------------------------------

    async def offer(self, interaction: discord.Interaction, session_id: int, kind: str) -> None:
        db = self.bot.db
        session, group = await self._open(interaction, session_id)
        if interaction.guild_id is not None and interaction.message is not None:
            # The call in the meeting channel: everyone sees the count, never a name.
            # Answered before the lock: another press's edit of the call holds it, and a
            # rate-limited edit can hold it past Discord's 3 seconds for this answer.
            await interaction.response.defer()
            async with self.lock(session_id):  # the meeting's: an erasure or the end holds it
                session, group = await self._open(interaction, session_id)  # again, after it
                await store.set_offer(db, session_id, interaction.user.id, kind, self.bot.now())
            async with self._call_lock(session_id):  # no older count lands over a newer
                count = await store.offered_count(db, session_id)
                await interaction.edit_original_response(content=call_text(count))
            await interaction.followup.send(texts.THANKS[kind], ephemeral=True)
            latest = await store.call_message(db, session_id)
            if latest is not None and latest[1] != interaction.message.id:
                await self.refresh_call(session_id)  # pressed on an earlier call
        else:
            await store.set_offer(db, session_id, interaction.user.id, kind, self.bot.now())
            await reply(interaction, texts.THANKS[kind])
            if session.status == store.LIVE and session.phase == CASE_CALL:
                await self.refresh_call(session_id)  # an answer by DM during the call
        if session.status == store.LIVE and kind != OfferKind.NONE and group is not None:
            line = texts.LEADERS_OFFERED[kind].format(member=mention(interaction.user.id))
            await notify_leaders(self.bot, group, line)

    async def _open(
        self, interaction: discord.Interaction, session_id: int
    ) -> tuple[store.SessionRef, Group | None]:
        """The meeting still open to offers, and the caller allowed to offer in it. Read
        again after the answer to Discord, under the meeting's lock: ended, or the caller
        erased or removed meanwhile, nothing of theirs is stored."""
        session = await store.session(self.bot.db, session_id)
        if session is None or session.status not in ACTIVE:
            raise UserError(texts.MEETING_OVER)
        group = await group_store.get(self.bot.db, session.group_id)
        await require(self.bot, interaction, Action.CASE_OFFER, group)
        return session, group

    async def post_call(self, session_id: int) -> None:
        """The case-call phase began: "Who has a case?" with the three buttons."""
        session = await store.session(self.bot.db, session_id)
        if session is None or session.status != store.LIVE or not session.text_channel_id:
            return
        channel = self.bot.get_channel(session.text_channel_id)
        if not isinstance(channel, discord.TextChannel):
            return
        count = await store.offered_count(self.bot.db, session_id)
        try:
            sent = await channel.send(call_text(count), view=offer_view(session_id))
        except REST_FAULTS as exc:
            log.warning(
                "could not post the case call in session %s: %s", session_id, fault_code(exc)
            )
            group = await group_store.get(self.bot.db, session.group_id)
            if group is not None:  # the members cannot offer by button: the leaders must know
                await notify_leaders(self.bot, group, line_of(texts.CALL_FAILED))
            return
        await store.set_call_message(self.bot.db, session_id, sent.id)

    async def refresh_call(self, session_id: int) -> None:
        """Show the current count on the session's latest case call (stored: a restart
        between the call and an offer by DM still moves the count)."""
        async with self._call_lock(session_id):
            known = await store.call_message(self.bot.db, session_id)
            if known is None:
                return
            channel_id, message_id = known
            count = await store.offered_count(self.bot.db, session_id)
            channel = self.bot.get_partial_messageable(channel_id)
            try:
                await channel.get_partial_message(message_id).edit(content=call_text(count))
            except REST_FAULTS as exc:
                log.info("case call of session %s not refreshed: %s", session_id, fault_code(exc))

    # -- the leaders' list ----------------------------------------------------------------

    async def _candidates(self, group: Group, session_id: int) -> tuple[list[Candidate], list]:
        db = self.bot.db
        promises = await standing_promises(self.bot, group.id)
        rows = await store.offers(db, session_id)
        offers = [Offer(r.user_id, OfferKind(r.kind), r.offered_at) for r in rows]
        chosen = [c.presenter_id for c in await store.in_session(db, session_id)]
        return candidates(promises, offers, chosen), rows

    def name(self, group: Group, user_id: int) -> str:
        guild = self.bot.get_guild(group.guild_id)
        member = guild.get_member(user_id) if guild else None
        return member.display_name[:80] if member else str(user_id)

    async def listing(
        self, group: Group, session: store.SessionRef, *, with_menu: bool
    ) -> tuple[list[str], discord.ui.View | None]:
        """The leaders' view of who offered: promised follow-ups first, then by time.

        Whole lines in as many messages as Discord's 2,000 characters need; the menu
        (if any) goes with the last.
        """
        found, rows = await self._candidates(group, session.id)
        when = discord.utils.format_dt(session.held_at, "F") if session.held_at else "-"
        lines = [f"**{texts.LIST_TITLE.format(group=group.name, when=when)}**"]
        presenting = [c.presenter_id for c in await store.in_session(self.bot.db, session.id)]
        if presenting:
            names = [mention(u) for u in presenting]
            lines.append(fill(texts.LIST_PRESENTING, "members", names))
        promised = [c for c in found if c.promised]
        volunteers = [c for c in found if not c.promised]
        index = 0
        if promised:
            lines.append(f"__{texts.LIST_PROMISED}__")
            for c in promised:
                index += 1
                extra = texts.LIST_LINE_NEW_INSTEAD if c.kind is CaseKind.NEW else ""
                lines.append(
                    texts.LIST_LINE_PROMISED.format(
                        index=index, member=mention(c.user_id), extra=extra
                    )
                )
        if volunteers:
            lines.append(f"__{texts.LIST_VOLUNTEERS}__")
            for c in volunteers:
                index += 1
                template = (
                    texts.LIST_LINE_FOLLOWUP
                    if c.kind is CaseKind.FOLLOWUP
                    else texts.LIST_LINE_CASE
                )
                lines.append(template.format(index=index, member=mention(c.user_id)))
        declined = [r.user_id for r in rows if r.kind == OfferKind.NONE]
        if declined:
            names = [mention(u) for u in declined]
            lines.append(fill(texts.LIST_NOT_THIS_TIME, "members", names))
        if not volunteers and session.status != "live":
            lines.append(texts.OFFERS_NONE_YET)  # the call's advice is for the meeting itself
        elif not volunteers:
            if promised:
                names = [mention(c.user_id) for c in promised]
                lines.append(fill(texts.NO_VOLUNTEER, "followups", names))
            else:
                lines.append(texts.NO_VOLUNTEER.format(followups=texts.NO_PROMISED))
        if not found or not with_menu:
            return pack(lines), None
        lines.append(texts.LIST_PICK_HINT)
        options = []
        for c in found[:25]:
            if c.promised and c.kind is CaseKind.FOLLOWUP:
                what = texts.LIST_OPTION_PROMISED
            else:
                what = (
                    texts.LIST_OPTION_FOLLOWUP
                    if c.kind is CaseKind.FOLLOWUP
                    else texts.LIST_OPTION_CASE
                )
            options.append(
                discord.SelectOption(
                    label=self.name(group, c.user_id), value=str(c.user_id), description=what
                )
            )
        return pack(lines), pick_view(session.id, options)

    # -- picking -----------------------------------------------------------------------------

    async def live_or_refuse(self, group: Group) -> store.SessionRef:
        session = await store.live_session(self.bot.db, group.id)
        if session is None:
            raise UserError(texts.NO_LIVE_SESSION.format(group=group.name))
        return session

    async def pick_from_menu(
        self, interaction: discord.Interaction, session_id: int, user_id: int
    ) -> None:
        session = await store.session(self.bot.db, session_id)
        if session is None or session.status != store.LIVE:
            raise UserError(texts.MEETING_OVER)
        group = await group_store.get(self.bot.db, session.group_id)
        assert group is not None
        await require(self.bot, interaction, Action.CASE_PICK, group)
        await self.pick(interaction, group, session, user_id)

    async def pick(
        self,
        interaction: discord.Interaction,
        group: Group,
        session: store.SessionRef,
        user_id: int,
    ) -> None:
        """The one way to choose the presenter (cogs/_case_choose.py); the caller is a leader."""
        await choose_presenter(
            self.bot, interaction, group, session, user_id, self.lock(session.id)
        )

    # -- follow-up answers ----------------------------------------------------------------

    async def followup_answer(
        self, interaction: discord.Interaction, case_id: int, answer: str
    ) -> None:
        db = self.bot.db
        case = await store.get(db, case_id)
        if case is None:
            raise UserError(texts.FOLLOWUP_GONE)
        if interaction.user.id != case.presenter_id:
            raise UserError(texts.FOLLOWUP_GONE)
        group = await group_store.get(db, case.group_id)
        await require(self.bot, interaction, Action.FOLLOWUP_ANSWER, group)
        try:
            state = answer_followup(FollowupState(case.followup_state), FollowupAnswer(answer))
        except DomainError:
            raise UserError(texts.FOLLOWUP_CLOSED) from None
        after = None
        if state is FollowupState.LATER and case.followup_session_id is not None:
            asked = await store.session(db, case.followup_session_id)
            after = asked.held_at if asked else None
        promised_at = self.bot.now() if state is FollowupState.YES else None
        await store.set_followup(db, case_id, state.value, after=after, promised_at=promised_at)
        await reply(interaction, texts.FOLLOWUP_THANKS[answer])
