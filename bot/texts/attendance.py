"""Sentences of the attendance capability."""

STATUS_NAMES = {"present": "present", "absent": "absent", "excused": "excused"}

# /attendance mark
MARKED = "{member} is now marked **{status}** for the session of {date} in {group}."
NOT_IN_GROUP = "{member} is not a member of {group}, so there is no attendance to mark."
NO_SESSIONS_YET = "No session of {group} has ended yet, so there is no attendance to show or mark."
NO_SESSION_ON = (
    "{group} had no session on {date}. Sessions nearest to that date: {nearest}. "
    "Give one of these as `date` (YYYY-MM-DD)."
)
# The times are the group's (dates and times typed are read in its zone), so the zone is
# named, and each start shown in the reader's own zone too.
SEVERAL_ON = (
    "{group} met more than once on {date}, at {times} {zone} time (for you: {local}). "
    "Give the time too, in {zone} time, e.g. `{example}`."
)
BAD_DATE_TIME = (
    "“{text}” is not a date and time I can read. Please type it as YYYY-MM-DD HH:MM, "
    "e.g. 2026-11-24 19:00."
)
BAD_DATE = "“{text}” is not a date I can read. Please type it as YYYY-MM-DD, e.g. 2026-11-24."
BAD_RANGE = "The `from` date ({start}) is after the `to` date ({end}). Please swap them."

# /attendance me
ME_TITLE = "Your attendance in {group}"
ME_NONE = "You have no recorded sessions in {group} yet."
ME_LINE = "**{label}: {count}**{dates}"
ME_ATTENDED = "Attended"
ME_EXCUSED = "Excused"
ME_MISSED = "Missed"
ME_EARLIER = "… and {count} earlier"
ME_FULL_LIST = (
    "Only the latest dates fit here. `/attendance certificate` lists every session you "
    "attended; the group's leaders can give you the full record with `/attendance export`."
)

# /attendance group
GROUP_TITLE = "Attendance in {group}, last {count} sessions (P present, E excused, A absent):"
GROUP_TITLE_ONE = "Attendance in {group}, last session (P present, E excused, A absent):"
GROUP_TOTALS_HEADER = "P/E/A"
GROUP_FORMER = "Left the group since:"
GROUP_NONE = NO_SESSIONS_YET

# /attendance export
EXPORT_HEADER = ("date", "user_id", "display_name", "status")
EXPORT_DONE = "Attendance of {group} from {start} to {end}: {rows} entries, CSV attached."
EXPORT_EMPTY = "{group} has no attendance recorded between {start} and {end}."
UNKNOWN_NAME = "(left the server)"

# /attendance certificate
CERT_ONLY_SELF = (
    "You can ask only for your own certificate; the group's leaders can give one for anyone."
)
CERT_DONE = "Attendance certificate for {member} in {group} attached."
CERT_TITLE = "# Balint group attendance"
CERT_MEMBER = "- **Member:** {name}"
CERT_GROUP = "- **Group:** {name}"
CERT_LEADERS = "- **Leader(s):** {names}"
CERT_PERIOD = "- **Period:** {start} to {end}"
CERT_PERIOD_NONE = "- **Period:** no sessions recorded yet"
CERT_COUNT = "- **Sessions attended:** {attended} of {held}"
CERT_DATES = "## Sessions attended"
CERT_DATE_LINE = "- {date}"
CERT_DATE_LINE_LED = "- {date} (led by {names})"
CERT_NO_DATES = "None yet."
CERT_FOOTER = "Issued {date} by balint-bot from the group's attendance record."
NO_LEADERS = "(none recorded)"

# /attendance chart
CHART_DONE = "Attendance per session in {group} over the last 6 months."
CHART_NONE = "{group} has no ended sessions in the last 6 months to chart."
CHART_TITLE = "Attendance per session"
CHART_Y = "members"
