package export

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// WriteFile writes a file through write, atomically: into a temporary file
// beside path, renamed over path only when write and every flush succeed,
// so a failed or interrupted export leaves the earlier file whole and no
// temporary behind.
func WriteFile(path string, write func(w io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// ReplaceDir writes a folder through write, atomically: into a temporary
// folder beside dir, swapped in when write succeeds. It replaces only a
// folder that holds nothing but an earlier Parquet export (year=…
// folders of part-N.parquet files): anything else is not ours to delete.
func ReplaceDir(dir string, write func(tmp string) error) error {
	if err := replaceable(dir); err != nil {
		return err
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := write(tmp); err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.Rename(tmp, dir)
}

// replaceable refuses a dir that exists and holds anything but
// part-N.parquet files (in year=… folders).
func replaceable(dir string) error {
	st, err := os.Stat(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("--out %s is a file; --format parquet writes a folder (choose a new name)", dir)
	}
	return filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		name := d.Name()
		if d.IsDir() && strings.Contains(name, "=") || !d.IsDir() && strings.HasPrefix(name, "part-") && strings.HasSuffix(name, ".parquet") {
			return nil
		}
		return fmt.Errorf("--out %s holds %s, which is not part of a Parquet export: not replaced (choose an empty or new folder)", dir, p)
	})
}
