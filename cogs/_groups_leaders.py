"""/group leaders: the leaders' channel, the store, then the group role for new leaders.

Why apart from cogs/_groups_admin.py: naming leaders touches the leaders' channel,
roles and the store, and must leave nothing half-made when Discord refuses a step
(issue 3). The channel is edited first, then the store; if a grant then fails,
the channel, the grants and the store are put back. A leader who steps down
without ever accepting the agreement had the role only by the leaders'
exception: it is taken away, and the agreement DM asks them to agree like any
member.

What follows the store write (the role for each leader, the agreement DM to a new
one, the step-down of one who never agreed) is a stored timer per person, written in
the same transaction: fired right after the grants, and by the restart if a crash
came first. They are held (not armed) until the grants are done, and a refused grant
withdraws them with the roll-back: no row is left, the change never was. Re-run after
a crash in the middle: the grant and the take-back look first, and the DM is part of a
timer's round (cogs/_dm_round.py), so nothing happens twice.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from uuid import uuid4

import discord

from bot.compat import REST_FAULTS, fault_code
from bot.domain.agreement import has_access
from bot.domain.groups import LeaderChange
from bot.errors import UserError
from bot.store import consents
from bot.store import groups as store
from bot.store import timers as timer_store
from bot.store.groups import Group
from bot.store.timers import Timer
from bot.texts import agreement as agreement_texts
from bot.texts import groups as texts
from cogs import _agreement_dm as agreement_dm
from cogs import _groups_setup as setup_
from cogs._dm_round import DmRound
from cogs._groups_create import mentions

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

K_FOLLOW_UP = "leader_follow_up"
JOINED, NAMED, STEPPED = "joined", "named", "stepped_down"


def follow_up_prefix(group_id: int, user_id: int) -> str:
    """Keys `leader_follow_up:<group>:<user>:<what>:<change>`; one change never twice."""
    return f"{K_FOLLOW_UP}:{group_id}:{user_id}:"


async def step_down_open(bot: BalintBot, group_id: int, user_id: int) -> bool:
    """Is a step-down of this person not finished yet? The role watch leaves its role to
    it (a leader named is a leader, whom the role watch never judges unfit)."""
    prefix = f"{follow_up_prefix(group_id, user_id)}{STEPPED}:"
    return await timer_store.open_with_prefix(bot.db, prefix)


async def apply_leaders(
    bot: BalintBot, guild: discord.Guild, group: Group, change: LeaderChange
) -> None:
    """Fix the leaders' channel, store, grant the role to new leaders (all or nothing)."""
    reason = texts.AUDIT_REASON.format(command="leaders")
    role = guild.get_role(group.role_id) if group.role_id else None
    channel = guild.get_channel(group.leaders_channel_id) if group.leaders_channel_id else None
    if role is None or channel is None:
        raise UserError(texts.ROLE_MISSING)
    before = [m.user_id for m in await store.leaders(bot.db, group.id)]
    try:
        await channel.edit(
            overwrites=setup_.leaders_overwrites(guild, role, change.leaders), reason=reason
        )
    except REST_FAULTS as exc:
        raise setup_.SetupFailed("overwrite", exc) from exc
    async with bot.locks["group leaders", group.id]:  # a follow-up waits for the grants
        follow_ups = await _store_and_grant(bot, guild, group, change, role, channel, before)
    for timer in follow_ups:
        await bot.timers.fire(timer.id)
    bot.dispatch("balint_group_leaders_changed", group.id)


async def tell_leaders_channel(
    guild: discord.Guild, group: Group, change: LeaderChange, before: list[int]
) -> None:
    """Who leads now, in the leaders' channel: a newly named leader finds it in their
    list without a word otherwise, so they are mentioned (pinged); best effort."""
    named = [uid for uid in change.leaders if uid not in before]
    if not named and not change.stepping_down:
        return
    channel = guild.get_channel(group.leaders_channel_id or 0)
    if not isinstance(channel, discord.TextChannel):
        return
    line = texts.LEADERS_CHANGED_NOTICE.format(
        name=group.name, leader_list=mentions(list(change.leaders))
    )
    if change.stepping_down:
        line += " " + texts.LEADERS_STEPPED_DOWN.format(
            member_list=mentions(list(change.stepping_down))
        )
    pinged = discord.AllowedMentions(users=[discord.Object(uid) for uid in named])
    try:
        await channel.send(line, allowed_mentions=pinged)
    except REST_FAULTS as exc:  # a notice: the change stands, and the answer says so
        log.warning(
            "leaders' channel of group %s refused the notice: %s", group.id, fault_code(exc)
        )


