package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/klauspost/compress/zstd"
)

// Blobs keeps raw document bytes content-addressed under Dir, as
// Dir/ab/cd/<sha256>, so extraction can always be re-run on what was fetched.
// Text-like bytes (HTML, text, JSON; not PDF, Office or image files) are
// stored zstd-compressed as <sha256>.zst, still named by the raw bytes'
// sha256; Get always returns the raw bytes, from either form.
type Blobs struct {
	Dir string
}

// Path returns where the blob with the given hex sha256 lives.
func (b Blobs) Path(sum string) string {
	if len(sum) < 4 {
		return filepath.Join(b.Dir, sum)
	}
	return filepath.Join(b.Dir, sum[:2], sum[2:4], sum)
}

// Put stores data and returns its hex sha256. Writing is atomic (temporary
// file, then rename) and a blob already present, in either form, is not
// rewritten. There is no fsync per blob: it cut ingest from 330 to ~150
// documents/s here, and the database commit that follows is not fsynced
// either (WAL, synchronous NORMAL). A blob lost to a power cut is written
// again by the next ingest or crawl of the same bytes, since Put runs before
// the database is asked.
func (b Blobs) Put(data []byte) (string, error) {
	s := sha256.Sum256(data)
	sum := hex.EncodeToString(s[:])
	p := b.Path(sum)
	for _, q := range []string{p + zstdExt, p} {
		if _, err := os.Stat(q); err == nil {
			if _, err := b.Get(sum); err == nil {
				return sum, nil
			}
			// damaged or unreadable: written again from the true bytes below
			os.Remove(p)
			os.Remove(p + zstdExt)
			break
		}
	}
	if z, ok := compressed(data); ok {
		return sum, writeAtomic(p+zstdExt, z)
	}
	return sum, writeAtomic(p, data)
}

const zstdExt = ".zst"

// MaxBlob bounds what Get decompresses: no stored document is larger
// (extract.MaxSize and the crawler's body limit are 64 MiB).
const MaxBlob = 64 << 20

var (
	zenc, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	zdec, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(MaxBlob))
)

// compressed returns data zstd-compressed when it is text-like and
// compression saves at least a tenth.
func compressed(data []byte) ([]byte, bool) {
	if len(data) < 512 || !textLike(data) {
		return nil, false
	}
	z := zenc.EncodeAll(data, make([]byte, 0, len(data)/4))
	return z, len(z) <= len(data)*9/10
}

// textLike says whether data is not one of the already-compressed or binary
// containers reports come in (PDF, ZIP/DOCX, OLE/DOC, images).
func textLike(data []byte) bool {
	for _, magic := range [][]byte{[]byte("%PDF"), []byte("PK\x03\x04"), {0xD0, 0xCF, 0x11, 0xE0}, {0x89, 'P', 'N', 'G'}, {0xFF, 0xD8, 0xFF}, []byte("GIF8")} {
		if bytes.HasPrefix(data, magic) {
			return false
		}
	}
	return !bytes.Contains(data[:min(len(data), 8192)], []byte{0})
}

// writeAtomic writes data to p through a temporary file and a rename.
func writeAtomic(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("blobs: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return fmt.Errorf("blobs: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("blobs: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("blobs: %w", err)
	}
	if err := os.Rename(f.Name(), p); err != nil {
		return fmt.Errorf("blobs: %w", err)
	}
	return nil
}

// ErrCorruptBlob marks stored bytes that do not hash to their name (bit
// rot, a bad restore): they are never used as the document.
var ErrCorruptBlob = errors.New("stored bytes do not match their sha256")

// Get reads a blob back: its raw bytes, whichever form it is stored in,
// verified against their name (ErrCorruptBlob, naming the file, when they
// differ).
func (b Blobs) Get(sum string) ([]byte, error) {
	data, p, err := b.get(sum)
	if err != nil {
		return nil, err
	}
	if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
		return nil, fmt.Errorf("blobs: %s: %w (it hashes to %x)", p, ErrCorruptBlob, got[:8])
	}
	return data, nil
}

// get reads a blob's raw bytes and the file they came from.
func (b Blobs) get(sum string) ([]byte, string, error) {
	data, err := b.read(sum)
	p := b.Path(sum)
	if _, serr := os.Stat(p + zstdExt); serr == nil {
		p += zstdExt
	}
	return data, p, err
}

// read reads a blob's raw bytes, unverified.
func (b Blobs) read(sum string) ([]byte, error) {
	p := b.Path(sum)
	z, err := os.ReadFile(p + zstdExt)
	if errors.Is(err, fs.ErrNotExist) {
		data, rerr := os.ReadFile(p)
		if !errors.Is(rerr, fs.ErrNotExist) {
			return data, rerr
		}
		// Compacted by another process between the two reads?
		if z, err = os.ReadFile(p + zstdExt); err != nil {
			return nil, rerr
		}
	}
	if err != nil {
		return nil, fmt.Errorf("blobs: %w", err)
	}
	data, err := zdec.DecodeAll(z, nil)
	if err != nil {
		return nil, fmt.Errorf("blobs: %s%s: %w", p, zstdExt, err)
	}
	return data, nil
}

// Compact converts a blob stored raw (by a version before compression) to
// its compressed form when it is text-like, and returns the bytes saved;
// data are its raw bytes, just read with Get. Get reads either form, so
// stores convert lazily (nianbao reextract does).
func (b Blobs) Compact(sum string, data []byte) (int64, error) {
	p := b.Path(sum)
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		return 0, nil // absent or already compressed
	} else if err != nil {
		return 0, fmt.Errorf("blobs: %w", err)
	}
	z, ok := compressed(data)
	if !ok {
		return 0, nil
	}
	if err := writeAtomic(p+zstdExt, z); err != nil {
		return 0, err
	}
	if err := os.Remove(p); err != nil {
		return 0, fmt.Errorf("blobs: %w", err)
	}
	return int64(len(data) - len(z)), nil
}

// BlobProblem is a stored document whose bytes are missing or damaged.
type BlobProblem struct {
	SHA256, Path string // the document's hash and its path or URL
	Err          error  // ErrCorruptBlob, or why it could not be read
}

// VerifyBlobs reads every stored document's bytes back and checks them
// against their hash, in one pass; fn is told each problem. It returns the
// number of documents checked.
func (db *DB) VerifyBlobs(ctx context.Context, fn func(BlobProblem)) (int, error) {
	rows, err := db.sql.QueryContext(ctx, "SELECT sha256, IFNULL(path, '') FROM documents ORDER BY id")
	if err != nil {
		return 0, db.wrap(err)
	}
	type doc struct{ sha, path string }
	var docs []doc
	for rows.Next() {
		var d doc
		if err := rows.Scan(&d.sha, &d.path); err != nil {
			rows.Close()
			return 0, db.wrap(err)
		}
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, db.wrap(err)
	}
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if _, err := db.Blobs.Get(d.sha); err != nil {
			fn(BlobProblem{SHA256: d.sha, Path: d.path, Err: err})
		}
	}
	return len(docs), nil
}
