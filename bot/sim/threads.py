"""Threads in the fake Discord: members open and rename them; the bot renames or deletes them.

As Discord documents them (Threads topic; Channel resource: Start Thread, Modify
Channel, Delete Channel):

* A thread takes its parent's permissions. Opening one needs Create Public Threads
  or Create Private Threads in the parent (a forum post: Send Messages); writing in
  one needs Send Messages in Threads, not Send Messages.
* A private thread is seen by the people in it and by moderators (Manage Threads);
  the gateway tells only those who can see a thread of it (THREAD_CREATE with
  ``newly_created``, THREAD_UPDATE, THREAD_DELETE).
* Renaming a thread needs Manage Threads or being the one who opened it; it posts a
  CHANNEL_NAME_CHANGE message (type 4) in the thread, by whoever renamed it, whose
  content is the new name. Deleting a thread needs Manage Threads.
* A thread is archived after a while without activity (THREAD_UPDATE); an archived
  thread can be renamed only in the same request that unarchives it. "Sending a
  message will automatically unarchive the thread, unless the thread has been locked
  by a moderator" (THREAD_UPDATE, its name unchanged).
* A public thread opened without a message posts a THREAD_CREATED message (type 18)
  in the parent channel, by its opener, whose content is the thread's name. A
  thread opened on a message takes that message's id; a forum post's first message
  has the thread's id too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import payloads as P
from .permissions import MANAGE_THREADS, channel_permissions
from .rename_limit import check_rename
from .routes_guild import ApiError, Result, fail
from .world import Channel, Member, Message, User

if TYPE_CHECKING:
    from .simulator import Simulator
    from .transport import Call

PUBLIC_THREAD, PRIVATE_THREAD, FORUM = 11, 12, 15
CHANNEL_NAME_CHANGE, THREAD_CREATED = 4, 18
NAME_LIMIT = 100


def _user(u: User | Member) -> User:
    return u.user if isinstance(u, Member) else u


def _tell_bot(sim: Simulator, event: str, thread: Channel, data: dict) -> None:
    """Gateway events about a thread reach only those who can see it."""
    if sim.can(sim.bot_user, thread, "view_channel"):
        sim.dispatch(event, data)


def publish_if_seen(sim: Simulator, msg: Message, channel: Channel) -> None:
    """MESSAGE_CREATE reaches the bot only if it can see the channel (a private thread)."""
    if sim.can(sim.bot_user, channel, "view_channel"):
        sim.publish(msg)
    else:
        sim.world.add_message(msg)


def _system_message(sim: Simulator, channel: Channel, author: User, kind: int, text: str) -> None:
    msg = Message(
        id=sim.world.snowflake(),
        channel_id=channel.id,
        author=author,
        content=text,
        guild_id=channel.guild_id,
        type=kind,
    )
    publish_if_seen(sim, msg, channel)


async def create_thread(
    self: Simulator,
    user: User | Member,
    channel: Channel,
    name: str,
    *,
    private: bool = False,
    message: Message | None = None,
    content: str = "",
) -> Channel | None:
    """A member opens a thread (on `message`, or a forum post with `content`).

    None when Discord would refuse it: 403 Missing Permissions (50013).
    """
    u = _user(user)
    forum = channel.type == FORUM
    need = ["view_channel"]
    if forum:
        need.append("send_messages")
    else:
        need.append("create_private_threads" if private else "create_public_threads")
    if not 1 <= len(name) <= NAME_LIMIT or not self.can(u, channel, *need):
        self.refused_posts.append((u, channel, name))
        return None
    thread = Channel(
        id=message.id if message is not None else self.world.snowflake(),
        type=PRIVATE_THREAD if private and not forum else PUBLIC_THREAD,
        name=name,
        guild_id=channel.guild_id,
        parent_id=channel.id,
        owner_id=u.id,
        thread_members={u.id},
    )
    self.world.add_channel(self.world.guild_of(channel), thread)
    _tell_bot(self, "THREAD_CREATE", thread, P.thread(thread, newly_created=True))
    if forum:
        starter = Message(
            id=thread.id, channel_id=thread.id, author=u, content=content, guild_id=thread.guild_id
        )
        publish_if_seen(self, starter, thread)
    elif not private and message is None:
        _system_message(self, channel, u, THREAD_CREATED, name)
    await self.settle()
    return thread


async def rename_thread(self: Simulator, user: User | Member, thread: Channel, name: str) -> bool:
    """The thread's opener (or a moderator) renames it; False when Discord would refuse."""
    u = _user(user)
    guild = self.world.guild_of(thread)
    member = guild.members.get(u.id) if guild is not None else None
    if member is None or thread.id not in self.world.channels:
        return False
    perms = channel_permissions(guild, member, thread)
    mine = thread.owner_id == u.id and not thread.locked
    if not 1 <= len(name) <= NAME_LIMIT or not (perms and (mine or perms & MANAGE_THREADS)):
        return False
    _rename(self, thread, u, name)
    await self.settle()
    return True


