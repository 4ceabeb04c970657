"""Nothing of a case is kept: no marker a member wrote reaches the store, the logs or a DM.

Every message in a simulated meeting carries a unique marker; some also trip the
identifier guard (in warn and in remove mode). Afterwards no marker occurs in the
SQLite file, its WAL, the captured logs (every logger at DEBUG), any DM the bot
sent, or any request the bot made to Discord.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import pytest

from bot.sim.interactions import message_text
from bot.sim.scenario import Scenario
from bot.sim.world import Channel, User
from bot.store import groups as group_store
from tests.support import make_group

TEMPLATES = [
    "{m} I keep thinking about her, the way she looked at me when I said it.",
    "{m} BP 150/90 and she is 84, on 2.5 mg bisoprolol; seen 3 times since 2019.",
    "{m} he wrote DOB 12/03/56 on the form",  # guard: a date of birth
    "{m} NHS number 943 476 5919",  # guard: NHS number
    "write to {m}@example.org",  # guard: the e-mail address is the marker itself
    "{m} call 07700 900123 if worried",  # guard: phone number
    "{m} I felt helpless, and then angry with myself.",
]


def database_files(path: Path) -> list[Path]:
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def leaks(blobs: dict[str, bytes], markers: list[str]) -> list[str]:
    found = []
    for where, blob in blobs.items():
        found += [f"{marker} in {where}" for marker in markers if marker.encode() in blob]
    return found


async def session_channel(world: Scenario, leader: User, lobby: Channel) -> Channel | None:
    """The live session's channel, when the facilitation capability provides /session start."""
    names = {c["name"] for cmds in world.sim.commands.values() for c in cmds}
    if "session" not in names:
        return None
    await world.sim.slash(leader, "session start", channel=lobby)
    row = await world.bot.db.fetchone(
        "SELECT text_channel_id FROM sessions WHERE status = 'live' AND text_channel_id IS NOT NULL"
    )
    assert row is not None, "/session start made no live session with a channel"
    return world.sim.channel(row["text_channel_id"])


async def test_no_marker_reaches_the_store_logs_or_dms(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=5)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    room = await session_channel(world, handle.leader, handle.lobby)
    channels = [c for c in (handle.lobby, leaders_channel, room) if c is not None]
    markers: list[str] = []
    people = handle.everyone

    async def talk(round_no: int) -> None:
        for index, template in enumerate(TEMPLATES * 2):
            author = people[(index + round_no) % len(people)]
            channel = channels[index % len(channels)]
            if not sim.can(author, channel, "send_messages"):
                channel = handle.lobby
            marker = f"MARKER-{uuid.uuid4().hex}"
            markers.append(marker)
            posted = await sim.post(author, channel, template.format(m=marker))
            assert posted is not None

    await talk(0)
    await group_store.update_settings(world.bot.db, handle.group.id, guard_mode="remove")
    await talk(1)
    export = await sim.slash(people[1], "privacy export", channel=handle.lobby)
    await world.advance(hours=2)
    await sim.settle()

    # The needle is right: the markers are in what the members wrote, and the guard acted.
    written = "\n".join(m.content for c in channels for m in c.messages)
    assert sum(marker in written for marker in markers) >= len(markers) // 2
    guard_dms = [m for u in people for m in sim.dms_to(u) if "seems to contain" in m.content]
    assert len(guard_dms) >= 8

    blobs: dict[str, bytes] = {str(p): p.read_bytes() for p in database_files(world.db_path)}
    await world.stop()
    blobs.update({f"{p} (closed)": p.read_bytes() for p in database_files(world.db_path)})
    logged = [caplog.text]
    for record in caplog.records:
        logged.append(record.getMessage())
        logged.append(record.exc_text or "")
    blobs["logs"] = "\n".join(logged).encode()
    for user in sim.world.users.values():
        for dm in sim.dms_to(user):
            text = message_text(dm).encode() + b"".join(data for _n, data in dm.files)
            blobs[f"DM to {user.name}"] = text
    blobs["export"] = b"".join(data for _n, data in export.files) + export.text.encode()
    blobs["REST calls"] = "\n".join(repr((c.url, c.json)) for c in sim.calls).encode()
    assert not leaks(blobs, markers)
