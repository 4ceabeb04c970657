"""Sentences of the summary file of /privacy export: plain headings for the member to read.

Why apart from bot/texts/privacy.py: the summary names every kind of record a person
can have, in the words of the people reading it (GPs, not developers).
"""

SUMMARY_FILENAME = "balint-bot-my-data.txt"
ZIP_FILENAME = "balint-bot-my-data.zip"

TITLE = "What balint-bot keeps about you"
INTRO = (
    "Exported {now} for the Discord account with id {user_id} (that is you).\n"
    "\n"
    "I keep Discord ids, roles, settings, times and counts only: never what anyone writes "
    "or says. Pulse survey answers are anonymous, so none can be linked to you.\n"
    "Times are written year-month-day, then the time, then the difference from UTC "
    "(ISO 8601), in the group's time zone; UTC where no group is concerned.\n"
    'An "internal number" is my own number for a record, used to link records together.\n'
    "The file {json_file} holds these same records exactly as stored, for a computer to read."
)
COUNT = "{heading} ({count})"
NOTHING_KEPT = "Nothing kept about you: {sections}."

# table -> (heading, what the section is, in one line)
SECTIONS: dict[str, tuple[str, str]] = {
    "memberships": (
        "Your memberships",
        "The groups you are in or were in, your role there, and whether I send you reminders.",
    ),
    "consents": (
        "Agreements you accepted",
        "Each version of a group's agreement you accepted, and when: the group role is "
        "given only after that.",
    ),
    "attendance": (
        "Your attendance at meetings",
        "Whether you were present, absent or excused at each meeting, for the group's "
        "register and training records.",
    ),
    "rsvps": (
        "Your answers to invitations",
        "Whether you said you would come to a meeting, so leaders know if the group reaches "
        "its quorum.",
    ),
    "session_acks": (
        "Confidentiality reminders you acknowledged",
        "The meetings at which you acknowledged the confidentiality reminder, so leaders "
        "see who has not.",
    ),
    "session_leaders": (
        "Meetings you led",
        "The meetings you led, so an attendance certificate can name who led them.",
    ),
    "cases": (
        "Cases you presented",
        "When you presented a case, and where a follow-up stands. Never the case itself.",
    ),
    "offers": (
        "Cases you offered",
        "That you offered a case or a follow-up for a coming meeting, never what it is about.",
    ),
    "session_queue": (
        "Your place in the turns",
        "During a meeting under way: that you raised your hand, or your place in a round.",
    ),
    "session_away": (
        "Times you stepped away",
        "During a meeting under way: that you stepped away, so turns skip you.",
    ),
    "sessions": (
        "Meetings where you have the floor",
        "A meeting under way in which it is your turn to speak. The file {json_file} holds "
        "that meeting's whole record (times and counts, never what was said).",
    ),
    "timers": (
        "Reminders and tasks for you",
        "What I do for you at a set time (a question, a change of your role, an erasure), "
        "kept so it happens even after a restart.",
    ),
    "timer_deliveries": (
        "Messages on their way to you",
        "Which direct messages of a round have reached you so far, so that after a restart "
        "you get each one once.",
    ),
    "pulse_voters": (
        "Pulse surveys you answered, still open",
        "A one-way code shows you answered, so nobody answers twice; it cannot be traced "
        "to you once the survey closes. Your answers are counted anonymously.",
    ),
    "voice_mutes": (
        "Voice mutes to lift",
        "A server mute I set on you for turn-taking, kept so I can always lift it.",
    ),
    "saved_overwrites": (
        "Channel permissions I changed for you",
        "Your permissions on a channel as they were before I changed them for a meeting, "
        "so I can put them back.",
    ),
    "role_takebacks": (
        "Group roles taken back",
        "You were given a group's role by hand without being a member who agreed: I take it "
        "back and tell the group's leaders once.",
    ),
}

# What a record is about.
GROUP_GONE = "a group no longer on record (internal number {id})"
MEETING = "{group}, meeting of {when}"
# A group whose name a group of another server shares: which server it is on.
GROUP_ON_SERVER = "{group} (on {server})"
MEETING_GONE = "a meeting no longer on record (internal number {id})"
SERVER = "the server {name}"
SERVER_UNKNOWN = "a server (Discord id {id})"
CHANNEL = "the channel #{name}"
CHANNEL_UNKNOWN = "a channel no longer there (Discord id {id})"
NOT_YET = "not yet"
NONE = "none"

