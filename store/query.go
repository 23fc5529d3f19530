package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/nianbao/nianbao"
)

// exportBase is the SELECT behind each exportable table. Every query has
// agency and year columns, so the same filters apply to all of them.
var exportBase = map[string]string{
	"report_summary": "SELECT * FROM report_summary",
	"t2_wide":        "SELECT * FROM t2_wide",
	"t3_wide":        "SELECT * FROM t3_wide",
	"t4_wide":        "SELECT * FROM t4_wide",
	"cells": `SELECT r.id AS report_id, a.name AS agency, r.year, r.template, c.cell_id,
		(SELECT d.label_zh FROM cell_dictionary d WHERE d.cell_id = c.cell_id ORDER BY d.template = r.template DESC LIMIT 1) AS label_zh,
		c.value, c.raw, c.semantic, c.unit, c.note, c.at_page AS page, c.at_box AS box, c.at_block AS block, c.at_row AS row, c.at_col AS col,
		c.source, c.confidence, x.action AS correction, c.extracted, x.who AS corrected_by, x.why AS correction_why
		FROM cells c JOIN reports r ON r.id = c.report_id LEFT JOIN agencies a ON a.id = r.agency_id
		LEFT JOIN corrections x ON x.id = c.correction_id WHERE r.is_current = 1`,
	"corrections": `SELECT r.id AS report_id, a.name AS agency, r.year, x.sha256, x.cell_id, x.action, x.value, x.extracted, x.replaces, x.who, x.at, x.why, x.state
		FROM corrections x JOIN documents d ON d.sha256 = x.sha256 JOIN reports r ON r.document_id = d.id AND r.is_current = 1
		LEFT JOIN agencies a ON a.id = r.agency_id`,
	"checks": `SELECT r.id AS report_id, a.name AS agency, r.year, r.template, k.check_id, k.scope, k.status, k.lhs, k.rhs, k.cells
		FROM checks k JOIN reports r ON r.id = k.report_id LEFT JOIN agencies a ON a.id = r.agency_id WHERE r.is_current = 1`,
	"unmatched": `SELECT r.id AS report_id, a.name AS agency, r.year, u.tbl, u.label, u.raw
		FROM unmatched u JOIN reports r ON r.id = u.report_id LEFT JOIN agencies a ON a.id = r.agency_id WHERE r.is_current = 1`,
	"reports": `SELECT r.id AS report_id, a.name AS agency, r.year, r.template, r.published, r.title, r.is_current, r.extracted_at, r.completeness, r.completeness_detail, d.path AS source, d.sha256
		FROM reports r JOIN documents d ON d.id = r.document_id LEFT JOIN agencies a ON a.id = r.agency_id`,
	"xyear_checks":     "SELECT * FROM xyear_checks",
	"documents":        "SELECT id, sha256, path, format, size, first_seen, error FROM documents",
	"cell_dictionary":  "SELECT * FROM cell_dictionary",
	"check_dictionary": "SELECT * FROM check_dictionary",
	"crosswalk":        "SELECT * FROM crosswalk",
}

// unfiltered are the tables without agency and year columns.
var unfiltered = map[string]bool{"documents": true, "cell_dictionary": true, "crosswalk": true, "check_dictionary": true}

