"""Sentences of the facilitation capability: sessions, phases, turns, timers, voice."""

PHASE_NAMES = {
    "check_in": "Check-in",
    "case_call": "Who has a case?",
    "presentation": "Presentation",
    "questions": "Clarifying questions",
    "discussion": "Discussion",
    "return": "Presenter's return",
    "closing": "Closing",
    "ended": "Ended",
}
PHASE_HINTS = {
    "check_in": "Each member says a sentence about how they arrive.",
    "case_call": "Who has a case? Nobody is forced.",
    "presentation": "The presenter tells the story from memory; the group listens.",
    "questions": "Short questions of fact only.",
    "discussion": "The presenter sits back and listens; the group wonders about the relationship.",
    "return": "The presenter comes back in and says what struck them.",
    "closing": "Thank you all.",
    "ended": "The session has ended. This channel is read-only now.",
}
MODE_NAMES = {"open": "Open", "hands": "Raised hands", "strict": "Strict turns"}

# --- channel names and the frame ------------------------------------------------------
TEXT_CHANNEL_NAME = "session-{date}"
VOICE_CHANNEL_NAME = "Session voice {date}"
PERMANENT_CHANNEL_NAME = "sessions"  # the group's permanent session channel (kept between them)
FRAME_TITLE = "Session of {group}"
FRAME_PLAN_HEADER = "Plan of the meeting:"
FRAME_PLAN_LINE = "• {phase}: {minutes} min"
FRAME_ACK_HINT = "Please press “I have read this” to confirm you are in a private space."
START_AUDIT = "Balint session started"
REFIT_AUDIT = "balint-bot: /group repair made a new group role"
PURGE_AUDIT = "Balint session purged after its end"
PURGE_MESSAGES_AUDIT = "Balint session's messages deleted after its end"
PURGE_THREADS_AUDIT = "Balint session channel's threads deleted after the session's end"
LEADERS_PURGE_FAILED = (
    "{group}: Discord refused to delete the ended session's channel {channel} twice, so "
    "what was said there is still readable. I keep trying{next}. Check that my role has "
    "Manage Channels and Manage Messages there, or delete it yourself."
)
LEADERS_PURGE_FAILED_PERMANENT = (
    "{group}: Discord refused to delete the ended session's messages in {channel} twice, so "
    "what was said there is still readable. I keep trying{next}. Check that my role has "
    "Manage Messages there, or delete the messages yourself (keep the channel: the next "
    "session uses it)."
)
LEADERS_PURGE_NEXT = " (next try {when})"

# --- the status message ---------------------------------------------------------------
STATUS_TITLE = "{phase}"
STATUS_PHASE_ENDS = "Phase ends {when}"
STATUS_FIELD_PRESENTER = "Presenter"
STATUS_FIELD_FLOOR = "Has the floor"
STATUS_FIELD_QUEUE = "Raised hands"
STATUS_FIELD_ROUND = "Round"
STATUS_FIELD_MODE = "Turns"
STATUS_FIELD_AWAY = "Away (the group waits)"
STATUS_AWAY_MARK = "{member} (away)"
STATUS_FIELD_ACKS = "Read the reminder"
STATUS_FIELD_VOICE = "Voice"
STATUS_NOBODY = "—"
STATUS_FLOOR_LEADERS = "the leaders"
STATUS_ACKS = "{done} of {total}"
STATUS_VOICE_ADVISORY = "Advisory: please speak when you have the floor."
STATUS_VOICE_ENFORCED = "Enforced: members without the floor are muted by the bot."
STATUS_ENDED = "The session has ended. Thank you all."

BUTTON_NEXT = "Next phase"
BUTTON_EXTEND = "+5 min"
BUTTON_RAISE = "Raise hand"
BUTTON_LOWER = "Lower hand"
BUTTON_DONE = "Done"
BUTTON_PASS = "Pass"
BUTTON_NEXT_SPEAKER = "Next speaker"
BUTTON_HERE = "I'm here"
BUTTON_ACK = "I have read this"
BUTTON_ACK_WHO = "Who has not read it? (leaders)"

