"""Sentences of the scheduling capability: schedules, reminders, RSVP, events, calendar."""

# Parse and validation problems: one sentence saying what to type instead.
TIME_PROBLEMS = {
    "bad_time_format": "Please give the time as HH:MM on the 24-hour clock, for example 19:00.",
    "hour_out_of_range": "Please give an hour from 00 to 23, for example 19:00 (not 25:00).",
    "minute_out_of_range": "Please give minutes from 00 to 59, for example 19:30.",
}
# The {what} of DATE_PROBLEMS: which of a command's dates was wrong.
WHAT_DATE = "date"
WHAT_START_DATE = "start date"
WHAT_END_DATE = "end date"
WHAT_NEW_DATE = "new date"
DATE_PROBLEMS = {
    "bad_date_format": "Please give the {what} as YYYY-MM-DD, for example 2026-12-01.",
    "no_such_date": "The {what} {value} does not exist; please give a real date as YYYY-MM-DD.",
}
TOO_FAR = "That date is more than five years ahead; please pick a nearer one."
SERIES_PROBLEMS = {
    "too_far": TOO_FAR,
    "starts_in_past": "The start date {value} is in the past; please give today or a later date.",
    "until_before_starts": "The end date must be on or after the start date ({value}).",
    "no_occurrence": (
        "That rule gives no session between the start and end dates; please widen them."
    ),
}
DURATION_PROBLEM = "Please give a duration between 30 and 240 minutes."
SKIP_PROBLEMS = {
    "not_an_occurrence": (
        "There is no session on {value}. `/schedule show` lists the next sessions."
    ),
    "in_the_past": "The session on {value} is in the past; please pick an upcoming date.",
    "already_skipped": "The session on {value} is already skipped.",
    "started": "The session on {value} has already started; it can no longer be skipped.",
}
NO_SUCH_TIME = (
    "{time} does not exist on {day} in {zone}: the clocks go forward then. "
    "Please pick another time."
)
MOVE_PROBLEMS = {
    "too_far": TOO_FAR,
    "not_an_occurrence": SKIP_PROBLEMS["not_an_occurrence"],
    "already_skipped": "The session on {value} is skipped; it cannot be moved.",
    "in_the_past": "Please move a session that has not started yet to a time in the future.",
    "unchanged": "That is already when the session on {value} takes place.",
    "one_off": (
        "The session on {value} is a one-off: skip it with `/schedule skip`, then add the "
        "new one with `/schedule once`."
    ),
    "no_such_time": NO_SUCH_TIME,
    "clash": "That new time overlaps another session of the group; please pick another time.",
    "once_taken": (
        "There is already a one-off session on that date; please pick another date, "
        "or skip the one-off first."
    ),
}
ONCE_PROBLEMS = {
    "too_far": TOO_FAR,
    "in_the_past": "That time is in the past; please pick a future date and time.",
    "once_taken": (
        "There is already a one-off session on that date; skip it first if you want to change it."
    ),
    "series_day": (
        "The series already has a session on that date; use `/schedule move` to change its time."
    ),
    "no_such_time": NO_SUCH_TIME,
    "clash": "That would overlap another session of the group; please pick another time.",
}
NO_SCHEDULE = "This group has no schedule yet. A leader can set one with `/schedule set`."

