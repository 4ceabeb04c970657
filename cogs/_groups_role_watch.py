"""A group's role given by hand in Discord to someone who may not hold it is taken back.

Why: the role opens the group's channels, and the bot gives it only behind the
agreement gate (bot/domain/agreement.py). A server admin can still give it by
hand, to someone outside the group or to a member who has not agreed, and that
person would read what the group said in confidence. So the bot checks every
holder the same way (`holding`: a leader, or a member who agreed) and tells the
leaders, one line each, who it was and what to do.

Three moments:
- a GUILD_MEMBER_UPDATE that adds a group's role (`on_roles_added`);
- /group repair (`check_group`), for holders from before this watch or a failed removal;
- each READY (`check_all`): Discord does not replay the updates missed while the
  bot was down.
Only members in discord.py's member cache are judged: an uncached member's roles
are unknown, and nobody loses a role on a guess. One removal per holder; the
leaders' lines are packed into as few messages as fit.

Across crashes (bot/store/role_takebacks.py): a row is written before each removal
and deleted once the leaders were told, so a restart tells them of a removal whose
notice a crash cut off (a notice in flight at the crash may be told twice, never
lost). A removal Discord refused is told once: its row stays, marked, until the role
is gone or may be held, and later checks try the removal again without a new line.

Why the bot's own grants are safe: every path that gives the role writes the
store first (membership, consent), so the echo of a grant finds a member who may
hold it, even when the gateway event beats the REST answer.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.compat import fault_code
from bot.domain.agreement import Holding, holding, not_entitled
from bot.store import consents, erasures, role_takebacks
from bot.store import groups as store
from bot.store.groups import Group
from bot.textfit import fill
from bot.texts import groups as texts
from cogs import _groups_members as group_members
from cogs import _groups_setup as setup_
from cogs._groups_leaders import step_down_open
from cogs._leaders_notice import tell_leaders_lines

if TYPE_CHECKING:
    from bot.app import BalintBot

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TakenBack:
    """One holder who may not hold the role; `removed` is False if Discord refused."""

    user_id: int
    why: Holding
    removed: bool
    told: bool = False  # refused before, and the leaders were told then: not again


async def on_roles_added(bot: BalintBot, before: discord.Member, after: discord.Member) -> None:
    """A member update: each group role just added is judged against the store."""
    if after.bot:
        return
    added = {r.id for r in after.roles} - {r.id for r in before.roles}
    for role_id in added:
        group = await store.by_role(bot.db, after.guild.id, role_id)
        if group is None:
            continue
        membership = await store.membership(bot.db, group.id, after.id)
        is_member = membership is not None and membership.left_at is None
        latest = await consents.latest(bot.db, group.id, after.id)
        why = holding(
            latest,
            group.agreement_version,
            is_member=is_member,
            is_leader=membership is not None and membership.is_leader,
        )
        if why is Holding.MAY_HOLD:
            continue
        role = after.guild.get_role(role_id)
        if role is None:
            continue
        async with bot.locks["role watch", group.id]:
            # Just given: a new situation, told even if an earlier grant's refusal was.
            await role_takebacks.forget(bot.db, group.id, after.id)
            taken = [await _take(bot, group, after, role, why)]
            await tell(bot, group, taken)


async def check_group(bot: BalintBot, guild: discord.Guild, group: Group) -> list[TakenBack]:
    """/group repair: every cached holder of the group's role (re-read from the store)."""
    fresh = await store.get(bot.db, group.id)
    if fresh is None or fresh.role_id is None:
        return []
    role = guild.get_role(fresh.role_id)
    if role is None:
        return []
    async with bot.locks["role watch", fresh.id]:
        taken = await _check(bot, fresh, role, [m for m in role.members if not m.bot])
        await tell(bot, fresh, taken)
    return taken


async def check_all(bot: BalintBot) -> int:
    """At READY: every group's role (archived groups too) on every server the bot sees.

    One pass over each server's cached members finds the holders of all its groups'
    roles. Returns the number of holders the role was taken from (or tried).
    """
    by_guild: dict[int, list[Group]] = defaultdict(list)
    for group in await store.with_role(bot.db):
        by_guild[group.guild_id].append(group)
    with_rows = await role_takebacks.groups_with_rows(bot.db)
    count = 0
    for guild_id, groups in by_guild.items():
        guild = bot.get_guild(guild_id)
        if guild is None or guild.unavailable:
            continue
        holders = _holders(guild, {g.role_id for g in groups if g.role_id is not None})
        for group in groups:
            role = guild.get_role(group.role_id) if group.role_id else None
            if role is None or not (holders.get(role.id) or group.id in with_rows):
                continue
            async with bot.locks["role watch", group.id]:
                taken = await _check(bot, group, role, holders.get(role.id, []))
                await tell(bot, group, taken)
            held = {m.id for m in holders.get(role.id, [])}
            count += sum(t.user_id in held for t in taken)  # not the untold, told now
    return count


