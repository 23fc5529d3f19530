CREATE TABLE check_kinds (
	kind_no  INTEGER PRIMARY KEY,
	check_id TEXT NOT NULL,
	scope    TEXT NOT NULL,
	UNIQUE (check_id, scope)
);
INSERT INTO check_kinds (check_id, scope) SELECT DISTINCT check_id, scope FROM checks ORDER BY check_id, scope;
CREATE TABLE check_values (
	report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
	kind_no   INTEGER NOT NULL REFERENCES check_kinds(kind_no),
	status    TEXT NOT NULL,      -- pass, fail, incomplete
	lhs       REAL,
	rhs       REAL,
	cells     TEXT,               -- JSON array of the cell ids involved, kept for checks that did not pass
	PRIMARY KEY (report_id, kind_no)
) WITHOUT ROWID;
INSERT INTO check_values SELECT c.report_id, k.kind_no, c.status, c.lhs, c.rhs, c.cells
FROM checks c JOIN check_kinds k ON k.check_id = c.check_id AND k.scope = c.scope;
DROP TABLE checks;
