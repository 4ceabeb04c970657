"""/group add and /group remove: the store, the role, and a stored follow-up per change.

/group create's leaders get the same follow-up (their agreement DM) from its store write.

Why a stored follow-up: the store is written before the role is given (the role watch,
cogs/_groups_role_watch.py, must find a member when the grant's gateway event comes
first). What follows that write (the role for a returning member who agreed, the
agreement DM for one who has not; for a removal, the role taken, a meeting under way
told, and a DM to the member) was lost to a crash after it: a stored member who never
got access, or a removed one who kept their place. So the transaction that stores the
change also stores a timer for it, fired right after the grant or take-back, and by the
restart if a crash came first. A refused grant or take-back rolls back the membership
and withdraws the timer (no row is left: the change never was). The handler re-checks
that the change still stands, grants or takes the role only if needed, and the DM is
part of the timer's round (cogs/_dm_round.py), so a re-run sends it once. The same
pattern as /group leaders (cogs/_groups_leaders.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import uuid4

import discord

from bot.compat import fault_code
from bot.domain.groups import REMOVAL_WITHDRAWS_ANSWERS_OF, SizeVerdict, size_verdict
from bot.errors import UserError
from bot.store import cases as case_store
from bot.store import groups as store
from bot.store import rsvps as rsvp_store
from bot.store import timers as timer_store
from bot.store.groups import Group
from bot.store.timers import Timer
from bot.texts import groups as texts
from cogs import _agreement_dm as agreement_dm
from cogs import _groups_setup as setup_
from cogs._dm_names import dm_group_name
from cogs._dm_round import DmRound
from cogs._groups_presence import missing_role

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)

K_MEMBER_FOLLOW_UP = "member_follow_up"
ADDED, REMOVED = "added", "removed"
_LOCK = "group members"  # one add or remove per group at a time, and their follow-ups


@dataclass(frozen=True, slots=True)
class Added:
    """What /group add did: `again` the role given back to a member who lacked it."""

    granted: bool
    size: int = 0
    verdict: SizeVerdict = SizeVerdict.OK
    again: bool = False


def follow_up_prefix(group_id: int, user_id: int) -> str:
    """Keys `member_follow_up:<group>:<user>:<what>:<change>`; one change never twice."""
    return f"{K_MEMBER_FOLLOW_UP}:{group_id}:{user_id}:"


async def removal_open(bot: BalintBot, group_id: int, user_id: int) -> bool:
    """Is a removal of this person not finished yet? The role watch leaves its role to it.
    Not an add's: that follow-up only gives the role, so a role given by hand meanwhile
    to one who has not agreed is the role watch's to take."""
    prefix = f"{follow_up_prefix(group_id, user_id)}{REMOVED}:"
    return await timer_store.open_with_prefix(bot.db, prefix)


def _size(memberships: list[store.Membership]) -> int:
    """Size of a group: its members, leaders not counted (they hold the frame)."""
    return sum(1 for m in memberships if not m.is_leader)


async def add(bot: BalintBot, group: Group, target: discord.Member) -> Added:
    """Store the member (with its follow-up), give the role if they may enter now."""
    reason = texts.AUDIT_REASON.format(command="add")
    # One add per group at a time: two leaders adding at once cannot pass the size limit.
    async with bot.locks[_LOCK, group.id]:
        current = await store.membership(bot.db, group.id, target.id)
        if current is not None and current.left_at is None:
            # In the store but without the role (the role taken by hand): given back.
            role = await missing_role(bot, group, target, current)
            if role is None:
                template = texts.ALREADY_LEADER if current.is_leader else texts.ALREADY_MEMBER
                raise UserError(template.format(user=target.mention, name=group.name))
            try:
                await setup_.grant(target, role, reason)
            except setup_.SetupFailed as failed:
                raise UserError(setup_.failure_text(failed)) from None
            return Added(granted=True, again=True)
        size = _size(await store.members(bot.db, group.id)) + 1
        verdict = size_verdict(size, bot.settings.max_group_size)
        if verdict is SizeVerdict.REFUSE:
            limit = bot.settings.max_group_size
            raise UserError(texts.TOO_BIG.format(name=group.name, size=size - 1, limit=limit))
        role = target.guild.get_role(group.role_id) if group.role_id else None
        if role is None:
            raise UserError(texts.ROLE_MISSING)
        granted = await agreement_dm.may_enter_now(bot, group, target.id)
        # Stored before the grant: its GUILD_MEMBER_UPDATE may be handled before its REST
        # answer, and the role watch must find a member. The follow-up in the same write.
        async with bot.db.transaction():
            await store.add_member(bot.db, group.id, target.id, "member", bot.clock.now())
            timer = await store_follow_up(
                bot, group.guild_id, group.id, target.id, ADDED, hold=True
            )
        try:
            if granted:
                try:
                    await setup_.grant(target, role, reason)
                except setup_.SetupFailed as failed:
                    await _roll_back(bot, group, target.id, current, timer)
                    raise UserError(setup_.failure_text(failed)) from None
        finally:
            await bot.timers.release(timer.dedupe_key)  # nothing left to arm if withdrawn
    await bot.timers.fire(timer.id)
    return Added(granted=granted, size=size, verdict=verdict)