# --- answers ------------------------------------------------------------------------------
STARTED = "The session has started in {channel}."
STARTED_VOICE = " Voice: {channel}."
ALREADY_LIVE = "This group's session is already running in {channel}."
NO_LIVE_SESSION = "This group has no session running. A leader starts one with `/session start`."
ENDED = "The session has ended. The channel is read-only and will be deleted {when}."
ENDED_PERMANENT = (
    "The session has ended. The channel is read-only; its messages will be deleted {when}, "
    "and the channel is kept for the next session."
)
ALREADY_ENDED = "This session has already ended."
PHASE_NOW = "Now: {phase}"  # no full stop: "Who has a case?" ends a phase name
ALREADY_MOVED = "The meeting has already moved to “{phase}”."
FLOOR_ALREADY_MOVED = "{member} already has the floor."
FLOOR_ALREADY_BACK = "The floor has already gone back to the leaders."
EXTENDED = "“{phase}” now ends {when}."
MODE_SET = "Turns are now: {mode}."
NOT_A_MEMBER = "{member} is not a member of this group."
FLOOR_GIVEN = "{member} has the floor."
ROUND_COMPLETE_SKIP = "That was the last turn: the round is complete."
ROUND_STARTED = "A round begins: {order}. Press “Done” when you have finished, or “Pass”."
HAND_RAISED = "Your hand is raised. You are number {position}."
HAND_LOWERED = "Your hand is lowered."
HAND_NOT_RAISED = "Your hand was not raised."
DONE_OK = "Thank you."
PASSED = "You passed. Thank you."
HERE_OK = "Welcome. You are marked as here."
ACK_OK = "Thank you for confirming."
ACK_MISSING = "Not yet confirmed: {members}."
ACK_ALL = "Everyone has confirmed."
AWAY_SET = "The group knows and waits for you for 2 minutes."
BACK_SET = "Welcome back."
NOT_AWAY = "You were not marked as away."
ROUND_STARTED_ANSWER = "The go-round has started: {member} speaks first."

# --- lines in the channel ---------------------------------------------------------------------
LINE_PHASE = "**{phase}** — {hint}"
LINE_FLOOR = "{member}, you have the floor."
LINE_ROUND_NEXT = "{member}, your turn in the round."
LINE_ROUND_TIMEOUT = "Time for this turn is up; thank you. {member}, your turn."
LINE_ROUND_TIMEOUT_LAST = "Time for this turn is up; thank you. The round is complete."
LINE_ROUND_JOINED = "{member} is back and takes a turn at the end of the round."
LINE_ROUND_END = "The round is complete. Thank you all."
LINE_RETURN = "{member}, the floor is yours again: what struck you?"
LINE_ROUND_STOPPED = "A leader ended the round early."
LINE_AWAY = "{member} lost connection; the group waits 2 minutes."
LINE_BACK = "{member} is back."
LINE_HANDS_DROPPED = "{members} did not come back within 2 minutes; their raised hand was lowered."
LINE_LEADER_DM_CLOSED = "(Leaders: I could not send you a direct message.) {text}"

