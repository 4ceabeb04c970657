"""The files of /privacy export: a summary to read, and every record exactly as stored.

Why two: the member is a GP, not a developer, and must be able to read what is kept
about them (group names, meetings, plain words); the JSON keeps every record complete
and exact for a computer (ids as text, times in ISO 8601), and explains its own tables.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import Any

from bot.store.clocktime import from_epoch
from bot.store.data_kind import is_time
from bot.store.data_kinds import by_table
from bot.store.privacy import ExportNames
from bot.texts import privacy as privacy_texts
from bot.texts import privacy_export as texts
from cogs._privacy_lines import ORDER, Namer, lines

Rows = dict[str, list[dict[str, Any]]]

# The largest integer a JavaScript number holds exactly: past it a browser's JSON viewer or
# a spreadsheet rounds a Discord id, which then matches nobody (Discord gives them as text).
_EXACT = 2**53 - 1


def _jsonable(column: str, value: Any) -> Any:
    if isinstance(value, bytes):
        return None  # a secret (the pulse salt) is never exported
    if isinstance(value, int) and abs(value) > _EXACT:
        return str(value)
    if is_time(column) and isinstance(value, int):
        moment = from_epoch(value)
        return moment.isoformat() if moment else None
    return value


def export_document(user_id: int, rows: Rows, now: datetime, names: ExportNames) -> bytes:
    """The JSON file: every row as stored, what each table and column is, and group names."""
    kinds = by_table()
    tables = {
        table: [
            {column: _jsonable(column, value) for column, value in row.items()} for row in found
        ]
        for table, found in rows.items()
    }
    about = {
        table: {"title": kind.title, "why": kind.why, "columns": kind.columns}
        for table in rows
        if (kind := kinds.get(table))
    }
    groups = {
        str(gid): {"name": g["name"], "zone": g["zone"], "server_id": str(g["guild_id"])}
        for gid, g in names.groups.items()
    }
    document = {
        "user_id": str(user_id),
        "exported_at": now.isoformat(),
        "note": privacy_texts.EXPORT_NOTE,
        "tables": tables,
        "about_tables": about,
        "groups": groups,
    }
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")


def summary(user_id: int, rows: Rows, now: datetime, namer: Namer) -> bytes:
    """The text file: a plain heading and one line of explanation per kind of record,
    then one line per record; the kinds with nothing kept are named at the end."""
    kinds = by_table()
    out = [texts.TITLE, "=" * len(texts.TITLE), ""]
    out.append(
        texts.INTRO.format(
            now=now.isoformat(timespec="seconds"),
            user_id=user_id,
            json_file=privacy_texts.EXPORT_FILENAME,
        )
    )
    empty = []
    for table in [*ORDER, *sorted(set(rows) - set(ORDER))]:
        if table not in rows:
            continue
        kind = kinds.get(table)
        heading, about = texts.SECTIONS.get(table) or (
            (kind.title, kind.why) if kind else (table, "")
        )
        if not rows[table]:
            empty.append(heading)
            continue
        title = texts.COUNT.format(heading=heading, count=len(rows[table]))
        out += ["", "", title, "-" * len(title)]
        out.append(about.format(json_file=privacy_texts.EXPORT_FILENAME))
        out += [f"- {line}" for line in lines(table, rows[table], namer, kind)]
    if empty:
        out += ["", "", texts.NOTHING_KEPT.format(sections="; ".join(empty))]
    return ("\n".join(out) + "\n").encode("utf-8")


def export_files(
    user_id: int, rows: Rows, now: datetime, namer: Namer
) -> tuple[list[tuple[str, bytes]], int]:
    """(file name, bytes) of the summary then the JSON, and how many records they hold."""
    files = [
        (texts.SUMMARY_FILENAME, summary(user_id, rows, now, namer)),
        (privacy_texts.EXPORT_FILENAME, export_document(user_id, rows, now, namer.names)),
    ]
    return files, sum(len(found) for found in rows.values())


def fit_upload(files: list[tuple[str, bytes]], limit: int) -> list[tuple[str, bytes]] | None:
    """The files as they are when each is within Discord's upload limit; else both in one
    zip (the JSON's repeated keys compress about tenfold); None if even that is too large.

    Why: Discord refuses the whole message (413) for one file over the limit, and a leader
    of decades of meetings can pass the 10 MiB a server without boosts allows.
    """
    if all(len(data) <= limit for _, data in files):
        return files
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    packed = buffer.getvalue()
    return [(texts.ZIP_FILENAME, packed)] if len(packed) <= limit else None
