package nianbao

import (
	"runtime/debug"
	"strings"
)

// ExtractorVersion names the build that extracts reports: the module
// version and, when built from a checkout, the VCS revision (with
// "+dirty" for uncommitted changes). Every stored report records it, so
// reports made by an older build can be found and re-extracted. A variable
// so tests can stand for another build.
var ExtractorVersion = buildVersion()

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
	if rev != "" && !strings.Contains(v, rev[:min(12, len(rev))]) {
		v += " " + rev[:min(12, len(rev))] + dirty
	}
	return v
}
