"""The "Erase my records" button of /privacy forget, the erasure, and what follows it.

A DynamicItem (`balint:forget:<user_id>`) so it works after a restart; only the
person it was made for can press it. The erasure it asks for is a stored timer
(`Erasures`), and what follows the erasure's commit (the group roles taken, the
answer, the leaders' note) is stored with it: a crash before or after the commit is
finished by the restart, and the person is answered once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.errors import UserError, handles_errors
from bot.store import erasures as erasure_store
from bot.store import groups as group_store
from bot.store import privacy as privacy_store
from bot.store import session_perms
from bot.store import timers as timer_store
from bot.store.erasures import ErasedGroup, Erasure
from bot.store.timers import Timer
from bot.texts import privacy as texts
from cogs._dm_names import dm_group_name, named_in_dm
from cogs._leaders_notice import tell_leaders
from cogs._privacy_forget_discord import (
    leave_leaders_channel,
    lift_mutes,
    restore_overwrites,
    take_role,
)

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

K_FORGET = erasure_store.KIND
K_FORGET_MEETING = "forget_meeting"
_LOOK_AT = 10  # the latest DMs: an answer in flight at a crash is among them
_MEETING_TRIES = 3  # the meeting part again if a change put them back meanwhile


class ForgetButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"balint:forget:(?P<user_id>[0-9]{1,20})",
):
    """Erase every row about the user it was made for, after they confirm."""

    def __init__(self, user_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=texts.FORGET_BUTTON,
                style=discord.ButtonStyle.danger,
                custom_id=f"balint:forget:{user_id}",
            )
        )
        self.user_id = user_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Button[Any],
        match: re.Match[str],
        /,
    ) -> ForgetButton:
        return cls(int(match["user_id"]))

    @handles_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.user_id:
            raise UserError(texts.FORGET_NOT_YOURS)
        bot: BalintBot = interaction.client  # type: ignore[assignment]
        # Answered at once: the role removals of the erasure are REST calls, and Discord
        # allows 3 s.
        await interaction.response.defer()

        async def answer(text: str) -> None:
            await interaction.edit_original_response(content=text, view=None)

        erasures: Erasures = bot.get_cog("Privacy").erasures  # type: ignore[union-attr]
        if not await erasures.request(self.user_id, answer):
            raise RuntimeError("the erasure failed")  # logged; its request row is gone


Answer = Callable[[str], Awaitable[None]]


class Erasures:
    """Each erasure is a stored timer naming the person (its key does not). The erasure's
    transaction keeps it and stores with it what is left to do (bot/store/erasures.py):
    take the group roles, answer the person, tell each group's leaders. Its run does that
    and then deletes it, so a crash before the erasure or after it is finished by the
    restart, and nothing names them once it is done. A press waits here and is answered
    in place; a run after a restart DMs the answer instead (the press never got one)."""

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot
        self._presses: dict[int, Answer] = {}  # timer id -> how to answer the press waiting

    async def request(self, user_id: int, answer: Answer) -> bool:
        """Store the erasure and run it now, answering by `answer`; False if it failed."""
        timer = await self.bot.timers.add(
            kind=K_FORGET,
            key=f"{K_FORGET}:{uuid4().hex[:12]}",  # no user id
            due_at=self.bot.clock.now(),
            user_id=user_id,
        )
        if timer is None:
            return False  # never: a fresh key
        self._presses[timer.id] = answer  # before any await: whoever runs it answers here
        try:
            return await self.bot.timers.fire(timer.id)
        finally:
            del self._presses[timer.id]

    async def run(self, timer: Timer) -> None:
        """The timer's handler: erase (unless a crashed run did), then the rest."""
        user_id = timer.user_id or 0
        erasure = await erasure_store.get(self.bot.db, timer.id)
        try:
            if erasure is None:
                erasure = await erase(self.bot, user_id, timer.id)
            if erasure.answer != erasure_store.GIVEN:
                text = await discord_part(self.bot, user_id, erasure)
                await self._answer(timer.id, user_id, text, erasure.answer)
            for part in erasure.groups:  # a note in flight at a crash may come twice
                group = await group_store.get(self.bot.db, part.group_id)
                if group is not None:
                    await tell_leaders(self.bot, group, texts.LEADERS_ERASED)
                await erasure_store.told(self.bot.db, timer.id, part.group_id)
        except Exception:
            # Failed, not cut short: nothing is left naming them; before the erasure, they
            # may press again.
            await self._done(timer.id)
            raise
        await self._done(timer.id)

    async def _done(self, timer_id: int) -> None:
        await timer_store.delete(self.bot.db, timer_id)  # its erasure rows go with it
        await self.bot.db.checkpoint()  # the WAL's older frames still hold its user id

    async def _answer(self, timer_id: int, user_id: int, text: str, before: str) -> None:
        """The press, else (after a restart) a DM, once. An answer in flight at a crash
        (`before` is sending) is looked for in the DM channel; a press's in-place answer
        cannot be looked at, so it comes again by DM: twice rather than never."""
        db = self.bot.db
        await erasure_store.set_answer(db, timer_id, erasure_store.SENDING)
        press = self._presses.get(timer_id)
        if press is not None:
            try:
                await press(text)
                await erasure_store.set_answer(db, timer_id, erasure_store.GIVEN)
                return
            except REST_FAULTS as exc:  # an expired token: a DM instead
                log.info("erasure answer not shown: %s", fault_code(exc))
        try:
            channel = await self.bot.create_dm(discord.Object(user_id))
            if before != erasure_store.SENDING or not await self._sent(channel, text):
                await channel.send(text)
        except REST_FAULTS as exc:
            log.info("erasure confirmation not sent: %s", fault_code(exc))
        await erasure_store.set_answer(db, timer_id, erasure_store.GIVEN)

    async def _sent(self, channel: discord.DMChannel, text: str) -> bool:
        """Whether the DM in flight at the crash reached them; True if we cannot tell."""
        me = self.bot.user
        try:
            async for message in channel.history(limit=_LOOK_AT):
                if me is not None and message.author.id == me.id and message.content == text:
                    return True
        except REST_FAULTS as exc:
            log.info("DM history unreadable: %s", fault_code(exc))
            return True
        return False


