package store

import (
	"fmt"
	"strings"
	"sync"

	"github.com/nianbao/nianbao"
)

// migrations upgrade a database one version at a time; index i takes the
// file from user_version i to i+1. Never edit a released step: append one.
var migrations = []func() string{
	func() string {
		return `
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
CREATE VIEW cells AS
SELECT v.report_id, k.cell_id,
	v.value, COALESCE(v.raw, CAST(CAST(v.value AS INTEGER) AS TEXT), '') AS raw,
	v.semantic, v.unit, v.note
FROM cell_values v JOIN cell_keys k ON k.cell_no = v.cell_no;
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
` + dictionarySQL() + viewsSQL()
	},
	func() string {
		return `
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
`
	},
	xyearSQL,
	func() string {
		return `
-- Failed fetches are retried on later runs with a growing wait; an
-- attachment remembers the article page it was linked from.
ALTER TABLE resources ADD COLUMN article  TEXT;     -- for an attachment: the article URL that linked it
ALTER TABLE resources ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;  -- failed attempts since the last success
ALTER TABLE resources ADD COLUMN next_try TEXT;     -- UTC; not retried before this
ALTER TABLE resources ADD COLUMN error    TEXT;     -- the last failure
`
	},
	func() string {
		return `
-- How much of its template a report shows: found / expected cells over
-- all tables, and per table as JSON {"t3": {"found":…,"expected":…,"ratio":…}}.
ALTER TABLE reports ADD COLUMN completeness REAL;
ALTER TABLE reports ADD COLUMN completeness_detail TEXT;
DROP VIEW report_summary;
` + summarySQL("r.completeness")
	},
	func() string {
		return figuresTableSQL() + "DROP VIEW report_summary;\n" + figuresSummarySQL(false)
	},
	func() string {
		return `
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
`
	},
	func() string {
		// Re-extraction keeps an old report beside the new one of the same
		// document: reports.document_id is no longer unique, and every
		// report records the extractor that made it. SQLite cannot drop a
		// UNIQUE constraint, so the table is rebuilt (migrate runs with
		// foreign keys off and checks them before it commits).
		cols := "id, document_id, agency_id, year, template, published, title, is_current, extracted_at, warnings, completeness, completeness_detail, current_by, form_of"
		return `
DROP VIEW report_summary; DROP VIEW t2_wide; DROP VIEW t3_wide; DROP VIEW t4_wide; DROP VIEW xyear_checks;
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
INSERT INTO reports_new (` + cols + `) SELECT ` + cols + ` FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
CREATE INDEX reports_agency_year ON reports(agency_id, year);
CREATE INDEX reports_document ON reports(document_id);
ALTER TABLE documents ADD COLUMN extractor TEXT;    -- nianbao version that last extracted it
` + figuresSummarySQL(false) + wideViewsSQL(false) + xyearSQL()
	}, func() string {
		return `
-- Agency identity: one agency however its name is spelled (region package).
ALTER TABLE agencies ADD COLUMN agency_key TEXT;      -- region code + ":" + organ, NULL when the name could not be resolved
ALTER TABLE agencies ADD COLUMN canonical_name TEXT;  -- the division path + the organ's full name
ALTER TABLE agencies ADD COLUMN region_name TEXT;     -- e.g. 江苏省淮安市洪泽区
ALTER TABLE agencies ADD COLUMN kind TEXT;            -- government or department
ALTER TABLE agencies ADD COLUMN parent_key TEXT;      -- the government of the region (or of the parent division)
CREATE UNIQUE INDEX agencies_key ON agencies(agency_key) WHERE agency_key IS NOT NULL;
CREATE INDEX agencies_region ON agencies(region_code);
CREATE TABLE agency_names (
	name      TEXT PRIMARY KEY,  -- a spelling seen in a report or a sources file
	agency_id INTEGER NOT NULL REFERENCES agencies(id),
	how       TEXT               -- how it was matched, or why it stayed its own agency
);
DROP VIEW xyear_checks; DROP VIEW report_summary; DROP VIEW t2_wide; DROP VIEW t3_wide; DROP VIEW t4_wide;
` + figuresSummarySQL(true) + wideViewsSQL(true) + xyearSQL()
	}, func() string {
		// What each check means, and units on every cell row: the printed
		// unit, else the template's (件, 项, 万元).
		return checkDictionarySQL() + `
` + cellsViewSQL("v.semantic", "")
	}, func() string {
		// Provenance: where each cell was printed, as the reader's block,
		// row and column (page and box are recovered from the stored bytes
		// by nianbao show, so they cost nothing here).
		return `
ALTER TABLE cell_values ADD COLUMN at_block INTEGER;
ALTER TABLE cell_values ADD COLUMN at_row INTEGER;
ALTER TABLE cell_values ADD COLUMN at_col INTEGER;
` + cellsViewSQL("v.semantic", provenanceCols)
	}, func() string {
		// Failed and incomplete check counts kept with the figures, so
		// report_summary costs what it returns (no subquery per row).
		return `
ALTER TABLE report_figures ADD COLUMN checks_failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_figures ADD COLUMN checks_incomplete INTEGER NOT NULL DEFAULT 0;
UPDATE report_figures SET
	checks_failed = (SELECT COUNT(*) FROM checks k WHERE k.report_id = report_figures.report_id AND k.status = 'fail'),
	checks_incomplete = (SELECT COUNT(*) FROM checks k WHERE k.report_id = report_figures.report_id AND k.status = 'incomplete');
CREATE INDEX report_figures_failed ON report_figures(checks_failed) WHERE checks_failed > 0;
CREATE INDEX agencies_name ON agencies(name);
DROP VIEW xyear_checks; DROP VIEW report_summary;
` + figuresSummarySQLv12() + xyearSQL()
	}, func() string {
		// The wide views read materialized rows (wide_t2, wide_t3,
		// wide_t4: one per report, written with its cells) instead of
		// pivoting every cell row on each query, so one agency's wide rows
		// cost what they return.
		return wideTablesSQL() + `
DROP VIEW xyear_checks; DROP VIEW t2_wide; DROP VIEW t3_wide; DROP VIEW t4_wide;
` + wideViewsSQLv13() + xyearSQL()
	}, func() string {
		// A cell's semantic is stored only when its value does not say it
		// (na, text, or a number printed otherwise): '' for empty, zero and
		// numeric, about 1 KB less per report. The cells view spells it out.
		return `
UPDATE cell_values SET semantic = '' WHERE ` + derivableSemantic + `;
` + cellsViewSQL(semanticSQL, provenanceCols)
	}, func() string {
		// Checks keep their id and scope once, in check_kinds (≈ 45 rows
		// a report repeated them: −1.2 KB a report); the checks view
		// reads as the table did.
		return `
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
CREATE VIEW checks AS
SELECT v.report_id, k.check_id, k.scope, v.status, v.lhs, v.rhs, v.cells
FROM check_values v JOIN check_kinds k ON k.kind_no = v.kind_no;
`
	},
}

