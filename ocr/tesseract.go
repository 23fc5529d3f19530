package ocr

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Tesseract runs the tesseract command: one process per call, every image
// of the call listed in one file (process start and model loading cost
// ≈0.4 s; a page's 200 cells in one call cost about as much as ten alone).
type Tesseract struct {
	Path    string        // the tesseract binary
	Version string        // as `tesseract --version` prints it
	Timeout time.Duration // per call; default one minute plus 0.5 s per image
}

var (
	findOnce sync.Once
	found    *Tesseract
	findErr  error
)

// Default finds Tesseract on the PATH with its Chinese and English models,
// once; ErrNotInstalled (with what to install) when either is missing.
func Default() (*Tesseract, error) {
	findOnce.Do(func() { found, findErr = Find("tesseract") })
	return found, findErr
}

// Find checks the tesseract binary at path (or on the PATH) and its
// languages.
func Find(path string) (*Tesseract, error) {
	bin, err := exec.LookPath(path)
	if err != nil {
		return nil, ErrNotInstalled
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "--list-langs").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%w (%s --list-langs: %v)", ErrNotInstalled, bin, err)
	}
	langs := map[string]bool{}
	for _, l := range strings.Fields(string(out)) {
		langs[l] = true
	}
	for _, need := range []string{"chi_sim", "eng"} {
		if !langs[need] {
			return nil, fmt.Errorf("%w (tesseract has no %s model)", ErrNotInstalled, need)
		}
	}
	v, _ := exec.CommandContext(ctx, bin, "--version").CombinedOutput()
	first, _, _ := strings.Cut(string(v), "\n")
	return &Tesseract{Path: bin, Version: strings.TrimSpace(first)}, nil
}

// Name is "tesseract X.Y.Z".
func (t *Tesseract) Name() string { return t.Version }

// Recognize writes the images as PNG files into a temporary folder and
// reads them in one tesseract run (page segmentation 6: one block of
// text), its TSV giving each word's text and confidence.
//
// Tesseract itself crashes on some images (a crop of scattered specks
// read as one line: SIGFPE in 5.3): a batch that crashes is read again in
// halves, and an image that crashes alone reads as nothing, so one image
// never costs the others.
func (t *Tesseract) Recognize(ctx context.Context, images []image.Image, mode Mode) ([]Result, error) {
	out, err := t.batch(ctx, images, mode)
	var crash *crashError
	if !errors.As(err, &crash) {
		return out, err
	}
	if len(images) == 1 {
		return []Result{{}}, nil
	}
	half := len(images) / 2
	a, err := t.Recognize(ctx, images[:half], mode)
	if err != nil {
		return nil, err
	}
	b, err := t.Recognize(ctx, images[half:], mode)
	if err != nil {
		return nil, err
	}
	return append(a, b...), nil
}

// crashError is tesseract killed by a signal of its own (not a timeout).
type crashError struct{ err error }

func (e *crashError) Error() string { return e.err.Error() }

// batch reads the images in one tesseract run.
func (t *Tesseract) batch(ctx context.Context, images []image.Image, mode Mode) ([]Result, error) {
	out := make([]Result, len(images))
	if len(images) == 0 {
		return out, nil
	}
	dir, err := os.MkdirTemp("", "nianbao-ocr-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var list strings.Builder
	for i, img := range images {
		name := filepath.Join(dir, fmt.Sprintf("%05d.png", i))
		var b bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img); err != nil {
			return nil, err
		}
		if err := os.WriteFile(name, b.Bytes(), 0o600); err != nil {
			return nil, err
		}
		list.WriteString(name + "\n")
	}
	listFile := filepath.Join(dir, "list.txt")
	if err := os.WriteFile(listFile, []byte(list.String()), 0o600); err != nil {
		return nil, err
	}
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = time.Minute + time.Duration(len(images))*500*time.Millisecond
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var args []string
	switch mode {
	case Digits:
		args = []string{"--psm", "6", "-l", "eng", "-c", "tessedit_char_whitelist=0123456789-+."}
	case Line:
		args = []string{"--psm", "7", "-l", "chi_sim"}
	default:
		args = []string{"--psm", "6", "-l", "chi_sim", "-c", "preserve_interword_spaces=1"}
	}
	args = append([]string{listFile, "stdout"}, args...)
	args = append(args, "tsv")
	cmd := exec.CommandContext(ctx, t.Path, args...)
	// one thread: the pages of a document are read in parallel instead,
	// and tesseract's own threads only add overhead on small images
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("tesseract: %d images not read in %s", len(images), timeout)
		}
		var exit *exec.ExitError
		crashed := errors.As(err, &exit) && exit.ProcessState != nil && !exit.ProcessState.Exited()
		err = fmt.Errorf("tesseract: %v: %s", err, firstLine(stderr.String()))
		if crashed {
			return nil, &crashError{err} // killed by a signal: its own crash
		}
		return nil, err
	}
	parseTSV(stdout.Bytes(), out, mode)
	return out, nil
}

// parseTSV fills results from tesseract's TSV: level 5 rows are words,
// page_num is the 1-based index of the image. Words of a line are joined
// without spaces for Chinese (tesseract spaces Han characters apart) and
// lines with none for digits (a narrow cell wraps 43 as 4 / 3).
func parseTSV(data []byte, out []Result, mode Mode) {
	type acc struct {
		b       strings.Builder
		line    string
		minConf float64
		words   int
	}
	accs := make([]acc, len(out))
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		page, err := strconv.Atoi(f[1])
		if err != nil || page < 1 || page > len(out) {
			continue
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		if err != nil || !(conf >= 0) {
			conf = 0 // -1 (no word), NaN, garbage
		}
		conf = min(conf, 100)
		text := strings.TrimSpace(strings.ToValidUTF8(f[11], "\uFFFD"))
		if text == "" {
			continue
		}
		a := &accs[page-1]
		line := f[2] + "." + f[3] + "." + f[4]
		if a.words > 0 && line != a.line && mode == Text {
			a.b.WriteString("\n")
		}
		a.line = line
		a.b.WriteString(text)
		if a.words == 0 || conf < a.minConf {
			a.minConf = conf
		}
		a.words++
	}
	for i := range accs {
		if accs[i].words > 0 {
			out[i] = Result{Text: accs[i].b.String(), Confidence: max(accs[i].minConf, 0) / 100}
		}
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
