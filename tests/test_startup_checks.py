"""What the operator and the organiser hear when the set-up is incomplete.

A bot invited without one of the README's permissions, or started before
`balint-bot sync`, works on Discord only in part and says nothing there: the
start-up log, /group create and /session start name what is missing.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest

from bot import startup
from bot.app import BalintBot
from bot.permissions_needed import REQUIRED
from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from bot.texts import facilitation as session_texts
from bot.texts import operator as texts

MANAGE_MESSAGES = discord.Permissions(manage_messages=True).value


@pytest.fixture
async def lacking(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Scenario]:
    """A server whose admin left Manage Messages out of the bot's role before it started."""
    caplog.set_level(logging.WARNING)
    world = Scenario(tmp_path / "db.sqlite3")
    world.sim.bot_role(world.guild).permissions = REQUIRED.value & ~MANAGE_MESSAGES
    await world.start()
    yield world
    problems = world.problems()
    await world.stop()
    assert not problems, "\n".join(problems)


async def test_start_up_names_the_missing_permission(
    lacking: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    at_start = caplog.get_records("setup")  # the bot started in the fixture
    warned = [r.getMessage() for r in at_start if r.name == "bot.startup"]
    assert len(warned) == 1
    assert "my role lacks Manage Messages." in warned[0] and "Rural GPs" in warned[0]


async def test_start_up_is_quiet_with_the_readme_invite(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    await scenario.restart()
    assert not [r for r in caplog.records if r.name == "bot.startup"]


async def test_create_and_start_name_the_missing_permission(lacking: Scenario) -> None:
    world = lacking
    leader = world.people[0]
    options = {"name": "G", "timezone": "UTC", "leader": leader}
    created = await world.sim.slash(world.organiser, "group create", options=options)
    assert "is ready" in created.text
    assert "my role lacks Manage Messages" in created.text
    group = await group_store.by_name(world.bot.db, world.guild.id, "G")
    assert group is not None
    lobby = world.sim.channel(group.lobby_channel_id)
    started = await world.sim.slash(leader, "session start", channel=lobby)
    assert "give my role Manage Messages (Server Settings > Roles); then try" in started.text
    assert session_texts.START_PERMISSIONS not in started.text


async def test_a_bot_started_before_sync_says_to_run_sync(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    world = Scenario(tmp_path / "db.sqlite3")
    bot = BalintBot(world.settings(), clock=world.clock, freeze_heap=False, check_commands=True)
    try:
        await world.sim.attach(bot, sync=False)
        await world.sim.settle()
        count = len(bot.tree.get_commands())
        warned = [r.getMessage() for r in caplog.records if r.name == "bot.startup"]
        assert warned == [texts.LOG_COMMANDS_NONE.format(count=count)]
        assert "balint-bot sync" in warned[0]
        await bot.tree.sync()
        assert await startup.report_unsynced_commands(bot) == set()
    finally:
        await world.stop()
    assert not world.problems()


def test_no_voice_library_warning(tmp_path: Path, monkeypatch, caplog) -> None:
    """The bot never joins voice: "voice will NOT be supported" would only mislead."""
    from bot.config import load_settings

    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True)
    caplog.set_level(logging.WARNING)
    BalintBot(load_settings(None, database_path=tmp_path / "x.sqlite3"), freeze_heap=False)
    assert "voice will NOT be supported" not in caplog.text


async def test_commands_synced_to_the_dev_guilds_count(tmp_path: Path) -> None:
    """`sync` with dev_guild_ids puts the commands in those servers only: that is synced."""
    world = Scenario(tmp_path / "db.sqlite3")
    world.settings_overrides["dev_guild_ids"] = [world.guild.id]
    bot = BalintBot(world.settings(), clock=world.clock, freeze_heap=False)
    try:
        await world.sim.attach(bot, sync=False)
        guild = discord.Object(id=world.guild.id)
        bot.tree.copy_global_to(guild=guild)
        await bot.tree.sync(guild=guild)
        bot.tree.clear_commands(guild=guild)
        assert await startup.report_unsynced_commands(bot) == set()
    finally:
        await world.stop()
    assert not world.problems()


class _Http:
    def __init__(self, answer: object) -> None:
        self.answer = answer

    async def get_global_commands(self, app_id: int) -> object:
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


class _Tree:
    def get_commands(self) -> list[object]:
        return []


class _Settings:
    dev_guild_ids: list[int] = []


class _Bot:
    def __init__(self, answer: object) -> None:
        self.http = _Http(answer)
        self.tree = _Tree()
        self.settings = _Settings()
        self.application_id = 1


@pytest.mark.parametrize(
    "answer",
    [
        None,  # a compatible server's empty body (204, or 200 with no JSON)
        {"commands": []},
        "",
        OSError("connection reset"),
        TimeoutError(),
    ],
    ids=["none", "object", "text", "reset", "timeout"],
)
async def test_the_command_check_never_fails_the_start(answer: object) -> None:
    """A check that only informs must not raise into on_ready (it would skip the rest)."""
    assert await startup.report_unsynced_commands(_Bot(answer)) == set()  # type: ignore[arg-type]


def test_the_permission_check_without_the_bots_member_is_quiet() -> None:
    """A compatible server's GUILD_CREATE may leave out the bot's own member: guild.me is
    None, and the permissions cannot be known; the check is skipped, not a crash."""

    class _Guild:
        me = None
        name = "G"
        id = 1

    assert startup.report_permissions(_Guild()) == []  # type: ignore[arg-type]


async def test_a_server_that_invites_the_bot_back_with_less_is_told_again(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    """Removed and invited back without Manage Roles: the missing permission was not
    logged, because the server had been reported (with nothing lacking) before."""
    caplog.set_level(logging.WARNING)
    sim, guild = scenario.sim, scenario.guild
    await sim.remove_bot(guild)
    full = sim.bot_permissions
    sim.bot_permissions = full & ~discord.Permissions(manage_roles=True).value
    try:
        await sim.reinvite_bot(guild)
    finally:
        sim.bot_permissions = full
    warned = [r.getMessage() for r in caplog.records if r.name == "bot.startup"]
    assert any("Manage Roles" in line for line in warned), warned
