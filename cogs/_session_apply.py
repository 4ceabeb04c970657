"""Applying the domain's permission plan to the session text channel, one REST call per write.

Each `OverwriteWrite` becomes exactly one PUT or DELETE of a channel overwrite,
so the calls per phase change never depend on the group's size. Before a
target's overwrite is changed the first time, its previous overwrite is saved
(python-discord's silence.py does the same): a write then means "the saved
overwrite with Send Messages (and, for the role, threads) set as the plan says",
and None restores it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import discord

from bot.compat import REST_FAULTS, fault_code, passing_status
from bot.domain.permissions import OverwriteWrite, leader_overwrites, stale_member_allows
from bot.domain.session import plan_of
from bot.store import session_perms
from bot.texts import facilitation as texts
from cogs._lost_answers import maybe_made

if TYPE_CHECKING:
    from bot.app import BalintBot
    from cogs._session_engine import Live

log = logging.getLogger(__name__)

SEND = discord.Permissions(send_messages=True).value
# Send Messages does not cover threads: these three do (Discord's permission docs).
THREADS = discord.Permissions(
    create_public_threads=True, create_private_threads=True, send_messages_in_threads=True
).value
ROLE, MEMBER = 0, 1
# The group role's overwrite on a session text channel under the plan's Send bits.
ROLE_BASE = discord.Permissions(view_channel=True, read_message_history=True).value
ROLE_BASE_DENY = THREADS  # no threads in a session channel, whatever the phase
# The group role's overwrite on a session voice channel (fixed: speaking is kept by mutes).
# The voice channel's built-in text chat is closed to the group for the whole meeting:
# it would bypass the per-phase plan of the text channel (the presenter's protection).
VOICE_ROLE = discord.PermissionOverwrite(
    view_channel=True, connect=True, speak=True, send_messages=False
)


MISSING_ACCESS = 50001  # Discord's code for a channel the bot cannot see


class ApplyFailed(Exception):
    """A REST call of a plan failed; `status` is Discord's HTTP status."""

    def __init__(self, status: int, code: int) -> None:
        super().__init__(f"{status}/{code}")
        self.status = status
        self.code = code
        # False when the roll-back of the plan's earlier writes failed too: the channel is
        # then part-way between two phases, and the leader must not read "stays in ...".
        self.undone = True

    @property
    def passing(self) -> bool:
        """No answer (0), Discord's 5xx or a 429: worth trying again; a 4xx is not."""
        return passing_status(self.status)

    def sentence(self, phase: str) -> str:
        """What failed and what to do next, for the leader; the meeting stays in `phase`.

        50001 says the bot cannot see the channel: only showing it again helps, not
        Manage Roles or the role order that 50013 calls for.
        """
        if self.status == 403 and self.code == MISSING_ACCESS:
            what, todo = texts.APPLY_FAILED_HIDDEN, texts.APPLY_FAILED_HIDDEN_TODO
        else:
            kind = self.status if self.status in (403, 404, 429) else 500
            what, todo = texts.APPLY_FAILED_WHAT[kind], texts.APPLY_FAILED_TODO[kind]
        if not self.undone:
            return texts.APPLY_NOT_UNDONE.format(what=what, phase=phase, todo=todo)
        return texts.APPLY_FAILED.format(what=what, phase=phase, todo=todo)


def _status_code(error: BaseException) -> tuple[int, int]:
    """Discord's status and code; (0, 0) when the connection broke and no answer came,
    which ApplyFailed words as a Discord error ("try again shortly")."""
    if isinstance(error, discord.HTTPException):
        return error.status, error.code
    return 0, 0


def _set(pair: tuple[int, int], bits: int, value: bool | None) -> tuple[int, int]:
    """`bits` allowed (True), denied (False) or as in `pair` (None)."""
    allow, deny = pair
    if value is None:
        return allow, deny
    allow, deny = allow & ~bits, deny & ~bits
    return (allow | bits, deny) if value else (allow, deny | bits)


def desired(
    base: tuple[int, int], send: bool | None, threads: bool | None = None
) -> tuple[int, int]:
    """The saved overwrite with Send Messages and threads as the plan says (None: as saved)."""
    return _set(_set(base, SEND, send), THREADS, threads)


def current_pair(channel: discord.abc.GuildChannel, target_id: int) -> tuple[int, int] | None:
    """The overwrite discord.py has cached for a target, or None if there is none."""
    for overwrite in channel._overwrites:  # noqa: SLF001 - ids only, no member cache needed
        if overwrite.id == target_id:
            return overwrite.allow, overwrite.deny
    return None


