-- Facilitation: the time zone a past meeting was held in, kept when its group changes
-- zone (/group timezone), so its date stays the day it was held on. NULL: held in the
-- group's zone of now (the group never changed zone since).
ALTER TABLE sessions ADD COLUMN held_zone TEXT;