// cellsViewSQL replaces the cells view (cell_values with its cell ids, the
// raw text printed back from the value, the template's unit where none was
// printed); semantic is its semantic column's expression and extra the
// columns after note. Each migration passes what it had.
func cellsViewSQL(semantic, extra string) string {
	return `DROP VIEW cells;
CREATE VIEW cells AS
SELECT v.report_id, k.cell_id,
	v.value, COALESCE(v.raw, CAST(CAST(v.value AS INTEGER) AS TEXT), '') AS raw,
	` + semantic + `,
	COALESCE(v.unit, (SELECT CASE WHEN d.unit LIKE '万元%' THEN '万元' WHEN d.unit LIKE '项%' THEN '项' WHEN d.unit = '件' THEN '件' END
		FROM cell_dictionary d WHERE d.cell_id = k.cell_id LIMIT 1)) AS unit,
	v.note` + extra + `
FROM cell_values v JOIN cell_keys k ON k.cell_no = v.cell_no;
`
}

// provenanceCols are the cells view's provenance columns (schema 11 on).
const provenanceCols = ", v.at_block, v.at_row, v.at_col"

// semanticSQL spells out a semantic stored as ” (schema 14 on).
const semanticSQL = "CASE WHEN v.semantic <> '' THEN v.semantic WHEN v.value IS NULL THEN 'empty' WHEN v.value = 0 THEN 'zero' ELSE 'numeric' END AS semantic"

// derivableSemantic is true of a cell_values row whose semantic the cells
// view derives from its value (schema version 14 on).
const derivableSemantic = `(semantic = 'empty' AND value IS NULL) OR (semantic = 'zero' AND value = 0) OR (semantic = 'numeric' AND value <> 0)`

// storedSemantic is what Save writes to cell_values.semantic: ” when the
// value says it (see derivableSemantic).
func storedSemantic(c nianbao.Cell) string {
	switch {
	case c.Semantic == nianbao.Empty && c.Value == nil,
		c.Semantic == nianbao.Zero && c.Value != nil && *c.Value == 0,
		c.Semantic == nianbao.Numeric && c.Value != nil && *c.Value != 0:
		return ""
	}
	return string(c.Semantic)
}

