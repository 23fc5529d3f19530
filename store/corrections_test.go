package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/normalize"
)

// ocrReport is a report as OCR read it: one number unreadable, one read
// with low confidence.
func ocrReport(granted string) *nianbao.Report {
	rep := &nianbao.Report{Agency: "丙局", Year: 2023, Template: nianbao.Template2021, Cells: map[string]nianbao.Cell{}}
	for id, raw := range map[string]string{"t3.new_received.total": "10", "t3.carried_over.total": "2", "t3.total.total": "9",
		"t3.carried_forward.total": "3", "t3.granted.total": granted, "t3.refused.state_secret.total": "[OCR未能识别]"} {
		c := normalize.ParseValue(raw)
		conf := 0.97
		if id == "t3.carried_forward.total" {
			conf = 0.7
		}
		c.Source, c.Confidence = "ocr", &conf
		c.At = &nianbao.Position{Block: 1, Row: 2, Col: 3, Page: 2, Box: &[4]float64{10, 20, 30, 15}}
		rep.Cells[id] = c
	}
	normalize.Check(rep)
	return rep
}

// TestCorrectionLifecycle: a correction of an OCR'd cell holds while the
// extraction reads what it was made against; when a re-extraction reads
// something else the extracted value stands, the correction is stale and
// back in the review queue; when extraction reads it again, it applies
// again.
func TestCorrectionLifecycle(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	doc := Document{SHA256: strings.Repeat("ab", 32), Path: "scan.pdf", Format: "pdf"}
	if _, err := db.Save(ctx, doc, ocrReport("6")); err != nil {
		t.Fatal(err)
	}
	reasons := func() map[string]string {
		items, total, err := db.Review(ctx, ReviewFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != len(items) {
			t.Errorf("review total %d, %d items", total, len(items))
		}
		m := map[string]string{}
		for _, it := range items {
			if it.Page != 0 && (it.Page != 2 || it.Box != "10.0 20.0 30.0 15.0") {
				t.Errorf("%s: page %d box %q", it.Cell, it.Page, it.Box)
			}
			m[it.Cell] = it.Reason
		}
		return m
	}
	q := reasons()
	if q["t3.refused.state_secret.total"] != ReviewUnreadable || q["t3.carried_forward.total"] != ReviewLowConfidence || q["t3.granted.total"] != "" {
		t.Errorf("queue before corrections: %v", q)
	}
	if q["t3.other.other.total"] != ReviewNotExtracted {
		t.Errorf("a template cell not extracted is not queued: %v", q["t3.other.other.total"])
	}
	c, err := db.Correct(ctx, 1, "t3.refused.state_secret.total", "3", false, "tester", "page 2 reads 3")
	if err != nil || c.State != nianbao.CorrectionApplied || c.Extracted == nil || *c.Extracted != "[OCR未能识别]" {
		t.Fatalf("correct: %+v %v", c, err)
	}
	if _, err := db.Correct(ctx, 1, "t3.carried_forward.total", "", true, "tester", "looked"); err != nil {
		t.Fatal(err)
	}
	q = reasons()
	if q["t3.refused.state_secret.total"] != "" || q["t3.carried_forward.total"] != "" {
		t.Errorf("corrected and accepted cells still queued: %v", q)
	}
	value := func() (v *float64, corrected int) {
		db.sql.QueryRow(`SELECT c.value, (SELECT corrected_cells FROM report_summary) FROM cells c JOIN reports r ON r.id = c.report_id AND r.is_current = 1
			WHERE c.cell_id = 't3.refused.state_secret.total'`).Scan(&v, &corrected)
		return
	}
	if v, n := value(); v == nil || *v != 3 || n != 1 {
		t.Errorf("stored value %v, corrected_cells %d", v, n)
	}
	var conf float64
	var src string
	db.sql.QueryRow("SELECT source, confidence FROM cells WHERE cell_id = 't3.granted.total'").Scan(&src, &conf)
	if src != "ocr" || conf != 0.97 {
		t.Errorf("OCR source and confidence stored as %q %v", src, conf)
	}

	// re-extracted the same: the correction holds, the report stays one version
	if r, err := db.Reextract(ctx, 1, "v2", nil, ocrReport("6"), nil); err != nil || r.Changed {
		t.Fatalf("reextract unchanged: %+v %v", r, err)
	}
	if v, _ := value(); v == nil || *v != 3 {
		t.Errorf("after an unchanged re-extraction the value is %v", v)
	}
	// a better OCR reads the cell itself, differently: the extraction stands
	better := ocrReport("6")
	better.Cells["t3.refused.state_secret.total"] = normalize.ParseValue("4")
	normalize.Check(better)
	if _, err := db.Reextract(ctx, 1, "v3", nil, better, nil); err != nil {
		t.Fatal(err)
	}
	if v, _ := value(); v == nil || *v != 4 {
		t.Errorf("a stale correction overrode the new extraction: %v", deref(v))
	}
	var state string
	db.sql.QueryRow("SELECT state FROM corrections WHERE cell_id = 't3.refused.state_secret.total'").Scan(&state)
	if q := reasons(); state != nianbao.CorrectionStale || q["t3.refused.state_secret.total"] != ReviewStale {
		t.Errorf("stale correction: state %q, queued as %q", state, q["t3.refused.state_secret.total"])
	}
	// and extraction reading the corrected value settles it
	agrees := ocrReport("6")
	agrees.Cells["t3.refused.state_secret.total"] = normalize.ParseValue("3")
	normalize.Check(agrees)
	db.Reextract(ctx, 1, "v4", nil, agrees, nil)
	db.sql.QueryRow("SELECT state FROM corrections WHERE cell_id = 't3.refused.state_secret.total'").Scan(&state)
	if q := reasons(); state != nianbao.CorrectionAgrees || q["t3.refused.state_secret.total"] != "" {
		t.Errorf("agreeing extraction: state %q, queued as %q", state, q["t3.refused.state_secret.total"])
	}
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// TestImportedOlderCorrection: corrections shared between people are
// ordered by when they were made, not when they arrived: an older one
// imported later does not override a newer local one; a newer one does.
func TestImportedOlderCorrection(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sha := strings.Repeat("cd", 32)
	if _, err := db.Save(ctx, Document{SHA256: sha, Path: "scan.pdf", Format: "pdf"}, ocrReport("6")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Correct(ctx, 1, "t3.granted.total", "7", false, "local", "page 2"); err != nil {
		t.Fatal(err)
	}
	value := func() (v float64) {
		db.sql.QueryRow("SELECT value FROM cells WHERE report_id = 1 AND cell_id = 't3.granted.total'").Scan(&v)
		return
	}
	six := "6"
	older := nianbao.Correction{SHA256: sha, Cell: "t3.granted.total", Value: "8", Extracted: &six, Who: "colleague", Why: "p.2", At: "2020-01-02T03:04:05+08:00"}
	if _, err := db.ImportCorrections(ctx, []nianbao.Correction{older}); err != nil {
		t.Fatal(err)
	}
	if v := value(); v != 7 {
		t.Errorf("an older imported correction overrode the newer local one: %v", v)
	}
	newer := older
	newer.Value, newer.At = "9", "2999-01-01T00:00:00Z"
	if _, err := db.ImportCorrections(ctx, []nianbao.Correction{newer}); err != nil {
		t.Fatal(err)
	}
	if v := value(); v != 9 {
		t.Errorf("a newer imported correction is not in force: %v", v)
	}
}
