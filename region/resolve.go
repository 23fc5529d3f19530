package region

import (
	"fmt"
	"regexp"
	"sort"

	"strings"
	"unicode/utf8"

	"github.com/nianbao/nianbao"
)

// Agency is an agency name resolved to its division and organ.
type Agency struct {
	Key        string // region code + ":" + canonical organ; "" when unresolved
	Name       string // canonical name: the division path + the organ's full name
	RegionCode string
	RegionName string // the division path as printed in names, e.g. 江苏省淮安市洪泽区
	Level      Level  // the division's level
	Kind       string // government or department
	Organ      string // canonical organ, e.g. 人民政府, 科学技术委员会
	ParentKey  string // the government of the region (a department's), or of the parent division (a government's)
	How        string // how the name was matched, or why it was not
}

// Resolved reports whether the name was resolved to one division.
func (a Agency) Resolved() bool { return a.Key != "" }

// organAliases are common short forms of organs' names.
var organAliases = map[string]string{
	"科委": "科学技术委员会", "科技委": "科学技术委员会", "发改委": "发展和改革委员会", "发改局": "发展和改革局",
	"经信委": "经济和信息化委员会", "经信局": "经济和信息化局", "教委": "教育委员会", "卫健委": "卫生健康委员会",
	"卫健局": "卫生健康局", "人社局": "人力资源和社会保障局", "人保局": "人力资源和社会保障局", "住建局": "住房和城乡建设局",
	"住建委": "住房和城乡建设委员会", "市监局": "市场监督管理局", "市场监管局": "市场监督管理局", "交通局": "交通运输局",
	"交委": "交通委员会", "规资局": "规划和自然资源局", "自然资源局": "自然资源局", "生态环境局": "生态环境局",
	"环保局": "环境保护局", "农业农村局": "农业农村局", "文旅局": "文化和旅游局", "文广旅体局": "文化广电旅游体育局",
	"应急局": "应急管理局", "医保局": "医疗保障局", "退役军人局": "退役军人事务局", "民宗局": "民族宗教事务局",
	"商务局": "商务局", "统计局": "统计局", "审计局": "审计局", "司法局": "司法局", "财政局": "财政局", "民政局": "民政局",
	"水务局": "水务局", "水利局": "水利局", "城管局": "城市管理局", "政府办": "人民政府办公室", "府办": "人民政府办公室",
	"政府": "人民政府",
}

// zoneRe finds a zone's name at the start of what follows the division:
// 平潭综合实验区, 苏州工业园区, 杭州高新技术产业开发区 …
var zoneRe = regexp.MustCompile(`^(\p{Han}{0,10}?(?:` + strings.Join(nianbao.ZoneWords, "|") + `))(.*)$`)

// townRe is a town's or street's name alone (文林镇, 城关街道).
var townRe = regexp.MustCompile(`^\p{Han}{1,8}(?:镇|乡|街道)$`)

// levelWords open a name that names its region only by level: 区人社局 is the
// human resources bureau of the district the source belongs to.
var levelWords = map[string]Level{"区": County, "县": County, "市": City, "省": Province}

