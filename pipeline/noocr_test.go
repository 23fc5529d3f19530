package pipeline_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/pipeline"
)

// TestWithoutTesseract: on a machine without Tesseract an image-born
// report fails with one line naming the file and what to install. Run in
// a child process whose PATH has no tesseract (the engine is looked up
// once per process).
func TestWithoutTesseract(t *testing.T) {
	path := filepath.Join(fixtures.Path("scans"), "108-t19-blanks-2020-scan-page2.png")
	if os.Getenv("NIANBAO_TEST_NO_TESSERACT") != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		res := pipeline.Process(path, data, extract.Options{})
		if res.Error == nil {
			t.Fatal("read without an OCR engine")
		}
		os.Stdout.WriteString("ERROR: " + *res.Error + "\n")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestWithoutTesseract$", "-test.v")
	cmd.Env = append(os.Environ(), "NIANBAO_TEST_NO_TESSERACT=1", "PATH="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var msg string
	for _, l := range strings.Split(string(out), "\n") {
		if m, ok := strings.CutPrefix(l, "ERROR: "); ok {
			msg = m
		}
	}
	t.Log(msg)
	if !strings.Contains(msg, "108-t19-blanks-2020-scan-page2.png") || !strings.Contains(msg, "apt-get install tesseract-ocr tesseract-ocr-chi-sim") {
		t.Errorf("error %q: want the file and what to install", msg)
	}
}