async def erase(bot: BalintBot, user_id: int, request_id: int) -> Erasure:
    """Everything of /privacy forget up to the erasure's commit, in order."""
    group_ids = await privacy_store.groups_of(bot.db, user_id)
    parts = [await _as_erased(bot, group_id, user_id) for group_id in group_ids]
    muted = await lift_mutes(bot, user_id)  # before the records of them go
    counts: dict[str, int] = {}
    for attempt in range(_MEETING_TRIES):
        await leave_meetings(bot, user_id, group_ids)  # likewise
        await restore_overwrites(bot, user_id)  # likewise
        async with meetings_locked(bot, group_ids) as sessions:
            # A change that read the meeting before the meeting part may have put them
            # back (a round started meanwhile): the meeting's rules take them out again.
            last = attempt == _MEETING_TRIES - 1
            if not last and await privacy_store.in_meetings(bot.db, user_id, sessions):
                continue
            counts = await privacy_store.forget(
                bot.db,
                user_id,
                keep_mutes_in=muted,
                request=request_id,
                groups=parts,
                now=bot.now(),
            )
        break
    rows = sum(counts.values())
    log.info("privacy forget: user %s, %d rows in %d groups", user_id, rows, len(group_ids))
    # As stored: a group erased by another press of theirs run beside this one is not
    # this erasure's to tell (privacy_store.forget leaves it out).
    stored = await erasure_store.get(bot.db, request_id)
    return stored if stored is not None else Erasure(rows, erasure_store.DUE, parts)