def set_archived(sim: Simulator, thread: Channel, archived: bool) -> None:
    """Archive or unarchive; each change moves the thread's archive_timestamp."""
    if thread.archived != archived:
        thread.archived = archived
        # `before` pages by this: two threads never share it in the simulator.
        thread.archive_changed = sim.world.moment()


async def archive_thread(self: Simulator, thread: Channel) -> None:
    """Discord archives a thread after its auto-archive duration without activity."""
    set_archived(self, thread, True)
    _tell_bot(self, "THREAD_UPDATE", thread, P.thread(thread))
    await self.settle()


def wake(sim: Simulator, thread: Channel) -> None:
    """A message sent in an archived thread unarchives it (not a locked one: the caller
    refuses that post)."""
    if thread.archived and not thread.locked:
        set_archived(sim, thread, False)
        _tell_bot(sim, "THREAD_UPDATE", thread, P.thread(thread))


def _rename(sim: Simulator, thread: Channel, by: User, name: str) -> None:
    if name == thread.name:
        return
    thread.name = name
    # An archived thread is renamed by unarchiving it in one request.
    set_archived(sim, thread, False)
    _tell_bot(sim, "THREAD_UPDATE", thread, P.thread(thread))
    _system_message(sim, thread, by, CHANNEL_NAME_CHANGE, name)


def edit_thread(sim: Simulator, c: Call) -> Result:
    """PATCH /channels/{thread}: the bot renames (or archives) a thread."""
    thread = sim.channel_or_404(int(c.params["channel_id"]))
    guild = sim.world.guild_of(thread)
    assert guild is not None
    body = c.json or {}
    if thread.owner_id != sim.bot_user.id:
        sim.require(guild, MANAGE_THREADS, thread)
    if "name" in body:
        name = str(body["name"] or "")
        if not 1 <= len(name) <= NAME_LIMIT:
            raise ApiError(400, P.error(50035, "Invalid Form Body"))
        check_rename(sim, thread, body)
        _rename(sim, thread, sim.bot_user, name)
    for key in ("archived", "locked"):
        if key in body:
            if key == "archived":
                set_archived(sim, thread, bool(body[key]))
            else:
                thread.locked = bool(body[key])
            _tell_bot(sim, "THREAD_UPDATE", thread, P.thread(thread))
    return 200, P.thread(thread)


def delete_thread(sim: Simulator, c: Call) -> Result:
    """DELETE /channels/{thread}: needs Manage Threads; THREAD_DELETE, not CHANNEL_DELETE."""
    thread = sim.channel_or_404(int(c.params["channel_id"]))
    guild = sim.world.guild_of(thread)
    if guild is None:
        raise fail(P.MISSING_PERMISSIONS)
    sim.require(guild, MANAGE_THREADS, thread)
    data = P.thread(thread)
    gone = {"id": str(thread.id), "guild_id": str(guild.id), "parent_id": str(thread.parent_id)}
    _tell_bot(sim, "THREAD_DELETE", thread, {**gone, "type": thread.type})
    sim.world.remove_channel(thread)
    return 200, data
