// Command nianbao turns published 政府信息公开工作年度报告 into checked,
// canonical cells. Run `nianbao help` for the commands.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/nianbao/nianbao/internal/buildinfo"
)

const usage = `nianbao — government open-information annual reports as data

Usage:
  nianbao demo                              crawl fake portals on loopback, ingest, export CSV, show a summary
  nianbao extract [--pretty] FILE...        print each file's tables as JSON Lines
  nianbao eval --gold DIR [--json] [-v] FILE|DIR...  per-cell accuracy against gold files
  nianbao blocks FILE...                    show the paragraphs and tables a reader found
  nianbao ingest [--db FILE] PATH...        store files or folders in the SQLite dataset
  nianbao export [--table T] [--out FILE]   CSV/XLSX from the dataset (report_summary by default)
  nianbao discover URL... [--out FILE]      find a portal's 年报 columns (its departments' and towns' too) as a crawl sources file
  nianbao crawl --sources FILE [--full]     fetch new reports from portals and ingest them
  nianbao status [--year Y] [--check]       sources' state, agencies without a report after the deadline; --check for monitoring
  nianbao sources prune                     remove sources the last crawl's sources file no longer lists
  nianbao sample [--reports N] [--seed S]   a database of generated reports to try queries at scale
  nianbao coverage --region R [--year Y]    a region's agencies expected vs reports found, by year
  nianbao summary [--year Y] [--region R]   the comparison table (--format table|csv|json)
  nianbao serve [--db FILE] [--addr A]      local web pages: overview, compare, agency, where a number was printed
  nianbao reextract [--all | --class C]     extract stored documents again with this version
  nianbao verify [--db FILE]                check every stored document's bytes against its sha256
  nianbao show REPORT CELL                  where a stored cell was printed: the row, page and box
  nianbao review [--region R] [--year Y]    cells a person should check: OCR unsure, failed identities, not extracted
  nianbao correct REPORT CELL VALUE --why T record a correction (--accept: the value is right); survives reextract
  nianbao corrections export|import FILE    share corrections between databases (JSON Lines)
  nianbao --version                         the version every stored report records

Run 'nianbao COMMAND -h' for a command's flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	os.Exit(run(os.Args[1], os.Args[2:]))
}

// Exit statuses, for cron and systemd alerts (README "Exit codes").
const (
	exitOK      = 0 // everything asked for was done
	exitPartial = 1 // some input or source failed; the rest was done
	exitUsage   = 2 // the command line was wrong; nothing was done
	// exitInterrupted: stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)
	exitInterrupted = 130
)

// exitError ends a command with a particular status.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

// run runs one command and returns its exit status.
func run(cmd string, args []string) int {
	var err error
	switch cmd {
	case "extract":
		err = runExtract(args, os.Stdout, os.Stderr)
	case "eval":
		err = runEval(args, os.Stdout, os.Stderr)
	case "demo":
		err = runDemo(args, os.Stdout, os.Stderr)
	case "discover":
		err = runDiscover(args, os.Stdout, os.Stderr)
	case "crawl":
		err = runCrawl(args, os.Stdout, os.Stderr)
	case "status":
		err = runStatus(args, os.Stdout, os.Stderr)
	case "ingest":
		err = runIngest(args, os.Stdout, os.Stderr)
	case "export":
		err = runExport(args, os.Stdout, os.Stderr)
	case "blocks":
		err = runBlocks(args, os.Stdout, os.Stderr)
	case "serve":
		err = runServe(args, os.Stdout, os.Stderr)
	case "summary":
		err = runSummary(args, os.Stdout, os.Stderr)
	case "show":
		err = runShow(args, os.Stdout, os.Stderr)
	case "review":
		err = runReview(args, os.Stdout, os.Stderr)
	case "correct":
		err = runCorrect(args, os.Stdout, os.Stderr)
	case "corrections":
		err = runCorrections(args, os.Stdout, os.Stderr)
	case "reextract":
		err = runReextract(args, os.Stdout, os.Stderr)
	case "verify":
		err = runVerify(args, os.Stdout, os.Stderr)
	case "sources":
		err = runSources(args, os.Stdout, os.Stderr)
	case "sample":
		err = runSample(args, os.Stdout, os.Stderr)
	case "coverage":
		err = runCoverage(args, os.Stdout, os.Stderr)
	case "version", "--version", "-version":
		fmt.Println("nianbao", buildinfo.Version)
		return exitOK
	case "help", "-h", "--help":
		if len(args) > 0 && args[0] != "help" && !strings.HasPrefix(args[0], "-") {
			return run(args[0], []string{"-h"}) // nianbao help CMD = nianbao CMD --help
		}
		fmt.Print(usage)
		return exitOK
	default:
		fmt.Fprintf(os.Stderr, "nianbao: unknown command %q\n\n%s", cmd, usage)
		return exitUsage
	}
	var ue *usageError
	var ee *exitError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ee):
		fmt.Fprintln(os.Stderr, "nianbao:", quoteErr(ee.err))
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(os.Stderr, "nianbao %s: %s (see 'nianbao %s -h')\n", cmd, quoteErr(ue.err), cmd)
		return exitUsage
	case err != errSilent && err != errPartial:
		fmt.Fprintln(os.Stderr, "nianbao:", quoteErr(err))
	}
	return exitPartial
}

// errPartial makes a command exit 1 after it has reported what failed.
var errPartial = errors.New("some inputs failed")

// usageError is a command line that cannot be run: exit status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }

func usageErr(msg string) error { return &usageError{errors.New(msg)} }

// parseFlags parses a command's flags. -h/--help prints the usage to
// stdout (exit 0); a bad flag is a usageError naming it, in one line.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return flag.ErrHelp
		}
	}
	out := fs.Output()
	fs.SetOutput(io.Discard) // the error is printed once, by run
	defer fs.SetOutput(out)
	// Flags may come after arguments (ingest FILE --db x.db): parse, keep
	// the arguments up to the next flag, parse again; "--" ends the flags.
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return &usageError{err}
		}
		rest := fs.Args()
		i := 0
		for i < len(rest) && (rest[i] == "-" || !strings.HasPrefix(rest[i], "-")) {
			i++
		}
		pos = append(pos, rest[:i]...)
		if i == len(rest) {
			break
		}
		if rest[i] == "--" {
			pos = append(pos, rest[i+1:]...)
			break
		}
		args = rest[i:]
	}
	return fs.Parse(append([]string{"--"}, pos...)) // fs.Args() are the arguments, wherever they stood
}
