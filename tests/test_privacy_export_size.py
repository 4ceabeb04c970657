"""/privacy export of a history too large for one Discord upload (10 MiB per file).

Discord refuses the whole message (413) when one file is over the limit: the member got
no file and no answer that said why. Now the two files travel packed in one zip.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from datetime import timedelta

from bot.sim.payloads import ATTACHMENT_SIZE_LIMIT
from bot.sim.scenario import Scenario
from bot.store.clocktime import to_epoch
from bot.texts import privacy as texts
from bot.texts import privacy_export as export_texts
from cogs._privacy_export import fit_upload
from tests.support import make_group

MEETINGS = 30_000  # about 420 bytes of JSON each (three records): past 10 MiB


async def test_a_history_over_the_upload_limit_comes_as_one_zip(scenario: Scenario) -> None:
    handle = await make_group(scenario, name="Tuesday group", size=2)
    me = handle.members[0]
    db, now = scenario.bot.db, scenario.clock.now()
    first = 1_000_000
    sessions, attended = [], []
    for index in range(MEETINGS):
        start = to_epoch(now - timedelta(days=index + 1))
        day = (now - timedelta(days=index + 1)).date().isoformat()
        sid = first + index
        sessions.append((sid, handle.group.id, day, start, start + 5400, start, start + 5400))
        attended.append((sid, me.id, start))
    await db.executemany(
        "INSERT INTO sessions (id, group_id, occurrence_date, scheduled_start, scheduled_end, "
        "status, started_at, ended_at) VALUES (?, ?, ?, ?, ?, 'ended', ?, ?)",
        sessions,
    )
    for sql in (
        "INSERT INTO attendance VALUES (?, ?, 'present', 'voice', ?)",
        "INSERT INTO rsvps VALUES (?, ?, 'yes', ?)",
        "INSERT INTO session_acks VALUES (?, ?, ?)",
    ):
        await db.executemany(sql, attended)

    result = await scenario.sim.slash(me, "privacy export", in_dm=True)

    assert result.ephemeral and len(result.text) <= 2000
    assert texts.EXPORT_ZIPPED.format(zip_file=export_texts.ZIP_FILENAME) in result.text
    ((name, packed),) = result.files
    assert name == export_texts.ZIP_FILENAME and len(packed) <= ATTACHMENT_SIZE_LIMIT
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        inside = {info.filename: archive.read(info) for info in archive.infolist()}
    assert set(inside) == {export_texts.SUMMARY_FILENAME, texts.EXPORT_FILENAME}
    assert len(inside[texts.EXPORT_FILENAME]) > ATTACHMENT_SIZE_LIMIT  # why it was packed
    document = json.loads(inside[texts.EXPORT_FILENAME])
    assert len(document["tables"]["attendance"]) == MEETINGS


def test_files_within_the_limit_go_as_they_are_and_too_large_ones_not_at_all() -> None:
    files = [("a.txt", b"x" * 100), ("b.json", b'{"k": 1}' * 10)]
    assert fit_upload(files, 100) is files
    zipped = fit_upload([("a.txt", b"x" * 5000)], 1000)
    assert zipped is not None and zipped[0][0] == export_texts.ZIP_FILENAME
    noise = random.Random(5).randbytes(5000)  # does not compress
    assert fit_upload([("a.bin", noise)], 1000) is None
