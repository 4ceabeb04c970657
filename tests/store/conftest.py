"""The store's tests share one fresh, migrated database per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "store.sqlite3")
    await database.open()
    await database.migrate()
    yield database
    await database.close()
