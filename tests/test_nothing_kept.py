"""Nothing of a case is kept: no marker a member wrote reaches the store, the logs or a DM.

Every message in a simulated meeting (in the session channel, the lobby and the
leaders' channel) carries a unique marker; some trip the identifier guard (in
warn and in remove mode), and some are edited to carry a second marker. After
the session ends and the purge timer fires, no marker occurs in the SQLite
file, its WAL, the captured logs (every logger at DEBUG), any DM the bot sent,
or any request the bot made to Discord; and no marker written in the session
channel remains in any channel of the simulated Discord, whether the group uses
a new channel per session (deleted) or a permanent one (its messages deleted).
The lobby and leaders' channel are the group's own and keep their messages.

The second test covers what the first does not: threads in the lobby (titles, renames,
posts, a private one), a forwarded message and a file named by a member, Discord
refusing the guard's corrective calls and the network failing under it (the guard logs
ids and the failure's type), every gateway event logged at DEBUG as discord.py's
websocket does, and a backup written with the SQLite online backup.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

import pytest

from bot import log_redact
from bot.sim.interactions import message_text
from bot.sim.scenario import Scenario
from bot.sim.simulator import Simulator
from bot.sim.world import Channel, User
from bot.store import groups as group_store
from tests.support import make_group, network_down

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


async def session_channel(world: Scenario, leader: User, lobby: Channel) -> Channel:
    """The live session's channel, opened with the real /session start."""
    started = await world.sim.slash(leader, "session start", channel=lobby)
    row = await world.bot.db.fetchone(
        "SELECT text_channel_id FROM sessions WHERE status = 'live' AND text_channel_id IS NOT NULL"
    )
    assert row is not None, f"/session start made no live session with a channel: {started.text}"
    room = world.sim.channel(row["text_channel_id"])
    assert room is not None
    return room


def remaining(world: Scenario) -> str:
    """Every message still in a channel of the simulated Discord (DMs included)."""
    live = world.sim.world.channels
    return "\n".join(
        message_text(m)
        for m in world.sim.world.messages.values()
        if not m.deleted and m.channel_id in live
    )