async def _store_and_grant(
    bot: BalintBot,
    guild: discord.Guild,
    group: Group,
    change: LeaderChange,
    role: discord.Role,
    channel: discord.abc.GuildChannel,
    before: list[int],
) -> list[Timer]:
    """The store and its follow-ups in one transaction, then the grants (undone if refused)."""
    reason = texts.AUDIT_REASON.format(command="leaders")
    # Stored before the grants: a grant's GUILD_MEMBER_UPDATE may be handled before its REST
    # answer, and the role watch (cogs/_groups_role_watch.py) must find a leader there.
    now = bot.clock.now()
    previous: dict[int, store.Membership | None] = {}
    async with bot.db.transaction():
        for user_id in change.leaders:
            previous[user_id] = await store.membership(bot.db, group.id, user_id)
            await store.add_member(bot.db, group.id, user_id, change.role_of(user_id), now)
        for user_id in change.stepping_down:
            previous[user_id] = await store.membership(bot.db, group.id, user_id)
            await store.set_role(bot.db, group.id, user_id, "member")
        what = {uid: STEPPED for uid in change.stepping_down}
        for uid in change.leaders:
            was = previous[uid]
            what[uid] = JOINED if was is None or was.left_at is not None else NAMED
        follow_ups = await _store_follow_ups(bot, group, what)
    granted: list[discord.Member] = []
    try:
        for user_id in change.leaders:
            member = guild.get_member(user_id)
            if member is not None and role not in member.roles:
                await setup_.grant(member, role, reason)
                granted.append(member)
    except setup_.SetupFailed as failed:
        failed.left = await _undo(guild, role, channel, before, granted, reason)
        async with bot.db.transaction():
            for user_id, was in previous.items():
                await store.restore_membership(bot.db, group.id, user_id, was)
            for timer in follow_ups:
                await bot.timers.withdraw(timer.dedupe_key)  # no trace: the change never was
        raise
    finally:
        for timer in follow_ups:
            await bot.timers.release(timer.dedupe_key)  # nothing left to arm if withdrawn
    return follow_ups


async def _store_follow_ups(bot: BalintBot, group: Group, what: dict[int, str]) -> list[Timer]:
    """Held until the grants are done: armed at once, the scheduler claimed them while a
    grant was under way (real clock), so a refused one could not withdraw them and the
    rolled-back change left finished rows naming each person (in their /privacy export)."""
    change = uuid4().hex[:12]
    timers = []
    for user_id, action in what.items():
        timer = await bot.timers.add(
            hold=True,
            kind=K_FOLLOW_UP,
            key=f"{follow_up_prefix(group.id, user_id)}{action}:{change}",
            due_at=bot.clock.now(),
            guild_id=group.guild_id,
            group_id=group.id,
            user_id=user_id,
        )
        if timer is not None:
            timers.append(timer)
    return timers


async def follow_up(bot: BalintBot, timer: Timer) -> None:
    """One person's part of a leaders change, if the change still stands: the role for a
    leader (a no-op when the grant was made), the agreement DM for a new one, the
    step-down for one who stepped down."""
    group_id, user_id = timer.group_id or 0, timer.user_id or 0
    action = timer.dedupe_key.removeprefix(follow_up_prefix(group_id, user_id)).split(":")[0]
    async with bot.locks["group leaders", group_id]:
        group = await store.get(bot.db, group_id)
        membership = await store.membership(bot.db, group_id, user_id)
        guild = bot.get_guild(group.guild_id) if group else None
        role = guild.get_role(group.role_id or 0) if guild and group else None
        if group is None or guild is None or role is None or membership is None:
            return
        still = membership.is_leader if action != STEPPED else not membership.is_leader
        if membership.left_at is not None or not still:
            return  # changed again since (or rolled back)
        reason = texts.AUDIT_REASON.format(command="leaders")
        # A DM that failed for now (a 5xx, a reset) is sent by the clock's retry, once.
        dm_round = await DmRound.open(bot, timer, retry_passing=True)
        if action == STEPPED:
            await _step_down(bot, guild, group, role, user_id, reason, dm_round)
            dm_round.finish()
            return
        member = guild.get_member(user_id)
        if member is not None and role not in member.roles:
            await setup_.grant(member, role, reason)
    if action == JOINED:
        await agreement_dm.ask(bot, group_id, user_id, dm_round=dm_round)
    dm_round.finish()


async def _step_down(
    bot: BalintBot,
    guild: discord.Guild,
    group: Group,
    role: discord.Role,
    user_id: int,
    reason: str,
    dm_round: DmRound,
) -> None:
    """A former leader who never agreed is now a member without access: role off, DM."""
    latest = await consents.latest(bot.db, group.id, user_id)
    if has_access(latest, group.agreement_version):
        return
    member = guild.get_member(user_id)
    if member is not None and role in member.roles:
        try:
            await setup_.revoke(member, role, reason)
        except setup_.SetupFailed as failed:
            log.warning(
                "role %s not taken from former leader %s of group %s: %s",
                role.id,
                user_id,
                group.id,
                fault_code(failed.error),
            )
    intro = agreement_texts.DM_INTRO_STEPPED_DOWN
    await agreement_dm.ask(bot, group.id, user_id, intro, dm_round)


async def _undo(
    guild: discord.Guild,
    role: discord.Role,
    channel: discord.abc.GuildChannel,
    before: list[int],
    granted: list[discord.Member],
    reason: str,
) -> list[str]:
    """Best effort after a refused grant: the channel as it was, and no role left behind.
    Returns what could not be put back, for the answer: someone no longer named may still
    read the leaders' channel or hold the role (/group repair closes both)."""
    left: list[str] = []
    try:
        await channel.edit(overwrites=setup_.leaders_overwrites(guild, role, before), reason=reason)
    except REST_FAULTS as exc:
        log.warning("leaders' channel %s not put back: %s", channel.id, fault_code(exc))
        left.append(texts.LEFT_LEADERS_OPEN.format(channel=channel.mention))
    for member in granted:
        try:
            await setup_.revoke(member, role, reason)
        except setup_.SetupFailed as failed:
            log.warning(
                "role %s not taken back from user %s: %s",
                role.id,
                member.id,
                fault_code(failed.error),
            )
            left.append(texts.LEFT_ROLE_KEPT.format(user=member.mention))
    return left