// ExportTables lists the tables and views Export accepts.
func ExportTables() []string {
	var out []string
	for k := range exportBase {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Filter narrows an export.
type Filter struct {
	Year   int    // statistics year; 0 for all
	Agency string // substring of the agency name; "" for all
	Where  string // an extra SQL condition on the table's columns, e.g. "grant_rate < 0.5"
}

// Export runs the query behind table with the filter applied and returns
// the rows for streaming.
func (db *DB) Export(ctx context.Context, table string, f Filter) (*sql.Rows, error) {
	query, args, err := exportQuery(table, f, "")
	if err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, db.wrap(fmt.Errorf("export %s: %w", table, err))
	}
	return rows, nil
}

// byReport are the exports read in report id order, with about how many
// rows each report gives: ExportParts splits them by report id.
var byReport = map[string]int{
	"report_summary": 1, "t2_wide": 1, "t3_wide": 1, "t4_wide": 1, "reports": 1,
	"cells": 200, "checks": 50, "unmatched": 5,
}

// exportPart is one of consecutive report-id ranges of an export.
type exportPart struct {
	lo, hi int64 // report ids; the whole export when both are 0
}

// ExportReader reads an export in consecutive parts on several
// connections at once (ReadExport). Every connection holds a read
// transaction begun at one and the same state of the database, so the
// parts together are one consistent export even while others write.
type ExportReader struct {
	db    *DB
	table string
	f     Filter
	parts []exportPart
	free  chan *sql.Conn // connections in the shared state, one per reader
	conns []*sql.Conn
}

// ReadExport prepares table (with f) to be read in consecutive ranges of
// report id of about rows rows each, on up to jobs connections: the parts'
// rows, read with Read and concatenated in order, are Export's rows. A
// table not read by report id is one part. Close releases the connections.
func (db *DB) ReadExport(ctx context.Context, table string, f Filter, rows, jobs int) (*ExportReader, error) {
	if _, _, err := exportQuery(table, f, ""); err != nil {
		return nil, err
	}
	r := &ExportReader{db: db, table: table, f: f, parts: []exportPart{{}}}
	per, ok := byReport[table]
	if !ok {
		jobs = 1
	}
	conns, err := db.sameState(ctx, max(jobs, 1))
	if err != nil {
		return nil, db.wrap(fmt.Errorf("export %s: %w", table, err))
	}
	r.conns = conns
	r.free = make(chan *sql.Conn, len(conns))
	for _, c := range conns {
		r.free <- c
	}
	if !ok {
		return r, nil
	}
	var lo, hi sql.NullInt64
	if err := conns[0].QueryRowContext(ctx, "SELECT MIN(id), MAX(id) FROM reports").Scan(&lo, &hi); err != nil {
		r.Close()
		return nil, db.wrap(fmt.Errorf("export %s: %w", table, err))
	}
	if !lo.Valid {
		return r, nil
	}
	width := max(int64(rows/per), 1)
	r.parts = r.parts[:0]
	for a := lo.Int64; a <= hi.Int64; a += width {
		r.parts = append(r.parts, exportPart{lo: a, hi: min(a+width-1, hi.Int64)})
	}
	r.parts[0].lo = math.MinInt64 // no id lies outside [lo, hi] in this state, but say so
	r.parts[len(r.parts)-1].hi = math.MaxInt64
	return r, nil
}

// Parts is the number of parts.
func (r *ExportReader) Parts() int { return len(r.parts) }

// Read runs part i's query on a free connection and hands the rows to fn;
// they are closed when fn returns. Several goroutines may call Read at
// once, up to the number of connections; more wait for a free one.
func (r *ExportReader) Read(ctx context.Context, i int, fn func(*sql.Rows) error) error {
	var c *sql.Conn
	select {
	case c = <-r.free:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { r.free <- c }()
	p := r.parts[i]
	extra, args := "", []any(nil)
	if p.lo != 0 || p.hi != 0 {
		extra, args = "report_id BETWEEN ? AND ?", []any{p.lo, p.hi}
	}
	query, qargs, err := exportQuery(r.table, r.f, extra, args...)
	if err != nil {
		return err
	}
	rows, err := c.QueryContext(ctx, query, qargs...)
	if err != nil {
		return r.db.wrap(err)
	}
	defer rows.Close()
	if err := fn(rows); err != nil {
		return r.db.wrap(err)
	}
	return r.db.wrap(rows.Err())
}

// Close ends the read transactions and returns the connections.
func (r *ExportReader) Close() error {
	var first error
	for _, c := range r.conns {
		if _, err := c.ExecContext(context.Background(), "ROLLBACK"); err != nil && first == nil {
			first = err
		}
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	r.conns = nil
	return first
}

// sameState returns n connections, each in a read transaction that sees
// the same state of the database: a guard connection's data_version, read
// before the first transaction begins and after the last, is unchanged, so
// no commit landed in between. When writers keep committing it tries a few
// times, then settles for one connection (which is trivially consistent).
func (db *DB) sameState(ctx context.Context, n int) ([]*sql.Conn, error) {
	guard, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer guard.Close()
	version := func() (v int64, err error) {
		err = guard.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
		return v, err
	}
	for attempt := 0; ; attempt++ {
		if attempt == 5 {
			n = 1
		}
		before, err := version()
		if err != nil {
			return nil, err
		}
		var conns []*sql.Conn
		release := func() {
			for _, c := range conns {
				c.ExecContext(context.Background(), "ROLLBACK")
				c.Close()
			}
		}
		for range n {
			c, err := db.sql.Conn(ctx)
			if err == nil {
				conns = append(conns, c)
				if _, err = c.ExecContext(ctx, "BEGIN DEFERRED"); err == nil {
					var one int
					// The first read fixes the transaction's view of the database.
					err = c.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM reports LIMIT 1)").Scan(&one)
				}
			}
			if err != nil {
				release()
				return nil, err
			}
		}
		if testHookSameState != nil {
			testHookSameState(attempt)
		}
		after, err := version()
		if err != nil {
			release()
			return nil, err
		}
		if after == before || n == 1 {
			return conns, nil
		}
		release()
	}
}

// testHookSameState runs between beginning the read transactions and
// checking that no commit landed; tests commit there.
var testHookSameState func(attempt int)

// exportQuery is the SELECT of Export, with its arguments; extra, unless
// "", is one more condition, with its arguments.
func exportQuery(table string, f Filter, extra string, extraArgs ...any) (string, []any, error) {
	base, ok := exportBase[table]
	if !ok {
		return "", nil, fmt.Errorf("unknown table %q (one of: %s)", table, strings.Join(ExportTables(), ", "))
	}
	if unfiltered[table] && (f.Year != 0 || f.Agency != "") {
		return "", nil, fmt.Errorf("table %s has no agency or year to filter on", table)
	}
	var conds []string
	var args []any
	if f.Year != 0 {
		conds = append(conds, "year = ?")
		args = append(args, f.Year)
	}
	if f.Agency != "" {
		conds = append(conds, "agency LIKE ?")
		args = append(args, "%"+f.Agency+"%")
	}
	if f.Where != "" {
		if err := oneCondition(f.Where); err != nil {
			return "", nil, err
		}
		conds = append(conds, "("+f.Where+")")
	}
	if extra != "" {
		conds = append(conds, extra)
		args = append(args, extraArgs...)
	}
	query := "SELECT * FROM (" + base + ")"
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	return query, args, nil
}

// Column types of an export (ExportTypes): what a typed format such as
// Parquet stores each column as.
const (
	TypeInteger = "INTEGER"
	TypeReal    = "REAL"
	TypeText    = "TEXT"
	TypeBlob    = "BLOB"
)

// exprTypes are the types of the export columns computed by expressions
// (no declared type), known from the views: no pass over the data needed.
var exprTypes = map[string]string{
	"label_zh": TypeText, "raw": TypeText, "semantic": TypeText, "unit": TypeText,
	"status": TypeText, "lhs": TypeReal, "rhs": TypeReal,
}

// ExportTypes returns the type of each column Export would return, in
// order: the declared type where the column comes straight from a table
// (INTEGER, REAL, TEXT, BLOB), else the known type of a view's computed
// column, else what its values hold, found by one pass over them in SQLite: INTEGER if only integers, REAL if any real, TEXT if
// any text or if every value is NULL.
func (db *DB) ExportTypes(ctx context.Context, table string, f Filter) ([]string, error) {
	query, args, err := exportQuery(table, f, "")
	if err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, query+" LIMIT 0", args...)
	if err != nil {
		return nil, db.wrap(fmt.Errorf("export %s: %w", table, err))
	}
	cts, err := rows.ColumnTypes()
	rows.Close()
	if err != nil {
		return nil, err
	}
	types := make([]string, len(cts))
	var probe []string
	var probed []int
	for i, ct := range cts {
		switch t := strings.ToUpper(ct.DatabaseTypeName()); {
		case strings.Contains(t, "INT"):
			types[i] = TypeInteger
		case strings.Contains(t, "REAL"), strings.Contains(t, "FLOA"), strings.Contains(t, "DOUB"):
			types[i] = TypeReal
		case strings.Contains(t, "CHAR"), strings.Contains(t, "TEXT"), strings.Contains(t, "CLOB"):
			types[i] = TypeText
		case t == "BLOB":
			types[i] = TypeBlob
		case exprTypes[ct.Name()] != "":
			types[i] = exprTypes[ct.Name()]
		default:
			col := `"` + strings.ReplaceAll(ct.Name(), `"`, `""`) + `"`
			probe = append(probe, fmt.Sprintf("MAX(typeof(%[1]s) = 'text' OR typeof(%[1]s) = 'blob'), MAX(typeof(%[1]s) = 'real'), MAX(typeof(%[1]s) = 'integer')", col))
			probed = append(probed, i)
		}
	}
	if len(probe) == 0 {
		return types, nil
	}
	found := make([]sql.NullBool, 3*len(probed))
	ptrs := make([]any, len(found))
	for i := range found {
		ptrs[i] = &found[i]
	}
	if err := db.sql.QueryRowContext(ctx, "SELECT "+strings.Join(probe, ", ")+" FROM ("+query+")", args...).Scan(ptrs...); err != nil {
		return nil, db.wrap(fmt.Errorf("export %s: %w", table, err))
	}
	for k, i := range probed {
		switch text, real, integer := found[3*k].Bool, found[3*k+1].Bool, found[3*k+2].Bool; {
		case text || (!real && !integer):
			types[i] = TypeText
		case real:
			types[i] = TypeReal
		default:
			types[i] = TypeInteger
		}
	}
	return types, nil
}

// oneCondition refuses a --where clause that could end the SELECT it is
// put in: a ';' or a closing parenthesis that balances nothing, outside
// quotes and comments. (The export connection is read-only as well.)
func oneCondition(where string) error {
	depth := 0
	for i := 0; i < len(where); i++ {
		switch c := where[i]; c {
		case '\'', '"', '`', '[':
			end := c
			if c == '[' {
				end = ']'
			}
			j := strings.IndexByte(where[i+1:], end)
			if j < 0 {
				return fmt.Errorf("--where: unterminated %c", c)
			}
			i += j + 1
		case '-', '/':
			if strings.HasPrefix(where[i:], "--") || strings.HasPrefix(where[i:], "/*") {
				return fmt.Errorf("--where: comments are not allowed")
			}
		case ';':
			return fmt.Errorf("--where: one condition only, no ';'")
		case '(':
			depth++
		case ')':
			if depth--; depth < 0 {
				return fmt.Errorf("--where: unbalanced ')'")
			}
		}
	}
	if depth != 0 {
		return fmt.Errorf("--where: unbalanced '('")
	}
	return nil
}

// chineseNames are the Chinese headers of the non-cell columns.
var chineseNames = map[string]string{
	"report_id": "报告编号", "agency": "机关", "year": "年度", "template": "模板", "published": "发布日期", "title": "标题",
	"requests_received": "本年新收申请", "carried_over": "上年结转", "granted": "予以公开", "partially_granted": "部分公开",
	"refused": "不予公开", "unavailable": "无法提供", "not_processed": "不予处理", "other_handling": "其他处理",
	"total_answered": "办理结果总计", "carried_forward": "结转下年度", "grant_rate": "公开率（含部分公开）",
	"reviews": "行政复议", "reviews_corrected": "复议结果纠正", "suits": "行政诉讼", "suits_corrected": "诉讼结果纠正",
	"licensing_decisions": "行政许可处理决定", "penalty_decisions": "行政处罚处理决定", "coercion_decisions": "行政强制处理决定",
	"fees_wan_yuan": "行政事业性收费（万元）", "checks_failed": "未通过校验", "checks_incomplete": "校验不完整",
	"source": "来源", "sha256": "SHA-256", "cell_id": "单元格编号", "label_zh": "标签", "value": "数值", "raw": "原文",
	"semantic": "类型", "unit": "单位", "note": "备注", "check_id": "校验", "scope": "范围", "status": "结果",
	"lhs": "左边", "rhs": "右边", "cells": "涉及单元格", "tbl": "表", "label": "行标签", "is_current": "当前版本",
	"extracted_at": "提取时间", "path": "路径", "format": "格式", "size": "字节数", "first_seen": "首次获取", "error": "错误",
	"description": "说明", "wide_column": "宽表列名", "t19_cell_id": "2019模板单元格", "t21_cell_id": "2021模板单元格",
	"relation": "关系", "id": "编号", "completeness": "完整度", "completeness_detail": "各表完整度",
	"agency_key": "机关标识", "region_code": "行政区划代码", "region_name": "行政区划", "level": "层级", "kind": "类型（政府/部门）",
	"formula": "公式", "severity": "严重程度", "description_zh": "中文说明", "description_en": "英文说明",
	"confidence": "识别置信度", "correction": "人工更正", "extracted": "提取原值", "corrected_by": "更正人",
	"correction_why": "更正理由", "corrected_cells": "人工更正单元格数", "corrected_figures": "受更正影响的指标",
	"action": "操作", "replaces": "更正前", "who": "更正人", "at": "更正时间", "why": "理由", "state": "状态",
	"page": "页", "box": "位置", "block": "块", "row": "行", "col": "列", "key_provisional": "临时标识", "cell_no": "单元格号",
}

// ChineseHeaders maps column names to Chinese headers, including the
// label path of every wide-view cell column.
func ChineseHeaders() map[string]string {
	m := make(map[string]string, len(chineseNames)+250)
	for k, v := range chineseNames {
		m[k] = v
	}
	for _, n := range nianbao.FigureNames {
		m[n+"_basis"] = chineseNames[n] + "（依据）"
	}
	for _, d := range nianbao.CellDefs() {
		if _, seen := m[wideColumn(d.ID)]; !seen {
			m[wideColumn(d.ID)] = d.Label
		}
	}
	return m
}
