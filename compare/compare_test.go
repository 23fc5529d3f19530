package compare

import (
	"bytes"
	"strings"
	"testing"
)

// TestWriteCSVGuardsFormulas: an agency name from a crawled title that a
// spreadsheet would run (=HYPERLINK(…), +, -, @) is written as text; the
// comparison CSV (the page's /compare.csv and summary --format csv) went
// around the export's guard before.
func TestWriteCSVGuardsFormulas(t *testing.T) {
	v, neg := 12.0, -3.0
	rows := []Row{
		{ReportID: 1, Agency: `=HYPERLINK("http://evil","点击")`, Region: "@SUM(A1)", Year: 2023, Received: &v},
		{ReportID: 2, Agency: "+cmd", Year: 2023, Received: &neg},
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "\uFEFFagency,region,year") {
		t.Errorf("no BOM and header: %q", out[:30])
	}
	for _, want := range []string{`"'=HYPERLINK(""http://evil"",""点击"")",'@SUM(A1),2023,12,`, "'+cmd,,2023,-3,"} {
		if !strings.Contains(out, want) {
			t.Errorf("CSV lacks %q:\n%s", want, out)
		}
	}
}
