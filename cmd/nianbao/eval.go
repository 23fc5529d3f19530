package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/nianbao/nianbao/eval"
	"github.com/nianbao/nianbao/ingest"
)

func runEval(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	goldDir := fs.String("gold", "", "folder of gold JSON files (required)")
	asJSON := fs.Bool("json", false, "print scores as JSON instead of a table")
	verbose := fs.Bool("v", false, "list every mismatched cell")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao eval --gold DIR [--json] [-v] FILE|DIR...")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *goldDir == "" || fs.NArg() == 0 {
		fs.Usage()
		return usageErr("--gold and at least one file are required")
	}
	if st, err := os.Stat(*goldDir); err != nil || !st.IsDir() {
		return usageErr(fmt.Sprintf("--gold %s is not a folder of gold files", quoteName(*goldDir)))
	}
	files, err := ingest.Files(fs.Args())
	if err != nil {
		return err
	}
	type docScore struct {
		File     string     `json:"file"`
		Template string     `json:"template"`
		Producer string     `json:"producer"` // the rendering's suffix, or "original"
		Score    eval.Score `json:"score"`
		Accuracy float64    `json:"accuracy"`
		Error    string     `json:"error,omitempty"`
	}
	var scores []docScore
	total, right, tplOK, docs := 0, 0, 0, 0
	goldAbs, _ := filepath.Abs(*goldDir)
	for _, f := range files {
		if abs, _ := filepath.Abs(f); strings.HasPrefix(abs, goldAbs+string(filepath.Separator)) {
			continue // the gold files themselves, when the gold folder is inside a walked folder
		}
		g, _, err := eval.FindGold(*goldDir, f)
		if err != nil {
			fmt.Fprintf(stderr, "nianbao eval: %s (skipped)\n", quoteErr(err))
			continue
		}
		res := processFile(f)
		ds := docScore{File: f, Template: string(res.Template), Producer: eval.Producer(g, f)}
		if res.Error != nil {
			ds.Error = *res.Error
			ds.Score = eval.Score{Cells: len(g.Cells)}
		} else {
			ds.Score = eval.Compare(res.Report, g)
			for _, w := range res.Warnings {
				if strings.Contains(w, "character map sends CJK glyphs") {
					ds.Error = "the PDF's character map is damaged (see extract warnings)"
				}
			}
		}
		ds.Accuracy = ds.Score.Accuracy()
		scores = append(scores, ds)
		docs++
		total += ds.Score.Cells
		right += ds.Score.Right
		if ds.Score.TemplateOK {
			tplOK++
		}
	}
	type producerScore struct {
		Documents, Cells, Right int
		Accuracy                float64
	}
	byProducer := map[string]*producerScore{}
	var producers []string
	for _, s := range scores {
		p := byProducer[s.Producer]
		if p == nil {
			p = &producerScore{}
			byProducer[s.Producer] = p
			producers = append(producers, s.Producer)
		}
		p.Documents++
		p.Cells += s.Score.Cells
		p.Right += s.Score.Right
		p.Accuracy = ratio(p.Right, p.Cells)
	}
	sort.Strings(producers)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"documents": scores, "cells": total, "right": right, "accuracy": ratio(right, total), "template_right": tplOK, "producers": byProducer})
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "file\ttemplate\tcells\tright\taccuracy\tnote")
	for _, s := range scores {
		note := s.Error
		if note == "" && !s.Score.TemplateOK {
			note = "template wrong"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.2f%%\t%s\n", filepath.Base(s.File), s.Template, s.Score.Cells, s.Score.Right, 100*s.Accuracy, note)
	}
	if len(producers) > 1 {
		for _, name := range producers {
			p := byProducer[name]
			fmt.Fprintf(tw, "producer %s (%d documents)\t\t%d\t%d\t%.2f%%\t\n", name, p.Documents, p.Cells, p.Right, 100*p.Accuracy)
		}
	}
	fmt.Fprintf(tw, "ALL (%d documents)\t%d/%d\t%d\t%d\t%.2f%%\t\n", docs, tplOK, docs, total, right, 100*ratio(right, total))
	tw.Flush()
	if *verbose {
		for _, s := range scores {
			for _, m := range s.Score.Mismatches {
				fmt.Fprintf(stdout, "%s\t%s\t%s\tgold=%s\tgot=%s\traw=%q\n", filepath.Base(s.File), m.Kind, m.Cell, numPtr(m.Gold), numPtr(m.Got), m.Raw)
			}
		}
	}
	if docs == 0 { // nothing was measured: not a pass
		fmt.Fprintf(stderr, "nianbao eval: no file had a gold file in %s\n", quoteName(*goldDir))
		return errPartial
	}
	return nil
}

func numPtr(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
