-- Who led each session: the group's leaders when it ended, so an attendance certificate
-- names the leaders of the sessions a member attended, not whoever leads the group on
-- the day it is issued. Ids only; the rows go with their session (retention) and with
-- the leader (/privacy forget). Sessions that ended before this migration get the
-- group's leaders of the moment: the best that is known of who led them.
CREATE TABLE session_leaders (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX session_leaders_by_user ON session_leaders (user_id);

INSERT INTO session_leaders (session_id, user_id)
SELECT s.id, m.user_id
FROM sessions s
JOIN memberships m ON m.group_id = s.group_id
WHERE s.status = 'ended' AND m.role IN ('leader', 'co_leader') AND m.left_at IS NULL;
