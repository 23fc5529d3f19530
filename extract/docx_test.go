package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/internal/testlimit"
)

func makeDOCX(t testing.TB, body string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>%s</w:body></w:document>`, body)
	c, _ := zw.Create("docProps/core.xml")
	fmt.Fprint(c, `<cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>某局2023年政府信息公开工作年度报告</dc:title></cp:coreProperties>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tc(text, props string) string {
	return `<w:tc><w:tcPr>` + props + `</w:tcPr><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:tc>`
}

func TestDOCXMergedCells(t *testing.T) {
	body := `<w:p><w:r><w:t>二、主动公开</w:t></w:r><w:r><w:tab/><w:t>情况</w:t></w:r></w:p><w:tbl>` +
		`<w:tr>` + tc("（三）不予公开", `<w:vMerge w:val="restart"/>`) + tc("1.属于国家秘密", "") + tc("0", "") + `</w:tr>` +
		`<w:tr>` + tc("", `<w:vMerge/>`) + tc("2.其他法律", "") + tc("3", "") + `</w:tr>` +
		`<w:tr>` + tc("总计", `<w:gridSpan w:val="2"/>`) + tc("3", "") + `</w:tr>` +
		`</w:tbl>`
	doc, err := Read("x.docx", makeDOCX(t, body), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "某局2023年政府信息公开工作年度报告" || doc.Blocks[0].Text != "二、主动公开 情况" {
		t.Errorf("title %q, first block %+v", doc.Title, doc.Blocks[0])
	}
	ts := tables(doc)
	if len(ts) != 1 {
		t.Fatalf("%d tables", len(ts))
	}
	r := ts[0].Rows
	if r[0][0].RowSpan != 2 || len(r[1]) != 2 || r[1][0].Text != "2.其他法律" || r[2][0].ColSpan != 2 {
		t.Errorf("rows = %+v", r)
	}
}

func TestDOCXErrors(t *testing.T) {
	// A document.xml of 65 MiB of spaces compresses to a few KB: refused.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte("<w:document><w:body>"))
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < 65; i++ {
		w.Write(chunk)
	}
	zw.Close()
	if _, err := Read("bomb.docx", buf.Bytes(), Options{}); !errors.Is(err, ErrZipBomb) {
		t.Errorf("zip bomb: %v", err)
	}
	if _, err := Read("t.docx", makeDOCX(t, "<w:p><w:r><w:t>unclosed")[:300], Options{}); err == nil {
		t.Error("truncated DOCX: no error")
	}
	bad := makeDOCX(t, "<w:p><w:r><w:t>x</w:t></w:p></w:body>")
	if _, err := Read("bad.docx", bad, Options{}); err == nil || !strings.Contains(err.Error(), "DOCX") {
		t.Errorf("malformed XML: %v", err)
	}
}

func FuzzReadDOCX(f *testing.F) {
	f.Add(makeDOCX(f, `<w:tbl><w:tr>`+tc("a", `<w:vMerge w:val="restart"/><w:gridSpan w:val="2"/>`)+`</w:tr><w:tr>`+tc("", `<w:vMerge/>`)+`</w:tr></w:tbl>`))
	if data, err := os.ReadFile(fixtures.Path("107-t19-blanks-2020.docx")); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		testlimit.Run(t, testlimit.PerInput, func() {
			if len(data) > 1<<16 {
				return
			}
			if doc, err := ReadDOCX(data); err == nil {
				checkDoc(t, doc)
			}
		})
	})
}
