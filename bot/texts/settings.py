"""Sentences of /settings (per-group settings) and the lobby "Start the session" button."""

# The name shown for each setting (also the choice names of `/settings set setting:`).
NAMES = {
    "voice_mode": "Voice turn-taking (advisory or enforced)",
    "voice_enabled": "Voice channel (on or off)",
    "auto_advance": "Auto-advance phases (on or off)",
    "auto_end": "Auto-end at the scheduled end (on or off)",
    "silence_nudge_minutes": "Silence nudge (minutes)",
    "max_cases": "Cases per meeting (1-4)",
    "quorum": "Quorum (members needed)",
    "reminder_lead_minutes": "Reminder lead times (minutes, e.g. 1440,60)",
    "events_enabled": "Discord events (on or off)",
    "case_prompts_enabled": "Case prompts (on or off)",
    "guard_mode": "Identifier guard (warn, remove or off)",
    "purge_delay_minutes": "Delete the session channel after (minutes)",
    "session_channel": "Session channel (new each time, or permanent)",
    "minutes_check_in": "Minutes: check-in",
    "minutes_case_call": "Minutes: who has a case?",
    "minutes_presentation": "Minutes: presentation",
    "minutes_questions": "Minutes: clarifying questions",
    "minutes_discussion": "Minutes: discussion",
    "minutes_return": "Minutes: presenter's return",
    "minutes_closing": "Minutes: closing",
}

# One clear sentence per setting when the value does not fit.
BAD_VALUE = {
    "voice_mode": "Voice mode is advisory or enforced.",
    "voice_enabled": "The voice channel setting is on or off.",
    "auto_advance": "Auto-advance is on or off.",
    "auto_end": "Auto-end is on or off.",
    "silence_nudge_minutes": "The silence nudge is a whole number of minutes from 1 to 60.",
    "max_cases": "Cases per meeting is a whole number from 1 to 4.",
    "quorum": "The quorum is a whole number of members from 1 to 100.",
    "reminder_lead_minutes": (
        "Reminder lead times are up to 5 whole numbers of minutes before the session, "
        "separated by commas, each from 1 to 20160 (e.g. 1440,60)."
    ),
    "events_enabled": "Discord events are on or off.",
    "case_prompts_enabled": "Case prompts are on or off.",
    "guard_mode": "The identifier guard is warn, remove or off.",
    "purge_delay_minutes": (
        "The delay before the session channel is deleted is a whole number of minutes "
        "from 0 to 10080 (one week)."
    ),
    "session_channel": (
        "The session channel is new (a fresh channel each session, deleted after it) or "
        "permanent (one channel kept between sessions, its messages deleted after each)."
    ),
}
BAD_PHASE_MINUTES = "A phase lasts a whole number of minutes from 1 to 120."

SHOW_TITLE = "Settings of {group}"
SHOW_LINE = "**{name}**: {value}"
SHOW_DEFAULT = "{value} (default)"
SHOW_CUSTOM = "{value} (default: {default})"
SHOW_FOOTER = "Leaders change these with /settings set and /settings reset."
ON, OFF = "on", "off"
MINUTES = "{value} min"
LEADS_EMPTY = "none"

SET_DONE = "Saved for {group}: {name} is now {value}."
RESET_DONE = "Reset for {group}: {name} is back to its default, {value}."
NEXT_SESSION = " It applies from the next session."
NEXT_PHASE = " In a meeting under way it applies from its next phase."

# --- the lobby "Start the session" button ---------------------------------------------------
DUE_MESSAGE = "It is time for the session of {group} ({when}). A leader can start it here."
START_LABEL = "Start the session"
DUE_OVER = "This session was already started or cancelled. Nothing was changed."
# To the leaders when the lobby refused the button (deleted, or hidden from the bot's role).
DUE_NOT_POSTED = (
    "It is time for the session of {group}, but Discord did not let me post the Start button "
    "in the lobby (deleted, or my role cannot see or post there). Start it with `/session "
    "start`; `/group repair` or a server admin can fix the lobby."
)
# To the leaders when Discord kept failing the post (an outage) until the retries ran out.
DUE_NOT_POSTED_OUTAGE = (
    "It is time for the session of {group}, but Discord kept failing (an outage on its side), "
    "so there is no Start button in the lobby. Start the session with `/session start`."
)
DUE_STARTED = "The session of {group} was started by {leader}: join it in {channel}."
DUE_MEMBER = "When one starts the session, this message will say where it is."
DUE_LIVE = "The session has already started: join it in {channel}."
# In the lobby when a leader starts the session with /session start (no button pressed).
SESSION_OPEN = "The session of {group} has started: join it in {channel}."