# --- DMs to leaders ---------------------------------------------------------------------------
# Keyed by bot.domain.session.at_deadline: what happens when the phase's time is up, so
# no leader is asked to do what the bot will do, nor told the bot will do what it will not.
DM_PHASE_WARNING = {
    "leaders": "{group}: “{phase}” ends {when}. Extend with `/phase extend` or move on with "
    "`/phase next`.",
    "close": "{group}: “{phase}” ends {when}. End the session with `/session end` when you "
    "are ready, or extend with `/phase extend`.",
    "no_presenter": "{group}: “{phase}” ends {when}, and nobody has been chosen to present. "
    "Choose with `/case pick`, go to the closing with `/phase goto`, or extend with "
    "`/phase extend`.",
    "wait_presenter": "{group}: “{phase}” ends {when}, but nobody has been chosen to present, "
    "so I will not move on by myself. Choose with `/case pick` before then and I will; after "
    "it, choose and use `/phase next`, or go to the closing with `/phase goto`.",
    "next": "{group}: “{phase}” ends {when}; then I move on to “{next}” by myself. "
    "`/phase extend` gives more time.",
    "end": "{group}: “{phase}” ends {when}; then I end the session by myself. `/phase extend` "
    "gives more time.",
    "session_end": "{group}: the session is due to end {when}, before “{phase}” ends; I will "
    "end it then.",
}
DM_END_SOON = "{group}: the session is due to end {when}."
DM_END_SOON_AUTO = "{group}: the session is due to end {when}; I will end it then."
DM_END_NOW = "{group}: the session's scheduled time is up. End it with `/session end`."
DM_END_NOW_AUTO = "{group}: the session's scheduled time is up; I am ending it now."
DM_AUTO_ADVANCE_FAILED = (
    "{group}: the phase's time is up, but I could not move on. {why} "
    "Meanwhile you can move on yourselves with `/phase next`."
)
# The same for a passing fault (Discord busy, the connection broken): the bot tries again.
DM_AUTO_ADVANCE_RETRY = (
    "{group}: the time of “{phase}” is up, but I could not move on: Discord did not answer "
    "properly. I will try again in a minute; meanwhile you can move on yourselves with "
    "`/phase next`."
)
# The same when no retry can come in time (the bot ran it late, after a restart).
DM_AUTO_ADVANCE_GIVEN_UP = (
    "{group}: the time of “{phase}” is up, but I could not move on: Discord did not answer "
    "properly, and it is now too late to try again. Please move on yourselves with "
    "`/phase next` when you are ready."
)
DM_AUTO_END_FAILED = (
    "{group}: I could not end the session at its scheduled time. {why} "
    "Once that is fixed, end it with `/session end`."
)
# The same for a passing fault: nothing for a server admin to fix, only to end it again.
DM_AUTO_END_PASSING = (
    "{group}: I could not end the session at its scheduled time: Discord did not answer "
    "properly, so the meeting stays in “{phase}”. Please end it with `/session end` in a "
    "minute or two."
)
DM_SILENCE = "{group}: no message in the discussion for {minutes} minutes."
DM_AWAY = "{group}: {member} lost connection; the group waits 2 minutes."

# --- refusals (domain reason keys) ----------------------------------------------------------------
REASONS = {
    "ended": "The session has ended.",
    "no_presenter": (
        "Nobody has been chosen to present yet. Choose with `/session presenter` first."
    ),
    "max_cases": "This meeting already had its cases. Go to the closing with `/phase goto`.",
    "use_end": "To end the session use `/session end`.",
    "same_phase": "The meeting is already in that phase.",
    "bad_minutes": "Extend by 1 to 60 minutes.",
    "not_case_call": "The presenter is chosen in the “Who has a case?” phase.",
    "leader_may_speak": "Leaders may always speak; no need to raise a hand.",
    "presenter_listens": (
        "During the discussion the presenter listens. You speak again at the presenter's "
        "return, when a leader moves on to it."
    ),
    "presenter_listens_floor": (
        "During the discussion the presenter listens; they speak again at the presenter's "
        "return (`/phase next`)."
    ),
    "has_floor": "You already have the floor.",
    "queue_empty": "No hand is raised.",
    "all_away": "Everyone with a raised hand is away just now.",
    "not_floor_holder": "You do not have the floor just now.",
    "nobody_for_round": "There is nobody to go round.",
    "no_round": "No round is running.",
    "not_your_turn": "It is not your turn in the round yet.",
}

