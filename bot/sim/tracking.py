"""Task tracking for `settle()` and error collection (escaped exceptions, ERROR logs)."""

from __future__ import annotations

import asyncio
import logging
import re
import traceback
from typing import Any

LOGGERS = ("discord", "bot", "cogs")
IGNORED_COROS = ("__timeout_task_impl", "Loop._loop")


def held_lock(bot: Any, method: str, url: str) -> str | None:
    """A REST call made inside one of the bot's store transactions, with where it was made.

    The write lock stays held for the whole round trip (and any 429 wait): every other
    interaction that writes before its first answer waits, and can miss Discord's
    3-second deadline. tests/conftest.py fails the test on any.
    """
    db = getattr(bot, "db", None)
    if db is None or not db.in_transaction():
        return None
    frames = [
        f"{frame.filename.rsplit('/', 2)[-2]}/{frame.filename.rsplit('/', 1)[-1]}:"
        f"{frame.lineno} {frame.name}"
        for frame in traceback.extract_stack()
        if "/bot/" in frame.filename or "/cogs/" in frame.filename
    ]
    where = " <- ".join(reversed([f for f in frames if not f.startswith("sim/")]))
    path = re.sub(r"^.*?/api(?:/v\d+)?", "", url)
    return f"{method.upper()} {path} at {where or 'no frame of the bot'}"


class _Collector(logging.Handler):
    def __init__(self, sink: list[Any]) -> None:
        super().__init__(level=logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record)


class TaskTracker:
    """Records tasks created on the loop while installed; waits for them in `settle`."""

    def __init__(self, errors: list[Any]) -> None:
        self.errors = errors
        self.tasks: list[asyncio.Task[Any]] = []
        self.ignore_coros: set[str] = set(IGNORED_COROS)
        self.ignore_prefixes: tuple[str, ...] = ("sim-ignore",)
        self.pending_dispatches = 0
        # Each task in a settle() and the order its settle began (see `_ignored`).
        self._settling: dict[asyncio.Task[Any], int] = {}
        self._begun = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._prev_factory: Any = None
        self._collector = _Collector(errors)

    def install(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is loop:
            return
        self._loop = loop
        self._prev_factory = loop.get_task_factory()
        prev = self._prev_factory
        tasks = self.tasks

        def factory(loop: asyncio.AbstractEventLoop, coro: Any, **kw: Any) -> asyncio.Task[Any]:
            task = prev(loop, coro, **kw) if prev else asyncio.Task(coro, loop=loop, **kw)
            tasks.append(task)
            return task

        loop.set_task_factory(factory)
        for name in LOGGERS:
            logging.getLogger(name).addHandler(self._collector)

    def uninstall(self) -> None:
        if self._loop is not None:
            self._loop.set_task_factory(self._prev_factory)
            self._loop = None
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(self._collector)

    def _ignored(self, task: asyncio.Task[Any], since: int | None) -> bool:
        """A settle that began at `since` skips itself and the settles begun before it.

        Those outer settles may be waiting for this one's task (a bot task that clicks
        mid-way settles inside the test's settle): waiting back would deadlock. A settle
        begun later is nested work, so the outer one waits for its task to finish.
        """
        begun = self._settling.get(task)
        if begun is not None and (since is None or begun <= since):
            return True
        name = task.get_name()
        if name.startswith(self.ignore_prefixes):
            return True
        qual = getattr(task.get_coro(), "__qualname__", "")
        return any(qual.endswith(s) for s in self.ignore_coros)

    def harvest(self, since: int | None = None) -> list[asyncio.Task[Any]]:
        """Drop finished tasks (collecting their exceptions); return the ones to wait for
        (by the settle begun at `since`; None: skip every settling task)."""
        pending = []
        keep = []
        for t in self.tasks:
            if t.done():
                if not t.cancelled() and t.exception() is not None:
                    self.errors.append(t.exception())
            else:
                keep.append(t)
                if not self._ignored(t, since):
                    pending.append(t)
        self.tasks[:] = keep
        return pending

    async def settle(self, max_wait: float = 5.0) -> None:
        """Return once every tracked task (bar the ignored) is done and no event is pending.

        Re-entrant: a settle inside a task that an outer settle waits for does not end the
        outer one early. Fails after `max_wait` seconds rather than hang.
        """
        loop = asyncio.get_running_loop()
        me = asyncio.current_task()
        self._begun += 1
        since = self._begun
        outer = self._settling.get(me) if me is not None else None
        if me is not None and outer is None:
            self._settling[me] = since
        try:
            deadline = loop.time() + max_wait
            idle_rounds = 0
            while True:
                await asyncio.sleep(0)
                pending = self.harvest(since)
                if not pending and not self.pending_dispatches:
                    idle_rounds += 1
                    if idle_rounds >= 2:
                        return
                    continue
                idle_rounds = 0
                left = deadline - loop.time()
                if left <= 0:
                    raise AssertionError(f"settle() timed out; still running: {pending}")
                if pending:
                    await asyncio.wait(pending, timeout=left, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if me is not None and outer is None:
                self._settling.pop(me, None)
