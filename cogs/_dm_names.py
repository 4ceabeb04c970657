"""A group's name as a DM shows it: the one place DMs take it from.

Why: one bot serves several servers, and a GP may be in (or lead) "Thursday Balint" on
two of them. A DM comes from the bot, not from a server, so "Thursday Balint" alone does
not say which meeting a reminder, a case prompt, a phase warning or a leaders' notice is
about. For someone in a group of the same name on another server the name is followed
by its server: "Thursday Balint (Coastal GPs)". Everyone else gets the name alone.

Decided: the server only when the name is not unique among the reader's own groups,
not always. Most GPs are in one group: the server's name would lengthen every reminder
and notice of a meeting (a leader gets about twenty DMs in a week with one meeting,
tests/test_leader_noise.py) and tell them nothing; it is there exactly when the name
alone could mean two meetings to them. Judged per reader, so a co-leader of only one of
the two reads the plain name. Not covered: two servers that also share a name.

The leaders' notices by DM (a phase warning, the quorum warning, ...) are worded per
reader too: they come as a `Line`, filled in once for each leader.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Protocol

from bot import names
from bot.store import groups as group_store
from bot.store.groups import Group
from bot.texts import common as texts

if TYPE_CHECKING:
    from bot.app import BalintBot


class Line(Protocol):
    """A notice worded with the group's name as its reader sees it (`group=`)."""

    def __call__(self, *, group: str) -> str: ...


def line_of(template: str, **fields: object) -> Line:
    """`template` filled in per reader: `{group}` with the name they see, the rest alike."""
    return partial(template.format, **fields)


class DmGroupName:
    """The name of one group for each recipient of a round of DMs (one query per round)."""

    def __init__(self, group: Group, server: str | None, twins: set[int]) -> None:
        self.group = group
        self.server = server
        self.twins = twins

    @classmethod
    async def of(cls, bot: BalintBot, group: Group) -> DmGroupName:
        twins = await group_store.in_namesakes(bot.db, group)
        return cls(group, _server(bot, group) if twins else None, twins)

    def to(self, user_id: int) -> str:
        """The group's name in a DM to this person."""
        return _named(self.group, self.server if user_id in self.twins else None)


async def dm_group_name(bot: BalintBot, group: Group, user_id: int) -> str:
    """The group's name in a DM to one person."""
    return (await DmGroupName.of(bot, group)).to(user_id)


def named_in_dm(bot: BalintBot, group: Group, *, twin: bool) -> str:
    """The group's name in a DM to one person whose namesake was judged earlier (`twin`):
    an erasure's answer comes after the memberships that `in_namesakes` reads are gone."""
    return _named(group, _server(bot, group) if twin else None)


def _named(group: Group, server: str | None) -> str:
    """The name alone, or followed by its server's for a reader with a namesake."""
    if server is None:
        return group.name
    return texts.GROUP_ON_SERVER.format(group=group.name, server=server)


def _server(bot: BalintBot, group: Group) -> str | None:
    guild = bot.get_guild(group.guild_id)
    return names.markdown(guild.name) if guild is not None else None
