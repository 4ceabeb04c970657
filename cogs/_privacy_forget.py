"""The "Erase my records" button of /privacy forget, and telling the leaders afterwards.

A DynamicItem (`balint:forget:<user_id>`) so it works after a restart; only the
person it was made for can press it. The erasure it asks for is a stored timer
(`Erasures`), so a crash part-way is finished by the restart.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import discord

from bot.errors import UserError, handles_errors
from bot.store import groups as group_store
from bot.store import privacy as privacy_store
from bot.store import session_perms
from bot.store import timers as timer_store
from bot.store.timers import Timer
from bot.texts import privacy as texts
from cogs._dm_names import dm_group_name
from cogs._leaders_notice import tell_leaders
from cogs._session_apply import current_pair

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

K_FORGET = "forget"
K_FORGET_MEETING = "forget_meeting"


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
        privacy = bot.get_cog("Privacy")
        erasures: Erasures = privacy.erasures  # type: ignore[union-attr]
        erased = await erasures.request(self.user_id)
        if erased is None:
            raise RuntimeError("the erasure failed")  # logged; its request row is gone
        await interaction.edit_original_response(content=erased.text, view=None)
        if erased.group_ids:
            privacy.spawn(after_forget(bot, erased.group_ids))  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class Erased:
    """What an erasure did: the person's answer, and the groups whose leaders are told."""

    text: str
    group_ids: list[int]


class Erasures:
    """Each erasure is a stored timer naming the person (its key does not), deleted in the
    erasure's own transaction: a crash before the erasure is finished by the restart
    rather than lost until the person thinks to press again, and nothing names them
    after it. A press waits here for its answer; a run after a restart DMs it instead
    (the press that asked never got one)."""

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot
        self._answers: dict[int, Erased | None] = {}  # timer id -> answer of a press waiting

    async def request(self, user_id: int) -> Erased | None:
        """Store the erasure and run it now; its answer, or None if it failed."""
        timer = await self.bot.timers.add(
            kind=K_FORGET,
            key=f"{K_FORGET}:{uuid4().hex[:12]}",  # no user id
            due_at=self.bot.clock.now(),
            user_id=user_id,
        )
        if timer is None:
            return None  # never: a fresh key
        self._answers[timer.id] = None  # before any await: whoever runs it answers here
        try:
            await self.bot.timers.fire(timer.id)
            return self._answers[timer.id]
        finally:
            del self._answers[timer.id]

    async def run(self, timer: Timer) -> None:
        """The timer's handler: erase, then answer the press, or DM them after a restart."""
        user_id = timer.user_id or 0
        try:
            erased = await erase(self.bot, user_id, timer.id)
        except Exception:
            # Failed, not cut short: nothing is left naming them, and they may press again.
            await timer_store.delete(self.bot.db, timer.id)
            raise
        if timer.id in self._answers:
            self._answers[timer.id] = erased
            return
        try:  # once: the row that would repeat it went with the erasure
            channel = await self.bot.create_dm(discord.Object(user_id))
            await channel.send(erased.text)
        except discord.HTTPException as exc:
            log.info("erasure confirmation not sent: %s %s", exc.status, exc.code)
        await after_forget(self.bot, erased.group_ids)


async def erase(bot: BalintBot, user_id: int, request_id: int) -> Erased:
    """Everything of /privacy forget, in order; the answer for the person."""
    group_ids = await privacy_store.groups_of(bot.db, user_id)
    led = [g for g in group_ids if await _leads(bot, g, user_id)]
    alone = await sole_led(bot, user_id)
    muted = await _lift_mutes(bot, user_id)  # before the records of them go
    await leave_meetings(bot, user_id, group_ids)  # likewise
    await _restore_overwrites(bot, user_id)  # likewise
    counts = await privacy_store.forget(bot.db, user_id, keep_mutes_in=muted, request=request_id)
    rows = sum(counts.values())
    log.info("privacy forget: user %s, %d rows in %d groups", user_id, rows, len(group_ids))
    done = texts.FORGET_DONE.format(rows=rows) if rows else texts.FORGET_NOTHING
    kept = [g for g in group_ids if not await _take_role(bot, g, user_id)]
    kept += [g for g in led if not await _leave_leaders_channel(bot, g, user_id)]
    if kept:  # the store forgot them; say plainly that Discord still gives access
        done = f"{done} {texts.FORGET_ROLE_KEPT}"
    if muted:
        done += "\n" + texts.FORGET_MUTE_KEPT
    if alone:  # nobody else can tell the organisers: the one who left can
        done += "\n" + sole_leader_line(bot, texts.FORGET_LEADERLESS, alone)
    return Erased(done, group_ids)


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
    await bot.run_listeners("balint_group_member_removed", timer.group_id or 0, timer.user_id)
    await timer_store.delete(bot.db, timer.id)


