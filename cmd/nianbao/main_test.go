package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/fixtures"
)

// TestExtractContract checks the JSON Lines shape of spec/extract-json.md
// and that one unreadable file does not stop the others.
func TestExtractContract(t *testing.T) {
	var out, errOut bytes.Buffer
	err := runExtract([]string{fixtures.Path("104-t19-blanks-2020.html"), "no-such-file.html", fixtures.Path("105-wrong-totals-2023.md")}, &out, &errOut)
	if err == nil {
		t.Error("a missing file must make the command fail")
	}
	var objs []map[string]any
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line is not JSON: %v", err)
		}
		objs = append(objs, m)
	}
	if len(objs) != 3 {
		t.Fatalf("got %d objects, want 3 (one per file)", len(objs))
	}
	for _, k := range []string{"source", "title", "agency", "year", "published", "template", "cells", "checks", "unmatched", "warnings", "error"} {
		if _, ok := objs[0][k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	if objs[0]["template"] != "2019" || objs[0]["year"] != float64(2020) || objs[0]["published"] != "2021-03-30" {
		t.Errorf("template/year/published = %v/%v/%v", objs[0]["template"], objs[0]["year"], objs[0]["published"])
	}
	cell := objs[0]["cells"].(map[string]any)["t2.art20_5.admin_licensing.items_delta"].(map[string]any)
	if cell["value"] != float64(-8) || cell["raw"] != "-8" || cell["semantic"] != "numeric" {
		t.Errorf("items_delta = %v", cell)
	}
	blank := objs[0]["cells"].(map[string]any)["t3.carried_over.commercial_enterprise"].(map[string]any)
	if blank["value"] != nil || blank["semantic"] != "empty" {
		t.Errorf("blank cell = %v", blank)
	}
	if e, _ := objs[1]["error"].(string); !strings.Contains(e, "no-such-file.html") {
		t.Errorf("error of missing file = %v", objs[1]["error"])
	}
	if objs[2]["error"] != nil || objs[2]["template"] != "2021" {
		t.Errorf("third file: error %v template %v", objs[2]["error"], objs[2]["template"])
	}
}

func TestEvalFixtures(t *testing.T) {
	var out, errOut bytes.Buffer
	files, _ := filepath.Glob(fixtures.Path("1*")) // fixtures/ruleless has its own floor test
	if err := runEval(append([]string{"--gold", fixtures.Gold()}, files...), &out, &errOut); err != nil {
		t.Fatal(err, errOut.String())
	}
	var all string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "ALL (") {
			all = line
		}
	}
	if strings.Contains(all, "(0 documents)") {
		t.Errorf("eval summary line %q: no documents", all)
	}
	// Every fixture is read right, except PDFs whose own character map is
	// damaged (Ghostscript re-distilled): those must say so.
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "1") && !strings.Contains(line, "100.00%") && !strings.Contains(line, "character map is damaged") {
			t.Errorf("fixture not read right and not explained: %s", line)
		}
	}
}
