package nianbao

// Template identifies which official table format a report follows.
type Template string

// Templates of the annual report, decided from the table headers.
const (
	Template2021    Template = "2021"    // 国办公开办函〔2021〕30号
	Template2019    Template = "2019"    // 国办公开办函〔2019〕60号 (trial format)
	TemplateUnknown Template = "unknown" // no table header identified the template
)

// Semantic classifies what a printed cell holds.
type Semantic string

// Cell semantics; see the extract JSON contract.
const (
	Numeric Semantic = "numeric" // a non-zero number
	Zero    Semantic = "zero"    // the number zero
	Empty   Semantic = "empty"   // a blank cell: never read as 0
	NA      Semantic = "na"      // a dash, slash, 无 or 不适用
	Text    Semantic = "text"    // something that is not a number
)

// Cell is one canonical cell's value as printed and as parsed.
type Cell struct {
	Value    *float64  `json:"value"`          // parsed number; nil unless Semantic is Numeric or Zero
	Raw      string    `json:"raw"`            // cell text as printed, whitespace-trimmed
	Semantic Semantic  `json:"semantic"`       // what the cell holds
	Unit     string    `json:"unit,omitempty"` // a unit word printed in the cell (元, 万元, 件, 项)
	Note     string    `json:"note,omitempty"` // a note printed with the number, e.g. 其中修订16件
	At       *Position `json:"at,omitempty"`   // where it was printed, when known
	// Source is "ocr" for a cell read from an image, with the engine's
	// Confidence (0–1; absent for a box with no ink, read as blank).
	Source     string   `json:"source,omitempty"`
	Confidence *float64 `json:"confidence,omitempty"`
	// Correction is the person's correction (or acceptance) this value
	// comes from, when one is in force; the extracted text is its
	// Extracted.
	Correction *Correction `json:"correction,omitempty"`
}

// Correction is a person's verdict on one cell of one document's report:
// the value read there (Accept: the extracted value checked and right),
// who gave it, when and why. It is kept by document, not by report, so it
// outlives re-extraction and applies in any database holding the same
// document.
type Correction struct {
	ID     int64  `json:"-"`
	SHA256 string `json:"sha256"` // the document
	Cell   string `json:"cell"`   // cell id
	Accept bool   `json:"accept,omitempty"`
	Value  string `json:"value"` // as typed; "" is a blank cell
	// Extracted is the cell's text as extracted when the correction was
	// made, nil when the cell was not extracted; the correction holds
	// while extraction still reads that.
	Extracted *string `json:"extracted"`
	Replaces  *string `json:"replaces"` // the value shown before: an earlier correction's, else Extracted
	Who       string  `json:"who"`
	At        string  `json:"at"` // RFC 3339, UTC
	Why       string  `json:"why"`
	State     string  `json:"state,omitempty"` // see the Correction states
}

// Correction states: what became of a correction when its document's
// report was last stored.
const (
	CorrectionApplied = "applied" // the report's value is the correction's
	CorrectionAgrees  = "agrees"  // extraction now reads the corrected value itself
	CorrectionStale   = "stale"   // extraction changed underneath: not applied, to review
	CorrectionPending = "pending" // no report of the document is stored
)

// Position is where a cell was printed: the reader's block (a table or a
// paragraph of the Document), the row of that table and the cell's index in
// the printed row (for a paragraph, Row is -1 and Col the number's place
// among its words), and for PDFs the page and the cell's box in points
// (x, y of the top-left corner, width, height; y grows upwards).
type Position struct {
	Block int         `json:"block"`
	Row   int         `json:"row"`
	Col   int         `json:"col"`
	Page  int         `json:"page,omitempty"`
	Box   *[4]float64 `json:"box,omitempty"`
	// source and confidence of the printed cell, carried to Cell
	Source     string   `json:"-"`
	Confidence *float64 `json:"-"`
}

// Check statuses.
const (
	Pass       = "pass"
	Fail       = "fail"
	Incomplete = "incomplete" // the identity fails, but only if a blank/NA cell is read as 0
)

// Check is the outcome of one accounting identity (勾稽关系) on one scope.
type Check struct {
	ID     string   `json:"id"`     // identity id, e.g. T3.BALANCE
	Scope  string   `json:"scope"`  // column, row or group the identity was applied to
	Status string   `json:"status"` // pass, fail or incomplete
	LHS    float64  `json:"lhs"`    // left-hand side with blanks read as 0
	RHS    float64  `json:"rhs"`    // right-hand side with blanks read as 0
	Cells  []string `json:"cells"`  // cell ids involved
	// Severity is error for identities the template guarantees, warning for
	// plausibility rules that real reports may break (template-spec §6).
	Severity string `json:"severity"`
}

// Unmatched is a table row whose label matched no canonical row. It is kept
// so that nothing printed is dropped silently.
type Unmatched struct {
	Table string   `json:"table"` // t2, t3 or t4
	Label string   `json:"label"` // the row label as printed
	Raw   []string `json:"raw"`   // the row's value cells as printed
}

// Report is one annual report's standard tables as canonical, checked cells.
type Report struct {
	Title     string `json:"title"`
	Agency    string `json:"agency"`
	Year      int    `json:"year"`      // the year the statistics cover; 0 if unknown
	Published string `json:"published"` // ISO 8601 publication date, or ""
	// CreditCode is the agency's 统一社会信用代码 when the page prints one
	// (as the start of its 索引号): evidence of the agency's identity.
	CreditCode string          `json:"credit_code,omitempty"`
	Template   Template        `json:"template"`
	Cells      map[string]Cell `json:"cells"`
	Checks     []Check         `json:"checks"`
	Unmatched  []Unmatched     `json:"unmatched"`
	Warnings   []string        `json:"warnings"`
	// Completeness counts, per table (t2, t3, t4), the cells of the
	// template found; empty when the template is unknown.
	Completeness map[string]Completeness `json:"completeness"`
}

// Completeness is how many of a table's template cells a report shows.
type Completeness struct {
	Found    int     `json:"found"`
	Expected int     `json:"expected"`
	Ratio    float64 `json:"ratio"` // Found / Expected
}

// Overall sums the tables' counts: found / expected over all tables, or 0
// and false when nothing was expected (template unknown).
func (r *Report) Overall() (Completeness, bool) {
	var c Completeness
	for _, t := range r.Completeness {
		c.Found += t.Found
		c.Expected += t.Expected
	}
	if c.Expected == 0 {
		return c, false
	}
	c.Ratio = float64(c.Found) / float64(c.Expected)
	return c, true
}
