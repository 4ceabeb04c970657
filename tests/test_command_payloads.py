"""Every application command the bot registers is within Discord's documented limits.

Discord refuses the whole bulk overwrite if one command breaks a rule, so `balint-bot
sync` would fail for a new user; the simulator does not check these, this test does.
(discord.com/developers/docs/interactions/application-commands)  It also checks that
`balint-bot sync` leaves the timers alone: it logs in over REST only, with no cache.
"""

from __future__ import annotations

import asyncio
import unicodedata
from datetime import UTC, datetime, timedelta

import discord

from bot.config import Settings, load_settings
from bot.sim.simulator import Simulator
from bot.sim.transport import FakeSession
from bot.store import timers as timer_store
from bot.store.database import Database
from bot.sync import command_payloads, sync_commands

SUB, GROUP = 1, 2


def name_ok(name: str) -> bool:
    # ^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$ and lowercase where a lowercase exists
    if not 1 <= len(name) <= 32 or name != name.lower():
        return False
    return all(c in "-_" or unicodedata.category(c)[0] in "LN" for c in name)


def chars(obj: dict) -> int:
    total = len(obj.get("name", "")) + len(obj.get("description", ""))
    for ch in obj.get("choices") or []:
        total += len(ch["name"]) + len(str(ch["value"]))
    for opt in obj.get("options") or []:
        total += chars(opt)
    return total


def check_option_list(problems: list[str], path: str, options: list[dict], depth: int) -> None:
    if len(options) > 25:
        problems.append(f"{path}: {len(options)} options > 25")
    seen_optional = False
    kinds = {o["type"] in (SUB, GROUP) for o in options}
    if len(kinds) > 1:
        problems.append(f"{path}: mixes subcommands with plain options")
    names = [o["name"] for o in options]
    if len(set(names)) != len(names):
        problems.append(f"{path}: duplicate option names {names}")
    for opt in options:
        p = f"{path} {opt['name']}"
        check_named(problems, p, opt)
        if opt["type"] == GROUP:
            if depth != 0:
                problems.append(f"{p}: subcommand group nested below top level")
            check_option_list(problems, p, opt.get("options", []), depth + 1)
        elif opt["type"] == SUB:
            if depth > 1:
                problems.append(f"{p}: subcommand too deep")
            check_option_list(problems, p, opt.get("options", []), depth + 1)
        else:
            if opt.get("required"):
                if seen_optional:
                    problems.append(f"{p}: required option after an optional one")
            else:
                seen_optional = True
            choices = opt.get("choices") or []
            if len(choices) > 25:
                problems.append(f"{p}: {len(choices)} choices > 25")
            if choices and opt.get("autocomplete"):
                problems.append(f"{p}: choices with autocomplete")
            for ch in choices:
                if not 1 <= len(ch["name"]) <= 100:
                    problems.append(f"{p}: choice name {ch['name']!r} length")
                if isinstance(ch["value"], str) and not 1 <= len(ch["value"]) <= 100:
                    problems.append(f"{p}: choice value {ch['value']!r} length")
            if opt["type"] == 3:
                mn, mx = opt.get("min_length"), opt.get("max_length")
                if mn is not None and not 0 <= mn <= 6000:
                    problems.append(f"{p}: min_length {mn}")
                if mx is not None and not 1 <= mx <= 6000:
                    problems.append(f"{p}: max_length {mx}")


def check_named(problems: list[str], path: str, obj: dict) -> None:
    if not name_ok(obj["name"]):
        problems.append(f"{path}: invalid name {obj['name']!r}")
    desc = obj.get("description", "")
    if not 1 <= len(desc) <= 100:
        problems.append(f"{path}: description length {len(desc)}: {desc!r}")