// figuresTableSQL creates report_figures: the derived figures of every
// report, computed once when it is saved (nianbao.Report.Figures), each
// with its basis (printed, from_parts, lower_bound, missing). A blank is
// never turned into 0 there.
func figuresTableSQL() string {
	var b strings.Builder
	b.WriteString("CREATE TABLE report_figures (\n\treport_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE")
	for _, n := range nianbao.FigureNames {
		fmt.Fprintf(&b, ",\n\t%s REAL,\n\t%s_basis TEXT NOT NULL", n, n)
	}
	b.WriteString("\n);\n")
	return b.String()
}

// figuresSummarySQLv12 is report_summary with the materialized check
// counts (schema version 12 on).
func figuresSummarySQLv12() string {
	return summaryOverFigures(true, "f.checks_failed", "f.checks_incomplete")
}

// Check counts computed per row, as report_summary had them before
// schema 12 kept them in report_figures.
const (
	failedCountSQL     = "(SELECT COUNT(*) FROM checks k WHERE k.report_id = r.id AND k.status = 'fail') AS checks_failed"
	incompleteCountSQL = "(SELECT COUNT(*) FROM checks k WHERE k.report_id = r.id AND k.status = 'incomplete') AS checks_incomplete"
)

// figuresSummarySQL is report_summary over report_figures: one row per
// current report, every figure with its basis, no arithmetic on blanks;
// withRegion adds the agency's region columns (schema version 9 on).
func figuresSummarySQL(withRegion bool) string {
	return summaryOverFigures(withRegion, failedCountSQL, incompleteCountSQL)
}

// summaryOverFigures builds report_summary over report_figures with the
// given check-count columns.
func summaryOverFigures(withRegion bool, failed, incomplete string) string {
	regionCols := ""
	if withRegion {
		regionCols = " a.agency_key, a.region_code, a.region_name, a.level, a.kind,"
	}
	var cols []string
	for _, n := range nianbao.FigureNames {
		cols = append(cols, "f."+n, "f."+n+"_basis")
	}
	return "CREATE VIEW report_summary AS\nSELECT r.id AS report_id, a.name AS agency," + regionCols + " r.year, r.template, r.published,\n\t" +
		strings.Join(cols, ", ") + `,
	` + failed + `,
	` + incomplete + `,
	r.title, d.path AS source, d.sha256, r.completeness
FROM reports r
JOIN documents d ON d.id = r.document_id
LEFT JOIN agencies a ON a.id = r.agency_id
JOIN report_figures f ON f.report_id = r.id
WHERE r.is_current = 1;
`
}

// xyearSQL adds the cross-year identities of template-spec §6, which need
// two reports of one agency: T3.XYEAR (carried over this year = carried
// forward last year, per column) and T2.XYEAR_IN_FORCE (in force = last
// year's in force + issued − repealed, 2021 template both years). Both are
// warnings: mergers, corrections and late cases break them legitimately.
func xyearSQL() string {
	var parts []string
	for _, col := range []string{"natural_person", "commercial_enterprise", "research_institution", "public_welfare_org", "legal_service_org", "other_org", "total"} {
		parts = append(parts, fmt.Sprintf(`SELECT cur.agency, cur.year, 'T3.XYEAR' AS check_id, '%[1]s' AS scope,
	cur.t3_carried_over_%[1]s AS lhs, prev.t3_carried_forward_%[1]s AS rhs, cur.report_id, prev.report_id AS prev_report_id
FROM t3_wide cur JOIN t3_wide prev ON prev.agency = cur.agency AND prev.year = cur.year - 1`, col))
	}
	for _, row := range []string{"rules", "normative_docs"} {
		parts = append(parts, fmt.Sprintf(`SELECT cur.agency, cur.year, 'T2.XYEAR_IN_FORCE', '%[1]s',
	cur.t2_art20_1_%[1]s_in_force, prev.t2_art20_1_%[1]s_in_force + cur.t2_art20_1_%[1]s_issued - cur.t2_art20_1_%[1]s_repealed, cur.report_id, prev.report_id
FROM t2_wide cur JOIN t2_wide prev ON prev.agency = cur.agency AND prev.year = cur.year - 1
WHERE cur.template = '2021' AND prev.template = '2021'`, row))
	}
	return "CREATE VIEW xyear_checks AS\nSELECT agency, year, check_id, scope,\n" +
		"\tCASE WHEN lhs IS NULL OR rhs IS NULL THEN 'incomplete' WHEN lhs = rhs THEN 'pass' ELSE 'fail' END AS status,\n" +
		"\tlhs, rhs, report_id, prev_report_id\nFROM (\n" + strings.Join(parts, "\nUNION ALL\n") + "\n);\n"
}

