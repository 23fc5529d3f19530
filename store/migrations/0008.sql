CREATE TABLE reports_new (
	id           INTEGER PRIMARY KEY,
	document_id  INTEGER NOT NULL REFERENCES documents(id),
	agency_id    INTEGER REFERENCES agencies(id),
	year         INTEGER,
	template     TEXT NOT NULL,
	published    TEXT,
	title        TEXT,
	is_current   INTEGER NOT NULL DEFAULT 1,
	extracted_at TEXT NOT NULL,
	warnings     TEXT NOT NULL DEFAULT '[]',
	completeness REAL,
	completeness_detail TEXT,
	current_by   TEXT,
	form_of      INTEGER REFERENCES reports(id),
	extractor    TEXT               -- nianbao version (module version + VCS revision) that extracted it
);
INSERT INTO reports_new (id, document_id, agency_id, year, template, published, title, is_current, extracted_at, warnings, completeness, completeness_detail, current_by, form_of) SELECT id, document_id, agency_id, year, template, published, title, is_current, extracted_at, warnings, completeness, completeness_detail, current_by, form_of FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
CREATE INDEX reports_agency_year ON reports(agency_id, year);
CREATE INDEX reports_document ON reports(document_id);
ALTER TABLE documents ADD COLUMN extractor TEXT;
