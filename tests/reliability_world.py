"""The reliability suite's world: two groups, every kind of actor, a live session with a presenter.

Built the way users would build it (real /group create, /group add,
/session start, /session presenter through the simulator), plus
`store_invariants`, the consistency check every fault test ends with.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.sim.scenario import Scenario
from bot.sim.world import Channel, User
from bot.store import sessions as session_store
from bot.store.sessions import Session
from tests.support import GroupHandle, make_group

# Actor names used by the table and the tests (bot/domain/access.py Actor values where they exist).
ACTORS = (
    "outsider",
    "other_group_member",
    "member",
    "presenter",
    "admin",
    "organiser",
    "co_leader",
    "leader",
)


@dataclass
class ReliabilityWorld:
    """One server: group A (leader, co-leader, 6 members), group B (leader, 3), the rest."""

    world: Scenario
    a: GroupHandle
    b: GroupHandle
    session: Session | None = None
    channel: Channel | None = None
    presenter: User | None = None

    @property
    def sim(self):  # noqa: ANN201 - the Simulator
        return self.world.sim

    @property
    def bot(self):  # noqa: ANN201 - the BalintBot (changes on restart)
        return self.world.bot

    @property
    def plain_member(self) -> User:
        """A member of A who is not the presenter."""
        return self.a.members[-1]

    def actor(self, name: str) -> User:
        """The user who plays `name` with respect to group A."""
        table = {
            "outsider": self.world.outsider,
            "other_group_member": self.b.members[0],
            "member": self.plain_member,
            "presenter": self.presenter or self.a.members[0],
            "admin": self.world.admin,
            "organiser": self.world.organiser,
            "co_leader": self.a.co_leader,
            "leader": self.a.leader,
        }
        user = table[name]
        assert user is not None
        return user

    async def reload_session(self) -> Session:
        assert self.session is not None
        fresh = await session_store.get(self.bot.db, self.session.id)
        assert fresh is not None
        self.session = fresh
        return fresh

    async def leader_runs(self, command: str, **options: object):  # noqa: ANN201
        channel = self.channel or self.a.lobby
        return await self.sim.slash(self.a.leader, command, channel=channel, options=options)


async def build_world(world: Scenario, *, live: bool = True) -> ReliabilityWorld:
    """Groups A and B; with `live`, a session in A in the case call with a chosen presenter."""
    people = world.people
    a = await make_group(
        world,
        name="Group A",
        leader=people[0],
        co_leader=people[1],
        members=people[2:8],
    )
    b = await make_group(world, name="Group B", leader=people[8], members=people[9:12])
    rw = ReliabilityWorld(world=world, a=a, b=b)
    if live:
        await start_live_session(rw)
    world.sim.reset_calls()
    return rw


async def start_live_session(rw: ReliabilityWorld) -> None:
    """/session start, /phase next (check-in -> case call), /session presenter."""
    sim = rw.sim
    started = await sim.slash(rw.a.leader, "session start", channel=rw.a.lobby)
    session = await session_store.live_for_group(rw.bot.db, rw.a.group.id)
    assert session is not None, started.text
    rw.session = session
    rw.channel = sim.channel(session.text_channel_id)
    await rw.leader_runs("phase next")
    rw.presenter = rw.a.members[0]
    chosen = await rw.leader_runs("session presenter", member=rw.presenter)
    assert "presents" in chosen.text, chosen.text
    await rw.reload_session()


# --- invariants -------------------------------------------------------------------------------

AFTER_END_TIMER_KINDS = frozenset(
    {
        "session_purge",
        "session_purge_failed",
        "pulse_close",
        "case_prompt",
        "case_prompt_scan",
        "followup_prompt",
        "retention",
        "session_reminder",
        "session_quorum",
        "advance_schedule",
        # Facilitation's session timers stay pending after the end by design: each handler
        # re-reads the session and does nothing unless it is still live (cogs/_session_timers.py).
        "session_phase_warn",
        "session_phase_end",
        "session_scheduled_end",
        "session_silence",
        "session_away",
        "session_round_turn",
    }
)


async def store_invariants(db, sim) -> list[str]:  # noqa: ANN001 - Database, Simulator
    """Every way the store can disagree with Discord or with itself; [] when consistent."""
    problems: list[str] = []
    world = sim.world
    for g in await db.fetchall("SELECT * FROM groups WHERE archived_at IS NULL"):
        name = f"group {g['id']}"
        if g["role_id"] is None:
            problems.append(f"{name}: no role")
        elif g["role_id"] not in world.roles:
            problems.append(f"{name}: role {g['role_id']} missing in Discord")
        for column in ("category_id", "lobby_channel_id"):
            if g[column] is None or g[column] not in world.channels:
                problems.append(f"{name}: {column} {g[column]} missing in Discord")
    for s in await db.fetchall("SELECT * FROM sessions WHERE status = 'live'"):
        if s["text_channel_id"] is None or s["text_channel_id"] not in world.channels:
            problems.append(f"live session {s['id']}: channel {s['text_channel_id']} missing")
    done = await db.fetchall(
        "SELECT t.kind, t.session_id, s.status FROM timers t JOIN sessions s "
        "ON s.id = t.session_id WHERE t.state = 'pending' AND s.status IN ('ended', 'cancelled')"
    )
    for t in done:
        if t["kind"] not in AFTER_END_TIMER_KINDS:
            problems.append(
                f"timer {t['kind']} pending for {t['status']} session {t['session_id']}"
            )
    for table in ("attendance", "offers", "rsvps", "session_queue", "session_away", "cases"):
        orphans = await db.fetchall(
            f"SELECT session_id FROM {table} WHERE session_id NOT IN (SELECT id FROM sessions)"  # noqa: S608
        )
        if orphans:
            problems.append(f"{table}: {len(orphans)} rows for sessions that do not exist")
    for m in await db.fetchall(
        "SELECT v.user_id, v.session_id, s.status FROM voice_mutes v "
        "LEFT JOIN sessions s ON s.id = v.session_id"
    ):
        if m["status"] != "live":
            problems.append(f"voice mute of {m['user_id']} outlives session {m['session_id']}")
    memberless = await db.fetchall(
        "SELECT m.group_id FROM memberships m WHERE m.group_id NOT IN (SELECT id FROM groups)"
    )
    if memberless:
        problems.append(f"memberships of missing groups: {len(memberless)}")
    return problems