// wideColumn turns a cell id into a view column name: t3.granted.total → t3_granted_total.
func wideColumn(id string) string { return strings.ReplaceAll(id, ".", "_") }

func q(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func dictionarySQL() string {
	var b strings.Builder
	for i, id := range cellIDs() {
		fmt.Fprintf(&b, "INSERT INTO cell_keys VALUES (%d,%s);\n", i+1, q(id))
	}
	for _, d := range nianbao.CellDefs() {
		fmt.Fprintf(&b, "INSERT INTO cell_dictionary VALUES (%s,%s,%s,%s,%s,%s,%s);\n",
			q(d.ID), q(d.Table), q(d.Template), q(d.Label), q(d.Description()), q(d.Unit), q(wideColumn(d.ID)))
	}
	for _, c := range nianbao.Crosswalks() {
		fmt.Fprintf(&b, "INSERT INTO crosswalk VALUES (%s,%s,%s,%s);\n", q(c.T19), q(c.T21), q(c.Relation), q(c.Note))
	}
	return b.String()
}

// summarySQL is the headline view: one row per current report.
// summarySQL is the report_summary view; extra columns (expressions over
// r, the report) are appended by later migrations, so the view as each
// migration created it never changes.
func summarySQL(extra ...string) string {
	no := map[string]int{}
	for i, id := range cellIDs() {
		no[id] = i + 1
	}
	one := func(id string) string { return fmt.Sprintf("MAX(CASE WHEN v.cell_no = %d THEN v.value END)", no[id]) }
	sum := func(match func(string) bool) string {
		var ns []string
		for _, id := range cellIDs() {
			if match(id) {
				ns = append(ns, fmt.Sprint(no[id]))
			}
		}
		return "SUM(CASE WHEN v.cell_no IN (" + strings.Join(ns, ",") + ") THEN v.value END)"
	}
	group := func(g string) func(string) bool {
		return func(id string) bool { return strings.HasPrefix(id, "t3."+g+".") && strings.HasSuffix(id, ".total") }
	}
	cols := []string{
		one("t3.new_received.total") + " AS requests_received",
		one("t3.carried_over.total") + " AS carried_over",
		one("t3.granted.total") + " AS granted",
		one("t3.partially_granted.total") + " AS partially_granted",
		sum(group("refused")) + " AS refused",
		sum(group("unavailable")) + " AS unavailable",
		sum(group("not_processed")) + " AS not_processed",
		sum(group("other")) + " AS other_handling",
		one("t3.total.total") + " AS total_answered",
		one("t3.carried_forward.total") + " AS carried_forward",
		"ROUND(1.0 * (IFNULL(" + one("t3.granted.total") + ", 0) + IFNULL(" + one("t3.partially_granted.total") + ", 0)) / NULLIF(" + one("t3.total.total") + ", 0), 4) AS grant_rate",
		one("t4.review.total") + " AS reviews",
		one("t4.review.corrected") + " AS reviews_corrected",
		sum(func(id string) bool { return id == "t4.suit_direct.total" || id == "t4.suit_after_review.total" }) + " AS suits",
		sum(func(id string) bool {
			return id == "t4.suit_direct.corrected" || id == "t4.suit_after_review.corrected"
		}) + " AS suits_corrected",
		one("t2.art20_5.admin_licensing.decisions") + " AS licensing_decisions",
		one("t2.art20_6.admin_penalty.decisions") + " AS penalty_decisions",
		one("t2.art20_6.admin_coercion.decisions") + " AS coercion_decisions",
		one("t2.art20_8.admin_fees.amount_wan_yuan") + " AS fees_wan_yuan",
		failedCountSQL,
		incompleteCountSQL,
		"r.title", "d.path AS source", "d.sha256",
	}
	cols = append(cols, extra...)
	return "CREATE VIEW report_summary AS\nSELECT r.id AS report_id, a.name AS agency, r.year, r.template, r.published,\n\t" +
		strings.Join(cols, ",\n\t") + `
FROM reports r
JOIN documents d ON d.id = r.document_id
LEFT JOIN agencies a ON a.id = r.agency_id
LEFT JOIN cell_values v ON v.report_id = r.id
WHERE r.is_current = 1
GROUP BY r.id;
`
}

// cellIDs lists each canonical id once, in contract order (built once;
// callers must not change it).
var cellIDs = sync.OnceValue(func() []string {
	var ids []string
	seen := map[string]bool{}
	for _, d := range nianbao.CellDefs() {
		if !seen[d.ID] {
			seen[d.ID] = true
			ids = append(ids, d.ID)
		}
	}
	return ids
})

// viewsSQL builds report_summary and one wide view per table, a column per
// canonical cell of either template.
func viewsSQL() string { return summarySQL() + wideViewsSQL(false) }

// wideViewsSQL creates t2_wide, t3_wide and t4_wide; withRegion adds the
// agency's region columns (schema version 9 on).
func wideViewsSQL(withRegion bool) string {
	regionCols := ""
	if withRegion {
		regionCols = ", a.agency_key, a.region_code, a.region_name, a.level, a.kind"
	}
	var b strings.Builder
	for _, tbl := range []string{"t2", "t3", "t4"} {
		fmt.Fprintf(&b, "CREATE VIEW %s_wide AS\nSELECT r.id AS report_id, a.name AS agency%s, r.year, r.template", tbl, regionCols)
		lo, hi := 0, 0
		for i, id := range cellIDs() {
			if strings.HasPrefix(id, tbl+".") {
				if lo == 0 {
					lo = i + 1
				}
				hi = i + 1
				fmt.Fprintf(&b, ",\n\tMAX(CASE WHEN v.cell_no = %d THEN v.value END) AS %s", i+1, wideColumn(id))
			}
		}
		fmt.Fprintf(&b, "\nFROM reports r LEFT JOIN agencies a ON a.id = r.agency_id\nLEFT JOIN cell_values v ON v.report_id = r.id AND v.cell_no BETWEEN %d AND %d\nWHERE r.is_current = 1\nGROUP BY r.id;\n", lo, hi)
	}
	return b.String()
}

// wideCells lists, per table (t2, t3, t4), its canonical cell ids in
// contract order: the columns of wide_tN and of the tN_wide view.
func wideCells(tbl string) []string { return wideCellList()[tbl] }

var wideCellList = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	for _, id := range cellIDs() {
		tbl, _, _ := strings.Cut(id, ".")
		m[tbl] = append(m[tbl], id)
	}
	return m
})

