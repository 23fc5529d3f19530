// Command nianbao turns published 政府信息公开工作年度报告 into checked,
// canonical cells. Run `nianbao help` for the commands.
package main

import (
	"fmt"
	"os"
)

const usage = `nianbao — government open-information annual reports as data

Usage:
  nianbao demo                              crawl fake portals on loopback, ingest, export CSV, show a summary
  nianbao extract [--pretty] FILE...        print each file's tables as JSON Lines
  nianbao eval --gold DIR [--json] [-v] FILE|DIR...  per-cell accuracy against gold files
  nianbao blocks FILE...                    show the paragraphs and tables a reader found
  nianbao ingest [--db FILE] PATH...        store files or folders in the SQLite dataset
  nianbao export [--table T] [--out FILE]   CSV/XLSX from the dataset (report_summary by default)
  nianbao crawl --sources FILE [--full]     fetch new reports from portals and ingest them
  nianbao status [--year Y]                 sources' state, agencies without a report after the deadline

Run 'nianbao COMMAND -h' for a command's flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "extract":
		err = runExtract(os.Args[2:], os.Stdout, os.Stderr)
	case "eval":
		err = runEval(os.Args[2:], os.Stdout, os.Stderr)
	case "demo":
		err = runDemo(os.Args[2:], os.Stdout, os.Stderr)
	case "crawl":
		err = runCrawl(os.Args[2:], os.Stdout, os.Stderr)
	case "status":
		err = runStatus(os.Args[2:], os.Stdout, os.Stderr)
	case "ingest":
		err = runIngest(os.Args[2:], os.Stdout, os.Stderr)
	case "export":
		err = runExport(os.Args[2:], os.Stdout, os.Stderr)
	case "blocks":
		err = runBlocks(os.Args[2:], os.Stdout, os.Stderr)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "nianbao: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		if err != errSilent {
			fmt.Fprintln(os.Stderr, "nianbao:", err)
		}
		os.Exit(1)
	}
}
