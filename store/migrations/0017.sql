-- A run stopped by Ctrl-C or SIGTERM says so; its sources keep the state
-- of their last finished run.
ALTER TABLE crawl_runs ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;
