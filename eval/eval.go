// Package eval scores extracted reports against hand-checked gold files
// (the corpus format: {"file", "template", "cells": {id: number|null}, …}).
package eval

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nianbao/nianbao"
)

// Gold is one hand-checked expectation.
type Gold struct {
	File      string              `json:"file"`
	Template  string              `json:"template"`
	Agency    string              `json:"agency"`
	Year      int                 `json:"year"`
	Published *string             `json:"published"`
	Cells     map[string]*float64 `json:"cells"`
}

// LoadGold reads a gold file.
func LoadGold(path string) (*Gold, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var g Gold
	if err := json.Unmarshal(data, &g); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &g, nil
}

// FindGold returns the gold file in dir for a document path: the gold whose
// "file" names the document, else NNN.json for a document named NNN-….
//
// A gold file also serves renderings of its document by other producers,
// named after it with a suffix: gold for 108-x-2020.pdf is used for
// 108-x-2020-pdfunite.pdf and 108-x-2020-gs.pdf.
func FindGold(dir, docPath string) (*Gold, string, error) {
	base := filepath.Base(docPath)
	if i := strings.IndexAny(base, "-_."); i > 0 {
		p := filepath.Join(dir, base[:i]+".json")
		if g, err := LoadGold(p); err == nil && (g.File == "" || sameReport(g.File, base)) {
			return g, p, nil
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, "", err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if g, err := LoadGold(p); err == nil && filepath.Base(g.File) == base {
			return g, p, nil
		}
	}
	return nil, "", fmt.Errorf("no gold file for %s in %s", base, dir)
}

// Producer names what made a document relative to its gold file: the
// suffix of a rendering (108-x-2020-gs.pdf → "gs"), else "original".
func Producer(g *Gold, docPath string) string {
	base := filepath.Base(docPath)
	gb := filepath.Base(g.File)
	stem := strings.TrimSuffix(gb, filepath.Ext(gb))
	if g.File != "" && strings.HasPrefix(base, stem+"-") {
		return strings.TrimSuffix(strings.TrimPrefix(base, stem+"-"), filepath.Ext(base))
	}
	return "original"
}

// sameReport reports whether document base is goldFile or a rendering of it
// named goldFile's stem + "-" + producer.
func sameReport(goldFile, base string) bool {
	g := filepath.Base(goldFile)
	stem := strings.TrimSuffix(g, filepath.Ext(g))
	return g == base || strings.HasPrefix(base, stem+"-")
}

// Mismatch is one cell where extraction and gold disagree.
type Mismatch struct {
	Cell string   `json:"cell"`
	Gold *float64 `json:"gold"`          // nil: the gold shows a blank
	Got  *float64 `json:"got"`           // nil: blank or not a number
	Raw  string   `json:"raw,omitempty"` // the extracted cell's printed text
	Kind string   `json:"kind"`          // wrong, missing (not extracted) or extra (not in gold)
}

// Score is the per-cell comparison of one report with its gold.
type Score struct {
	Cells      int        `json:"cells"` // gold cells plus extra extracted cells
	Right      int        `json:"right"`
	TemplateOK bool       `json:"template_ok"`
	Mismatches []Mismatch `json:"mismatches"`
}

// Accuracy is the share of cells right; extra invented cells count as wrong.
func (s Score) Accuracy() float64 {
	if s.Cells == 0 {
		return 0
	}
	return float64(s.Right) / float64(s.Cells)
}

// Compare scores a report against its gold. A gold null is matched by a
// blank, NA or absent cell; a gold number by the same number.
func Compare(rep *nianbao.Report, g *Gold) Score {
	s := Score{TemplateOK: string(rep.Template) == g.Template}
	ids := make([]string, 0, len(g.Cells))
	for id := range g.Cells {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		want := g.Cells[id]
		s.Cells++
		c, ok := rep.Cells[id]
		switch {
		case want == nil && (!ok || c.Value == nil):
			s.Right++
		case want != nil && ok && c.Value != nil && math.Abs(*c.Value-*want) < 1e-9:
			s.Right++
		case !ok:
			s.Mismatches = append(s.Mismatches, Mismatch{Cell: id, Gold: want, Kind: "missing"})
		default:
			s.Mismatches = append(s.Mismatches, Mismatch{Cell: id, Gold: want, Got: c.Value, Raw: c.Raw, Kind: "wrong"})
		}
	}
	extra := make([]string, 0)
	for id := range rep.Cells {
		if _, ok := g.Cells[id]; !ok {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	for _, id := range extra {
		c := rep.Cells[id]
		s.Cells++
		s.Mismatches = append(s.Mismatches, Mismatch{Cell: id, Got: c.Value, Raw: c.Raw, Kind: "extra"})
	}
	return s
}
