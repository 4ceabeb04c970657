"""The one SQLite connection, its pragmas, migrations and transactions.

All SQL lives in the repository modules beside this one and keeps to the
subset PostgreSQL also accepts (ON CONFLICT, no INSERT OR REPLACE), so that
the scale path to several processes over PostgreSQL stays open.

Statements run on the event loop's own thread.  Each one is an indexed
lookup or a small write on a local file (tens of microseconds), while a hop to
a worker thread (aiosqlite) costs a GIL hand-off each way: up to the 5 ms
switch interval when the loop is busy, three hops per query.  The bot measured
2 ms per `fetchone` under load that way.  The one connection keeps the old
semantics: statements run in program order, a transaction holds the write
lock across awaits, and a writer blocked by another process is retried with
`asyncio.sleep` (never a blocking wait) for up to `BUSY_TIMEOUT` seconds.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

log = logging.getLogger(__name__)

Row = sqlite3.Row
T = TypeVar("T")
BUSY_TIMEOUT = 5.0  # seconds a statement waits for another process's write lock
# Which transaction the running code was started in (its serial number), for
# `in_transaction`: a task a transaction gathers (and so waits for) inherits it.
_STARTED_IN: ContextVar[int | None] = ContextVar("balint_transaction", default=None)
_SERIALS = itertools.count(1)


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every numbered file in bot/store/migrations, in order."""
    found = []
    for entry in resources.files("bot.store").joinpath("migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    """A single connection; writes are serialised so transactions never interleave."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: sqlite3.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None  # the task whose transaction is open
        self._serial: int | None = None  # the open transaction's number (see in_transaction)

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        self._conn = conn
        # No busy wait inside SQLite: it would block the event loop; _run retries instead.
        await self._run(conn.execute, "PRAGMA busy_timeout=0")
        await self._run(conn.execute, "PRAGMA journal_mode=WAL")
        await self._run(conn.execute, "PRAGMA foreign_keys=ON")
        await self._run(conn.execute, "PRAGMA synchronous=NORMAL")
        # What is deleted is overwritten, not left readable in the file: /privacy forget
        # and the retention job promise that it is gone (SQLite's default keeps it).
        await self._run(conn.execute, "PRAGMA secure_delete=ON")

    async def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run one statement now; if another process holds the lock, wait without blocking."""
        try:
            return fn(*args)
        except sqlite3.OperationalError as exc:
            if not _busy(exc):
                raise
        deadline = time.monotonic() + BUSY_TIMEOUT
        delay = 0.001
        while True:
            await asyncio.sleep(delay)
            try:
                return fn(*args)
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() >= deadline:
                    raise
            delay = min(delay * 2, 0.05)

    async def migrate(self) -> list[int]:
        """Apply every migration not yet recorded; returns the versions applied."""
        await self._run(
            self.conn.execute,
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
        )
        rows = await self.fetchall("SELECT version FROM schema_migrations")
        done = {row["version"] for row in rows}
        applied = []
        for version, name, sql in migrations():
            if version in done:
                continue
            async with self.transaction():
                for statement in _statements(sql):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, int(time.time())),
                )
            applied.append(version)
            log.info("applied migration %s", name)
        return applied

    async def schema_version(self) -> int:
        row = await self.fetchone("SELECT MAX(version) AS v FROM schema_migrations")
        return int(row["v"] or 0) if row else 0

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """BEGIN ... COMMIT, rolled back on any error; nested use joins the outer one."""
        if self._inside():
            yield
            return
        async with self._write_lock:
            self._owner = asyncio.current_task()
            self._serial = next(_SERIALS)
            token = _STARTED_IN.set(self._serial)
            try:
                await self._run(self.conn.execute, "BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise
                else:
                    await self._run(self.conn.execute, "COMMIT")
            finally:
                _STARTED_IN.reset(token)
                self._owner = None
                self._serial = None

    def in_transaction(self) -> bool:
        """Would the running code hold the write lock while it waits here?

        True in the task whose transaction is open, and in a task it started inside that
        transaction while the transaction is still open (what `asyncio.gather` makes): a
        REST call there keeps every other writer (and so their interactions' first answer)
        waiting for the round trip. The test harness fails on any such call. (A listener
        dispatched inside it counts too while it is open; it runs only once the
        transaction awaits something, which is what to avoid there anyway.)
        """
        if self._serial is None:
            return False
        return self._inside() or _STARTED_IN.get() == self._serial

    def _inside(self) -> bool:
        """Is the running task the one holding the open transaction?

        By task, not by context variable: asyncio gives every task and callback a copy
        of the context it was made in, so a task started inside a transaction (a timer
        armed there, a listener dispatched there) would think itself inside it; its own
        transactions would never begin or roll back, and its writes would skip the lock
        and land in whatever transaction another task had open.
        """
        return self._owner is not None and self._owner is asyncio.current_task()

    def _write(self, sql: str, params: Sequence[Any]) -> tuple[int | None, int]:
        cursor = self.conn.execute(sql, params)
        try:
            return cursor.lastrowid, cursor.rowcount
        finally:
            cursor.close()

    async def _locked_write(self, sql: str, params: Sequence[Any]) -> tuple[int | None, int]:
        if self._inside():
            return await self._run(self._write, sql, params)
        async with self._write_lock:
            return await self._run(self._write, sql, params)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one write; returns the row count (or last row id for an INSERT)."""
        lastrowid, rowcount = await self._locked_write(sql, params)
        result = lastrowid if sql.lstrip().upper().startswith("INSERT") else rowcount
        return int(result or 0)

    async def rowcount(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one write and return how many rows it touched (for claims)."""
        _, count = await self._locked_write(sql, params)
        return int(count)

    async def insert_id(self, sql: str, params: Sequence[Any] = ()) -> int | None:
        """Run one INSERT that may insert nothing (ON CONFLICT DO NOTHING): the new row's
        id, or None if no row was inserted; spares reading the row back to learn its id."""
        lastrowid, count = await self._locked_write(sql, params)
        return int(lastrowid) if count and lastrowid is not None else None

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if self._inside():
            await self._run(self.conn.executemany, sql, rows)
        else:
            async with self._write_lock:
                await self._run(self.conn.executemany, sql, rows)

    def _fetchone(self, sql: str, params: Sequence[Any]) -> Row | None:
        cursor = self.conn.execute(sql, params)
        try:
            return cursor.fetchone()
        finally:
            cursor.close()

    def _fetchall(self, sql: str, params: Sequence[Any]) -> list[Row]:
        cursor = self.conn.execute(sql, params)
        try:
            return cursor.fetchall()
        finally:
            cursor.close()

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        return await self._run(self._fetchone, sql, params)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return await self._run(self._fetchall, sql, params)

    async def checkpoint(self) -> bool:
        """Copy the WAL into the file and empty it: its older frames still hold what was
        just deleted. False if a reader (a backup) kept it from finishing; the next
        checkpoint does it (as when called inside a transaction, which it cannot empty)."""
        if self._inside():
            return False
        async with self._write_lock:
            row = await self._run(self._fetchone, "PRAGMA wal_checkpoint(TRUNCATE)", ())
        return row is None or not row[0]

    async def backup(self, target: str | Path) -> None:
        """SQLite's online backup API: a consistent copy while the bot runs.

        A backup can take seconds on a large file, so it runs on aiosqlite's worker
        thread with connections of its own, never on the event loop.
        """
        async with aiosqlite.connect(self.path) as source, aiosqlite.connect(str(target)) as dest:
            await source.backup(dest)


def _busy(exc: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED: another connection holds the lock; worth a retry."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _statements(sql: str) -> list[str]:
    """Split a migration into statements; sqlite3 itself decides where one ends."""
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in current.splitlines()
    ):
        raise ValueError("migration ends with an incomplete statement")
    return statements
