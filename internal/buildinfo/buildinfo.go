// Package buildinfo names the build: every stored report and document
// records it, so what an older build extracted can be found and read again.
package buildinfo

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// Version names the build that extracts reports: the module
// version and, when built from a checkout, the VCS revision (with
// "+dirty" for uncommitted changes), else a hash of the executable. Every
// stored report records it, so
// reports made by an older build can be found and re-extracted. A variable
// so tests can stand for another build.
var Version = buildVersion()

func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	switch {
	case rev != "" && !strings.Contains(v, rev[:min(12, len(rev))]):
		v += " " + rev[:min(12, len(rev))] + dirty
	case rev == "" && v == "(devel)":
		// Built without VCS stamping (-buildvcs=false): the executable's own
		// hash still tells two builds apart.
		if exe, err := os.Executable(); err == nil {
			if f, err := os.Open(exe); err == nil {
				h := sha256.New()
				io.Copy(h, f)
				f.Close()
				v += " exe-" + hex.EncodeToString(h.Sum(nil))[:12]
			}
		}
	}
	return v
}
