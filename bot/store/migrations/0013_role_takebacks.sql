-- A group's role given by hand to someone who may not hold it: the take-back under way
-- (written before the removal, deleted once the leaders were told), or a removal Discord
-- refused that the leaders were already told of (stuck = 1, kept until the situation
-- changes, so they are not told again at every start-up). Ids, an enum and a time only.
CREATE TABLE role_takebacks (
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    why TEXT NOT NULL CHECK (why IN ('not_member', 'not_agreed')),
    stuck INTEGER NOT NULL DEFAULT 0 CHECK (stuck IN (0, 1)),
    at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
