"""Count what the bot sends to a group's leaders: each DM to a leader, each leaders'-channel line.

Why: leaders are tired GPs; every line costs them attention. The recorder wraps the
simulator's `publish` (every message Discord stores goes through it) and notes, for each
message meant for a leader, its kind, its recipient and the group-local time it came.
Ephemeral answers are not counted: they answer what the leader just did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.sim.scenario import Scenario
from bot.sim.world import Message, User
from bot.texts import facilitation, scheduling
from tests.session_support import leader, reload, start_session
from tests.support import GroupHandle

TEMPLATES: dict[str, str] = {
    "reminder": scheduling.REMINDER_DM,
    "quorum warning": scheduling.QUORUM_WARNING,
    "phase warning": facilitation.DM_PHASE_WARNING["leaders"],
    "phase warning (closing)": facilitation.DM_PHASE_WARNING["close"],
    "phase warning (no presenter)": facilitation.DM_PHASE_WARNING["no_presenter"],
    "phase warning (auto, no presenter)": facilitation.DM_PHASE_WARNING["wait_presenter"],
    "phase warning (auto)": facilitation.DM_PHASE_WARNING["next"],
    "phase warning (auto-end)": facilitation.DM_PHASE_WARNING["end"],
    "phase warning (scheduled end)": facilitation.DM_PHASE_WARNING["session_end"],
    "end soon (auto)": facilitation.DM_END_SOON_AUTO,  # before "end soon": it matches both
    "end soon": facilitation.DM_END_SOON,
    "end now": facilitation.DM_END_NOW,
    "end now (auto)": facilitation.DM_END_NOW_AUTO,
    "silence": facilitation.DM_SILENCE,
    "away": facilitation.DM_AWAY,
}


def _pattern(template: str) -> re.Pattern[str]:
    """A template as a regular expression: each {field} matches anything."""
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile(".*".join(re.escape(p) for p in parts), re.DOTALL)


_PATTERNS = {name: _pattern(t) for name, t in TEMPLATES.items()}


def kind_of(content: str) -> str:
    """A short name for a message: the template it was made from, else its first words."""
    for name, pattern in _PATTERNS.items():
        if pattern.search(content):
            return name
    return " ".join(content.split()[:8])


@dataclass(frozen=True)
class Sent:
    """One message meant for a leader: what, to whom, when (group-local)."""

    kind: str
    to: str
    at: datetime
    content: str


class LeaderNoise:
    """Records every message the bot sends to the handle's leaders, as it is stored."""

    def __init__(self, world: Scenario, handle: GroupHandle) -> None:
        self.world = world
        self.handle = handle
        self.zone = ZoneInfo(handle.group.zone)
        self.sent: list[Sent] = []
        self._leaders = {u.id: u for u in (handle.leader, handle.co_leader) if u}
        sim = world.sim
        original = sim.publish

        def recording(msg: Message) -> dict[str, Any]:
            data = original(msg)
            self._note(msg)
            return data

        sim.publish = recording  # type: ignore[method-assign]

    def _note(self, msg: Message) -> None:
        sim = self.world.sim
        if msg.ephemeral or msg.author.id != sim.bot_user.id:
            return
        to = None
        if msg.channel_id == self.handle.group.leaders_channel_id:
            to = "leaders' channel"
        else:
            for uid, user in self._leaders.items():
                dm = sim.world.dm_channels.get(uid)
                if dm is not None and dm.id == msg.channel_id:
                    to = f"DM {user.name}"
        if to is None:
            return
        at = self.world.clock.now().astimezone(self.zone)
        self.sent.append(Sent(kind_of(msg.content), to, at, msg.content))

    def lines(self) -> list[str]:
        return [f"{s.at:%a %H:%M} {s.to}: {s.kind}" for s in self.sent]

    def of(self, kind: str) -> list[Sent]:
        return [s for s in self.sent if s.kind == kind]


async def until(world: Scenario, moment: datetime) -> None:
    """Move the clock to `moment` (timers fire on the way)."""
    await world.advance(seconds=(moment - world.clock.now()).total_seconds())


async def run_meeting(
    world: Scenario,
    handle: GroupHandle,
    presenters: list[User],
    *,
    talkers: list[User],
    by_hand: bool = True,
    away: list[User] | None = None,
) -> None:
    """Start the meeting, run two cases; the leader moves on when each phase's time is up.

    `by_hand`: the leader runs /phase next at each deadline (else auto-advance does).
    Members talk in the discussion every two minutes, so no silence nudge is due.
    """
    session, channel = await start_session(world, handle)
    queue = list(presenters)
    while True:
        state = await reload(world, session)
        if state.status != "live":
            return
        if state.phase == "case_call" and queue:
            chosen = await leader(world, handle, "session presenter", channel, member=queue.pop(0))
            assert "presents" in chosen.text, chosen.text
        deadline = state.phase_deadline
        if state.phase == "discussion" and away:
            for user in away:
                await world.sim.slash(user, "away", channel=channel)
            away = None
        if state.phase == "discussion":
            while deadline - world.clock.now() > timedelta(minutes=2):
                await world.advance(minutes=2)
                await world.sim.post(talkers[0], channel, "a thought")
                talkers.append(talkers.pop(0))
        await until(world, max(deadline, world.clock.now()))
        state = await reload(world, session)
        if state.status != "live":
            return
        if by_hand or state.phase == "closing":
            moved = await leader(world, handle, "phase next", channel)
            assert (await reload(world, session)).phase != state.phase, moved.text
        else:
            await world.advance(seconds=1)


__all__ = ["LeaderNoise", "Sent", "kind_of", "run_meeting", "until"]
