-- Every command run in a group's channel finds the group by that channel. Without these the
-- lookup read every group of the guild; with them SQLite answers it from three index probes.
CREATE INDEX groups_by_category ON groups (category_id);
CREATE INDEX groups_by_lobby ON groups (lobby_channel_id);
CREATE INDEX groups_by_leaders_channel ON groups (leaders_channel_id);