def _holders(guild: discord.Guild, role_ids: set[int]) -> dict[int, list[discord.Member]]:
    """Cached members (no bots) holding each of these roles, in one pass over the members."""
    found: dict[int, list[discord.Member]] = defaultdict(list)
    for member in guild.members:
        if member.bot:
            continue
        for role in member.roles:
            if role.id in role_ids:
                found[role.id].append(member)
    return found


async def _check(
    bot: BalintBot, group: Group, role: discord.Role, holders: list[discord.Member]
) -> list[TakenBack]:
    """The holders were read from the cache before the store: a grant the bot makes meanwhile
    is stored before it is made, so its holder is in what is read here. Also returns the
    removals a crash kept from being told (their holder no longer has the role)."""
    by_id = {m.id: m for m in holders}
    members = {m.user_id: m.is_leader for m in await store.members(bot.db, group.id)}
    latest = await consents.latest_by_user(bot.db, group.id)
    verdicts = not_entitled(by_id, members, latest, group.agreement_version)
    untold = await _settle_rows(bot, group, role, by_id, {uid for uid, _ in verdicts})
    # A leader's step-down, a removal or an erasure (/privacy forget) a crash cut short
    # takes the role by its own timer (no notice: nothing was given by hand). An add's
    # timer takes none: not skipped.
    return untold + [
        await _take(bot, group, by_id[uid], role, why)
        for uid, why in verdicts
        if not await step_down_open(bot, group.id, uid)
        and not await group_members.removal_open(bot, group.id, uid)
        and not await erasures.open_for(bot.db, group.id, uid)
    ]


async def _settle_rows(
    bot: BalintBot,
    group: Group,
    role: discord.Role,
    holders: dict[int, discord.Member],
    judged: set[int],
) -> list[TakenBack]:
    """Rows of people no longer holding the role: an untold removal is returned to be told,
    a refusal told earlier is forgotten (the situation changed), as is the row of a holder
    who may hold it now. Those `judged` are taken again by the caller; an uncached member
    is left as is."""
    untold = []
    for row in (await role_takebacks.of_group(bot.db, group.id)).values():
        member = role.guild.get_member(row.user_id)
        if row.user_id in judged or member is None:
            continue
        if row.user_id in holders or role in member.roles:
            if row.user_id in holders:  # a holder who may hold it now
                await role_takebacks.forget(bot.db, group.id, row.user_id)
            continue
        if row.stuck:
            await role_takebacks.forget(bot.db, group.id, row.user_id)
        else:
            untold.append(TakenBack(row.user_id, Holding(row.why), removed=True))
    return untold


async def _take(
    bot: BalintBot, group: Group, member: discord.Member, role: discord.Role, why: Holding
) -> TakenBack:
    """Stored first: a crash after the removal leaves a row the next check tells of."""
    told = (await role_takebacks.of_group(bot.db, group.id)).get(member.id)
    await role_takebacks.begin(bot.db, group.id, member.id, why.value, bot.clock.now())
    try:
        await setup_.revoke(member, role, texts.AUDIT_REASON_HAND_GIVEN)
    except setup_.SetupFailed as failed:
        log.warning(
            "group %s: role %s not taken back from user %s (%s): %s",
            group.id,
            role.id,
            member.id,
            why.value,
            fault_code(failed.error),
        )
        return TakenBack(member.id, why, removed=False, told=told is not None and told.stuck)
    log.info("group %s: role taken back from user %s (%s)", group.id, member.id, why.value)
    return TakenBack(member.id, why, removed=True)


def notice_lines(group: Group, taken: Iterable[TakenBack]) -> list[str]:
    """One line per holder: who, why, and what the leaders can do."""
    lines = []
    for item in taken:
        if item.told:
            continue
        values = {
            "user": f"<@{item.user_id}>",
            "name": group.name,
            "reason": texts.HAND_GIVEN_REASONS[item.why.value],
        }
        if not item.removed:
            lines.append(texts.HAND_GIVEN_STUCK.format(**values))
            continue
        # An archived group takes nobody in: there is nothing to do but know.
        todo = "" if group.archived else texts.HAND_GIVEN_TODO[item.why.value]
        lines.append(texts.HAND_GIVEN.format(**values, todo=todo))
    return lines


def summary(taken: list[TakenBack]) -> list[str]:
    """For whoever ran /group repair: whose role was taken back, and whose Discord kept
    (mentions up to one message each)."""
    lines = []
    for template, removed in ((texts.REPAIR_TOOK_BACK, True), (texts.REPAIR_STUCK, False)):
        users = [f"<@{t.user_id}>" for t in taken if t.removed is removed]
        if users:
            lines.append(fill(template, "users", users))
    return lines


async def tell(bot: BalintBot, group: Group, taken: list[TakenBack]) -> None:
    """The leaders' channel (else a DM to each leader), as few messages as the lines fit;
    then each is marked told (a removal's row goes, a refusal's stays, marked)."""
    await tell_leaders_lines(bot, group, notice_lines(group, taken))
    for item in taken:
        if item.removed:
            await role_takebacks.forget(bot.db, group.id, item.user_id)
        elif not item.told:
            await role_takebacks.told_stuck(bot.db, group.id, item.user_id, bot.clock.now())
