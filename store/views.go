package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/nianbao/nianbao"
)

// viewsVersion changes whenever the view definitions below change, so
// databases made by an earlier build get them again (see fingerprint).
const viewsVersion = "2026-12-07f"

// createViews makes every view from the code and the database's own
// columns: cells, checks, report_summary, the tN_wide views and
// xyear_checks. They are dropped before every upgrade (dropViews).
func createViews(ctx context.Context, tx *sql.Tx, d *dictionary) error {
	stmts := []string{cellsViewSQL, checksViewSQL, summaryViewSQL(d)}
	for _, tbl := range wideTables {
		cols, err := columnList(ctx, tx, "wide_"+tbl)
		if err != nil {
			return err
		}
		stmts = append(stmts, wideViewSQL(tbl, cols[1:]))
	}
	stmts = append(stmts, xyearSQL())
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%.40s…: %w", s, err)
		}
	}
	return nil
}

// cellsViewSQL is the cells view: cell_values with its cell ids, the raw
// text printed back from the value, the semantic spelled out where the
// value says it, and the template's unit where none was printed.
var cellsViewSQL = `CREATE VIEW cells AS
SELECT v.report_id, k.cell_id,
	` + numeric("v.value") + ` AS value, COALESCE(v.raw, CAST(CAST(v.value AS INTEGER) AS TEXT), '') AS raw,
	` + semanticSQL + `,
	COALESCE(v.unit, (SELECT CASE WHEN d.unit LIKE '万元%' THEN '万元' WHEN d.unit LIKE '项%' THEN '项' WHEN d.unit = '件' THEN '件' END
		FROM cell_dictionary d WHERE d.cell_id = k.cell_id LIMIT 1)) AS unit,
	v.note, v.at_block, v.at_row, v.at_col, v.at_page, v.at_box,
	v.source, v.confidence, v.correction_id,
	(SELECT x.extracted FROM corrections x WHERE x.id = v.correction_id AND x.action = 'correct') AS extracted
FROM cell_values v JOIN cell_keys k ON k.cell_no = v.cell_no`

// checksViewSQL reads check_values as the checks table once was.
const checksViewSQL = `CREATE VIEW checks AS
SELECT v.report_id, k.check_id, k.scope, v.status, v.lhs, v.rhs, v.cells
FROM check_values v JOIN check_kinds k ON k.kind_no = v.kind_no`

// semanticSQL spells out a semantic stored as ” (see storedSemantic).
const semanticSQL = "CASE WHEN v.semantic <> '' THEN v.semantic WHEN v.value IS NULL THEN 'empty' WHEN v.value = 0 THEN 'zero' ELSE 'numeric' END AS semantic"

// storedSemantic is what Save writes to cell_values.semantic: ” when the
// value says it (empty and NULL, zero and 0, numeric and another number).
func storedSemantic(c nianbao.Cell) string {
	switch {
	case c.Semantic == nianbao.Empty && c.Value == nil,
		c.Semantic == nianbao.Zero && c.Value != nil && *c.Value == 0,
		c.Semantic == nianbao.Numeric && c.Value != nil && *c.Value != 0:
		return ""
	}
	return string(c.Semantic)
}

// summaryViewSQL is report_summary: one row per current report, every
// derived figure with its basis (report_figures, written at save: no
// arithmetic on blanks here), the agency's identity and the check counts.
func summaryViewSQL(d *dictionary) string {
	var cols []string
	for _, n := range d.figures {
		cols = append(cols, numeric("f."+quoteIdent(n))+" AS "+quoteIdent(n), "f."+quoteIdent(n+"_basis"))
	}
	return `CREATE VIEW report_summary AS
SELECT r.id AS report_id, a.name AS agency, a.agency_key, a.region_code, a.region_name, a.level, a.kind, r.year, r.template, r.published,
	` + strings.Join(cols, ", ") + `,
	f.checks_failed, f.checks_incomplete, f.corrected_cells, f.corrected_figures,
	r.title, d.path AS source, d.sha256, r.completeness, a.key_provisional
FROM reports r
JOIN documents d ON d.id = r.document_id
LEFT JOIN agencies a ON a.id = r.agency_id
JOIN report_figures f ON f.report_id = r.id
WHERE r.is_current = 1`
}

// wideViewSQL is tN_wide over the materialized wide_tN rows: one row per
// current report, a column per cell the database numbers.
func wideViewSQL(tbl string, cols []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE VIEW %s_wide AS\nSELECT r.id AS report_id, a.name AS agency, a.agency_key, a.region_code, a.region_name, a.level, a.kind, r.year, r.template", tbl)
	for _, c := range cols {
		fmt.Fprintf(&b, ",\n\t%s AS %s", numeric("w."+quoteIdent(c)), quoteIdent(c))
	}
	fmt.Fprintf(&b, "\nFROM reports r LEFT JOIN agencies a ON a.id = r.agency_id\nLEFT JOIN wide_%s w ON w.report_id = r.id\nWHERE r.is_current = 1", tbl)
	return b.String()
}

// xyearSQL adds the cross-year identities of template-spec §6, which need
// two reports of one agency: T3.XYEAR (carried over this year = carried
// forward last year, per column) and T2.XYEAR_IN_FORCE (in force = last
// year's in force + issued − repealed, 2021 template both years). Both are
// warnings: mergers, corrections and late cases break them legitimately.
func xyearSQL() string {
	var parts []string
	for _, col := range nianbao.ApplicantColumns {
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
		"\tlhs, rhs, report_id, prev_report_id\nFROM (\n" + strings.Join(parts, "\nUNION ALL\n") + "\n)"
}

// numeric shows a stored number as an integer when it is one (51, not
// 51.0: REAL columns keep integers as reals) and as a real otherwise; NULL
// stays NULL, and a real beyond the integers stays real.
func numeric(expr string) string {
	return "CASE WHEN " + expr + " = CAST(" + expr + " AS INTEGER) THEN CAST(" + expr + " AS INTEGER) ELSE " + expr + " END"
}

// wideColumn turns a cell id into a wide column name: t3.granted.total → t3_granted_total.
func wideColumn(id string) string { return strings.ReplaceAll(id, ".", "_") }