# One line per record; each {placeholder} is filled in cogs/_privacy_lines.py.
MEMBERSHIP = "{group} (time zone {zone}): {role}, joined {joined}{left}; reminders {reminders}."
MEMBERSHIP_LEFT = ", left {left}"
REMINDERS = {1: "on", 0: "off"}
ROLES = {"leader": "leader", "co_leader": "co-leader", "member": "member"}
CONSENT = "{group}: version {version} of the agreement, accepted {at}."
ATTENDANCE = "{meeting}: {status} (recorded {at}: {source})."
STATUSES = {"present": "present", "absent": "absent", "excused": "excused"}
SOURCES = {
    "button": "you pressed the attendance button",
    "ack": "you acknowledged the confidentiality reminder",
    "message": "you took part in the meeting's channel",
    "voice": "you joined the meeting's voice channel",
    "command": "you used a meeting command or button",
    "rsvp": "you had said you could not come",
    "auto": "no sign of you when the meeting ended",
    "leader": "set by a leader",
}
RSVP = "{meeting}: {answer} (answered {at})."
ANSWERS = {"yes": "coming", "no": "not coming"}
ACK = "{meeting}: acknowledged {at}."
LED = "{meeting}."
CASE = "{meeting}: {kind}, {position}{parts}."
CASE_KINDS = {"new": "a new case", "followup": "a follow-up"}
CASE_POSITION = "case {n} of the meeting"
CASE_STARTED = "; started {at}"
CASE_ENDED = "; ended {at}"
CASE_FOLLOWS = "; follows up your case at {meeting}"
CASE_FOLLOWS_GONE = "; follows up an earlier case (internal number {id})"
CASE_FOLLOWUP = "; follow-up: {state}"
FOLLOWUP_STATES = {
    "none": "not asked",
    "asked": "asked",
    "yes": "you said yes, next time",
    "later": "you said later",
    "no": "you said no",
    "done": "given",
}
CASE_ASK_AFTER = "; to be asked about before the first meeting after {at}"
CASE_ASKED_ABOUT = "; last asked about {meeting}"
CASE_PROMISED = "; you said yes on {at}"
CASE_NUMBER = " (internal number {id})"
OFFER = "{meeting}: {kind} (offered {at})."
OFFER_KINDS = {"case": "a case", "followup": "a follow-up", "none": "no case this time"}
QUEUE = "{meeting}: {kind}, place {position}."
QUEUE_KINDS = {"hand": "hand raised", "round": "in the round of turns"}
AWAY = "{meeting}: stepped away at {at}."
FLOOR = "{meeting}: you have the floor (the meeting is {status}; phase: {phase})."
SESSION_STATUSES = {
    "planned": "planned",
    "live": "under way",
    "ended": "over",
    "cancelled": "cancelled",
}
TIMER = "{task}, {about}: due {due}, {state}{fired}."
TIMER_FIRED = ", ran {at}"
TIMER_ABOUT_NOTHING = "not about a group"
TIMER_STATES = {
    "pending": "still to come",
    "firing": "running now",
    "done": "done",
    "missed": "missed while I was offline",
    "failed": "failed",
    "cancelled": "cancelled",
}
TASKS = {
    "session_reminder": "A reminder of the meeting",
    "session_quorum": "A check that enough members are coming",
    "case_prompt": "Asking whether you have a case",
    "followup_prompt": "Asking whether you will give a follow-up of your case",
    "member_follow_up": "Finishing a change to your membership",
    "leader_follow_up": "Finishing a change to the group's leaders that concerns you",
    "agreement_again": "Asking you to accept the group's new agreement",
    "agreement_session": "The confidentiality reminder of the meeting",
    "pulse_send": "Sending the meeting's pulse survey",
    "session_away": "Ending your time away in a meeting",
    "forget": "Erasing your records",
    "forget_meeting": "Taking you out of a meeting under way, for an erasure",
}
TASK_UNKNOWN = 'A task of mine (internal name "{kind}")'
DELIVERY = "{task}, {about}: {state} {at}{message}."
DELIVERY_MESSAGE = " (my message's Discord id {id})"
DELIVERY_STATES = {
    "sending": "being sent since",
    "sent": "sent",
    "closed": "not sent, your direct messages are closed,",
    "failed": "not sent, Discord refused it,",
    "mentioned": "mentioned you in the lobby instead",
}
PULSE = '{meeting}: you answered "{question}"'
MUTE = "{server}: muted {at}, {meeting}."
MUTE_NO_MEETING = "no meeting on record"
OVERWRITE = "{channel}: saved {at}; allowed: {allowed}; denied: {denied}."
TAKEBACK = "{group}: {why}, {at}{stuck}."
TAKEBACK_WHY = {
    "not_member": "you are not a member of the group",
    "not_agreed": "you have not accepted the group's agreement",
}
TAKEBACK_STUCK = "; Discord refused the removal and the leaders were told"
# A kind of record this summary has no words for yet: its declared title and meanings.
OTHER = "{title}: {fields}."
OTHER_FIELD = "{meaning}: {value}"
