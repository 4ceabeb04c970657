"""`balint-bot demo` plays the whole meeting with no error and nothing skipped."""

from __future__ import annotations

import json

import pytest

from bot.demo_script import play


async def test_demo_plays_every_step_without_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = await play(as_json=True)
    summary = json.loads(capsys.readouterr().out)
    assert code == 0, summary
    assert summary["errors"] == 0
    assert summary["skipped"] == []
    assert summary["phase_changes"] >= 6
    assert summary["messages_refused_by_permissions"] >= 2  # presentation and discussion


async def test_demo_transcript_shows_what_people_saw(capsys: pytest.CaptureFixture[str]) -> None:
    assert await play() == 0
    transcript = capsys.readouterr().out
    for seen in (
        "/group create",
        "You were added to the Balint group “Thursday Balint”",
        "gp-03 can see the group's lobby before agreeing: False",
        "gp-03 presses [I agree]",
        "You now see the group's channels, starting with #thursday-balint-lobby",
        "gp-03 can see the group's lobby now: True",
        "Reminder: Thursday Balint meets",
        "gp-01: /turns mode:strict",
        "gp-04 tries to write, but Discord does not let them post now",
        "gp-08 presses [Pass]",
        "You passed. Thank you.",
        "The round is complete. Thank you all.",
        "gp-01: /turns mode:open",
        "Who has a case?",
        "Voice turn-taking (advisory or enforced) is now enforced.",
        "(server-muted in voice: gp-04, gp-05, gp-06, gp-07, gp-08, gp-09)",
        "(server-muted in voice: gp-03, gp-05, gp-06, gp-07, gp-08, gp-09)",
        "(server-muted in voice: gp-06)",
        "server mutes the bot still holds: 0",
        "== Phase: discussion ==",
        "During the discussion the presenter listens.",
        "does not let them post now",
        "gp-07: /away",
        "The group knows and waits for you for 2 minutes.",
        "bot> @gp-07 lost connection; the group waits 2 minutes.",
        "bot> @gp-08, you have the floor.",
        "bot> @gp-07 is back.",
        "bot> @gp-07, you have the floor.",
        "gp-01: /floor give member:gp-04",
        "(after the restart: phase discussion, floor with gp-04)",
        "(gp-03 uses the status message shown before the restart)",
        "bot -> gp-03 (only you)> Your hand is raised. You are number 1.",
        "gp-03: Could it be that she wanted to be seen?",
        "could be a date of birth",
        "The title of a thread you opened",
        "by hand but is not in the group, so I took it back",
        "can see the lobby afterwards: False",
        "still hears the meeting: False",
        "session channel deleted with everything said in it",
        "gp-03: /privacy show",
        "- Voice mutes",
        "Here is every record I keep about you (9 in all).",
        "(file balint-bot-my-data.txt (",
        "(file balint-bot-my-data.json (",
        "Attendance certificate for gp-03 in Thursday Balint attached.",
        "(file attendance-gp-03-thursday-balint.md (",
        "Would you like to give the group a follow-up?",
        "gp-01: /group timezone zone:Europe/Budapest",
        "sessions keep their local time there",
    ):
        assert seen in transcript, seen
    assert "PROBLEM" not in transcript
