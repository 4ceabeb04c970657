"""Updates Discord makes to a message that are not edits: a link preview, a pin.

Discord sends each as MESSAGE_UPDATE carrying the whole message ("a message object with
the same extra fields as MESSAGE_CREATE", docs/events/gateway-events#message-update), its
`edited_timestamp` left as it was: only the author's edit sets it. So a bot that re-reads
every MESSAGE_UPDATE reads the same text again when a preview resolves or a message is
pinned; these let a test show that.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .threads import publish_if_seen
from .world import Member, Message, User

if TYPE_CHECKING:
    from .simulator import Simulator

SUPPRESS_EMBEDS = 1 << 2
PINNED_NOTICE = 6  # message type CHANNEL_PINNED_MESSAGE: "<user> pinned a message"
# A link Discord previews: not one in <angle brackets> (that suppresses its preview).
LINK = re.compile(r"(?<!<)https?://[^\s<>]+")


def _user(u: User | Member) -> User:
    return u.user if isinstance(u, Member) else u


def _live(self: Simulator, message: Message) -> bool:
    return not message.deleted and message.id in self.world.messages


async def unfurl(self: Simulator, message: Message) -> bool:
    """The links in a message resolve into previews, seconds after it was posted or edited.

    Discord adds a link embed per link and sends MESSAGE_UPDATE with the whole message;
    `edited_timestamp` does not change (the message shows no "(edited)"). False when
    there is nothing to preview: the message is gone, has no link, its embeds are
    suppressed, or its links are previewed already.
    """
    if not _live(self, message) or message.flags & SUPPRESS_EMBEDS:
        return False
    shown = {embed.get("url") for embed in message.embeds}
    links = [link.rstrip(".,;:!?)'\"") for link in LINK.findall(message.content)]
    new = [link for link in dict.fromkeys(links) if link not in shown]
    if not new:
        return False
    message.embeds = [*message.embeds, *({"type": "link", "url": link} for link in new)]
    self.dispatch("MESSAGE_UPDATE", self.message_payload(message))
    await self.settle()
    return True


async def pin(self: Simulator, user: User | Member, message: Message) -> bool:
    """A member pins a message (Pin Messages, split from Manage Messages in 2025).

    Discord sends MESSAGE_UPDATE with `pinned` true (the whole message, `edited_timestamp`
    unchanged), CHANNEL_PINS_UPDATE, and posts the "pinned a message" notice (type 6) by
    the member, referring to the message. False when Discord would refuse, or the message
    is pinned already.
    """
    u = _user(user)
    channel = self.world.channels.get(message.channel_id)
    if channel is None or not _live(self, message) or message.pinned:
        return False
    if channel.type != 1 and not self.can(u, channel, "view_channel", "pin_messages"):
        return False
    message.pinned = True
    self.dispatch("MESSAGE_UPDATE", self.message_payload(message))
    pins: dict[str, Any] = {
        "channel_id": str(channel.id),
        "last_pin_timestamp": self.world.moment().isoformat(),
    }
    if channel.guild_id:
        pins["guild_id"] = str(channel.guild_id)
    self.dispatch("CHANNEL_PINS_UPDATE", pins)
    notice = Message(
        id=self.world.snowflake(),
        channel_id=channel.id,
        author=u,
        guild_id=channel.guild_id,
        type=PINNED_NOTICE,
        reference=message,
    )
    publish_if_seen(self, notice, channel)
    await self.settle()
    return True
