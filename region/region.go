// Package region resolves Chinese government agency names to their
// administrative division and organ, so one agency keeps one identity
// across spellings: 淮安市洪泽区人民政府 and 洪泽区人民政府 are the same
// government, 上海市科委 and 上海市科学技术委员会 the same department.
//
// The division list (GB/T 2260 codes to county level, and the statistical
// codes of towns and streets) is embedded from divisions.tsv.gz, made by
// scripts/refresh-regions.sh from a pinned data package; VERSION says which.
// Nothing is merged on a guess: a name whose region cannot be told, or
// could be several, stays unresolved and says why.
package region

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"sort"
	"strings"
	"sync"
)

//go:embed divisions.tsv.gz
var divisionsGz []byte

//go:embed VERSION
var dataVersion string

// DataVersion names the division data embedded in this build.
func DataVersion() string { return strings.TrimSpace(dataVersion) }

// Level of a division.
type Level string

// Levels of the division hierarchy.
const (
	Province Level = "province"
	City     Level = "city"
	County   Level = "county"
	Township Level = "township"
)

// Division is one administrative division.
type Division struct {
	Code   string // 6 digits (province, city, county) or 9 (township)
	Name   string
	Parent string // parent's code, "" for a province
	Level  Level
}

var (
	once   sync.Once
	byCode map[string]*Division
	byName map[string][]*Division // full names and short forms
)

func load() {
	byCode = map[string]*Division{}
	byName = map[string][]*Division{}
	zr, err := gzip.NewReader(bytes.NewReader(divisionsGz))
	if err != nil {
		return
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 3 {
			continue
		}
		d := &Division{Code: f[0], Name: f[1], Parent: f[2]}
		switch {
		case len(d.Code) == 9:
			d.Level = Township
		case strings.HasSuffix(d.Code, "0000"):
			d.Level = Province
		case strings.HasSuffix(d.Code, "00"):
			d.Level = City
		default:
			d.Level = County
		}
		byCode[d.Code] = d
		if d.Name == "市辖区" || d.Name == "县" || d.Name == "省直辖县级行政区划" || d.Name == "自治区直辖县级行政区划" {
			continue // placeholders of municipalities, not places
		}
		for _, n := range names(d) {
			byName[n] = append(byName[n], d)
		}
	}
	// Former names of divisions merged into or renamed as another: the
	// printed old name resolves to its successor, so a series stays one.
	for _, r := range Renames {
		if d, ok := byCode[r.To]; ok {
			byName[r.Old] = append(byName[r.Old], d)
		}
	}
}

// Rename is a division that was merged into another or renamed: reports
// printing its old name belong to the successor's agencies.
type Rename struct {
	Old     string // the former name, as printed (宣武区)
	OldCode string // its former code
	To      string // the successor's code
	Year    int    // the year the change took effect: the old name is valid until then
}

// Renames are the changes of county-level divisions since the reports
// began (2008) whose old names no longer exist in the division list.
var Renames = []Rename{
	{"宣武区", "110104", "110102", 2010}, {"崇文区", "110103", "110101", 2010}, // Beijing: into 西城区, 东城区
	{"南汇区", "310119", "310115", 2009}, {"卢湾区", "310103", "310101", 2011}, {"闸北区", "310108", "310106", 2015}, // Shanghai
	{"塘沽区", "120107", "120116", 2009}, {"汉沽区", "120108", "120116", 2009}, {"大港区", "120109", "120116", 2009}, // Tianjin: 滨海新区
	{"萝岗区", "440116", "440112", 2014}, // Guangzhou: into 黄埔区
}

// renamed returns the change an old name stands for, if it is one.
func renamed(name string) (Rename, bool) {
	for _, r := range Renames {
		if r.Old == name {
			return r, true
		}
	}
	return Rename{}, false
}

// names are the spellings a division goes by in agency names: its full
// name, and for provinces and cities the name without 省/市/自治区.
func names(d *Division) []string {
	out := []string{d.Name}
	if d.Level == Province || d.Level == City {
		for _, suf := range []string{"壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"} {
			if s := strings.TrimSuffix(d.Name, suf); s != d.Name && len([]rune(s)) >= 2 {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// ByCode returns the division with a code (6 or 9 digits; a 2- or 4-digit
// prefix is padded).
func ByCode(code string) (*Division, bool) {
	once.Do(load)
	if len(code) < 6 {
		code += strings.Repeat("0", 6-len(code))
	}
	d, ok := byCode[code]
	return d, ok
}

// Path returns d and its ancestors, province first.
func Path(d *Division) []*Division {
	once.Do(load)
	var out []*Division
	for depth := 0; d != nil && depth < maxDepth; d, depth = byCode[d.Parent], depth+1 {
		out = append([]*Division{d}, out...)
		if d.Parent == "" || d.Parent == d.Code {
			break
		}
	}
	return out
}

// under reports whether d is, or lies within, the division with code.
func under(d *Division, code string) bool {
	// At most five levels; the bound also ends a parent chain that loops
	// back on itself in the data (a division listed as its own parent).
	for depth := 0; d != nil && depth < maxDepth; d, depth = byCode[d.Parent], depth+1 {
		if d.Code == code {
			return true
		}
		if d.Parent == "" || d.Parent == d.Code {
			return false
		}
	}
	return false
}

// CodePrefix is the part of a division code its divisions share: the code
// without its trailing unused levels (two digits each for city and county,
// three each for township and village), so 330100 → 3301 and 120110 →
// 120110, never 12011 (which would also take 120111 and 120112).
func CodePrefix(code string) string {
	for len(code) > 6 && strings.HasSuffix(code, "000") {
		code = code[:len(code)-3]
	}
	if len(code) > 6 {
		return code
	}
	for len(code) > 2 && strings.HasSuffix(code, "00") {
		code = code[:len(code)-2]
	}
	return code
}

// maxDepth bounds walks up the division tree (province, city, county,
// township, and one spare).
const maxDepth = 6

// Counties lists every county-level division (县, 区, 县级市), in code order.
func Counties() []*Division {
	once.Do(load)
	var out []*Division
	for _, d := range byCode {
		if d.Level == County && d.Name != "市辖区" {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Within lists the divisions inside the one with code (not itself), in
// code order: a county's towns and streets, a city's counties and theirs.
func Within(code string) []*Division {
	once.Do(load)
	var out []*Division
	for _, d := range byCode {
		if d.Code != code && under(d, code) && d.Name != "市辖区" && d.Name != "县" {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// GovernmentKey is the agency key of a division's government, as Resolve
// gives it: code + ":" + GovernmentOrgan.
func GovernmentKey(d *Division) string { return d.Code + ":" + GovernmentOrgan(d) }

// GovernmentOrgan is the organ of a division's government as printed
// after its name: 办事处 for a street (跃龙街道 + 办事处), else 人民政府.
func GovernmentOrgan(d *Division) string {
	if d.Level == Township && strings.HasSuffix(d.Name, "街道") {
		return "办事处"
	}
	return "人民政府"
}

// FullName is a division's name with its ancestors' (浙江省宁波市宁海县).
func FullName(d *Division) string {
	var b strings.Builder
	for _, p := range Path(d) {
		if p.Name != "市辖区" && p.Name != "县" {
			b.WriteString(p.Name)
		}
	}
	return b.String()
}
