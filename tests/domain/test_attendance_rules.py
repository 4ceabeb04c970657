"""Attendance rules: signals, RSVP, leader corrections, summaries, certificates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.attendance import (
    LATE_SIGNAL_WINDOW,
    Source,
    Status,
    certificate,
    counts_at,
    local_date,
    nearest_dates,
    on_presence,
    on_session_end,
    per_session_totals,
    summarise_member,
)


@pytest.mark.parametrize("source", ["button", "ack", "message", "voice", "command"])
def test_any_presence_signal_makes_a_member_present(source: str) -> None:
    assert on_presence(None, source) == (Status.PRESENT, Source(source))


def test_the_first_signal_names_the_source_and_later_ones_change_nothing() -> None:
    assert on_presence(("present", "ack"), "message") is None


def test_a_leader_correction_is_never_overwritten_by_a_signal() -> None:
    assert on_presence(("absent", "leader"), "button") is None
    assert on_presence(("excused", "leader"), "voice") is None


def test_a_late_signal_turns_an_automatic_absence_into_presence() -> None:
    assert on_presence(("absent", "auto"), "voice") == (Status.PRESENT, Source.VOICE)
    assert on_presence(("excused", "rsvp"), "ack") == (Status.PRESENT, Source.ACK)


def test_only_a_signal_racing_the_end_counts_after_it() -> None:
    end = datetime(2026, 11, 24, 20, 30, tzinfo=UTC)
    assert counts_at(None, end + timedelta(days=1))  # not ended: every signal counts
    assert counts_at(end, end - timedelta(minutes=5))
    assert counts_at(end, end + LATE_SIGNAL_WINDOW)  # processed just after the end
    assert not counts_at(end, end + LATE_SIGNAL_WINDOW + timedelta(seconds=1))
    absent = ("absent", "auto")
    raced = on_presence(absent, "message", ended_at=end, at=end + timedelta(seconds=2))
    assert raced == (Status.PRESENT, Source.MESSAGE)
    # Half an hour later (a member who missed it looks in before the purge): not present.
    assert on_presence(absent, "ack", ended_at=end, at=end + timedelta(minutes=30)) is None
    assert (
        on_presence(("excused", "rsvp"), "ack", ended_at=end, at=end + timedelta(hours=1)) is None
    )
    # No entry yet: the end was not processed when the signal came, so it counts.
    late_first = on_presence(None, "voice", ended_at=end, at=end + timedelta(minutes=30))
    assert late_first == (Status.PRESENT, Source.VOICE)


def test_unknown_signal_sources_are_refused() -> None:
    with pytest.raises(ValueError):
        on_presence(None, "leader")


def test_session_end_excuses_a_no_and_marks_the_rest_absent() -> None:
    assert on_session_end(False, True) == (Status.EXCUSED, Source.RSVP)
    assert on_session_end(False, False) == (Status.ABSENT, Source.AUTO)
    assert on_session_end(True, True) is None  # came after all: stays present


def test_local_date_uses_the_group_zone() -> None:
    late = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert local_date(late, "Europe/London") == date(2026, 11, 24)
    assert local_date(late, "Asia/Kolkata") == date(2026, 11, 25)
    with pytest.raises(ValueError):
        local_date(datetime(2026, 1, 1), "UTC")  # noqa: DTZ001 - the point of the test


def test_nearest_dates_are_the_closest_in_calendar_order() -> None:
    days = [date(2026, 11, d) for d in (3, 10, 17, 24)]
    assert nearest_dates(days, date(2026, 11, 12)) == [date(2026, 11, d) for d in (3, 10, 17)]
    assert nearest_dates(days, date(2026, 12, 30), limit=1) == [date(2026, 11, 24)]
    assert nearest_dates([], date(2026, 1, 1)) == []


def test_member_summary_and_certificate() -> None:
    record = summarise_member(
        [
            (date(2026, 11, 17), "present"),
            (date(2026, 11, 3), "present"),
            (date(2026, 11, 10), "excused"),
            (date(2026, 11, 24), "absent"),
        ]
    )
    assert record.attended == [date(2026, 11, 3), date(2026, 11, 17)]
    assert record.excused == [date(2026, 11, 10)]
    assert record.missed == [date(2026, 11, 24)]
    assert record.total == 4
    led_by = [
        (date(2026, 11, 3), ["Lea", "Col"]),
        (date(2026, 11, 17), ["New"]),
        (date(2026, 11, 24), ["Other"]),  # missed: not on the certificate
    ]
    cert = certificate("Ann", "Tuesday", record, led_by)
    assert cert.period_start == date(2026, 11, 3) and cert.period_end == date(2026, 11, 24)
    assert cert.attended == (date(2026, 11, 3), date(2026, 11, 17))
    assert cert.sessions_held == 4
    assert cert.leader_names == ("Lea", "Col", "New")  # who led what they attended
    assert cert.led_by == (("Lea", "Col"), ("New",))
    empty = certificate("Ann", "Tuesday", summarise_member([]), [])
    assert empty.period_start is None and empty.attended == () and empty.leader_names == ()


def test_a_certificate_merges_two_sessions_on_one_date_and_leaves_unrecorded_ones_bare() -> None:
    record = summarise_member([(date(2026, 11, 3), "present"), (date(2026, 11, 10), "present")])
    cert = certificate(
        "Ann", "Tuesday", record, [(date(2026, 11, 3), ["Lea"]), (date(2026, 11, 3), ["Lea", "Co"])]
    )
    assert cert.led_by == (("Lea", "Co"), ())
    assert cert.leader_names == ("Lea", "Co")


def test_per_session_totals_counts_each_status() -> None:
    totals = per_session_totals(
        [1, 2], [(1, "present"), (1, "present"), (1, "absent"), (2, "excused"), (9, "present")]
    )
    assert totals[1] == {Status.PRESENT: 2, Status.EXCUSED: 0, Status.ABSENT: 1}
    assert totals[2][Status.EXCUSED] == 1


def test_a_command_is_presence_while_the_meeting_runs_not_days_later() -> None:
    from datetime import UTC, datetime, timedelta

    from bot.domain.attendance import COMMAND_GRACE, command_counts

    start = datetime(2026, 11, 17, 19, 0, tzinfo=UTC)
    end = start + timedelta(hours=1)
    late_start = start + timedelta(minutes=20)
    assert command_counts(None, start, end, start)  # the command that starts it
    assert command_counts(late_start, start, end, late_start + timedelta(hours=1) + COMMAND_GRACE)
    assert not command_counts(late_start, start, end, start + timedelta(days=2))
    assert command_counts(start, None, None, start + COMMAND_GRACE)
    assert not command_counts(start, None, None, start + COMMAND_GRACE + timedelta(seconds=1))
