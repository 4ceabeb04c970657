"""Turning attendance records into what leaders and members read: text, CSV, Markdown."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from bot import names
from bot.domain.attendance import Certificate, MemberRecord, Status
from bot.textfit import MESSAGE_LIMIT, fit
from bot.texts import attendance as texts

_SYMBOL = {Status.PRESENT: "P", Status.EXCUSED: "E", Status.ABSENT: "A"}
_NAME_WIDTH = 16


def me_text(group_name: str, record: MemberRecord, limit: int = MESSAGE_LIMIT) -> str:
    """Counts, and the latest dates of each kind that fit in one message (a group may
    have met weekly for years); if any were left out, where to find the full list."""
    if record.total == 0:
        return texts.ME_NONE.format(group=group_name)
    kinds = [
        (texts.ME_ATTENDED, record.attended),
        (texts.ME_EXCUSED, record.excused),
        (texts.ME_MISSED, record.missed),
    ]
    title = f"**{texts.ME_TITLE.format(group=group_name)}**"
    frame = [title] + [texts.ME_LINE.format(label=k, count=len(d), dates="") for k, d in kinds]
    budget = limit - len("\n".join(frame)) - len("\n" + texts.ME_FULL_LIST)
    listed: dict[str, str] = {}
    cut = False
    # The shortest lists first: what they leave unused goes to the longer ones.
    for left, (label, days) in enumerate(sorted(kinds, key=lambda k: len(k[1])), 1):
        share = budget // (len(kinds) - left + 1)
        dates = [d.isoformat() for d in days]
        shown = fit(dates, max(0, share - 2), more=texts.ME_EARLIER, keep_last=True)
        listed[label] = ": " + shown if days else ""
        cut = cut or shown != ", ".join(dates)
        budget -= len(listed[label])
    lines = [title] + [
        texts.ME_LINE.format(label=label, count=len(days), dates=listed[label])
        for label, days in kinds
    ]
    if cut:
        lines.append(texts.ME_FULL_LIST)
    return "\n".join(lines)


def group_table(
    group_name: str,
    dates: Sequence[date],
    rows: Sequence[tuple[str, Sequence[str | None]]],
    former: Sequence[tuple[str, Sequence[str | None]]] = (),
) -> str:
    """A monospace table: one line per member, one column per session, then P/E/A totals;
    `former`: members who left, with a record in these sessions, under their own heading."""
    # " 4Mar", not "03-04": month-day and day-month readers would take different dates.
    header = " " * _NAME_WIDTH + " " + " ".join(f"{d.day:>2}{d:%b}" for d in dates)
    header += "  " + texts.GROUP_TOTALS_HEADER
    lines = [header]
    lines += [_table_line(name, statuses) for name, statuses in rows]
    if former:
        lines.append(texts.GROUP_FORMER)
        lines += [_table_line(name, statuses) for name, statuses in former]
    heading = texts.GROUP_TITLE_ONE if len(dates) == 1 else texts.GROUP_TITLE
    title = heading.format(group=group_name, count=len(dates))
    frame = f"{title}\n```\n\n```"
    body = fit(lines, MESSAGE_LIMIT - len(frame), sep="\n")  # whole lines, then '… and N more'
    return f"{title}\n```\n{body}\n```"


def _table_line(name: str, statuses: Sequence[str | None]) -> str:
    """One member's line: their name, a cell per session, their P/E/A totals."""
    cells = []
    totals = dict.fromkeys(Status, 0)
    for status in statuses:
        if status is None:
            cells.append("  -  ")
            continue
        totals[Status(status)] += 1
        cells.append(f"  {_SYMBOL[Status(status)]}  ")
    short = name if len(name) <= _NAME_WIDTH else name[: _NAME_WIDTH - 1] + "~"
    return (
        f"{names.code(short):<{_NAME_WIDTH}} "
        + " ".join(cells)
        + f"  {totals[Status.PRESENT]}/{totals[Status.EXCUSED]}/{totals[Status.ABSENT]}"
    )


def export_csv(rows: Sequence[tuple[date, int, str, str]]) -> bytes:
    """date (ISO, group zone), user id, display name at export time, status."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(texts.EXPORT_HEADER)
    for day, user_id, name, status in rows:
        writer.writerow([day.isoformat(), str(user_id), names.spreadsheet(name), status])
    return buffer.getvalue().encode("utf-8")


def certificate_markdown(cert: Certificate, issued: date) -> bytes:
    lines = [
        texts.CERT_TITLE,
        "",
        texts.CERT_MEMBER.format(name=names.markdown(cert.member_name)),
        texts.CERT_GROUP.format(name=cert.group_name),
        texts.CERT_LEADERS.format(
            names=", ".join(names.markdown(n) for n in cert.leader_names) or texts.NO_LEADERS
        ),
    ]
    if cert.period_start is not None and cert.period_end is not None:
        lines.append(
            texts.CERT_PERIOD.format(
                start=cert.period_start.isoformat(), end=cert.period_end.isoformat()
            )
        )
    else:
        lines.append(texts.CERT_PERIOD_NONE)
    lines.append(texts.CERT_COUNT.format(attended=len(cert.attended), held=cert.sessions_held))
    lines += ["", texts.CERT_DATES, ""]
    if cert.attended:
        lines += [_date_line(day, led) for day, led in zip(cert.attended, cert.led_by, strict=True)]
    else:
        lines.append(texts.CERT_NO_DATES)
    lines += ["", texts.CERT_FOOTER.format(date=issued.isoformat()), ""]
    return "\n".join(lines).encode("utf-8")


def _date_line(day: date, leaders: Sequence[str]) -> str:
    """One attended session, with who led it when that was recorded."""
    if not leaders:
        return texts.CERT_DATE_LINE.format(date=day.isoformat())
    shown = ", ".join(names.markdown(name) for name in leaders)
    return texts.CERT_DATE_LINE_LED.format(date=day.isoformat(), names=shown)


def file_slug(name: str) -> str:
    """A file-name-safe version of a group name."""
    slug = "".join(c.lower() if c.isalnum() else "-" for c in name).strip("-")
    return "-".join(part for part in slug.split("-") if part)[:40] or "group"
