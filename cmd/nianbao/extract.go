package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/internal/ordered"
	"github.com/nianbao/nianbao/pipeline"
)

// errSilent makes the command exit non-zero after it has already reported.
var errSilent = errors.New("failed")

func runExtract(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pretty := fs.Bool("pretty", false, "indent the JSON objects")
	jobs := fs.Int("jobs", runtime.NumCPU(), "files read at once (output keeps the files' order)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao extract [--pretty] FILE|DIR...")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageErr("no files given")
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if *pretty {
		enc.SetIndent("", "  ")
	}
	files := expandArgs(fs.Args())
	failed := 0
	var werr error
	ordered.Map(context.Background(), len(files), *jobs, func(i int) pipeline.Result { return processFile(files[i]) },
		func(_ int, res pipeline.Result) {
			if res.Error != nil {
				failed++
			}
			if err := enc.Encode(res); err != nil && werr == nil {
				werr = err
			}
		})
	if werr != nil {
		return werr
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "nianbao: %d of %d files could not be read\n", failed, len(files))
		return errSilent
	}
	return nil
}

// expandArgs walks the folders among args; anything else (even a path that
// does not exist) stays, so that it gets its own error object.
func expandArgs(args []string) []string {
	var out []string
	for _, a := range args {
		if st, err := os.Stat(a); err == nil && st.IsDir() {
			if found, err := ingest.Files([]string{a}); err == nil {
				out = append(out, found...)
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

// processFile reads and extracts one file; a read error becomes the result's
// error like any other.
func processFile(path string) pipeline.Result {
	data, err := extract.ReadFile(path)
	if err != nil { // nothing was read: no hash of empty input, no format
		return pipeline.Failed(path, err)
	}
	return pipeline.Process(path, data, extract.Options{Images: extract.FilesBeside(path)})
}
