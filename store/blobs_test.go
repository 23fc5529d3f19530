package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/fixtures"
)

// TestBlobsCompressTextOnly stores an HTML report compressed and a PDF raw,
// reads both back byte for byte, and converts a raw text blob lazily.
func TestBlobsCompressTextOnly(t *testing.T) {
	b := Blobs{Dir: t.TempDir()}
	html, err := os.ReadFile(fixtures.Path("101-gbk-portal-2022.html"))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile(fixtures.Path("101-gbk-portal-2022-chrome.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		data     []byte
		zst      bool
		maxRatio float64
	}{{"html", html, true, 0.5}, {"pdf", pdf, false, 1}, {"short text", []byte("短文本"), false, 1}} {
		sum, err := b.Put(c.data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Put(c.data); err != nil { // again: a no-op
			t.Fatal(err)
		}
		st, errZ := os.Stat(b.Path(sum) + zstdExt)
		_, errRaw := os.Stat(b.Path(sum))
		if (errZ == nil) != c.zst || (errRaw == nil) == c.zst {
			t.Errorf("%s: compressed form present %v, raw present %v; want compressed %v", c.name, errZ == nil, errRaw == nil, c.zst)
		}
		if c.zst && float64(st.Size()) > c.maxRatio*float64(len(c.data)) {
			t.Errorf("%s: %d bytes stored for %d", c.name, st.Size(), len(c.data))
		}
		got, err := b.Get(sum)
		if err != nil || !bytes.Equal(got, c.data) {
			t.Errorf("%s: Get gave %d bytes (err %v), want the %d stored", c.name, len(got), err, len(c.data))
		}
	}

	// A blob written raw by an older version: read as is, then compacted.
	old := []byte(strings.Repeat("<tr><td>本年新收政府信息公开申请数量</td><td>12</td></tr>\n", 200))
	oldSum := sha(old)
	if err := writeAtomic(b.Path(oldSum), old); err != nil {
		t.Fatal(err)
	}
	if got, err := b.Get(oldSum); err != nil || !bytes.Equal(got, old) {
		t.Fatalf("raw blob: %v", err)
	}
	saved, err := b.Compact(oldSum, old)
	if err != nil || saved < int64(len(old))/2 {
		t.Errorf("Compact saved %d of %d bytes (err %v)", saved, len(old), err)
	}
	if _, err := os.Stat(b.Path(oldSum)); err == nil {
		t.Error("the raw form is still there after Compact")
	}
	if got, err := b.Get(oldSum); err != nil || !bytes.Equal(got, old) {
		t.Errorf("after Compact: %d bytes, %v", len(got), err)
	}
	if saved, err := b.Compact(oldSum, old); saved != 0 || err != nil {
		t.Errorf("Compact twice: %d, %v", saved, err)
	}
}

// TestBlobsBadCompressed checks that a damaged or oversized compressed blob
// is an error naming the file, not a panic or a 1 GB allocation.
func TestBlobsBadCompressed(t *testing.T) {
	b := Blobs{Dir: t.TempDir()}
	bomb := zenc.EncodeAll(make([]byte, MaxBlob+1<<20), nil)
	for name, z := range map[string][]byte{"damaged": []byte("\x28\xb5\x2f\xfdnot zstd at all"), "too large": bomb} {
		sum := sha([]byte(name))
		if err := writeAtomic(b.Path(sum)+zstdExt, z); err != nil {
			t.Fatal(err)
		}
		data, err := b.Get(sum)
		if err == nil || !strings.Contains(err.Error(), filepath.Base(b.Path(sum))) {
			t.Errorf("%s: %d bytes, error %v; want an error naming the blob", name, len(data), err)
		}
	}
}

func sha(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}
