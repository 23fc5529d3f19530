package pipeline_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/extract/doc"
	"github.com/nianbao/nianbao/extract/pdf"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/pipeline"
)

// TestSentinelsThroughPipeline checks every exported sentinel end to end:
// the result's Err is the sentinel for errors.Is however it was wrapped,
// its class is the sentinel's, and its message names the file.
func TestSentinelsThroughPipeline(t *testing.T) {
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var zipBuf bytes.Buffer
	zw := zip.NewWriter(&zipBuf)
	w, _ := zw.Create("readme.txt")
	w.Write([]byte("not word"))
	zw.Close()
	var bomb bytes.Buffer
	bw := zip.NewWriter(&bomb)
	bw.Create("[Content_Types].xml")
	dw, _ := bw.Create("word/document.xml")
	dw.Write(bytes.Repeat([]byte(" "), 65<<20))
	bw.Close()
	for _, c := range []struct {
		name     string
		data     []byte
		sentinel error
		class    nianbao.ErrorClass
	}{
		{"empty.txt", nil, extract.ErrEmpty, nianbao.ClassEmpty},
		{"random.bin", pseudoRandom(4096), extract.ErrBinary, nianbao.ClassUnsupported},
		{"other.zip", zipBuf.Bytes(), extract.ErrZip, nianbao.ClassUnsupported},
		{"bomb.docx", bomb.Bytes(), extract.ErrZipBomb, nianbao.ClassTooLarge},
		{"big.txt", make([]byte, extract.MaxSize+1), extract.ErrTooLarge, nianbao.ClassTooLarge},
		{"scan.pdf", read(fixtures.Path("errors/scan.pdf")), pdf.ErrScanned, nianbao.ClassScanned},
		{"badpred.pdf", read(fixtures.Path("errors/badpred.pdf")), pdf.ErrDamaged, nianbao.ClassUnreadable}, // was "scanned PDF"
		{"encrypted.pdf", read(fixtures.Path("errors/encrypted.pdf")), pdf.ErrEncrypted, nianbao.ClassEncrypted},
		{"encrypted.doc", read(fixtures.Path("errors/encrypted.doc")), doc.ErrEncrypted, nianbao.ClassEncrypted},
		{"word6.doc", read(fixtures.Path("errors/word6.doc")), doc.ErrOldWord, nianbao.ClassUnsupported},
		{"notword.doc", read(fixtures.Path("errors/notword.doc")), doc.ErrNotWord, nianbao.ClassUnsupported},
		{"news.html", []byte("<html><body><h1>新闻</h1><p>今天天气很好。</p></body></html>"), nianbao.ErrNoReport, nianbao.ClassNotReport},
		{"tuijie.html", []byte("<html><head><title>图解：2023年政府信息公开工作年度报告</title></head><body><img src=a.png></body></html>"), nianbao.ErrNoReport, nianbao.ClassNotReport},
		{"images.html", []byte("<html><head><title>某镇2023年政府信息公开工作年度报告</title></head><body><img src=p1.jpg><img src=p2.jpg></body></html>"), nianbao.ErrNoTables, nianbao.ClassNoTables},
	} {
		res := pipeline.Process(c.name, c.data, extract.Options{})
		switch {
		case !errors.Is(res.Err, c.sentinel):
			t.Errorf("%s: error %v, want %v", c.name, res.Err, c.sentinel)
		case nianbao.ClassOf(res.Err) != c.class || res.ErrorClass != c.class:
			t.Errorf("%s: class %q (result %q), want %q", c.name, nianbao.ClassOf(res.Err), res.ErrorClass, c.class)
		case res.Error == nil || !strings.HasPrefix(*res.Error, c.name+": "):
			t.Errorf("%s: message %v does not name the file", c.name, res.Error)
		}
	}
	// A /Length pointing at no object was read as an empty stream, so the
	// PDF passed for a scan; the stream now ends at its endstream.
	if d, err := pdf.Read(read(fixtures.Path("errors/reflen.pdf"))); err != nil || len(d.Blocks) == 0 || !strings.Contains(d.Blocks[0].Text, "Report") {
		t.Errorf("reflen.pdf: %v, want its text read", err)
	}
	if nianbao.ClassOf(errors.New("something else")) != nianbao.ClassUnreadable || nianbao.ClassOf(nil) != "" {
		t.Error("ClassOf: an unclassed reader error is unreadable, nil has no class")
	}
}

// TestReadFileRefusesFIFO gives a FIFO with no writer as a file: before
// the fix ReadFile opened it first and blocked forever.
func TestReadFileRefusesFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "report.txt")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan error, 1)
	go func() { _, err := extract.ReadFile(p); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, extract.ErrNotFile) || !strings.Contains(err.Error(), p) {
			t.Errorf("error %v, want ErrNotFile naming the path", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ReadFile blocked on a FIFO")
	}
	if _, err := extract.ReadFile(t.TempDir()); !errors.Is(err, extract.ErrNotFile) {
		t.Errorf("a folder: %v, want ErrNotFile", err)
	}
}

// TestCreditCodeFromIndexNumber: the 索引号 a page prints begins with the
// agency's credit code; it is kept when its check character is right.
func TestCreditCodeFromIndexNumber(t *testing.T) {
	for page, want := range map[string]string{
		"<p>索引号：11330226MB12345679/2023-00012</p>":                                    "11330226MB12345679",
		"<table><tr><td>索引号：</td><td>11330226MB1234567X/2023-00012</td></tr></table>": "",
	} {
		res := pipeline.Process("p.html", []byte("<html><head><title>宁海县市场监督管理局2022年政府信息公开工作年度报告</title></head><body>"+page+"</body></html>"), extract.Options{})
		if res.Report == nil || res.Report.CreditCode != want {
			t.Errorf("%s: credit code %+v, want %q", page, res.Report, want)
		}
	}
}

// TestImagePageSaysImages: a report page whose body is page images fails
// as no_tables and says how many images it shows (the page of images used
// to pass with 0 cells); a page without images says nothing of images.
func TestImagePageSaysImages(t *testing.T) {
	long := "data:image/png;base64," + strings.Repeat("A", 5000)
	page := "<html><head><title>某镇2023年政府信息公开工作年度报告</title></head><body><p>某镇2023年政府信息公开工作年度报告</p>" +
		"<img src=\"" + long + "\"><img src=p2.jpg><img src=p3.jpg></body></html>"
	res := pipeline.Process("scan.html", []byte(page), extract.Options{})
	if !errors.Is(res.Err, nianbao.ErrNoTables) || res.Error == nil {
		t.Fatalf("error %v, want no_tables", res.Err)
	}
	msg := *res.Error
	if !strings.Contains(msg, "shows 3 images") || len(msg) > 400 {
		t.Errorf("message %q: want the image count, the first source clipped", msg)
	}
	res = pipeline.Process("bare.html", []byte("<html><head><title>某镇2023年政府信息公开工作年度报告</title></head><body><p>无</p></body></html>"), extract.Options{})
	if res.Error == nil || strings.Contains(*res.Error, "image") {
		t.Errorf("no images: message %v", res.Error)
	}
}