// Resolve splits an agency name into its division and organ. hints are
// division codes the name is known to lie within (the crawl source's
// region, places the report's own text names), used to resolve a short or
// ambiguous name; they are never a reason to merge on their own.
func Resolve(name string, hints ...string) Agency {
	once.Do(load)
	name = strings.TrimSpace(name)
	a := Agency{Name: name}
	if name == "" {
		a.How = "no name"
		return a
	}
	var hintDivs []*Division
	for _, h := range hints {
		if d, ok := ByCode(h); ok {
			hintDivs = append(hintDivs, d)
		}
	}
	rest := name
	var cur *Division
	how := "full name"
	for {
		cands, n := longestPrefix(rest, cur)
		if len(cands) == 0 {
			break
		}
		if len(cands) > 1 {
			cands = narrow(cands, hintDivs)
			if len(cands) != 1 {
				a.How = "ambiguous: " + strings.Join(divNames(cands), ", ") + " (no region hint tells them apart)"
				return a
			}
			how = "name + region hint"
		}
		if r, ok := renamed(rest[:n]); ok && cands[0].Code == r.To {
			how += fmt.Sprintf(", former %s (%s, until %d) → %s", r.Old, r.OldCode, r.Year, cands[0].Name)
		}
		cur, rest = cands[0], rest[n:]
	}
	if cur == nil {
		// 区人社局: the region is the hint's, at the level the word names.
		for w, lvl := range levelWords {
			if strings.HasPrefix(rest, w) && len(hintDivs) == 1 && hintDivs[0].Level == lvl {
				cur, rest, how = hintDivs[0], strings.TrimPrefix(rest, w), "short name + region hint"
				break
			}
		}
	}
	// A development zone, experimental zone or new area (not in the
	// division list): its committee, within the division printed before it
	// or, failing that, the one region hint.
	zone := ""
	if m := zoneRe.FindStringSubmatch(rest); m != nil {
		zone, rest = m[1], m[2]
		if cur == nil && len(hintDivs) == 1 {
			cur, how = hintDivs[0], "zone + region hint"
		}
	}
	if cur == nil {
		a.How = "no division name found"
		return a
	}
	organ := strings.TrimSpace(rest)
	if full, ok := organAliases[organ]; ok && full != organ {
		organ, how = full, how+", organ alias "+rest
	}
	switch {
	case zone != "" && (organ == "" || organ == "管委会" || organ == "管理委员会"):
		organ, how = zone+"管理委员会", how+", a zone's committee"
	case zone != "":
		organ = zone + organ
	case organ == "":
		// A place's name alone (上海市徐汇区): its government.
		organ, how = GovernmentOrgan(cur), how+", a place's name alone: its government"
	case townRe.MatchString(organ):
		// A town or street the list lacks, printed after its county
		// (仁寿县文林镇): that town's government.
		if strings.HasSuffix(organ, "街道") {
			organ += "办事处"
		} else {
			organ += "人民政府"
		}
		how += ", a town's name alone: its government"
	}
	path := Path(cur)
	var region strings.Builder
	for _, d := range path {
		region.WriteString(d.Name)
	}
	a.Key = cur.Code + ":" + organ
	a.RegionCode, a.RegionName, a.Level, a.Organ = cur.Code, region.String(), cur.Level, organ
	a.Name = a.RegionName + organ
	a.How = how
	a.Kind = nianbao.KindDepartment
	isZone := zone != ""
	for _, z := range nianbao.ZoneWords {
		// a listed zone publishing through its committee (浦东新区人民政府
		// is a district's government, not a zone's)
		isZone = isZone || strings.HasSuffix(cur.Name, z) && (organ == "管理委员会" || organ == "管委会")
	}
	if isZone {
		if zone == "" {
			organ = "管理委员会" // a zone the list has: its committee stands for it
			a.Key, a.Organ, a.Name = cur.Code+":"+organ, organ, a.RegionName+organ
		}
		a.Kind = nianbao.KindZone
	}
	if nianbao.IsGovernmentOrgan(organ) && !isZone {
		a.Kind = nianbao.KindGovernment
		if p, ok := byCode[cur.Parent]; ok && cur.Parent != "" {
			for p != nil && (p.Name == "市辖区" || p.Name == "县") {
				p = byCode[p.Parent]
			}
			if p != nil {
				a.ParentKey = p.Code + ":人民政府"
			}
		}
	} else {
		a.ParentKey = GovernmentKey(cur)
	}
	return a
}

// longestPrefix finds the divisions whose name begins s, within cur when
// cur is set (the next level down), longest name first; n is its length.
func longestPrefix(s string, cur *Division) ([]*Division, int) {
	var ends [17]int // byte offsets after the 1st … 16th rune
	n := 0
	for i := range s {
		if i > 0 {
			ends[n] = i
			n++
			if n == 16 {
				break
			}
		}
	}
	if n < 16 {
		ends[n] = len(s)
		n++
	}
	for l := n; l >= 2; l-- {
		cands := byName[s[:ends[l-1]]] // no allocation: a map lookup on a substring
		if len(cands) == 0 {
			continue
		}
		var out []*Division
		for _, d := range cands {
			if cur == nil || (d != cur && under(d, cur.Code)) {
				out = append(out, d)
			}
		}
		if len(out) > 0 {
			return dedupe(out), ends[l-1]
		}
	}
	return nil, 0
}

// narrow keeps the candidates within one of the hints.
func narrow(cands, hints []*Division) []*Division {
	var out []*Division
	for _, c := range cands {
		for _, h := range hints {
			if under(c, h.Code) || under(h, c.Code) {
				out = append(out, c)
				break
			}
		}
	}
	return dedupe(out)
}

func dedupe(ds []*Division) []*Division {
	sort.Slice(ds, func(i, j int) bool { return ds[i].Code < ds[j].Code })
	out := ds[:0:0]
	for i, d := range ds {
		if i == 0 || d.Code != ds[i-1].Code {
			out = append(out, d)
		}
	}
	return out
}

func divNames(ds []*Division) []string {
	var out []string
	for _, d := range ds {
		var b strings.Builder
		for _, p := range Path(d) {
			b.WriteString(p.Name)
		}
		out = append(out, b.String()+" "+d.Code)
	}
	return out
}

// Mentions returns the divisions a text names (a report's own lines), the
// most specific division of each place name found, at most limit: hints
// for a short or ambiguous agency name. Provinces alone are skipped.
func Mentions(text string, limit int) []string {
	once.Do(load)
	seen := map[string]bool{}
	var out []string
	for i := 0; i < len(text) && len(out) < limit; {
		var cur *Division
		j := i
		for j < len(text) {
			cands, n := longestPrefix(text[j:min(len(text), j+64)], cur)
			if len(cands) != 1 {
				break
			}
			cur, j = cands[0], j+n
		}
		if cur != nil && cur.Level != Province && !seen[cur.Code] {
			seen[cur.Code] = true
			out = append(out, cur.Code)
		}
		if j > i {
			i = j
			continue
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return out
}
