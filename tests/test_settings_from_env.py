"""Settings given the way the README documents them, through the environment, change
what members and leaders meet: a nested key (`BALINT_PHASE_MINUTES__CHECK_IN`) and a
text (`BALINT_CONFIDENTIALITY_REMINDER`), read by pydantic-settings with the BALINT_
prefix and the `__` delimiter."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.sim.scenario import Scenario
from tests.session_support import start_session
from tests.support import make_group

REMINDER = "Our room, our words: nothing said here leaves it."


async def test_phase_minutes_and_reminder_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BALINT_PHASE_MINUTES__CHECK_IN", "7")
    monkeypatch.setenv("BALINT_CONFIDENTIALITY_REMINDER", REMINDER)
    world = Scenario(tmp_path / "db.sqlite3")
    await world.start()
    try:
        assert world.bot.settings.phase_minutes.check_in == 7
        handle = await make_group(world, size=3)
        session, channel = await start_session(world, handle)
        assert session.phase == "check_in" and session.phase_started_at is not None
        assert session.phase_deadline == session.phase_started_at + timedelta(minutes=7)
        frames = [
            str(m.embeds) for m in world.sim.world.messages.values() if m.channel_id == channel.id
        ]
        assert any(REMINDER in f and "7 min" in f for f in frames), frames
        problems = world.problems()
    finally:
        await world.stop()
    assert not problems, problems
