CREATE TABLE documents (
	id         INTEGER PRIMARY KEY,
	sha256     TEXT NOT NULL UNIQUE,
	path       TEXT,              -- file path or URL it was read from
	format     TEXT,              -- detected input form: text, html, markdown, plain, pdf, docx
	size       INTEGER NOT NULL,
	first_seen TEXT NOT NULL,     -- UTC, ISO 8601
	error      TEXT               -- why it could not be read, or NULL
);
CREATE TABLE agencies (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	region_code TEXT,             -- 行政区划代码, when known
	level       TEXT,             -- province, city, county, township, department …, when known
	parent_id   INTEGER REFERENCES agencies(id)
);
CREATE TABLE reports (
	id           INTEGER PRIMARY KEY,
	document_id  INTEGER NOT NULL UNIQUE REFERENCES documents(id),
	agency_id    INTEGER REFERENCES agencies(id),
	year         INTEGER,         -- the year the statistics cover
	template     TEXT NOT NULL,   -- 2021, 2019 or unknown
	published    TEXT,            -- ISO date or NULL
	title        TEXT,
	is_current   INTEGER NOT NULL DEFAULT 1,
	extracted_at TEXT NOT NULL,
	warnings     TEXT NOT NULL DEFAULT '[]'  -- JSON array
);
CREATE INDEX reports_agency_year ON reports(agency_id, year);
CREATE TABLE cell_keys (
	cell_no INTEGER PRIMARY KEY,  -- compact key used in cell_values; never renumbered
	cell_id TEXT NOT NULL UNIQUE
);
-- One row per printed cell. raw is NULL when it is exactly the value as a
-- plain integer ('0', '12'), so the common case costs a few bytes; the
-- cells view restores it. There is deliberately no index by cell: it would
-- touch ~200 index pages per report on ingest. For many cross-report
-- queries on single cells, CREATE INDEX cell_values_cell ON cell_values(cell_no).
CREATE TABLE cell_values (
	report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
	cell_no   INTEGER NOT NULL REFERENCES cell_keys(cell_no),
	value     REAL,               -- NULL for blank, NA or text cells
	raw       TEXT,               -- as printed, NULL when it equals the integer value
	semantic  TEXT NOT NULL,      -- numeric, zero, empty, na, text
	unit      TEXT,
	note      TEXT,
	PRIMARY KEY (report_id, cell_no)
) WITHOUT ROWID;
CREATE TABLE checks (
	report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
	check_id  TEXT NOT NULL,
	scope     TEXT NOT NULL,
	status    TEXT NOT NULL,      -- pass, fail, incomplete
	lhs       REAL,
	rhs       REAL,
	cells     TEXT,               -- JSON array of the cell ids involved, kept for checks that did not pass
	PRIMARY KEY (report_id, check_id, scope)
) WITHOUT ROWID;
CREATE TABLE unmatched (
	report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
	tbl       TEXT NOT NULL,
	label     TEXT NOT NULL,
	raw       TEXT NOT NULL       -- JSON array of the printed values
);
CREATE INDEX unmatched_report ON unmatched(report_id);
CREATE TABLE cell_dictionary (
	cell_id     TEXT NOT NULL,
	tbl         TEXT NOT NULL,
	template    TEXT NOT NULL,    -- 2021, 2019 or both
	label_zh    TEXT NOT NULL,
	description TEXT NOT NULL,
	unit        TEXT NOT NULL,
	wide_column TEXT NOT NULL,    -- column name in the t2_wide/t3_wide/t4_wide views
	PRIMARY KEY (cell_id, template)
) WITHOUT ROWID;
CREATE TABLE crosswalk (
	t19_cell_id TEXT NOT NULL,
	t21_cell_id TEXT NOT NULL,
	relation    TEXT NOT NULL,    -- identical, comparable, approximately_comparable, aggregate, not_comparable
	note        TEXT NOT NULL
);
