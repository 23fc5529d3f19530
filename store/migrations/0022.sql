-- A person's corrections of cells, kept by document (sha256: the same in
-- every database) and cell, never deleted; the latest of a cell is in
-- force. state: applied, agrees (the extraction now reads that value),
-- stale (the extraction changed underneath: to review), pending (no report
-- of the document stored).
CREATE TABLE corrections (
	id INTEGER PRIMARY KEY,
	sha256 TEXT NOT NULL,
	cell_id TEXT NOT NULL,
	action TEXT NOT NULL CHECK (action IN ('correct', 'accept')),
	value TEXT NOT NULL,
	extracted TEXT,
	replaces TEXT,
	who TEXT NOT NULL,
	at TEXT NOT NULL,
	why TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'pending',
	UNIQUE (sha256, cell_id, at, who, action, value)
);
CREATE INDEX corrections_cell ON corrections(sha256, cell_id);
-- Cells read from an image: source 'ocr' and the engine's confidence (0–1);
-- the correction applied to the stored value.
ALTER TABLE cell_values ADD COLUMN source TEXT;
ALTER TABLE cell_values ADD COLUMN confidence REAL;
ALTER TABLE cell_values ADD COLUMN correction_id INTEGER REFERENCES corrections(id);
-- Per report: cells holding a correction, and the derived figures read
-- from them (comma-separated names).
ALTER TABLE report_figures ADD COLUMN corrected_cells INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_figures ADD COLUMN corrected_figures TEXT;
-- The page images an article page was read from by OCR (its body was
-- images), kept with it: part n is page n of its cells' positions; the
-- bytes are in the blobs folder by sha256.
CREATE TABLE document_parts (
	document_id INTEGER NOT NULL REFERENCES documents(id),
	n INTEGER NOT NULL,
	src TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	size INTEGER NOT NULL,
	PRIMARY KEY (document_id, n)
);
