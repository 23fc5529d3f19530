-- Versions by publication, not by arrival (see rankVersions), the listing
-- a crawled document came from, and reports published in several forms.
ALTER TABLE documents ADD COLUMN listed_title TEXT;  -- the list entry's title, as listed
ALTER TABLE documents ADD COLUMN listed_date  TEXT;  -- the list entry's date
ALTER TABLE documents ADD COLUMN article_url  TEXT;  -- for an attachment: the article page that linked it
ALTER TABLE reports ADD COLUMN current_by TEXT;     -- why this version is (or is not) current: the rule that decided
ALTER TABLE reports ADD COLUMN form_of INTEGER REFERENCES reports(id); -- another form (page, PDF, re-upload) of that report
CREATE TABLE form_disagreements (
	report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE, -- a form of the report
	other_id  INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE, -- the form it disagrees with (the current one)
	cell_id   TEXT NOT NULL,
	value     REAL,
	other_value REAL,
	PRIMARY KEY (report_id, other_id, cell_id)
);
