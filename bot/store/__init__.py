"""Persistence: one SQLite database, metadata only.

Repository modules (groups, timers, sessions, ...) are plain async functions
taking the Database, so each capability owns its own module.
"""

from bot.store.database import Database, migrations

__all__ = ["Database", "migrations"]
