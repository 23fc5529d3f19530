package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/provenance"
	"github.com/nianbao/nianbao/store"
)

// runCorrect records a person's correction (or acceptance) of one cell.
func runCorrect(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("correct", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	why := fs.String("why", "", "why: what you checked (required), e.g. \"page 3 of the scan reads 12\"")
	who := fs.String("who", "", "who corrects (default: $NIANBAO_USER, else the login name)")
	accept := fs.Bool("accept", false, "the extracted value is right: take it out of the review queue")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: nianbao correct [--db FILE] REPORT CELL VALUE --why TEXT
       nianbao correct [--db FILE] REPORT CELL --accept --why TEXT
VALUE is the cell as printed: a number, "" for blank, "-" or 无 for not applicable.`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	want := 3
	if *accept {
		want = 2
	}
	if fs.NArg() != want {
		if *accept {
			return usageErr("--accept takes a report id and a cell id")
		}
		return usageErr("a report id, a cell id and the value are required")
	}
	if strings.TrimSpace(*why) == "" {
		return usageErr("--why is required: say what you checked")
	}
	repID, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		return usageErr("report id must be a number, not " + strconv.Quote(fs.Arg(0)))
	}
	if *who == "" {
		*who = whoami()
	}
	db, err := openExisting(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	value := fs.Arg(2)
	c, err := db.Correct(context.Background(), repID, fs.Arg(1), value, *accept, *who, *why)
	if err != nil {
		return err
	}
	was := "not extracted"
	if c.Replaces != nil {
		was = strconv.Quote(*c.Replaces)
	}
	if *accept {
		fmt.Fprintf(stdout, "report %d, %s: %q accepted by %s (%s)\n", repID, c.Cell, c.Value, c.Who, c.State)
	} else {
		fmt.Fprintf(stdout, "report %d, %s: %q replaces %s, by %s (%s)\n", repID, c.Cell, c.Value, was, c.Who, c.State)
	}
	return nil
}

// whoami names the person correcting: $NIANBAO_USER, else the login.
func whoami() string {
	if s := os.Getenv("NIANBAO_USER"); s != "" {
		return s
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// runReview lists the cells that need a person.
func runReview(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("review", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	region := fs.String("region", "", "only agencies of this region code (prefix: 3301 is every part of 杭州市)")
	year := fs.Int("year", 0, "only reports on this year")
	reason := fs.String("reason", "", "only these reasons, comma-separated: "+strings.Join(reviewReasons, ", "))
	minConf := fs.Float64("min-confidence", 0.85, "OCR numbers read with less confidence are queued")
	limit := fs.Int("limit", 200, "at most this many cells")
	crops := fs.String("crops", "", "write an image crop of every OCR'd cell listed into this folder (needs poppler-utils for PDFs)")
	asJSON := fs.Bool("json", false, "JSON Lines, one cell each")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao review [--db FILE] [--region CODE] [--year Y] [--reason R,…] [--crops DIR] [--json]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("review takes no arguments, only flags")
	}
	if *minConf <= 0 || *minConf > 1 {
		return usageErr("--min-confidence must be in (0, 1]")
	}
	var reasons []string
	for _, r := range strings.Split(*reason, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		if !slices.Contains(reviewReasons, r) {
			return usageErr(fmt.Sprintf("--reason %q: one of %s", r, strings.Join(reviewReasons, ", ")))
		}
		reasons = append(reasons, r)
	}
	db, err := openRead(*dbPath, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	items, total, err := db.Review(context.Background(), store.ReviewFilter{Region: *region, Year: *year, MinConfidence: *minConf, Limit: *limit, Reasons: reasons})
	if err != nil {
		return err
	}
	failed := false
	cropOf := map[int]string{}
	if *crops != "" {
		for i, it := range items {
			if it.Source != "ocr" || it.Page == 0 || it.Box == "" {
				continue
			}
			path, err := writeCrop(db, it, *crops)
			if err != nil {
				fmt.Fprintf(stderr, "crop of report %d %s: %s\n", it.ReportID, it.Cell, quoteErr(err))
				failed = true
				continue
			}
			cropOf[i] = path
		}
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	if *asJSON {
		enc := json.NewEncoder(w)
		for i, it := range items {
			if err := enc.Encode(reviewJSON(it, cropOf[i])); err != nil {
				return err
			}
		}
	} else {
		fmt.Fprintln(w, "report\tagency\tyear\tcell\treason\tnow\tpage\tbox\tcrop\tdetail")
		for i, it := range items {
			now, page := "(none)", ""
			if it.Raw != nil {
				now = strconv.Quote(*it.Raw)
			}
			if it.Page > 0 {
				page = strconv.Itoa(it.Page)
			}
			fmt.Fprintf(w, "%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", it.ReportID, it.Agency, it.Year, it.Cell, it.Reason, now, page, it.Box, cropOf[i], it.Detail)
		}
	}
	fmt.Fprintf(stderr, "%d of %d cells to review (correct one: nianbao correct REPORT CELL VALUE --why TEXT; or --accept)\n", len(items), total)
	if failed {
		return errPartial
	}
	return nil
}

var reviewReasons = store.ReviewReasons

// reviewJSON is one line of `nianbao review --json`.
func reviewJSON(it store.ReviewItem, crop string) map[string]any {
	m := map[string]any{"report": it.ReportID, "agency": it.Agency, "year": it.Year, "cell": it.Cell, "reason": it.Reason,
		"value": it.Raw, "source": it.Source, "confidence": it.Confidence, "page": it.Page, "box": it.Box,
		"document": it.Path, "sha256": it.SHA256, "detail": it.Detail}
	if crop != "" {
		m["crop"] = crop
	}
	return m
}

// runCorrections exports or imports corrections as a file a team shares.
func runCorrections(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("corrections", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: nianbao corrections export [--db FILE] [OUT.jsonl]   every correction, JSON Lines (stdout without OUT)
       nianbao corrections import [--db FILE] FILE.jsonl     add them and apply them to the stored reports`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	switch {
	case fs.NArg() >= 1 && fs.Arg(0) == "export" && fs.NArg() <= 2:
		db, err := openRead(*dbPath, stderr)
		if err != nil {
			return err
		}
		defer db.Close()
		cs, err := db.Corrections(context.Background())
		if err != nil {
			return err
		}
		out := stdout
		if fs.NArg() == 2 && fs.Arg(1) != "-" {
			f, err := os.Create(fs.Arg(1))
			if err != nil {
				return err
			}
			defer f.Close()
			out = f
		}
		w := bufio.NewWriter(out)
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, c := range cs {
			if err := enc.Encode(c); err != nil {
				return err
			}
		}
		if err := w.Flush(); err != nil {
			return fmt.Errorf("%s: %w", fs.Arg(1), err)
		}
		fmt.Fprintf(stderr, "%d corrections exported\n", len(cs))
		return nil
	case fs.NArg() == 2 && fs.Arg(0) == "import":
		cs, err := readCorrections(fs.Arg(1))
		if err != nil {
			return err
		}
		db, err := openExisting(*dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		im, err := db.ImportCorrections(context.Background(), cs)
		if err != nil {
			return fmt.Errorf("%s: %w", fs.Arg(1), err)
		}
		fmt.Fprintf(stdout, "%d corrections added, %d already here; %d reports rewritten; %d for documents not stored yet (applied when they are)\n",
			im.Added, im.Known, im.Reports, im.Pending)
		return nil
	}
	return usageErr("corrections export [OUT] or corrections import FILE")
}

// readCorrections reads a corrections file (JSON Lines, as exported),
// bounded: a line is at most 1 MB.
func readCorrections(path string) ([]nianbao.Correction, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var out []nianbao.Correction
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var c nianbao.Correction
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w", path, errors.New("no corrections in the file"))
	}
	return out, nil
}

// writeCrop writes the image of the page area a review item's cell was
// read from into dir, named by report and cell.
func writeCrop(db *store.DB, it store.ReviewItem, dir string) (string, error) {
	img, err := provenance.Crop(context.Background(), db, it.ReportID, it.Cell)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("report%d-%s.png", it.ReportID, it.Cell))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return path, f.Close()
}