async def remove(bot: BalintBot, group: Group, user_id: int) -> None:
    """Store the removal (with its follow-up), then take the role (both undone if refused)."""
    mention = f"<@{user_id}>"
    async with bot.locks[_LOCK, group.id]:
        current = await store.membership(bot.db, group.id, user_id)
        if current is None or current.left_at is not None:
            raise UserError(texts.NOT_A_MEMBER.format(user=mention, name=group.name))
        if current.is_leader:
            raise UserError(texts.REMOVE_LEADER.format(user=mention, name=group.name))
        async with bot.db.transaction():
            await store.remove_member(bot.db, group.id, user_id, bot.clock.now())
            timer = await store_follow_up(
                bot, group.guild_id, group.id, user_id, REMOVED, hold=True
            )
        guild = bot.get_guild(group.guild_id)
        role = guild.get_role(group.role_id) if guild and group.role_id else None
        member = guild.get_member(user_id) if guild else None
        try:
            if role is not None and member is not None and role in member.roles:
                try:
                    await setup_.revoke(member, role, texts.AUDIT_REASON.format(command="remove"))
                except setup_.SetupFailed as failed:
                    await _roll_back(bot, group, user_id, current, timer)
                    raise UserError(setup_.failure_text(failed)) from None
        finally:
            await bot.timers.release(timer.dedupe_key)  # nothing left to arm if withdrawn
    await bot.timers.fire(timer.id)


async def store_follow_up(
    bot: BalintBot, guild_id: int, group_id: int, user_id: int, action: str, *, hold: bool = False
) -> Timer:
    """The change's timer; written in the transaction that stores the change.

    `hold` (/group add and remove): armed only once the caller's grant or take-back is
    done. Armed at once, the scheduler claimed it while that REST call was under way
    (real clock), so a refused one could not withdraw it: the rolled-back change left a
    finished timer naming the person (in their /privacy export) for a change that never
    was.
    """
    timer = await bot.timers.add(
        hold=hold,
        kind=K_MEMBER_FOLLOW_UP,
        key=f"{follow_up_prefix(group_id, user_id)}{action}:{uuid4().hex[:12]}",
        due_at=bot.clock.now(),
        guild_id=guild_id,
        group_id=group_id,
        user_id=user_id,
    )
    assert timer is not None  # a fresh key
    return timer


async def _roll_back(
    bot: BalintBot,
    group: Group,
    user_id: int,
    previous: store.Membership | None,
    timer: Timer,
) -> None:
    async with bot.db.transaction():
        await store.restore_membership(bot.db, group.id, user_id, previous)
        await bot.timers.withdraw(timer.dedupe_key)  # no trace: the change never was


async def follow_up(bot: BalintBot, timer: Timer) -> None:
    """One add or removal, if it still stands: the role given (added: a leader, or one who
    may enter now) or taken (removed), each only if needed; the agreement DM to one added
    who has not agreed to this version; a meeting under way told of a removal."""
    group_id, user_id = timer.group_id or 0, timer.user_id or 0
    action = timer.dedupe_key.removeprefix(follow_up_prefix(group_id, user_id)).split(":")[0]
    async with bot.locks[_LOCK, group_id]:
        group = await store.get(bot.db, group_id)
        membership = await store.membership(bot.db, group_id, user_id)
        if group is None or membership is None:
            return  # rolled back (never in the group)
        if (membership.left_at is None) != (action == ADDED):
            return  # changed again since (or rolled back)
        if action == REMOVED:  # their RSVPs and offers for meetings not over go with them
            await _withdraw_answers(bot, group_id, user_id)
        # A DM that failed for now (a 5xx, a reset) is sent by the clock's retry, once.
        dm_round = await DmRound.open(bot, timer, retry_passing=True)
        may_enter = membership.is_leader or await agreement_dm.may_enter_now(bot, group, user_id)
        if action == REMOVED or may_enter:
            await _fix_role(bot, group, user_id, give=action == ADDED)
    if action == REMOVED:
        # A meeting under way: they give up their hand, their turns and the floor. Awaited,
        # not dispatched: a crash before it is done leaves the timer to run it again.
        await bot.run_listeners("balint_group_member_removed", group_id, user_id)
        # Told, not left to find the channels gone; once, as part of the timer's round.
        name = await dm_group_name(bot, group, user_id)
        await dm_round.send(user_id, texts.REMOVED_DM.format(name=name))
    else:  # asks only one who has not agreed to this version (a leader too)
        await agreement_dm.ask(bot, group_id, user_id, dm_round=dm_round)
    dm_round.finish()


async def _withdraw_answers(bot: BalintBot, group_id: int, user_id: int) -> None:
    """Done in the follow-up, not with the removal: a refused take-back rolls the removal
    back, and the answers must still be there then. Deleting twice (a re-run) is harmless."""
    async with bot.db.transaction():
        await rsvp_store.withdraw(bot.db, group_id, user_id, REMOVAL_WITHDRAWS_ANSWERS_OF)
        await case_store.withdraw_offers(bot.db, group_id, user_id, REMOVAL_WITHDRAWS_ANSWERS_OF)


async def _fix_role(bot: BalintBot, group: Group, user_id: int, *, give: bool) -> None:
    """Give or take the group role if that is still to do; a refusal is logged."""
    guild = bot.get_guild(group.guild_id)
    role = guild.get_role(group.role_id) if guild and group.role_id else None
    member = guild.get_member(user_id) if guild else None
    if role is None or member is None or (role in member.roles) == give:
        return
    command = "add" if give else "remove"
    reason = texts.AUDIT_REASON.format(command=command)
    try:
        await (setup_.grant if give else setup_.revoke)(member, role, reason)
    except setup_.SetupFailed as failed:
        log.warning(
            "/group %s of user %s in group %s: role %s refused: %s",
            command,
            user_id,
            group.id,
            role.id,
            fault_code(failed.error),
        )