// wideTablesSQL creates wide_t2, wide_t3 and wide_t4, one row per report
// with a REAL column per canonical cell (NULL for blank, NA, text or
// absent), and fills them from the stored cells.
func wideTablesSQL() string {
	var b strings.Builder
	for _, tbl := range []string{"t2", "t3", "t4"} {
		ids := wideCells(tbl)
		fmt.Fprintf(&b, "CREATE TABLE wide_%s (\n\treport_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE", tbl)
		for _, id := range ids {
			fmt.Fprintf(&b, ",\n\t%s REAL", wideColumn(id))
		}
		b.WriteString("\n);\n")
		fmt.Fprintf(&b, "INSERT INTO wide_%s SELECT v.report_id", tbl)
		for _, id := range ids {
			fmt.Fprintf(&b, ",\n\tMAX(CASE WHEN v.cell_no = %d THEN v.value END)", cellNo[id])
		}
		fmt.Fprintf(&b, "\nFROM cell_values v WHERE v.cell_no BETWEEN %d AND %d GROUP BY v.report_id;\n", cellNo[ids[0]], cellNo[ids[len(ids)-1]])
	}
	return b.String()
}

// wideViewsSQLv13 is t2_wide, t3_wide and t4_wide over the materialized
// wide_tN tables (schema version 13 on): the same columns as before, one
// row per current report.
func wideViewsSQLv13() string {
	var b strings.Builder
	for _, tbl := range []string{"t2", "t3", "t4"} {
		fmt.Fprintf(&b, "CREATE VIEW %s_wide AS\nSELECT r.id AS report_id, a.name AS agency, a.agency_key, a.region_code, a.region_name, a.level, a.kind, r.year, r.template", tbl)
		for _, id := range wideCells(tbl) {
			fmt.Fprintf(&b, ",\n\tw.%s", wideColumn(id))
		}
		fmt.Fprintf(&b, "\nFROM reports r LEFT JOIN agencies a ON a.id = r.agency_id\nLEFT JOIN wide_%s w ON w.report_id = r.id\nWHERE r.is_current = 1;\n", tbl)
	}
	return b.String()
}
