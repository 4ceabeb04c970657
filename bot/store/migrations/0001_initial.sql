-- Metadata only: ids, roles, times, phases, counts. No column holds anything a member wrote.
-- Times are INTEGER epoch seconds, UTC. Local dates (a group's calendar) are TEXT 'YYYY-MM-DD'
-- and local wall-clock times TEXT 'HH:MM', always read together with the group's IANA zone.

CREATE TABLE groups (
    id INTEGER PRIMARY KEY,
    guild_id BIGINT NOT NULL,
    name TEXT NOT NULL,                 -- the group's name, chosen by its organiser
    zone TEXT NOT NULL,                 -- IANA time zone
    role_id BIGINT,
    category_id BIGINT,
    lobby_channel_id BIGINT,
    leaders_channel_id BIGINT,
    created_at INTEGER NOT NULL,
    archived_at INTEGER,
    quorum INTEGER NOT NULL DEFAULT 4,
    max_cases INTEGER NOT NULL DEFAULT 2,
    voice_enabled INTEGER NOT NULL DEFAULT 1,
    voice_mode TEXT NOT NULL DEFAULT 'advisory',      -- advisory | enforced
    auto_advance INTEGER NOT NULL DEFAULT 0,
    auto_end INTEGER NOT NULL DEFAULT 0,
    events_enabled INTEGER NOT NULL DEFAULT 1,
    case_prompts_enabled INTEGER NOT NULL DEFAULT 1,
    silence_nudge_minutes INTEGER,
    guard_mode TEXT,                                  -- NULL: the configured default
    purge_delay_minutes INTEGER,                      -- NULL: the configured default
    reminder_lead_minutes TEXT,                       -- '1440,60'; NULL: the configured default
    phase_minutes TEXT,                               -- JSON {phase: minutes}; NULL: defaults
    agreement_text TEXT,                              -- the leaders' group agreement; NULL: default
    agreement_version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (guild_id, name)
);
CREATE INDEX groups_by_role ON groups (guild_id, role_id);

CREATE TABLE memberships (
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    role TEXT NOT NULL,                 -- leader | co_leader | member
    joined_at INTEGER NOT NULL,
    left_at INTEGER,
    reminders_enabled INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE consents (
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    agreement_version INTEGER NOT NULL,
    accepted_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id, agreement_version)
);

CREATE TABLE schedules (
    group_id INTEGER PRIMARY KEY REFERENCES groups (id) ON DELETE CASCADE,
    rrule TEXT NOT NULL,                -- RFC 5545 RRULE, without DTSTART
    local_time TEXT NOT NULL,           -- 'HH:MM' in the group's zone
    starts TEXT NOT NULL,               -- first local date
    until TEXT,                         -- last local date or NULL
    duration_minutes INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE schedule_overrides (
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    original_date TEXT NOT NULL,        -- local date of the occurrence changed
    kind TEXT NOT NULL,                 -- skip | move | once
    new_date TEXT,                      -- for move / once
    new_time TEXT,                      -- for move / once
    duration_minutes INTEGER,           -- for once
    PRIMARY KEY (group_id, original_date, kind)
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    occurrence_date TEXT,               -- local date of the scheduled occurrence, if any
    scheduled_start INTEGER,
    scheduled_end INTEGER,
    status TEXT NOT NULL DEFAULT 'planned',   -- planned | live | ended | cancelled
    started_at INTEGER,
    ended_at INTEGER,
    text_channel_id BIGINT,
    voice_channel_id BIGINT,
    status_message_id BIGINT,
    frame_message_id BIGINT,
    event_id BIGINT,                    -- Discord guild scheduled event
    phase TEXT,
    phase_started_at INTEGER,
    phase_deadline INTEGER,
    applied_phase TEXT,                 -- last phase whose permission plan is fully applied
    turn_mode TEXT NOT NULL DEFAULT 'open',
    floor_holder_id BIGINT,
    cases_done INTEGER NOT NULL DEFAULT 0,
    round_phase TEXT,
    round_index INTEGER,
    purged_at INTEGER,
    last_message_at INTEGER,            -- for the silence nudge: a time, never the message
    message_count INTEGER NOT NULL DEFAULT 0,
    guard_hits INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_group ON sessions (group_id, status);
CREATE INDEX sessions_by_channel ON sessions (text_channel_id);

CREATE TABLE session_queue (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                 -- hand | round
    position INTEGER NOT NULL,
    user_id BIGINT NOT NULL,
    PRIMARY KEY (session_id, kind, user_id)
);

CREATE TABLE session_away (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    since INTEGER NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE session_acks (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    acked_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    presenter_id BIGINT NOT NULL,
    kind TEXT NOT NULL,                 -- new | followup
    followup_of INTEGER REFERENCES cases (id) ON DELETE SET NULL,
    position INTEGER NOT NULL,
    started_at INTEGER,
    ended_at INTEGER,
    followup_state TEXT NOT NULL DEFAULT 'none'  -- none | asked | yes | later | no | done
);
CREATE INDEX cases_by_presenter ON cases (presenter_id);

CREATE TABLE offers (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    kind TEXT NOT NULL,                 -- case | followup | none
    offered_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE rsvps (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    answer TEXT NOT NULL,               -- yes | no
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE attendance (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    status TEXT NOT NULL,               -- present | absent | excused
    source TEXT NOT NULL,               -- button | ack | message | voice | rsvp | leader
    marked_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE timers (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,    -- one timer per purpose: a reminder is armed once
    due_at INTEGER NOT NULL,
    guild_id BIGINT,                    -- lets a shard claim only its guilds' timers
    group_id INTEGER REFERENCES groups (id) ON DELETE CASCADE,
    session_id INTEGER REFERENCES sessions (id) ON DELETE CASCADE,
    user_id BIGINT,
    state TEXT NOT NULL DEFAULT 'pending',  -- pending | firing | done | missed | failed | cancelled
    created_at INTEGER NOT NULL,
    fired_at INTEGER
);
CREATE INDEX timers_pending ON timers (state, due_at);

CREATE TABLE voice_mutes (
    guild_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    muted_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

CREATE TABLE saved_overwrites (
    channel_id BIGINT NOT NULL,
    target_id BIGINT NOT NULL,
    allow_bits BIGINT NOT NULL,
    deny_bits BIGINT NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (channel_id, target_id)
);

CREATE TABLE pulse_counts (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    value INTEGER NOT NULL,
    answers INTEGER NOT NULL,
    PRIMARY KEY (session_id, question, value)
);

CREATE TABLE pulse_surveys (
    session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    salt BLOB,                          -- destroyed (NULL) when the survey closes
    closes_at INTEGER NOT NULL
);

CREATE TABLE pulse_voters (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    voter_token TEXT NOT NULL,          -- HMAC of the user id with the survey's salt
    question TEXT NOT NULL,
    PRIMARY KEY (session_id, voter_token, question)
);
