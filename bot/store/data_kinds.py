"""The one declaration of every kind of data the bot keeps: table, columns, why, how long.

Why one place: `/privacy show` is generated from it, `/privacy export` and
`/privacy forget` find a person's rows through the `person` and `refers`
columns declared here, and a test compares it with the live schema, so a new
table or column cannot be added without saying why it is kept and whose it is.

Each capability that adds a table in its migration adds its entry here.
"""

from __future__ import annotations

from bot.store.data_kind import SESSION_RETENTION, UNTIL_GROUP_DELETED, DataKind
from bot.store.data_kinds_meeting import MEETING_KINDS

__all__ = ["DATA_KINDS", "DataKind", "by_table", "person_kinds"]

_RETENTION = "Deleted by the daily retention job once older than the retention period."

DATA_KINDS: tuple[DataKind, ...] = (
    DataKind(
        table="groups",
        title="Groups",
        why="Which Balint groups exist on a server and how each one is set up.",
        retention=UNTIL_GROUP_DELETED,
        columns={
            "id": "internal number",
            "guild_id": "the Discord server",
            "name": "the group's name, chosen by its organiser",
            "zone": "the group's time zone",
            "role_id": "the group's Discord role",
            "category_id": "the group's channel category",
            "lobby_channel_id": "the group's lobby channel",
            "leaders_channel_id": "the leaders' channel",
            "created_at": "when it was created",
            "archived_at": "when it was archived",
            "quorum": "setting",
            "max_cases": "setting",
            "voice_enabled": "setting",
            "voice_mode": "setting",
            "auto_advance": "setting",
            "auto_end": "setting",
            "events_enabled": "setting",
            "case_prompts_enabled": "setting",
            "silence_nudge_minutes": "setting",
            "guard_mode": "setting",
            "purge_delay_minutes": "setting",
            "reminder_lead_minutes": "setting",
            "phase_minutes": "setting",
            "agreement_text": "the group agreement written by its leaders",
            "agreement_version": "which version of the agreement is current",
            "session_channel": "setting",
            "session_channel_id": "the group's permanent session channel, if it uses one",
        },
    ),
    DataKind(
        table="memberships",
        title="Group memberships",
        why="Who is in which group with which role, so the bot knows whom to remind and who "
        "may lead.",
        retention="While you are in the group; after you leave, until the retention period "
        "has passed.",
        columns={
            "group_id": "the group",
            "user_id": "you",
            "role": "leader, co-leader or member",
            "joined_at": "when you joined",
            "left_at": "when you left",
            "reminders_enabled": "whether you get reminders",
        },
        person="user_id",
    ),
    DataKind(
        table="consents",
        title="Agreement acceptances",
        why="That you accepted the group agreement, and when: the group role is given only "
        "after that.",
        retention="Your latest acceptance while you are in the group; older ones until the "
        "retention period has passed.",
        columns={
            "group_id": "the group",
            "user_id": "you",
            "agreement_version": "which version you accepted",
            "accepted_at": "when",
        },
        person="user_id",
    ),
    DataKind(
        table="schedules",
        title="Schedules",
        why="When a group meets (a repeat rule in the group's time zone).",
        retention=UNTIL_GROUP_DELETED,
        columns={
            "group_id": "the group",
            "rrule": "the repeat rule",
            "local_time": "the local start time",
            "starts": "the first date",
            "until": "the last date",
            "duration_minutes": "how long a session lasts",
            "created_at": "when it was set",
        },
    ),
    DataKind(
        table="schedule_overrides",
        title="Schedule changes",
        why="Single meetings skipped, moved or added.",
        retention=UNTIL_GROUP_DELETED,
        columns={
            "group_id": "the group",
            "original_date": "the date changed",
            "kind": "skip, move or once",
            "new_date": "the new date",
            "new_time": "the new time",
            "duration_minutes": "how long",
        },
    ),
    *MEETING_KINDS,
    DataKind(
        table="rsvps",
        title="Replies to invitations",
        why="Whether you said you would come, so leaders know if the group reaches quorum.",
        retention=(
            f"{SESSION_RETENTION} Yours for meetings not yet over are deleted when you are "
            "removed from the group."
        ),
        columns={
            "session_id": "the session",
            "user_id": "you",
            "answer": "yes or no",
            "answered_at": "when",
        },
        person="user_id",
    ),
    DataKind(
        table="attendance",
        title="Attendance",
        why="Who came to each session, for the group's register and training records.",
        retention=SESSION_RETENTION,
        columns={
            "session_id": "the session",
            "user_id": "you",
            "status": "present, absent or excused",
            "source": "how it was recorded",
            "marked_at": "when",
        },
        person="user_id",
    ),
    DataKind(
        table="session_leaders",
        title="Who led each session",
        why="The leaders of each session when it ended, so an attendance certificate names "
        "who led the sessions a member attended.",
        retention=SESSION_RETENTION,
        columns={
            "session_id": "the session",
            "user_id": "you, if you led it",
        },
        person="user_id",
    ),
    DataKind(
        table="timers",
        title="Timers",
        why="Everything the bot must do later (reminders, phase ends, channel deletion), so it "
        "happens after a restart too.",
        retention="Finished timers are deleted once older than the retention period.",
        columns={
            "id": "internal number",
            "kind": "what to do",
            "dedupe_key": "an id so each is done once",
            "due_at": "when",
            "guild_id": "the server",
            "group_id": "the group",
            "session_id": "the session",
            "user_id": "the person a reminder (or an erasure under way) is for",
            "state": "pending, done, missed, failed or cancelled",
            "created_at": "when it was set",
            "fired_at": "when it ran",
            "retries": "how often it ran again after Discord failed",
            "first_due_at": "when it was first due, if it ran again",
        },
        person="user_id",
    ),
    DataKind(
        table="timer_deliveries",
        title="Reminders on their way",
        why="Whom a round of reminder, case-prompt or pulse-survey DMs has reached so far, so "
        "that after a restart each person gets it once: never twice, never not at all. It "
        "never says whether anyone answered the survey.",
        retention="Deleted when the round is finished, minutes after it began.",
        columns={
            "timer_id": "the timer of the round",
            "user_id": "you",
            "state": "sending, sent, DMs closed, failed, or mentioned in the lobby instead",
            "message_id": "the DM, once sent (its id, never its text)",
            "at": "when",
        },
        person="user_id",
    ),
    DataKind(
        table="guard_warned_edits",
        title="Edits the identifier guard warned about",
        why="Which edit of a message the guard warned its author about, so that a pin or a "
        "link preview of that message after a restart does not warn them again. Never the "
        "text, nor who wrote it.",
        retention="Deleted by the daily retention job 30 days after the warning.",
        columns={
            "message_id": "the message (its id, never its text)",
            "group_id": "the group whose channel it was in",
            "edited_us": "the time of its edit, in microseconds, as Discord gives it",
            "at": "when the guard warned",
        },
    ),
    DataKind(
        table="erasures",
        title="Erasures being finished",
        why="After /privacy forget erased your records: how many there were, and whether "
        "you were told, so that a restart still takes your group roles and tells you once.",
        retention="Deleted with the erasure's timer as soon as you and the leaders were told, "
        "seconds later.",
        columns={
            "timer_id": "the erasure's timer (the only row that names you, until then)",
            "records": "how many records were erased",
            "answer": "whether you were told: due, sending or given",
            "at": "when the records were erased",
        },
    ),
    DataKind(
        table="erasure_groups",
        title="Groups told of an erasure",
        why="The groups you were in when you erased your records, so that a restart still "
        "takes their roles and tells their leaders only that a member's record was erased.",
        retention="Deleted as each group's leaders are told, seconds after the erasure.",
        columns={
            "timer_id": "the erasure's timer",
            "group_id": "the group",
            "led": "you were one of its leaders",
            "alone": "you were its only leader",
            "twin": "a group of the same name on another server is yours too",
        },
    ),
    DataKind(
        table="role_takebacks",
        title="Group roles given by hand",
        why="Someone was given a group's role by hand without being a member who agreed: the "
        "bot takes it back and tells the leaders once, even across a restart.",
        retention="Deleted once the leaders were told; if Discord refused the removal, until "
        "the role is gone (taken back, or you left the server) or may be held, and at most "
        "for the retention period.",
        columns={
            "group_id": "the group",
            "user_id": "you",
            "why": "not in the group, or not agreed to the group agreement",
            "stuck": "Discord refused the removal and the leaders were told",
            "at": "when",
        },
        person="user_id",
    ),
    DataKind(
        table="voice_mutes",
        title="Voice mutes",
        why="Server mutes the bot set for turn-taking, so it can always lift them.",
        retention="Until the mute is lifted.",
        columns={
            "guild_id": "the server",
            "user_id": "you",
            "session_id": "the session",
            "muted_at": "when",
        },
        person="user_id",
    ),
    DataKind(
        table="saved_overwrites",
        title="Saved channel permissions",
        why="Channel permissions the bot changed during a session, so it can restore them.",
        retention="Until the session's channel is deleted after the session. In a group's "
        "permanent session channel, a person's are deleted once the session has ended and "
        "put them back; the group role's stay as long as the channel.",
        columns={
            "channel_id": "the channel",
            "target_id": "the role or person",
            "allow_bits": "permissions allowed",
            "deny_bits": "permissions denied",
            "saved_at": "when",
        },
        person="target_id",
    ),
    DataKind(
        table="pulse_counts",
        title="Pulse survey results",
        why="Anonymous totals of the short survey after a session; no answer is linked to anyone.",
        retention=SESSION_RETENTION,
        columns={
            "session_id": "the session",
            "question": "which question",
            "value": "which answer",
            "answers": "how many gave it",
        },
    ),
    DataKind(
        table="pulse_surveys",
        title="Pulse surveys",
        why="When a session's survey closes; its secret is destroyed when it closes.",
        retention=SESSION_RETENTION,
        columns={
            "session_id": "the session",
            "salt": "a random secret, destroyed at closing",
            "closes_at": "when it closes",
        },
    ),
    DataKind(
        table="pulse_voters",
        title="Pulse survey voters",
        why="A one-way code per voter so nobody answers twice; it cannot be traced back once "
        "the survey closes. Until then export shows yours and forget erases it.",
        retention="Deleted when the survey closes, 48 hours after the session.",
        columns={
            "session_id": "the session",
            "voter_token": "a one-way code",
            "question": "which question",
        },
    ),
    DataKind(
        table="schema_migrations",
        title="Database version",
        why="Which database upgrades have been applied.",
        retention="Always.",
        columns={"version": "number", "name": "file name", "applied_at": "when"},
    ),
)


def by_table() -> dict[str, DataKind]:
    return {kind.table: kind for kind in DATA_KINDS}


def person_kinds() -> list[DataKind]:
    """Tables with a column that may hold a person's user id."""
    return [kind for kind in DATA_KINDS if kind.person or kind.refers]