# Answers.
SET_DONE = "Schedule saved for {group}: {summary} ({zone}). Next session: {when} ({rel})."
SET_DONE_NONE = "Schedule saved for {group}: {summary} ({zone}). There is no upcoming session."
SET_KEEPS_ONE_OFFS = (
    " The series skips {dates}: a one-off session is already planned that day or at that "
    "time, and stays."
)
SET_KEEPS_ONE_OFFS_MANY = (
    " The series skips {dates}: one-off sessions are already planned those days or at those "
    "times, and stay."
)
SET_GAP_NOTE = (
    " Note: {time} does not exist on {day} in {zone} (the clocks go forward then), "
    "so that session starts at {when}."
)
ONCE_DONE = "One-off session added for {group}: {when} ({rel})."
PLAN_LONGER = (
    "\nNote: the meeting's plan with up to {cases} cases takes {plan} minutes, longer than "
    "this {minutes}-minute session, so a last case would run past the end. To fit, set "
    "fewer cases or shorter phases with `/settings set` (max_cases, phase_...), or a "
    "longer duration here."
)
SKIP_DONE = "The session on {value} is skipped; the rest of the series stays as it is."
MOVE_DONE = "The session of {value} is moved to {when} ({rel})."
CLEAR_DONE = "The schedule of {group} is cleared: no more sessions or reminders."
_GRANT = "a server admin can give my role Create Events (Server Settings > Roles)"
_NO_EVENTS = "this server does not offer Discord's scheduled events"
# Added to a command's answer when a session's event call failed, by how (see below).
EVENT_FAILED = {
    "passing": (
        " (Discord failed when I made or changed the session's event, an outage on its side; "
        "I will try again in a minute. The schedule and reminders work anyway.)"
    ),
    "refused": (
        f" (Discord refused to let me make or change the session's event: {_GRANT}. The "
        "schedule and reminders work anyway.)"
    ),
    "no_route": (
        " (This server does not offer Discord's scheduled events, so the session has none; "
        "`/schedule events off` stops me trying. The schedule and reminders work anyway.)"
    ),
}
EVENTS_DONE = {
    True: "Discord events are on for {group}: the next session appears in the server's Events.",
    False: "Discord events are off for {group}: I make no new ones.",
}
# Events off, but deleting the coming session's event failed (the reason follows).
EVENTS_OFF_KEPT = (
    "Discord events are off for {group}: I make no new ones, but the coming session's is "
    "still in the server's Events."
)
# To the leaders, once, when the bot gave up a session's event: by what it was doing, then
# why (bot.compat: "passing" a 5xx, 429 or the network; "refused" a 403; "no_route" a
# server without the events routes, a 404 on the route itself).
EVENT_GIVEN_UP = {
    "move": {
        "passing": (
            "The Discord event for the session now on {when} still shows its old time: "
            "Discord kept failing (an outage on its side) when I moved it. Please edit the "
            "event's time in the server's Events. The schedule and reminders have the right time."
        ),
        "refused": (
            "The Discord event for the session now on {when} still shows its old time: Discord "
            f"refused to let me move it. Please edit its time in the server's Events; {_GRANT} "
            "so I can keep events right. The schedule and reminders have the right time."
        ),
        "no_route": (
            "The Discord event for the session now on {when} still shows its old time: "
            f"{_NO_EVENTS} to me any more. Please edit or delete it in the server's Events."
        ),
    },
    "delete": {
        "passing": (
            "The Discord event for the session on {when} is still in the server's Events, but "
            "that session is off: Discord kept failing (an outage on its side) when I deleted "
            "it. Please delete the event by hand."
        ),
        "refused": (
            "The Discord event for the session on {when} is still in the server's Events, but "
            "that session is off: Discord refused to let me delete it. Please delete the event "
            f"by hand; {_GRANT} so I can keep events right."
        ),
        "no_route": (
            "The Discord event for the session on {when} is still in the server's Events, but "
            f"that session is off, and {_NO_EVENTS} to me any more. Please delete it by hand."
        ),
    },
    "create": {
        "passing": (
            "The session on {when} has no Discord event: Discord kept failing (an outage on its "
            "side) when I made it. Once Discord works again, run `/schedule events on` to make "
            "it. The schedule and reminders work anyway."
        ),
        "refused": (
            "The session on {when} has no Discord event: Discord refused to let me make it. "
            f"First {_GRANT}, then run `/schedule events on`. The schedule and reminders work "
            "anyway."
        ),
        "no_route": (
            f"The session on {{when}} has no Discord event: {_NO_EVENTS}. `/schedule events off` "
            "stops me trying. The schedule and reminders work anyway."
        ),
    },
}
SHOW_HEADER = "Next sessions of {group}, in your own time (the group meets on {zone} time):"
SHOW_LINE = "- {when} ({rel}){note}"
SHOW_MOVED = " (moved)"
SHOW_NONE = "{group} has no upcoming sessions."
CADENCE_SUMMARY = {
    "weekly": "every {weekday} at {time}",
    "fortnightly": "every other {weekday} at {time}",
    "monthly": "the {week} {weekday} of each month at {time}",
}
WEEK_NAMES = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CALENDAR_DONE = "Here is the calendar of {group}; import it into Google, Outlook or Apple Calendar."
CALENDAR_FILENAME = "balint-schedule.ics"
REMINDERS_DONE = {
    True: "Reminders for {group} are on: I will DM you before each session.",
    False: "Reminders for {group} are off. `/reminders on` turns them back on.",
}

# Roster.
ROSTER_NONE = "There is no planned session to show a roster for."
ROSTER = (
    "Session {when}:\nComing ({yes_count}): {yes}\nNot coming ({no_count}): {no}\n"
    "Not answered ({silent_count}): {silent}"
)
ROSTER_NOT_AGREED = (
    "\nHave not yet accepted the group agreement, so cannot see the group ({count}): {who}"
)
NOBODY = "nobody"

# Reminder DM, RSVP, fallback and quorum.
REMINDER_DM = "Reminder: {group} meets {when} ({rel}). Lobby: {lobby}\nWill you be there?"
RSVP_YES_LABEL = "I'll be there"
RSVP_NO_LABEL = "Can't make it"
RSVP_DONE = {"yes": "Thanks, noted: you will be there.", "no": "Thanks, noted: you can't make it."}
RSVP_LIVE = "Thanks, noted. The session has already started: join it in {channel}."
RSVP_OVER = "That session is no longer planned; nothing was noted."
LOBBY_FALLBACK = (
    "{mentions} I could not DM you a reminder (your DMs are closed): {group} meets {when} ({rel})."
)
QUORUM_WARNING = (
    "Heads-up: only {yes_count} of the {quorum} members needed have said they will come to "
    "{group} {when} ({rel}). Not answered yet: {silent}. `/schedule roster` shows who "
    "answered; if too few can come, `/schedule skip` calls this session off."
)

# Discord scheduled event (a native event, visible server-wide).
EVENT_NAME = "{group}: Balint group session"
EVENT_DESCRIPTION = "Session of the {group} Balint group; members meet in the group's lobby."
AUDIT_REASON = "balint-bot: schedule of a Balint group"
