-- Operators' alerting: a source known to fail in one way (expect =
-- "blocked") or switched off (enabled = false) in the sources file, the
-- last run whose sources file listed it, and per run the failures nobody
-- expected (the ones an alert should fire for).
ALTER TABLE sources ADD COLUMN expect TEXT;
ALTER TABLE sources ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sources ADD COLUMN last_run INTEGER;
ALTER TABLE crawl_runs ADD COLUMN unexpected INTEGER;
