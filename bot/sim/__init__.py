"""In-process fake Discord for testing balint-bot through discord.py's own code."""

from .interactions import InteractionResult
from .permissions import DEFAULT_BOT, DEFAULT_EVERYONE
from .simulator import Simulator
from .transport import Call
from .world import Channel, Guild, Member, Message, Role, ScheduledEvent, User

__all__ = [
    "DEFAULT_BOT",
    "DEFAULT_EVERYONE",
    "Call",
    "Channel",
    "Guild",
    "InteractionResult",
    "Member",
    "Message",
    "Role",
    "ScheduledEvent",
    "Simulator",
    "User",
]