@pytest.mark.parametrize("mode", ["new", "permanent"])
async def test_no_marker_reaches_the_store_logs_or_dms(
    scenario: Scenario, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    caplog.set_level(logging.DEBUG)
    world, sim = scenario, scenario.sim
    log_gateway_events(sim)
    handle = await make_group(world, size=5)
    await group_store.update_settings(world.bot.db, handle.group.id, session_channel=mode)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    assert leaders_channel is not None
    room = await session_channel(world, handle.leader, handle.lobby)
    channels = [room, handle.lobby, leaders_channel]
    markers: list[str] = []
    in_room: list[str] = []
    people = handle.everyone

    def marker() -> str:
        made = f"MARKER-{uuid.uuid4().hex}"
        markers.append(made)
        return made

    async def talk(round_no: int) -> None:
        for index, template in enumerate(TEMPLATES * 2):
            author = people[(index + round_no) % len(people)]
            channel = channels[index % len(channels)]
            if not sim.can(author, channel, "send_messages"):
                channel = handle.lobby
            first = marker()
            posted = await sim.post(author, channel, template.format(m=first))
            assert posted is not None
            written = [first]
            if index % 3 == 1 and not posted.deleted:  # edited: a second marker
                second = marker()
                assert await sim.edit(author, posted, template.format(m=second))
                written.append(second)
            if channel is room:
                in_room.extend(written)

    await talk(0)
    await group_store.update_settings(world.bot.db, handle.group.id, guard_mode="remove")
    await talk(1)
    export = await sim.slash(people[1], "privacy export", channel=handle.lobby)

    # The needle is right: the markers are in what the members wrote, and the guard acted.
    written = remaining(world)
    assert sum(m in written for m in markers) >= len(markers) // 2
    assert sum(m in written for m in in_room) >= len(in_room) // 2 >= 5
    guard_dms = [m for u in people for m in sim.dms_to(u) if "seems to contain" in m.content]
    assert len(guard_dms) >= 8

    ended = await sim.slash(handle.leader, "session end", channel=room)
    assert "has ended" in ended.text
    await world.advance(hours=2)
    await sim.settle()
    assert (sim.channel(room.id) is not None) == (mode == "permanent")
    left = remaining(world)
    assert not [m for m in in_room if m in left], "a session message survived the purge"

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


def log_gateway_events(sim: Simulator) -> None:
    """Log each event as discord.py's websocket does at DEBUG (gateway.py, received_message):
    the simulator hands events straight to the parsers, so that line is otherwise missing."""
    gateway, dispatch = logging.getLogger("discord.gateway"), sim.dispatch

    def logged(event: str, data: dict[str, Any]) -> None:
        gateway.debug(log_redact.GATEWAY_EVENT, None, {"t": event, "op": 0, "d": data})
        dispatch(event, data)

    sim.dispatch = logged  # type: ignore[method-assign]


def logged_blob(caplog: pytest.LogCaptureFixture) -> bytes:
    logged = [caplog.text]
    for record in caplog.records:
        logged += [record.getMessage(), record.exc_text or ""]
    return "\n".join(logged).encode()


# (method, route, status, code): the guard's corrective calls, refused by Discord.
REFUSALS = [
    ("DELETE", "/channels/{channel_id}/messages/{message_id}", 403, 50013),
    ("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", 403, 50013),
    ("POST", "/channels/{channel_id}/messages", 403, 50007),
    ("PATCH", "/channels/{channel_id}", 403, 50013),
]


async def test_threads_files_and_failures_leave_no_marker(
    allow_errors: Scenario, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    world, sim = allow_errors, allow_errors.sim
    log_gateway_events(sim)
    handle = await make_group(world, size=4)
    room = await session_channel(world, handle.leader, handle.lobby)
    member = handle.members[0]
    markers: list[str] = []

    def marker() -> str:
        made = f"MARKER-{uuid.uuid4().hex}"
        markers.append(made)
        return made

    thread = await sim.create_thread(member, handle.lobby, f"{marker()} DOB 12/03/1956")
    assert thread is not None
    assert await sim.post(member, thread, f"{marker()} her NHS number 943 476 5919")
    assert await sim.post(member, thread, f"{marker()} I felt helpless")
    assert await sim.rename_thread(member, thread, f"{marker()} call 07700 900123")
    private = await sim.create_thread(member, handle.lobby, f"{marker()} us two", private=True)
    assert private is not None and await sim.post(member, private, f"{marker()} between us")
    files = [(f"{marker()}-letter.pdf", marker().encode())]
    assert await sim.post(member, room, f"{marker()} the letter", attachments=files)
    source = await sim.post(member, handle.lobby, f"{marker()} born 3 March 1956")
    assert source is not None and await sim.forward(member, source, room)

    await group_store.update_settings(world.bot.db, handle.group.id, guard_mode="remove")
    for method, route, status, code in REFUSALS:
        sim.inject(method, route, status, code, times=10)
        assert await sim.post(member, room, f"{marker()} NHS 943 476 5919")
        assert await sim.post(member, thread, f"{marker()} MRN 00123456")
        await sim.rename_thread(member, thread, f"{marker()} DOB 12/03/56")
        sim._injections.clear()
    handle_request = sim._handle_request
    for method in ("DELETE", "POST"):
        network_down(sim, method)
        assert await sim.post(member, room, f"{marker()} SSN 123-45-6789")
        sim._handle_request = handle_request  # type: ignore[method-assign]
    broken = [r for r in caplog.records if "ClientConnectionError" in r.getMessage()]
    assert len(broken) == 2, "the guard did not log the two network failures"

    # The needle is right: the guard acted, the gateway lines were logged (blanked).
    assert len([m for m in sim.dms_to(member) if "seems to contain" in m.content]) >= 6
    assert any(r.getMessage().startswith("identifier guard could not") for r in caplog.records)
    assert caplog.text.count(log_redact.PLACEHOLDER) >= 20
    export = await sim.slash(member, "privacy export", channel=handle.lobby)
    assert export.files
    ended = await sim.slash(handle.leader, "session end", channel=room)
    assert "has ended" in ended.text
    await world.advance(hours=2)

    backup = tmp_path / "backup.sqlite3"
    await world.bot.db.backup(backup)
    blobs = {str(p): p.read_bytes() for p in database_files(world.db_path)}
    blobs["backup"] = backup.read_bytes()
    await world.stop()
    blobs.update({f"{p} (closed)": p.read_bytes() for p in database_files(world.db_path)})
    blobs["logs"] = logged_blob(caplog)
    for user in sim.world.users.values():
        blobs[f"DMs to {user.name}"] = "\n".join(map(message_text, sim.dms_to(user))).encode()
    blobs["export"] = b"".join(data for _n, data in export.files) + export.text.encode()
    blobs["REST calls"] = "\n".join(repr((c.url, c.json)) for c in sim.calls).encode()
    assert not leaks(blobs, markers)
