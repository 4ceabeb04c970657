-- /privacy forget: what is left to do once the erasure's transaction committed (take the
-- group roles, answer the person, tell each group's leaders). Written in that transaction
-- beside the erasure's timer, which alone holds the user id, so a crash after it is
-- finished by the restart; gone with that timer when the rest is done, seconds later.
-- Ids, a count, flags and a state only.
CREATE TABLE erasures (
    timer_id INTEGER PRIMARY KEY REFERENCES timers (id) ON DELETE CASCADE,
    records INTEGER NOT NULL,  -- how many records went: the number the answer gives
    answer TEXT NOT NULL DEFAULT 'due' CHECK (answer IN ('due', 'sending', 'given')),
    at INTEGER NOT NULL
);

-- One row per group the person was in, until that group's leaders are told.
CREATE TABLE erasure_groups (
    timer_id INTEGER NOT NULL REFERENCES erasures (timer_id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    led INTEGER NOT NULL CHECK (led IN (0, 1)),  -- a leader: their own overwrite goes too
    alone INTEGER NOT NULL CHECK (alone IN (0, 1)),  -- its only leader: the answer says so
    twin INTEGER NOT NULL CHECK (twin IN (0, 1)),  -- a namesake elsewhere: named with its server
    PRIMARY KEY (timer_id, group_id)
);
