"""Task tracking for `settle()` and error collection (escaped exceptions, ERROR logs)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

LOGGERS = ("discord", "bot", "cogs")
IGNORED_COROS = ("__timeout_task_impl", "Loop._loop")


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
        self._settling: set[asyncio.Task[Any]] = set()
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

    def _ignored(self, task: asyncio.Task[Any]) -> bool:
        if task in self._settling:
            return True
        name = task.get_name()
        if name.startswith(self.ignore_prefixes):
            return True
        qual = getattr(task.get_coro(), "__qualname__", "")
        return any(qual.endswith(s) for s in self.ignore_coros)

    def harvest(self) -> list[asyncio.Task[Any]]:
        """Drop finished tasks (collecting their exceptions); return the ones to wait for."""
        pending = []
        keep = []
        for t in self.tasks:
            if t.done():
                if not t.cancelled() and t.exception() is not None:
                    self.errors.append(t.exception())
            else:
                keep.append(t)
                if not self._ignored(t):
                    pending.append(t)
        self.tasks[:] = keep
        return pending

    async def settle(self, max_wait: float = 5.0) -> None:
        loop = asyncio.get_running_loop()
        me = asyncio.current_task()
        if me is not None:
            self._settling.add(me)
        try:
            deadline = loop.time() + max_wait
            idle_rounds = 0
            while True:
                await asyncio.sleep(0)
                pending = self.harvest()
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
            if me is not None:
                self._settling.discard(me)
