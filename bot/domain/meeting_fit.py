"""Whether the meeting's plan fits the session's length.

Why: the default plan of two cases takes 110 minutes, the default session 90. A leader
who is not told meets "time is up" in the middle of the second case's discussion (and,
with auto-end on, the meeting is cut off there). The leader decides what to change; the
bot only says so when the schedule is set.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.phases import Phase, meeting_plan


def plan_minutes(durations: Mapping[Phase, int], max_cases: int) -> int:
    """Minutes of the whole plan with every case the group allows."""
    return sum(minutes for _, minutes in meeting_plan(durations, max_cases))


def overrun(durations: Mapping[Phase, int], max_cases: int, session_minutes: int) -> int:
    """How many minutes the full plan runs past the session's length (0 if it fits)."""
    return max(0, plan_minutes(durations, max_cases) - session_minutes)
