package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"io"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/ocr"
	"github.com/nianbao/nianbao/store"
	"github.com/nianbao/nianbao/web"
)

// summaryOf reads one report_summary row's figures by name.
func summaryOf(t *testing.T, path string, cols ...string) []any {
	t.Helper()
	db, err := store.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := db.SQL().QueryRow("SELECT " + strings.Join(cols, ", ") + " FROM report_summary").Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorrectionRoundTrip: a person's correction changes the stored
// value, the checks and the derived figures it feeds, survives
// `reextract --all`, is marked on the agency page, and a corrections file
// exported from one database applies to another holding the document.
func TestCorrectionRoundTrip(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	src := fixtures.Path("106-tab-text-2021.txt")
	quiet(t, func() {
		if code := run("ingest", []string{"-q", "--db", a, src}); code != 0 {
			t.Fatalf("ingest exited %d", code)
		}
	})
	before := summaryOf(t, a, "report_id", "granted", "checks_failed", "corrected_cells")
	granted := before[1].(int64)
	if before[3].(int64) != 0 {
		t.Fatalf("corrected_cells before any correction: %v", before[3])
	}
	var out, errb bytes.Buffer
	// --why is required, and the value must be given unless --accept
	if err := runCorrect([]string{"--db", a, "1", "t3.granted.total", "7"}, &out, &errb); !isUsage(err) {
		t.Errorf("correct without --why: %v", err)
	}
	if err := runCorrect([]string{"--db", a, "1", "t3.granted.total", "--why", "x"}, &out, &errb); !isUsage(err) {
		t.Errorf("correct without a value: %v", err)
	}
	if err := runCorrect([]string{"--db", a, "1", "t9.nothing", "1", "--why", "x"}, &out, &errb); err == nil || !strings.Contains(err.Error(), "not a cell id") {
		t.Errorf("correct of an unknown cell: %v", err)
	}
	// a cell of the other template (2019's single 其他处理 row on a 2021 report)
	if err := runCorrect([]string{"--db", a, "1", "t3.other.total", "1", "--why", "x"}, &out, &errb); err == nil || !strings.Contains(err.Error(), "template") {
		t.Errorf("correct of a cell outside the report's template: %v", err)
	}
	fixed := granted + 5
	if err := runCorrect([]string{"--db", a, "1", "t3.granted.total", itoa(fixed), "--why", "page 2 reads so", "--who", "tester"}, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	if !strings.Contains(out.String(), "replaces \""+itoa(granted)+"\"") || !strings.Contains(out.String(), "applied") {
		t.Errorf("correct said %q", out.String())
	}
	check := func(when string) {
		t.Helper()
		got := summaryOf(t, a, "granted", "corrected_cells", "corrected_figures", "checks_failed", "(SELECT COUNT(*) FROM reports)")
		if got[0].(int64) != fixed || got[1].(int64) != 1 {
			t.Errorf("%s: granted %v (want %d), corrected_cells %v", when, got[0], fixed, got[1])
		}
		if figs, _ := got[2].(string); !strings.Contains(figs, "granted") || !strings.Contains(figs, "grant_rate") || strings.Contains(figs, "refused") {
			t.Errorf("%s: corrected_figures %q", when, figs)
		}
		// the Table-3 identities ran again on the corrected value
		if got[3].(int64) <= before[2].(int64) {
			t.Errorf("%s: checks_failed %v, was %v: a total changed by 5 must break T3 identities", when, got[3], before[2])
		}
		if got[4].(int64) != 1 {
			t.Errorf("%s: %v reports: a correction is not a new version", when, got[4])
		}
	}
	check("after correct")
	quiet(t, func() {
		if code := run("reextract", []string{"--db", a, "--all", "-q"}); code != 0 {
			t.Errorf("reextract --all exited %d", code)
		}
	})
	check("after reextract --all")

	// the agency page marks the cell, with who and why
	ro, err := store.OpenReadOnly(a)
	if err != nil {
		t.Fatal(err)
	}
	var key string
	ro.SQL().QueryRow("SELECT agency_key FROM report_summary").Scan(&key)
	srv, err := web.New(ro)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/agency?key="+url.QueryEscape(key), nil)
	req.Host = "127.0.0.1" // the server answers loopback names only
	srv.Handler().ServeHTTP(rec, req)
	page := rec.Body.String()
	if i := strings.Index(page, "cell=t3.granted.total\""); i < 0 || !strings.Contains(page[max(0, i-200):i], "corrected") || !strings.Contains(page, "corrected by tester: page 2 reads so") {
		t.Errorf("agency page (%d) does not mark the corrected cell", rec.Code)
	}
	// the comparison marks the grant rate derived from the corrected cell
	rec = httptest.NewRecorder()
	req = httptest.NewRequest("GET", "/compare", nil)
	req.Host = "127.0.0.1"
	srv.Handler().ServeHTTP(rec, req)
	if !regexp.MustCompile(`class="n rate[^"]*corrected`).MatchString(rec.Body.String()) {
		t.Errorf("compare page (%d) does not mark the grant rate read from a corrected cell", rec.Code)
	}
	ro.Close()

	// export, then import into another database holding the same document
	file := filepath.Join(dir, "corrections.jsonl")
	out.Reset()
	if err := runCorrections([]string{"export", "--db", a, file}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(file)
	var rec1 map[string]any
	if err := json.Unmarshal(bytes.SplitN(data, []byte("\n"), 2)[0], &rec1); err != nil || rec1["cell"] != "t3.granted.total" || rec1["who"] != "tester" || rec1["extracted"] != itoa(granted) {
		t.Fatalf("exported %s (%v)", data, err)
	}
	quiet(t, func() { run("ingest", []string{"-q", "--db", b, src}) })
	out.Reset()
	if err := runCorrections([]string{"import", "--db", b, file}, &out, io.Discard); err != nil || !strings.Contains(out.String(), "1 corrections added") || !strings.Contains(out.String(), "1 reports rewritten") {
		t.Fatalf("import: %v %q", err, out.String())
	}
	if got := summaryOf(t, b, "granted", "corrected_cells"); got[0].(int64) != fixed || got[1].(int64) != 1 {
		t.Errorf("imported database: granted %v, corrected_cells %v", got[0], got[1])
	}
	out.Reset()
	if err := runCorrections([]string{"import", "--db", b, file}, &out, io.Discard); err != nil || !strings.Contains(out.String(), "0 corrections added, 1 already here") {
		t.Errorf("importing twice: %v %q", err, out.String())
	}
	// a damaged file changes nothing and names itself
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"sha256":"zz","cell":"t3.granted.total","value":"1","who":"x","why":"y","at":"2026-01-01T00:00:00Z"}`+"\n"), 0o644)
	if err := runCorrections([]string{"import", "--db", b, bad}, &out, io.Discard); err == nil || !strings.Contains(err.Error(), "bad.jsonl") {
		t.Errorf("bad file: %v", err)
	}

	// accept takes the cell out of the review queue
	db, err := store.Open(a)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	items, _, err := db.Review(context.Background(), store.ReviewFilter{Reasons: []string{store.ReviewCheckFailed}})
	if err != nil || len(items) == 0 {
		t.Fatalf("review: %v, %d items: a broken identity must queue its cells", err, len(items))
	}
	for _, it := range items {
		if it.Cell == "t3.granted.total" {
			t.Errorf("the corrected cell is still queued: %+v", it)
		}
	}
	first := items[0]
	if _, err := db.Correct(context.Background(), first.ReportID, first.Cell, "", true, "tester", "checked on page 2"); err != nil {
		t.Fatal(err)
	}
	after, _, _ := db.Review(context.Background(), store.ReviewFilter{Reasons: []string{store.ReviewCheckFailed}})
	for _, it := range after {
		if it.Cell == first.Cell {
			t.Errorf("accepted cell %s still queued", first.Cell)
		}
	}
	if len(after) != len(items)-1 {
		t.Errorf("review queue %d → %d after one acceptance", len(items), len(after))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestReviewCommand: the queue as a table and as JSON Lines, filtered by
// reason, and the crops of OCR'd cells written beside it (an image-only
// article page read by OCR).
func TestReviewCommand(t *testing.T) {
	if _, err := ocr.Default(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI installs tesseract: %v", err)
		}
		t.Skip(err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "n.db")
	quiet(t, func() {
		if code := run("ingest", []string{"-q", "--db", db, fixtures.Path("scans/108-article/index.html"), fixtures.Path("105-wrong-totals-2023.md")}); code != 0 {
			t.Fatalf("ingest exited %d", code)
		}
	})
	var out, errb bytes.Buffer
	if err := runReview([]string{"--db", db, "--reason", "nonsense"}, &out, &errb); !isUsage(err) {
		t.Errorf("--reason nonsense: %v", err)
	}
	out.Reset()
	if err := runReview([]string{"--db", db, "--reason", "check_failed"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "report\tagency\tyear\tcell\treason") || !strings.Contains(errb.String(), "cells to review") {
		t.Fatalf("review table:\n%s\n%s", out.String(), errb.String())
	}
	for _, l := range lines[1:] {
		if f := strings.Split(l, "\t"); len(f) != 10 || f[4] != "check_failed" {
			t.Errorf("line %q", l)
		}
	}
	out.Reset()
	crops := filepath.Join(dir, "crops")
	if err := runReview([]string{"--db", db, "--reason", "ocr_low_confidence,not_extracted", "--json", "--crops", crops}, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var it map[string]any
		if err := json.Unmarshal([]byte(l), &it); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		crop, _ := it["crop"].(string)
		if it["source"] != "ocr" {
			continue
		}
		n++
		f, err := os.Open(crop)
		if err != nil {
			t.Errorf("%s: crop %q: %v", it["cell"], crop, err)
			continue
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 20 || img.Bounds().Dy() < 20 {
			t.Errorf("%s: crop %v %v", it["cell"], err, img)
		}
	}
	if n == 0 {
		t.Error("no OCR'd cell queued: the article's low-confidence numbers must be")
	}
}
