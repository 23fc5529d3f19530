package ocr

import (
	"context"
	"errors"
	"image"
	"image/color"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

const tsvHeader = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"

func TestParseTSV(t *testing.T) {
	tsv := tsvHeader +
		"5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t96.5\t信息\n" +
		"5\t1\t1\t1\t1\t2\t0\t0\t9\t9\t91\t内容\n" +
		"5\t1\t1\t1\t2\t1\t0\t0\t9\t9\t88\t数量\n" +
		"5\t3\t1\t1\t1\t1\t0\t0\t9\t9\t42\t4\n" +
		"5\t3\t1\t1\t2\t1\t0\t0\t9\t9\t77\t3\n" +
		"5\t9\t1\t1\t1\t1\t0\t0\t9\t9\t99\tx\n" // no such image
	out := make([]Result, 3)
	parseTSV([]byte(tsv), out, Text)
	if out[0].Text != "信息内容\n数量" || out[0].Confidence != 0.88 {
		t.Errorf("image 1 = %+v", out[0])
	}
	if out[1] != (Result{}) {
		t.Errorf("image 2 read nothing, got %+v", out[1])
	}
	digits := make([]Result, 3)
	parseTSV([]byte(tsv), digits, Digits)
	if digits[2].Text != "43" || digits[2].Confidence != 0.42 {
		t.Errorf("digits of a wrapped cell = %+v, want 43 at the least sure word's 0.42", digits[2])
	}
}

func FuzzParseTSV(f *testing.F) {
	f.Add([]byte(tsvHeader+"5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t96.5\t信息\n"), 2)
	f.Add([]byte("5\t0\t\t\t\t\t\t\t\t\t-1\t\xff\n5\t2\t1\t1\t1\t1\t0\t0\t9\t9\tNaN\t1\n"), 1)
	f.Fuzz(func(t *testing.T, data []byte, n int) {
		n = n%8 + 1
		if n < 1 {
			n = 1
		}
		out := make([]Result, n)
		parseTSV(data, out, Mode(n%2))
		for _, r := range out {
			if !utf8.ValidString(r.Text) {
				t.Fatalf("invalid UTF-8 %q", r.Text)
			}
			if !(r.Confidence >= 0 && r.Confidence <= 1) {
				t.Fatalf("confidence %v outside 0–1", r.Confidence)
			}
		}
	})
}

// TestNotInstalled: without tesseract on the PATH, Find says what to
// install, in one line.
func TestNotInstalled(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Find("tesseract")
	if !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("err = %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "apt-get install tesseract-ocr tesseract-ocr-chi-sim") || strings.Contains(msg, "\n") {
		t.Errorf("message %q", msg)
	}
}

// requireTesseract skips without tesseract, except in CI (which installs
// it): there a missing engine fails.
func requireTesseract(t *testing.T) *Tesseract {
	t.Helper()
	eng, err := Find("tesseract")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI installs tesseract: %v", err)
		}
		t.Skip(err)
	}
	return eng
}

// TestRecognize reads rendered digits and Chinese in both modes, in one
// batch, and an empty image as nothing.
func TestRecognize(t *testing.T) {
	eng := requireTesseract(t)
	blank := image.NewGray(image.Rect(0, 0, 60, 40))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	seven := image.NewGray(image.Rect(0, 0, 60, 80))
	for i := range seven.Pix {
		seven.Pix[i] = 255
	}
	// a 7 drawn as strokes: the top bar and the diagonal
	for x := 15; x < 45; x++ {
		for y := 15; y < 20; y++ {
			seven.SetGray(x, y, color.Gray{})
		}
	}
	for y := 20; y < 65; y++ {
		x := 44 - (y-20)*18/45
		for dx := 0; dx < 5; dx++ {
			seven.SetGray(x-dx, y, color.Gray{})
		}
	}
	res, err := eng.Recognize(context.Background(), []image.Image{blank, seven}, Digits)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Text != "" || res[0].Confidence != 0 {
		t.Errorf("blank read as %+v", res[0])
	}
	if res[1].Text != "7" {
		t.Errorf("7 read as %+v", res[1])
	}
}

// TestCrashingImage: tesseract 5.3 dies of SIGFPE on some images (a crop
// of specks as one line); the batch is read again in halves and only that
// image reads as nothing. A fake tesseract crashes on any big image.
func TestCrashingImage(t *testing.T) {
	dir := t.TempDir()
	script := `#!/bin/sh
n=0
while read f; do
	n=$((n+1))
	if [ "$(wc -c < "$f")" -gt 2000 ]; then kill -FPE $$; fi
done < "$1"
printf 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n'
i=1
while [ $i -le $n ]; do printf '5\t%d\t1\t1\t1\t1\t0\t0\t9\t9\t95\t7\n' $i; i=$((i+1)); done
`
	bin := dir + "/tesseract"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	small := image.NewGray(image.Rect(0, 0, 20, 20))
	noise := image.NewGray(image.Rect(0, 0, 200, 200))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(i * 7919 % 251)
	}
	eng := &Tesseract{Path: bin, Version: "fake"}
	res, err := eng.Recognize(context.Background(), []image.Image{small, small, noise, small, small}, Digits)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		want := "7"
		if i == 2 {
			want = ""
		}
		if r.Text != want {
			t.Errorf("image %d read %q, want %q", i, r.Text, want)
		}
	}
}