APPLY_FAILED = (
    "I could not change the channel's permissions ({what}), so the meeting stays in "
    "“{phase}”. {todo}"
)
# The same, when putting back the permissions already changed failed too.
APPLY_NOT_UNDONE = (
    "I could not change the channel's permissions ({what}), and could not put back the ones "
    "I had already changed: the meeting is still in “{phase}”, but who may write may not match "
    "it. Run the same command again to finish the change. {todo}"
)
APPLY_FAILED_WHAT = {
    403: "missing permission",
    404: "something was deleted meanwhile",
    429: "Discord rate limit",
    500: "Discord error",
}
# What to do next, by the kind of failure: only a missing permission needs a server admin.
APPLY_FAILED_TODO = {
    403: (
        "A server admin can check that my role has Manage Roles and is above the group "
        "role (Server Settings > Roles); then try again."
    ),
    # 404: a channel, role or member was deleted by hand just before my call.
    404: (
        "A channel, role or member I needed was deleted just now: please try again; if it "
        "happens again, run `/group repair`."
    ),
    429: "Discord is asking me to slow down: please try again in a minute.",
    500: "Discord did not answer properly: please try again shortly.",
}
# 403 Missing Access (50001): my entry or role may no longer see the session channel.
APPLY_FAILED_HIDDEN = "I can no longer see the channel"
APPLY_FAILED_HIDDEN_TODO = (
    "A server admin can let me see it again: in the channel's permissions, allow View "
    "Channel for me (balint-bot's own entry) or my role; then try again."
)
CHANNEL_CREATE_FAILED = (
    "I could not set up the session channel ({what}). Nothing was left half-done. {todo}"
)
CHANNEL_CREATE_FAILED_LEFT = (
    "I could not set up the session channel ({what}), and Discord would not let me remove "
    "what I had made: please delete {channels} by hand. {todo}"
)
# A channel whose creation's answer was lost, and which the bot could not look for either.
MAYBE_LEFT_CHANNEL = "#{channel} (if it is there and no session uses it)"
CHANNEL_CREATE_TODO = {
    403: "A server admin can give my role {permissions} (Server Settings > Roles); then try again.",
    404: APPLY_FAILED_TODO[404],
    429: APPLY_FAILED_TODO[429],
    500: APPLY_FAILED_TODO[500],
}
# What a start needs when the bot holds every permission of the invite (then the cause of a
# refusal is elsewhere, such as an overwrite on the category); else the ones it lacks are named.
START_PERMISSIONS = "Manage Channels, Manage Roles, Connect and Speak"
NO_CATEGORY = "This group has no category. An organiser can fix it with `/group repair`."
VOICE_MUTE_REASON = "Balint session: enforced turns"
VOICE_UNMUTE_REASON = "Balint session: turn given back"
VOICE_LOCKED_OUT_REASON = "Balint session: no longer has access to the group"
NOT_PLANNED = "That session is no longer waiting to start. `/session start` opens one now."

# --- what the command picker shows under each option ------------------------------------
OPTION_GROUP = "Which group (default: this channel's)"
OPTION_PRESENTER = "The member who presents the next case"
OPTION_GOTO_PHASE = "The phase to jump to"
OPTION_EXTEND_MINUTES = "Minutes to add to the current phase (1-60)"
OPTION_TURNS_MODE = (
    "Open: speak freely; Raised hands: a leader calls each hand; Strict: only who has the floor"
)
OPTION_ROUND_PHASE = "Go to this phase first (default: stay in the current one)"
OPTION_TURN_MINUTES = "Minutes each member has before the round moves on (default: no limit)"
OPTION_FLOOR_MEMBER = "The member who speaks now"

# --- a live meeting's channel deleted by hand in Discord (to the leaders, once) ---------
CHANNEL_DELETED_MID_MEETING = {
    "text": (
        "Someone deleted the session channel of “{group}” in Discord during the meeting, "
        "with its status message and buttons. The meeting is still running: a leader can "
        "go on with `/phase` in the lobby, and end it with `/session end` there as usual. "
        "The next `/session start` makes a new channel."
    ),
    "voice": (
        "Someone deleted the voice channel of “{group}” in Discord during the meeting, and "
        "everyone in it was disconnected. The meeting goes on in its session channel; "
        "`/session end` ends it as usual. Anyone I had muted is unmuted when they next join "
        "a voice channel."
    ),
}
