-- Crawl state (nianbao crawl). Every HTTP exchange is logged; bodies are in
-- the blob store under their sha256.
CREATE TABLE sources (
	id                   INTEGER PRIMARY KEY,
	url                  TEXT NOT NULL UNIQUE,
	agency               TEXT,      -- hint from the sources file
	region_code          TEXT,
	platform             TEXT NOT NULL,
	status               TEXT,      -- ok, blocked, missing, failed (last run)
	reason               TEXT,      -- why blocked/missing/failed
	last_attempt         TEXT,
	last_success         TEXT,
	consecutive_failures INTEGER NOT NULL DEFAULT 0,
	walk_complete        INTEGER NOT NULL DEFAULT 0  -- the last list walk ended normally
);
CREATE TABLE crawl_runs (
	id       INTEGER PRIMARY KEY,
	started  TEXT NOT NULL,
	finished TEXT,
	summary  TEXT
);
CREATE TABLE fetches (
	id                  INTEGER PRIMARY KEY,
	run_id              INTEGER REFERENCES crawl_runs(id),
	ts                  TEXT NOT NULL,
	url                 TEXT NOT NULL,
	final_url           TEXT,
	status              INTEGER,
	content_type        TEXT,
	etag                TEXT,
	last_modified       TEXT,
	content_disposition TEXT,
	sha256              TEXT,
	size                INTEGER,
	elapsed_ms          INTEGER,
	error_class         TEXT,       -- dns, connect, tls, timeout, http4xx, http5xx, challenge, soft404, too_large, redirects, robots
	error               TEXT
);
CREATE INDEX fetches_url ON fetches(url);
CREATE TABLE resources (
	url           TEXT PRIMARY KEY,
	kind          TEXT NOT NULL,    -- list, article, attachment
	source_id     INTEGER REFERENCES sources(id),
	title         TEXT,
	listed_date   TEXT,
	sha256        TEXT,
	etag          TEXT,
	last_modified TEXT,
	status        INTEGER,
	first_seen    TEXT NOT NULL,
	last_seen     TEXT NOT NULL,
	done          INTEGER NOT NULL DEFAULT 0  -- 1 once the article and its attachments are ingested
) WITHOUT ROWID;
CREATE TABLE crawl_lock (
	id     INTEGER PRIMARY KEY CHECK (id = 1),
	holder TEXT NOT NULL,
	pid    INTEGER NOT NULL,
	since  TEXT NOT NULL
);
