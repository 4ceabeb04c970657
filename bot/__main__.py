"""balint-bot command line: run | check | sync | backup | commands | demo | migrate."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from bot.config import ConfigError, Settings, load_settings
from bot.preflight import database_problem, explain, token_problem
from bot.texts import operator as texts

log = logging.getLogger("bot")

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    config_help = "TOML settings file (else $BALINT_CONFIG, else ./config.toml)"
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default=argparse.SUPPRESS, help=config_help)
    parser = argparse.ArgumentParser(prog="balint-bot", description=__doc__)
    parser.add_argument("--config", default=None, help=config_help)
    sub = parser.add_subparsers(dest="command", required=True)
    command = sub.add_parser
    shared = [common]

    command("run", parents=shared, help="connect to Discord and serve the groups")
    command(
        "check", parents=shared, help="load the config, open and migrate the database, summarise"
    )
    command("migrate", parents=shared, help="apply database migrations and exit")
    sync = command("sync", parents=shared, help="upload the application commands to Discord")
    sync.add_argument(
        "--global",
        dest="global_",
        action="store_true",
        help="sync globally even when dev_guild_ids is set",
    )
    backup = command("backup", parents=shared, help="copy the database with SQLite's online backup")
    backup.add_argument("path", help="file to write")
    command(
        "commands", parents=shared, help="print the application commands as the JSON sync uploads"
    )
    demo = command(
        "demo", parents=shared, help="play a whole meeting against the offline simulator"
    )
    demo.add_argument("--db", help="keep the demo database at this path")
    demo.add_argument("--json", action="store_true", help="print the summary as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        for problem in str(exc).splitlines():  # one line each, as every other mistake
            print(texts.CONFIG_ERROR.format(problem=problem), file=sys.stderr)
        return EXIT_USAGE
    _setup_logging(settings)
    handler = {
        "run": _run,
        "check": _check,
        "migrate": _migrate,
        "sync": _sync,
        "backup": _backup,
        "commands": _commands,
        "demo": _demo,
    }[args.command]
    try:
        code = handler(settings, args)
        sys.stdout.flush()  # a reader that has gone shows here, not at exit
        return code
    except KeyboardInterrupt:
        return EXIT_OK
    except BrokenPipeError:  # `balint-bot commands | head`: the reader had what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _setup_logging(settings: Settings) -> None:
    import discord

    discord.utils.setup_logging(level=getattr(logging, settings.log_level))


def _run(settings: Settings, args: argparse.Namespace) -> int:
    problem = token_problem(settings) or database_problem(settings.database_path)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    from bot.app import BalintBot

    assert settings.token is not None
    bot = BalintBot(settings, check_commands=True, check_gateway=True)
    try:
        bot.run(settings.token.get_secret_value().strip(), log_handler=None)
    except Exception as exc:  # noqa: BLE001 - the ones a user can fix get a sentence
        return _explained(exc, settings)
    return EXIT_OK


def _explained(exc: Exception, settings: Settings) -> int:
    """Print what to do about a failure a user can fix; re-raise any other."""
    message = explain(exc, settings)
    if message is None:
        raise exc
    print(message, file=sys.stderr)
    return EXIT_USAGE


def _check(settings: Settings, args: argparse.Namespace) -> int:
    database = Path(settings.database_path).resolve()  # the default is relative to the cwd
    problem = database_problem(database)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE

    async def check() -> dict[str, Any]:
        from bot.store import Database
        from bot.store import groups as group_store
        from bot.store import timers as timer_store

        db = Database(settings.database_path)
        try:
            await db.open()
            applied = await db.migrate()
            return {
                "database": str(database),
                "schema_version": await db.schema_version(),
                "migrations_applied_now": applied,
                "active_groups": len(await group_store.all_active(db)),
                "pending_timers": len(await timer_store.pending(db)),
                "default_timezone": settings.default_timezone,
                "guard_mode": settings.guard_mode.value,
                "token": _token_summary(settings),
                "api_base_url": settings.api_base_url,
                "gateway_url": settings.gateway_url,  # a self-hosted server needs both
            }
        finally:
            await db.close()

    try:
        summary = asyncio.run(check())
    except Exception as exc:  # noqa: BLE001 - any problem is reported with its reason
        print(texts.CHECK_FAILED.format(reason=exc), file=sys.stderr)
        return EXIT_USAGE
    for key, value in summary.items():
        print(f"{key}: {value}")
    misshapen = settings.token is not None and summary["token"] != texts.CHECK_TOKEN_MISSING
    return EXIT_USAGE if misshapen and token_problem(settings) else EXIT_OK


def _token_summary(settings: Settings) -> str:
    """`check` says whether run and sync will have a token of the right shape."""
    if settings.token is None or not settings.token.get_secret_value().strip():
        return texts.CHECK_TOKEN_MISSING
    return token_problem(settings) or texts.CHECK_TOKEN_SET


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    async def migrate() -> list[int]:
        from bot.store import Database

        db = Database(settings.database_path)
        await db.open()
        try:
            return await db.migrate()
        finally:
            await db.close()

    problem = database_problem(settings.database_path)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    try:
        applied = asyncio.run(migrate())
    except sqlite3.Error as exc:
        return _explained(exc, settings)
    print(texts.MIGRATED.format(applied=applied) if applied else texts.MIGRATED_NONE)
    return EXIT_OK


def _sync(settings: Settings, args: argparse.Namespace) -> int:
    problem = token_problem(settings) or database_problem(settings.database_path)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    from bot.sync import sync_commands

    try:
        done = asyncio.run(sync_commands(settings, global_=args.global_))
    except Exception as exc:  # noqa: BLE001 - the ones a user can fix get a sentence
        return _explained(exc, settings)
    print(done)
    return EXIT_OK


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    async def backup() -> None:
        from bot.store import Database

        db = Database(settings.database_path)
        await db.open()
        try:
            await db.backup(Path(args.path))
        finally:
            await db.close()

    problem = database_problem(settings.database_path, must_exist=True)
    if not Path(args.path).resolve().parent.is_dir():
        problem = texts.BACKUP_DIR_MISSING.format(path=Path(args.path).resolve())
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    try:
        asyncio.run(backup())
    except sqlite3.Error as exc:
        return _explained(exc, settings)
    print(texts.BACKUP_WRITTEN.format(path=args.path))
    return EXIT_OK


def _commands(settings: Settings, args: argparse.Namespace) -> int:
    from bot.sync import command_payloads

    logging.getLogger().setLevel(logging.WARNING)  # the JSON only: its database is a scratch one
    print(json.dumps(asyncio.run(command_payloads(settings)), indent=2))
    return EXIT_OK


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    logging.getLogger().setLevel(logging.WARNING)  # the transcript is the output

    return asyncio.run(run_demo(db_path=args.db, as_json=args.json))


if __name__ == "__main__":
    sys.exit(main())
