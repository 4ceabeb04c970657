-- A timer whose work Discord failed for a passing reason (a 5xx, a 429 past discord.py's
-- own retries, the network) runs again a little later, a few times: how often it has.
ALTER TABLE timers ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
