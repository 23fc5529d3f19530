#!/usr/bin/env bash
# Prints report fixtures with several PDF producers and settings, once, for
# the producer matrix of the golden tests (issue 9). The PDFs are committed
# under fixtures/ beside the report they render (NNN-name-PRODUCER.pdf, so
# the report's gold serves them); CI never needs these tools.
#
#   bash scripts/mkproducers.sh            # installs the tools with apt-get
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! command -v gs >/dev/null || ! command -v pdftocairo >/dev/null ||
	! command -v wkhtmltopdf >/dev/null || ! command -v qpdf >/dev/null || ! command -v weasyprint >/dev/null; then
	apt-get update -qq
	apt-get install -y -qq chromium ghostscript poppler-utils wkhtmltopdf qpdf weasyprint fonts-noto-cjk libreoffice-writer-nogui
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chrome() { # chrome IN.html OUT.pdf [extra flags]
	local in=$1 out=$2
	shift 2
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$work/profile" "$@" \
		--print-to-pdf="$out" "file://$in" 2>/dev/null
}
style() { # style IN.html OUT.html CSS
	sed "s#</head>#<style>$3</style></head>#" "$1" >"$2"
}
for src in fixtures/104-t19-blanks-2020.html fixtures/106-tab-text-2021.txt fixtures/101-gbk-portal-2022.html; do
	name=$(basename "${src%.*}")
	html="$work/$name.html"
	go run ./scripts/fixture2html "$src" "$html" # UTF-8, one <head>: every producer reads it alike
	style "$html" "$work/margins.html" '@page { margin: 25mm 20mm }'
	style "$html" "$work/landscape.html" '@page { size: A4 landscape }'
	style "$html" "$work/scale.html" 'body { zoom: 0.7 }'
	style "$html" "$work/narrow.html" 'table { font-size: 9pt } @page { size: A5 }'
	style "$html" "$work/wide-margins.html" '@page { margin: 30mm 60mm }' # narrow tables: labels wrap in their cells
	sed 's/ border="1"//g' "$html" >"$work/plain.html"
	style "$work/plain.html" "$work/noborder.html" 'table, td, th { border: none }'
	style "$work/plain.html" "$work/hrules.html" 'table { border-collapse: collapse } td { border: none; border-bottom: 1px solid black }'
	chrome "$html" "fixtures/$name-chrome.pdf" --no-pdf-header-footer
	chrome "$html" "fixtures/$name-chrome-pagenumbers.pdf" # Chromium's own header and footer
	chrome "$work/margins.html" "fixtures/$name-chrome-margins.pdf" --no-pdf-header-footer
	chrome "$work/landscape.html" "fixtures/$name-chrome-landscape.pdf" --no-pdf-header-footer
	chrome "$work/scale.html" "fixtures/$name-chrome-scale.pdf" --no-pdf-header-footer
	chrome "$work/narrow.html" "fixtures/$name-chrome-a5.pdf" --no-pdf-header-footer
	chrome "$work/noborder.html" "fixtures/ruleless/$name-chrome-noborder.pdf" --no-pdf-header-footer
	chrome "$work/hrules.html" "fixtures/ruleless/$name-chrome-hrules.pdf" --no-pdf-header-footer
	gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -sOutputFile="fixtures/$name-gs.pdf" "fixtures/$name-chrome-margins.pdf"
	pdftocairo -pdf "fixtures/$name-chrome.pdf" "fixtures/$name-cairo.pdf"
	qpdf --object-streams=generate --linearize "fixtures/$name-chrome.pdf" "fixtures/$name-qpdf.pdf"
	wkhtmltopdf -q --encoding utf-8 "$html" "fixtures/$name-wkhtmltopdf.pdf" || true
	chrome "$work/wide-margins.html" "fixtures/$name-chrome-widemargins.pdf" --no-pdf-header-footer
	# WeasyPrint (-p: the HTML border attribute) draws each cell's border as a frame
	# (two rectangles filled even-odd) clipped to one side at a time.
	weasyprint -q -p "$html" "fixtures/$name-weasyprint.pdf"
	weasyprint -q -p -s <(echo '@page { size: A4; margin: 25mm 45mm }') "$html" "fixtures/$name-weasyprint-narrow.pdf"
done
# Word 97 binaries (.doc) and DOCX of the same reports, by LibreOffice.
if command -v soffice >/dev/null; then
	for src in fixtures/104-t19-blanks-2020.html fixtures/106-tab-text-2021.txt fixtures/101-gbk-portal-2022.html; do
		name=$(basename "${src%.*}")
		go run ./scripts/fixture2html "$src" "$work/$name-lo.html"
		(cd "$work" && soffice --headless --convert-to 'doc:MS Word 97' --infilter=HTML "$name-lo.html" >/dev/null &&
			soffice --headless --convert-to 'docx:MS Word 2007 XML' --infilter=HTML "$name-lo.html" >/dev/null)
		cp "$work/$name-lo.doc" "$work/$name-lo.docx" fixtures/
	done
	(cd "$work" && cp "$OLDPWD/fixtures/107-t19-blanks-2020.docx" 107-t19-blanks-2020-lo.docx &&
		soffice --headless --convert-to 'doc:MS Word 97' 107-t19-blanks-2020-lo.docx >/dev/null)
	cp "$work/107-t19-blanks-2020-lo.doc" fixtures/
fi
# LibreOffice's PDF of the DOCX fixture, re-distilled and re-written.
gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -sOutputFile=fixtures/108-t19-blanks-2020-gs.pdf fixtures/108-t19-blanks-2020.pdf
pdftocairo -pdf fixtures/108-t19-blanks-2020.pdf fixtures/108-t19-blanks-2020-cairo.pdf
ls -la fixtures/*.pdf
