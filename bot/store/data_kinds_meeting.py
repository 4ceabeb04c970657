"""The meeting's tables in the one declaration of kept data (see bot/store/data_kinds.py):
sessions, their queue, away list and acknowledgements, cases and offers.
"""

from __future__ import annotations

from bot.store.data_kind import SESSION_RETENTION, DataKind

__all__ = ["MEETING_KINDS"]

MEETING_KINDS: tuple[DataKind, ...] = (
    DataKind(
        table="sessions",
        title="Sessions",
        why="Each meeting's times, phase and counts, to run the frame and restore it after a "
        "restart. Never what was said.",
        retention="Until the session ended longer ago than the retention period "
        "and its channel is deleted.",
        columns={
            "id": "internal number",
            "group_id": "the group",
            "occurrence_date": "the scheduled date",
            "held_zone": "the time zone it was held in, if the group's changed since",
            "scheduled_start": "planned start",
            "scheduled_end": "planned end",
            "status": "planned, live, ended or cancelled",
            "started_at": "actual start",
            "ended_at": "actual end",
            "text_channel_id": "the session's channel",
            "voice_channel_id": "the session's voice channel",
            "status_message_id": "the bot's status message",
            "frame_message_id": "the bot's frame message",
            "frame_repost_id": "the bot's frame message, posted again after one was deleted",
            "event_id": "the Discord scheduled event",
            "phase": "the current phase",
            "phase_started_at": "when the phase began",
            "phase_deadline": "when the phase ends",
            "applied_phase": "the last phase whose permissions are applied",
            "turn_mode": "how turns are taken",
            "floor_holder_id": "who has the floor right now",
            "cases_done": "how many cases were discussed",
            "round_phase": "the phase of a round of turns",
            "round_index": "where the round is",
            "purged_at": "when the session's channel was deleted",
            "last_message_at": "time of the last message (for the silence nudge), never the "
            "message",
            "message_count": "how many messages were posted, never their text",
            "guard_hits": "how many messages looked like they held an identifier",
            "round_turn_minutes": "how long each turn of a go-round lasts",
            "turn_started_at": "when the current turn began",
            "case_call_message_id": 'the bot\'s latest "Who has a case?" message',
        },
        refers=("floor_holder_id",),
    ),
    DataKind(
        table="session_queue",
        title="Turn queue",
        why="Who raised a hand or whose turn it is in a round, during a live session.",
        retention=SESSION_RETENTION,
        columns={
            "session_id": "the session",
            "kind": "hand or round",
            "position": "place in the queue",
            "user_id": "you",
        },
        person="user_id",
    ),
    DataKind(
        table="session_away",
        title="Stepped away",
        why="That you stepped away during a live session, so turns skip you.",
        retention=SESSION_RETENTION,
        columns={"session_id": "the session", "user_id": "you", "since": "since when"},
        person="user_id",
    ),
    DataKind(
        table="session_acks",
        title="Confidentiality reminders acknowledged",
        why="That you acknowledged the confidentiality reminder at a session, so leaders "
        "see who has not.",
        retention=SESSION_RETENTION,
        columns={"session_id": "the session", "user_id": "you", "acked_at": "when"},
        person="user_id",
    ),
    DataKind(
        table="cases",
        title="Cases presented",
        why="Who presented a case at which session and when (never the case itself), for "
        "follow-ups and training records.",
        retention=SESSION_RETENTION,
        columns={
            "id": "internal number",
            "session_id": "the session",
            "presenter_id": "you, as presenter",
            "kind": "new or follow-up",
            "followup_of": "the earlier case it follows up",
            "position": "first or second case",
            "started_at": "when it began",
            "ended_at": "when it ended",
            "followup_state": "whether a follow-up was asked for",
            "followup_after": "ask about a follow-up before the next session after this time",
            "followup_session_id": "the session the follow-up question was about",
            "followup_promised_at": "when you said yes to giving a follow-up",
        },
        person="presenter_id",
    ),
    DataKind(
        table="offers",
        title="Case offers",
        why="That you offered a case (or a follow-up) for a session, never what it is about.",
        retention=(
            "Deleted when the session ends or is cancelled, or a day after a planned session "
            "that never took place; yours for meetings not yet over when you are removed "
            "from the group."
        ),
        columns={
            "session_id": "the session",
            "user_id": "you",
            "kind": "case, follow-up or none",
            "offered_at": "when",
        },
        person="user_id",
    ),
)
