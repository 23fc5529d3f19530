package nianbao

import (
	_ "embed"
	"strings"
	"sync"
)

// cellsTSV is a copy of the project's cell-id contract (spec/cells.tsv).
//
//go:embed cells.tsv
var cellsTSV string

// CellDef describes one canonical cell id.
type CellDef struct {
	ID       string // e.g. t3.refused.state_secret.total
	Table    string // t2, t3 or t4
	Template string // "2021", "2019" or "both"
	Label    string // Chinese label path as printed in the template
	Unit     string // unit and type note, e.g. 件 or 万元 (decimal)
}

// InTemplate reports whether the cell belongs to template t: cells of
// "both" always, others to their own template; every cell may appear
// when the template is unknown. The one definition of that rule.
func (d CellDef) InTemplate(t Template) bool {
	return d.Template == "both" || d.Template == string(t) || t == TemplateUnknown
}

// ApplicantColumns are Table 3's seven applicant columns in printed order
// (the last is the row total): the last part of every t3 cell id.
var ApplicantColumns = []string{"natural_person", "commercial_enterprise", "research_institution", "public_welfare_org", "legal_service_org", "other_org", "total"}

// Decimal reports whether the cell may hold a non-integer value.
func (d CellDef) Decimal() bool { return strings.Contains(d.Unit, "decimal") }

// Signed reports whether the cell may hold a negative value.
func (d CellDef) Signed() bool { return strings.Contains(d.Unit, "signed") }

var (
	cellOnce sync.Once
	cellDefs []CellDef
	cellByID map[string]CellDef
)

func loadCells() {
	cellByID = map[string]CellDef{}
	for i, line := range strings.Split(strings.TrimSpace(cellsTSV), "\n") {
		f := strings.Split(strings.TrimRight(line, "\r"), "\t")
		if i == 0 || len(f) < 5 {
			continue
		}
		d := CellDef{ID: f[0], Table: f[1], Template: f[2], Label: f[3], Unit: f[4]}
		cellDefs = append(cellDefs, d)
		if _, dup := cellByID[d.ID]; !dup {
			cellByID[d.ID] = d // an id of both templates (e.g. …decisions) keeps its 2021 entry
		}
	}
}

// CellDefs returns every canonical cell id of both templates in contract order.
func CellDefs() []CellDef {
	return append([]CellDef(nil), allCells()...)
}

// allCells is CellDefs without the copy, for this package's read-only use.
func allCells() []CellDef {
	cellOnce.Do(loadCells)
	return cellDefs
}

// LookupCell returns the definition of a canonical cell id.
func LookupCell(id string) (CellDef, bool) {
	cellOnce.Do(loadCells)
	d, ok := cellByID[id]
	return d, ok
}
