#!/usr/bin/env bash
# scripts/scale.sh N: the researcher's query set on a generated database of
# N reports (default 100000), printed as a table. The reports are real
# extractions of the fixtures (text, HTML, Markdown, PDF, DOCX; both
# templates) saved under generated agencies: counties of 50 departments,
# seven years. Then the web pages' 95th percentile on a database of N.
# Figures and their history: docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "generating and querying $n reports (about $((n / 400 + 30)) s)..." >&2
NIANBAO_BENCH_REPORTS="$n" go test -run '^$' -bench '^BenchmarkQueries$' -benchtime 10x -timeout 0 ./store | tee "$out" >&2
NIANBAO_BENCH_REPORTS="$n" go test -run '^$' -bench '^BenchmarkPages$' -benchtime 20x -timeout 0 ./web | tee -a "$out" >&2
echo
printf '%-32s %12s %14s\n' "query ($n reports)" "p95 ms" "s per 1M rows"
awk '/^Benchmark(Queries|Pages)\// {
	name = $1; page = ($1 ~ /^BenchmarkPages/)
	sub(/^Benchmark[A-Za-z]+\//, "", name); sub(/-[0-9]+$/, "", name)
	if (page) name = "web page: " name
	p95 = ""; perm = ""; bytes = ""
	for (i = 2; i < NF; i++) {
		if ($(i+1) == "p95-ms") p95 = $i
		if ($(i+1) == "s/1M-rows") perm = $i
		if ($(i+1) == "B/report") bytes = $i
	}
	if (bytes != "") { printf "%-32s %12s %14s\n", "database bytes per report", bytes, ""; next }
	printf "%-32s %12s %14s\n", name, p95, perm
}' "$out"