class Applier:
    """Writes plans; the caller stores the phase only after `apply` returned."""

    def __init__(self, bot: BalintBot) -> None:
        self.bot = bot

    def _target(self, write: OverwriteWrite, role_id: int) -> tuple[int, int]:
        if write.target_kind == "role":
            return role_id, ROLE
        assert write.target_id is not None
        return write.target_id, MEMBER

    async def apply(
        self,
        channel: discord.abc.GuildChannel,
        role_id: int,
        writes: Iterable[OverwriteWrite],
        *,
        only_differences: bool = False,
    ) -> int:
        """Make the writes; with `only_differences`, skip targets already as planned.

        Returns the number of REST calls made. Raises ApplyFailed on the first failure.
        """
        writes = list(writes)
        if not writes:
            return 0
        db = self.bot.db
        saved = await session_perms.saved_overwrites(db, channel.id)
        fresh = []
        # A person with no overwrite, saved or on the channel, whom the plan leaves as they
        # are (someone gone from the group, their overwrite put back): nothing to write or
        # to save, and no row about them.
        writes = [w for w in writes if not self._nothing_to_do(channel, w, role_id, saved)]
        for write in writes:
            target_id, _ = self._target(write, role_id)
            if target_id not in saved:
                pair = current_pair(channel, target_id) or (0, 0)
                saved[target_id] = pair
                fresh.append((target_id, *pair))
        if fresh:
            await session_perms.save_overwrites(db, channel.id, fresh, self.bot.now())
        calls = 0
        done: list[tuple[int, int, tuple[int, int] | None]] = []  # target, kind, before
        for write in writes:
            target_id, kind = self._target(write, role_id)
            allow, deny = desired(saved[target_id], write.send, write.threads)
            now = current_pair(channel, target_id)
            remove = kind == MEMBER and allow == 0 and deny == 0
            if only_differences and (now is None if remove else now == (allow, deny)):
                continue
            try:
                await self._put(channel.id, target_id, kind, None if remove else (allow, deny))
            except discord.NotFound as exc:
                if remove:  # already gone: as planned
                    continue
                failed = ApplyFailed(exc.status, exc.code)
                failed.undone = await self._undo(channel.id, done, fresh)
                raise failed from exc
            except REST_FAULTS as exc:  # refused, or the connection broke (status 0)
                status, code = _status_code(exc)
                log.warning(
                    "plan write failed: channel=%s target=%s status=%s code=%s",
                    channel.id,
                    target_id,
                    status if status else fault_code(exc),
                    code,
                )
                failed = ApplyFailed(status, code)
                if maybe_made(exc):  # carried out, answer lost? Put it back too (a PUT again)
                    done.append((target_id, kind, now))
                failed.undone = await self._undo(channel.id, done, fresh)
                raise failed from exc
            done.append((target_id, kind, now))
            calls += 1
        return calls

    def _nothing_to_do(
        self,
        channel: discord.abc.GuildChannel,
        write: OverwriteWrite,
        role_id: int,
        saved: dict[int, tuple[int, int]],
    ) -> bool:
        target_id, kind = self._target(write, role_id)
        if kind != MEMBER or target_id in saved or current_pair(channel, target_id) is not None:
            return False
        return desired((0, 0), write.send, write.threads) == (0, 0)

    async def _put(
        self, channel_id: int, target_id: int, kind: int, pair: tuple[int, int] | None
    ) -> None:
        """One REST call: set the overwrite, or delete it when `pair` is None."""
        if pair is None:
            await self.bot.http.delete_channel_permissions(channel_id, target_id)
        else:
            allow, deny = pair
            await self.bot.http.edit_channel_permissions(
                channel_id, target_id, str(allow), str(deny), kind
            )

    async def _undo(
        self,
        channel_id: int,
        done: list[tuple[int, int, tuple[int, int] | None]],
        fresh: list[tuple[int, int, int]],
    ) -> bool:
        """A plan is all or nothing: put back, newest first, what this plan already wrote.
        Returns False when some write could not be put back (the leader is told).

        Without this a failure half-way (say the role's Send denied, then a 403) would
        leave members silenced while the store still says the earlier phase. Best
        effort: a failing undo is logged, and the next change or restart re-applies.
        The rows saved for this plan (`fresh`) go too, but for targets still changed:
        a kept row would later overwrite a hand edit made before the next change.
        """
        still_changed: set[int] = set()
        for target_id, kind, before in reversed(done):
            restore = None if before is None or (kind == MEMBER and before == (0, 0)) else before
            try:
                await self._put(channel_id, target_id, kind, restore)
            except REST_FAULTS as exc:
                still_changed.add(target_id)
                log.warning(
                    "undo of a plan write failed: channel=%s target=%s status=%s",
                    channel_id,
                    target_id,
                    fault_code(exc),
                )
        unchanged = [target for target, _, _ in fresh if target not in still_changed]
        if unchanged:
            await session_perms.forget_targets(self.bot.db, channel_id, unchanged)
        return not still_changed


def late_leader_writes(
    channel: discord.abc.GuildChannel, leaders: frozenset[int]
) -> list[OverwriteWrite]:
    """Allow overwrites for leaders whose allow is not in place (named during the session)."""
    missing = []
    for user_id in leaders:
        pair = current_pair(channel, user_id)
        if pair is None or not pair[0] & SEND:
            missing.append(user_id)
    return leader_overwrites(missing)


def stale_allow_writes(
    channel: discord.abc.GuildChannel,
    bot_id: int,
    live: Live,
    writes: list[OverwriteWrite],
    *,
    live_after: bool,
) -> list[OverwriteWrite]:
    """Remove send-allows of members no longer entitled (a leader who stepped down)."""
    # The raw cached overwrites (ids and bits): `channel.overwrites` would build a
    # PermissionOverwrite per target and look up every member, on every phase change.
    allowed = [
        overwrite.id
        for overwrite in channel._overwrites  # noqa: SLF001
        if overwrite.type == MEMBER and overwrite.id != bot_id and overwrite.allow & SEND
    ]
    plan = plan_of(live.state)
    entitled = {uid for uid, send in plan.member_send.items() if send}
    if live_after:
        entitled |= set(live.leaders)
    touched = {w.target_id for w in writes if w.target_kind == "member" and w.target_id}
    return stale_member_allows(allowed, entitled, touched)