async def test_every_command_payload_is_within_discords_limits() -> None:
    problems: list[str] = []
    payloads = await command_payloads(Settings())
    assert payloads, "no commands at all"
    chat = [c for c in payloads if c.get("type", 1) == 1]
    if len(chat) > 100:
        problems.append(f"{len(chat)} top-level slash commands > 100")
    for cmd in payloads:
        check_named(problems, f"/{cmd['name']}", cmd)
        check_option_list(problems, f"/{cmd['name']}", cmd.get("options", []), 0)
        total = chars(cmd)
        if total > 4000:
            problems.append(f"/{cmd['name']}: {total} combined characters > 4000")
        perms = cmd.get("default_member_permissions")
        if perms is not None and not str(perms).isdigit():
            problems.append(f"/{cmd['name']}: default_member_permissions {perms!r}")
    assert problems == []


def test_the_checker_catches_what_discord_refuses() -> None:
    problems: list[str] = []
    check_named(problems, "/Bad Name", {"name": "Bad Name", "description": ""})
    option = {"type": 3, "name": "x", "description": "x", "required": True}
    optional = {**option, "name": "y", "required": False}
    check_option_list(problems, "/c", [optional, option], 0)
    assert len(problems) == 3, problems


async def test_sync_fires_no_timer(tmp_path, monkeypatch) -> None:
    """`balint-bot sync` (README: after each upgrade) must not send a due reminder."""
    db_path = tmp_path / "balint.sqlite3"
    db = Database(db_path)
    await db.open()
    await db.migrate()
    now = datetime.now(UTC)
    timer = await timer_store.add(
        db,
        kind="session_reminder",
        dedupe_key="remind:999:60:0",
        due_at=now - timedelta(minutes=5),
        now=now - timedelta(hours=2),
    )
    await db.close()
    assert timer is not None
    sim = Simulator()

    async def static_login(self, token):  # the simulator's HTTP seam, as bot/sim/lifecycle.py
        self._HTTPClient__session = FakeSession(sim)
        self._global_over = asyncio.Event()
        self._global_over.set()
        self.token = token
        return await self.request(discord.http.Route("GET", "/users/@me"))

    monkeypatch.setattr(discord.http.HTTPClient, "static_login", static_login)
    settings = load_settings(None, database_path=db_path, token="sim-token")
    assert "synced" in await sync_commands(settings)
    assert sim.calls_matching("PUT"), "the commands were not sent"
    db = Database(db_path)
    await db.open()
    row = await db.fetchone("SELECT state FROM timers WHERE id = ?", (timer.id,))
    await db.close()
    assert row["state"] == timer_store.PENDING


def _options(payload: dict, path: str) -> list[tuple[str, dict]]:
    found = []
    for opt in payload.get("options") or []:
        here = f"{path} {opt['name']}"
        if opt["type"] in (SUB, GROUP):
            found += _options(opt, here)
        else:
            found.append((here, opt))
    return found


async def test_every_option_tells_a_leader_what_to_give() -> None:
    """discord.py fills an undescribed option with "…": a leader in the command picker at
    9 pm sees `minutes …` under /phase extend. Every option says what it wants, and every
    `group` option lists the caller's groups as they type, as /session start does."""
    payloads = await command_payloads(Settings())
    options = [found for cmd in payloads for found in _options(cmd, f"/{cmd['name']}")]
    assert options
    vague = [path for path, opt in options if opt["description"].strip(" .…") == ""]
    assert vague == []
    typed = [p for p, o in options if o["name"] == "group" and not o.get("autocomplete")]
    assert typed == []


async def test_global_sync_says_what_the_readme_says(tmp_path, monkeypatch) -> None:
    """README step 6: global commands appear within moments (no hour's wait since 2022);
    `balint-bot sync` said "Discord may take up to an hour", so an operator waited."""
    sim = Simulator()

    async def static_login(self, token):  # the simulator's HTTP seam, as above
        self._HTTPClient__session = FakeSession(sim)
        self._global_over = asyncio.Event()
        self._global_over.set()
        self.token = token
        return await self.request(discord.http.Route("GET", "/users/@me"))

    monkeypatch.setattr(discord.http.HTTPClient, "static_login", static_login)
    settings = load_settings(None, database_path=tmp_path / "b.sqlite3", token="sim-token")
    said = await sync_commands(settings)
    assert said.startswith("synced ") and "globally" in said
    assert "hour" not in said and "Ctrl+R" in said
