"""The balint-bot command line, run as a user would, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("BALINT_") and k != "DISCORD_TOKEN"
    }
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=base,
        cwd=cwd or ROOT,
        timeout=60,
    )


def test_check_with_example_config(tmp_path: Path) -> None:
    result = run(
        "--config",
        str(ROOT / "config.example.toml"),
        "check",
        env={"BALINT_DATABASE_PATH": str(tmp_path / "db.sqlite3")},
    )
    assert result.returncode == 0, result.stderr
    assert "schema_version: " in result.stdout
    assert (tmp_path / "db.sqlite3").exists()


def test_check_shows_both_addresses_a_self_hosted_server_needs(tmp_path: Path) -> None:
    """README: a Discord-compatible server needs api_base_url and gateway_url; `check` shows
    what a start would use, set the documented way (environment)."""
    result = run(
        "check",
        env={
            "BALINT_API_BASE_URL": "http://localhost:3001/api/v9",
            "BALINT_GATEWAY_URL": "ws://localhost:3002",
        },
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "api_base_url: http://localhost:3001/api/v9\n" in result.stdout
    assert "gateway_url: ws://localhost:3002" in result.stdout


def test_config_flag_before_the_command(tmp_path: Path) -> None:
    result = run(
        "--config",
        str(ROOT / "config.example.toml"),
        "migrate",
        env={"BALINT_DATABASE_PATH": str(tmp_path / "db.sqlite3")},
    )
    assert result.returncode == 0, result.stderr


def test_check_names_a_bad_zone(tmp_path: Path) -> None:
    result = run("check", env={"BALINT_DEFAULT_TIMEZONE": "Mars/Base"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "default_timezone" in result.stderr and "Mars/Base" in result.stderr


def test_run_without_token_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr


def test_commands_prints_the_balint_group(tmp_path: Path) -> None:
    result = run("commands", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    balint = next(c for c in payload if c["name"] == "balint")
    assert any(option["name"] == "about" for option in balint["options"])
    assert not list(tmp_path.iterdir()), "commands must not create a database"


def test_backup_copies_the_database(tmp_path: Path) -> None:
    env = {"BALINT_DATABASE_PATH": str(tmp_path / "db.sqlite3")}
    assert run("migrate", env=env, cwd=tmp_path).returncode == 0
    result = run("backup", str(tmp_path / "copy.sqlite3"), env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
    assert {"groups", "timers", "schema_migrations"} <= tables


def test_domain_imports_nothing_from_discord() -> None:
    code = (
        "import sys, pkgutil, importlib, bot.domain\n"
        "for m in pkgutil.iter_modules(bot.domain.__path__):\n"
        "    importlib.import_module('bot.domain.' + m.name)\n"
        "bad = {'discord', 'aiosqlite', 'apscheduler', 'bot.store', 'cogs'} & set(sys.modules)\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_check_prints_the_full_database_path(tmp_path: Path) -> None:
    """The default path is relative: `check` shows which file a start from here would use."""
    result = run("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"database: {tmp_path.resolve() / 'balint.sqlite3'}\n" in result.stdout


def test_token_mistakes_are_named_before_connecting(tmp_path: Path) -> None:
    for token, expected in [
        ("Bot abc.def.ghi", "must not start with 'Bot '"),
        ('"abc.def.ghi"', "quotes or spaces"),
        ("4f8a1c0e9b7d2a6f3e5c8b1a0d9e7f6c", "does not look like a bot token"),  # a secret
        ("1574522733415366659", "does not look like a bot token"),  # the application id
    ]:
        for command in ("run", "sync"):
            result = run(command, env={"DISCORD_TOKEN": token}, cwd=tmp_path)
            assert result.returncode == 2, (token, result.stderr)
            assert expected in result.stderr and "Traceback" not in result.stderr
            assert token not in result.stderr, "the token is never echoed"
    result = run("check", env={"DISCORD_TOKEN": "Bot abc.def.ghi"}, cwd=tmp_path)
    assert "token: the token must not start with 'Bot '" in result.stdout
    assert result.returncode == 2, "check fails on a config that run would refuse"
    assert run("check", cwd=tmp_path).returncode == 0, "no token yet is not a mistake"


def test_a_database_in_a_missing_directory_is_named(tmp_path: Path) -> None:
    env = {"BALINT_DATABASE_PATH": str(tmp_path / "no" / "db.sqlite3"), "DISCORD_TOKEN": "a.b.c"}
    for command in ("check", "migrate", "run", "sync"):
        result = run(command, env=env, cwd=tmp_path)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.startswith(f"database_path: directory {tmp_path / 'no'} does not")
        assert "Traceback" not in result.stderr


def test_a_database_path_that_is_a_directory_is_named(tmp_path: Path) -> None:
    """`database_path = "/var/lib/balint"` (a directory, not the file): every command said
    only "unable to open database file", `check` without naming the setting."""
    env = {"BALINT_DATABASE_PATH": str(tmp_path), "DISCORD_TOKEN": "a.b.c"}
    for command in ("check", "migrate", "run", "sync"):
        result = run(command, env=env, cwd=tmp_path)
        assert result.returncode == 2, (command, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, (command, result.stderr)
        assert lines[0].startswith(f"database_path: {tmp_path} is a directory"), lines
        assert str(tmp_path / "balint.sqlite3") in lines[0]


def test_backup_of_a_database_that_is_not_there(tmp_path: Path) -> None:
    result = run("backup", str(tmp_path / "copy.sqlite3"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("database_path: there is no database at")
    assert not list(tmp_path.iterdir()), "no empty database is made and backed up"
    assert run("migrate", cwd=tmp_path).returncode == 0
    result = run("backup", str(tmp_path / "no" / "copy.sqlite3"), cwd=tmp_path)
    assert result.returncode == 2 and "its directory does not exist" in result.stderr


def test_a_wrong_setting_is_one_line(tmp_path: Path) -> None:
    """README: "exits 2 with one line saying what to change", settings included."""
    result = run("check", env={"BALINT_DEFAULT_TIMEZONE": "Mars/Base"}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("configuration error: default_timezone: ")


def test_commands_prints_json_only(tmp_path: Path) -> None:
    """The throwaway in-memory database's migrations are not news to the user."""
    result = run("commands", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""


def test_a_reader_that_stops_early_is_no_error(tmp_path: Path) -> None:
    """`balint-bot commands | head` (or quitting `less`) must not end in a traceback."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("BALINT_")}
    for command in ("commands", "check"):
        child = subprocess.Popen(
            [sys.executable, "-m", "bot", command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=base,
            cwd=tmp_path,
        )
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()  # the reader has gone before the bot writes
        err = child.stderr.read()
        assert child.wait(timeout=60) == 0
        assert "Traceback" not in err and "BrokenPipeError" not in err, err