async def discord_part(bot: BalintBot, user_id: int, erasure: Erasure) -> str:
    """After the erasure: Discord no longer lets them in either; the answer for them."""
    done = texts.FORGET_NOTHING
    if erasure.records:
        done = texts.FORGET_DONE.format(rows=erasure.records)
    kept = [p for p in erasure.groups if not await take_role(bot, p.group_id, user_id)]
    kept += [
        p
        for p in erasure.groups
        if p.led and not await leave_leaders_channel(bot, p.group_id, user_id)
    ]
    if kept:  # the store forgot them; say plainly that Discord still gives access
        done = f"{done} {texts.FORGET_ROLE_KEPT}"
    if await session_perms.mutes_of_user(bot.db, user_id):  # kept: not lifted yet
        done += "\n" + texts.FORGET_MUTE_KEPT
    alone = []
    for part in erasure.groups:
        group = await group_store.get(bot.db, part.group_id) if part.alone else None
        if group is not None:
            alone.append(named_in_dm(bot, group, twin=part.twin))
    if alone:  # nobody else can tell the organisers: the one who left can
        done += "\n" + sole_leader_line(bot, texts.FORGET_LEADERLESS, alone)
    return done


async def _as_erased(bot: BalintBot, group_id: int, user_id: int) -> ErasedGroup:
    """What the rest of the erasure needs of this group, read before the erasure."""
    leaders = [m.user_id for m in await group_store.leaders(bot.db, group_id)]
    group = await group_store.get(bot.db, group_id)
    alone = leaders == [user_id] and group is not None and not group.archived
    twin = group is not None and alone and user_id in await group_store.in_namesakes(bot.db, group)
    return ErasedGroup(group_id, user_id in leaders, alone, twin)


@asynccontextmanager
async def meetings_locked(bot: BalintBot, group_ids: list[int]) -> AsyncIterator[list[int]]:
    """Hold the locks of these groups' live sessions (in id order), so that no change of
    a meeting reads its state before the erasure and saves it after: every change holds
    its session's lock from its read to its save. Store work only while held."""
    engine = getattr(bot.get_cog("Facilitation"), "engine", None)
    sessions = await privacy_store.live_sessions_of(bot.db, group_ids)
    async with AsyncExitStack() as held:
        if engine is not None:
            for session_id in sessions:
                await held.enter_async_context(engine.lock(session_id))
        yield sessions


async def leave_meetings(bot: BalintBot, user_id: int, group_ids: list[int]) -> None:
    """A meeting under way gives up their hand, their turns and the floor, before the
    erasure: the meeting's state still names them, so the floor moves on (after it, the
    round was left on nobody). A timer per group, awaited, so a crash part-way is
    finished by the restart; each names the person only until its work is done."""
    async with bot.db.transaction():
        timers = [
            await bot.timers.add(
                kind=K_FORGET_MEETING,
                key=f"{K_FORGET_MEETING}:{group_id}:{uuid4().hex[:12]}",  # no user id
                due_at=bot.clock.now(),
                group_id=group_id,
                user_id=user_id,
            )
            for group_id in group_ids
        ]
    for timer in timers:
        if timer is not None:
            await bot.timers.fire(timer.id)


async def meeting_part(bot: BalintBot, timer: Timer) -> None:
    """One group's meeting told that they are gone; then the timer row goes, not kept as
    done: it holds their user id."""
    await bot.run_listeners(
        "balint_group_member_removed",
        timer.group_id or 0,
        timer.user_id,
        True,  # erased
    )
    await timer_store.delete(bot.db, timer.id)


async def sole_led(bot: BalintBot, user_id: int) -> list[str]:
    """Names of the groups the user leads alone: forgetting them leaves those leaderless.
    As a DM names them: two "Thursday Balint" on two servers are told apart."""
    names = []
    for group_id in await privacy_store.groups_of(bot.db, user_id):
        leaders = [m.user_id for m in await group_store.leaders(bot.db, group_id)]
        group = await group_store.get(bot.db, group_id)
        if leaders == [user_id] and group is not None and not group.archived:
            names.append(await dm_group_name(bot, group, user_id))
    return names


def sole_leader_line(bot: BalintBot, template: str, names: list[str]) -> str:
    groups = ", ".join(f"**{name}**" for name in names)
    return template.format(groups=groups, organiser_role=bot.settings.organiser_role)