async def after_forget(bot: BalintBot, group_ids: list[int]) -> None:
    """Tell each group's leaders only that a record was erased."""
    for group_id in group_ids:
        group = await group_store.get(bot.db, group_id)
        if group is None:
            continue
        await tell_leaders(bot, group, texts.LEADERS_ERASED)


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


async def _lift_mutes(bot: BalintBot, user_id: int) -> list[int]:
    """Lift every voice mute the bot set on them; the servers where Discord refused.

    A server mute holds in every voice channel of the server and only the bot knows it
    set it: erased unlifted, it would stay for good.
    """
    held = []
    for mute in await session_perms.mutes_of_user(bot.db, user_id):
        try:
            await bot.http.edit_member(
                mute.guild_id, user_id, mute=False, reason=texts.FORGET_AUDIT_REASON
            )
        except discord.HTTPException as exc:  # 40032: not in voice; lifted at the next join
            log.info("mute of user %s not lifted yet: %s %s", user_id, exc.status, exc.code)
            held.append(mute.guild_id)
    return held


async def _restore_overwrites(bot: BalintBot, user_id: int) -> None:
    """Put back each channel overwrite the bot changed for them (the floor, a leader's).

    Erased first, the saved original would be lost: the meeting, moving the floor on,
    would take the bot's own overwrite for the original, keep it and save it anew.
    """
    for channel_id, allow, deny in await session_perms.saved_for_target(bot.db, user_id):
        channel = bot.get_channel(channel_id)
        if not isinstance(channel, discord.abc.GuildChannel):
            continue  # deleted with its session: nothing to put back
        if current_pair(channel, user_id) == ((allow, deny) if allow or deny else None):
            continue
        try:
            if allow or deny:
                await bot.http.edit_channel_permissions(
                    channel_id, user_id, str(allow), str(deny), 1, reason=texts.FORGET_AUDIT_REASON
                )
            else:
                await bot.http.delete_channel_permissions(
                    channel_id, user_id, reason=texts.FORGET_AUDIT_REASON
                )
        except discord.HTTPException as exc:
            log.warning(
                "overwrite of user %s on channel %s not put back: %s %s",
                user_id,
                channel_id,
                exc.status,
                exc.code,
            )


async def _leads(bot: BalintBot, group_id: int, user_id: int) -> bool:
    return any(m.user_id == user_id for m in await group_store.leaders(bot.db, group_id))


async def _leave_leaders_channel(bot: BalintBot, group_id: int, user_id: int) -> bool:
    """A leader sees the leaders' channel through their own overwrite, not the role: remove it.

    Returns False only when Discord refused. The session channel's allow of a leader
    goes with the leaders-changed event, as when a leader steps down.
    """
    group = await group_store.get(bot.db, group_id)
    guild = bot.get_guild(group.guild_id) if group else None
    if group is None or guild is None:
        return True
    bot.dispatch("balint_group_leaders_changed", group.id)
    channel = guild.get_channel(group.leaders_channel_id or 0)
    if channel is None or not any(o.id == user_id for o in channel.overwrites):
        return True
    try:
        # The raw route: they may have left the server, and discord.py wants a Member here.
        await bot.http.delete_channel_permissions(
            channel.id, user_id, reason=texts.FORGET_AUDIT_REASON
        )
        return True
    except discord.HTTPException as exc:
        log.warning(
            "could not remove user %s from group %s's leaders channel: %s %s",
            user_id,
            group.id,
            exc.status,
            exc.code,
        )
        return False


async def _take_role(bot: BalintBot, group_id: int, user_id: int) -> bool:
    """The store no longer knows them as a member, so Discord should not either.

    Returns False only when the role is still theirs because Discord refused.
    """
    group = await group_store.get(bot.db, group_id)
    guild = bot.get_guild(group.guild_id) if group else None
    if group is None or guild is None or group.role_id is None:
        return True
    member = guild.get_member(user_id)
    role = guild.get_role(group.role_id)
    if member is None or role is None or role not in member.roles:
        return True
    try:
        await member.remove_roles(role, reason=texts.FORGET_AUDIT_REASON)
        return True
    except discord.HTTPException as exc:
        log.warning(
            "could not remove group %s's role from user %s: %s %s",
            group.id,
            user_id,
            exc.status,
            exc.code,
        )
        return False
