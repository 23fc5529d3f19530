package region

import (
	"strings"
	"testing"
	"time"
)

func TestResolve(t *testing.T) {
	cases := []struct {
		name  string
		hints []string
		key   string
		kind  string
	}{
		{"淮安市洪泽区人民政府", nil, "320813:人民政府", "government"},
		{"洪泽区人民政府", nil, "320813:人民政府", "government"},
		{"上海市科委", nil, "310000:科学技术委员会", "department"},
		{"上海市科学技术委员会", nil, "310000:科学技术委员会", "department"},
		{"杭州市临平区交通运输局", nil, "330113:交通运输局", "department"},
		{"区人社局", []string{"330113"}, "330113:人力资源和社会保障局", "department"},
		{"鼓楼区人民政府", []string{"320100"}, "320106:人民政府", "government"},
		{"沭阳县人民政府", nil, "321322:人民政府", "government"},
		{"上海市人民政府办公厅", nil, "310000:人民政府办公厅", "department"},
		{"鼓楼区人民政府", nil, "", ""}, // four 鼓楼区: never a guess
		{"区人社局", nil, "", ""},    // no region to put it in
		{"某某研究会", nil, "", ""},   // no division at all
	}
	for _, c := range cases {
		a := Resolve(c.name, c.hints...)
		if a.Key != c.key || (c.key != "" && a.Kind != c.kind) {
			t.Errorf("Resolve(%s, %v) = %q (%s, %s), want %q (%s)", c.name, c.hints, a.Key, a.Kind, a.How, c.key, c.kind)
		}
		if c.key == "" && a.How == "" {
			t.Errorf("Resolve(%s): unresolved without a reason", c.name)
		}
	}
	a := Resolve("洪泽区人民政府")
	if a.Name != "江苏省淮安市洪泽区人民政府" || a.Level != County || a.ParentKey != "320800:人民政府" || a.RegionName != "江苏省淮安市洪泽区" {
		t.Errorf("%+v", a)
	}
	if d := Resolve("临平区交通运输局"); d.ParentKey != "330113:人民政府" {
		t.Errorf("department's parent %q", d.ParentKey)
	}
	if DataVersion() == "" {
		t.Error("no data version")
	}
}

func TestMentions(t *testing.T) {
	got := Mentions("本报告由江苏省淮安市洪泽区人民政府办公室编制，鼓楼区", 5)
	if len(got) == 0 || got[0] != "320813" {
		t.Errorf("Mentions = %v, want 320813 first", got)
	}
}

// TestPublicationShapes: names real report pages print that resolved to
// no agency: a place's name alone, a town the list lacks after its county,
// a zone (not a division) with its committee, with the division printed
// or given as the one hint.
func TestPublicationShapes(t *testing.T) {
	for _, c := range []struct {
		name  string
		hints []string
		key   string
		kind  string
	}{
		{"上海市徐汇区", nil, "310104:人民政府", "government"},
		{"杭州市临平区", nil, "330113:人民政府", "government"},
		{"仁寿县文林镇", nil, "511421:文林镇人民政府", "government"},
		{"福建省平潭综合实验区管理委员会", nil, "350000:平潭综合实验区管理委员会", "zone"},
		{"福建省平潭综合实验区", nil, "350000:平潭综合实验区管理委员会", "zone"},
		{"平潭综合实验区管委会", []string{"350000"}, "350000:平潭综合实验区管理委员会", "zone"},
		{"苏州工业园区管理委员会", nil, "320576:管理委员会", "zone"}, // a zone the division list has
	} {
		a := Resolve(c.name, c.hints...)
		if a.Key != c.key || a.Kind != c.kind || a.RegionCode == "" {
			t.Errorf("%s: key %q kind %q region %q (%s); want %q, %s", c.name, a.Key, a.Kind, a.RegionCode, a.How, c.key, c.kind)
		}
	}
	if a := Resolve("平潭综合实验区管委会"); a.Resolved() {
		t.Errorf("a zone with no division and no hint resolved to %s", a.Key)
	}
}

// TestDivisionChainsEnd: cities with no counties (东莞市, 中山市, 儋州市)
// are listed as their own parent; every walk up the tree ends.
func TestDivisionChainsEnd(t *testing.T) {
	done := make(chan int, 1)
	go func() {
		n := len(Within("441900"))
		d, _ := ByCode("441900001")
		n += len(Path(d))
		done <- n
	}()
	select {
	case n := <-done:
		if n < 2 {
			t.Errorf("东莞市: %d divisions and path parts", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a walk up the division tree did not end")
	}
}

// TestRenamedDivisions: a report printing a division's former name (北京市
// 宣武区, merged into 西城区 in 2010) belongs to the successor's agency,
// with the change recorded in how it was matched.
func TestRenamedDivisions(t *testing.T) {
	for name, key := range map[string]string{
		"北京市宣武区人民政府": "110102:人民政府",
		"宣武区教育委员会":   "110102:教育委员会",
		"上海市闸北区人民政府": "310106:人民政府",
		"上海市卢湾区财政局":  "310101:财政局",
		"天津市塘沽区人民政府": "120116:人民政府",
	} {
		a := Resolve(name)
		if a.Key != key || !strings.Contains(a.How, "former") || !strings.Contains(a.How, "until") {
			t.Errorf("%s: key %q how %q; want %s and the change recorded", name, a.Key, a.How, key)
		}
	}
	if a := Resolve("北京市西城区人民政府"); a.Key != "110102:人民政府" || strings.Contains(a.How, "former") {
		t.Errorf("the current name: %q %q", a.Key, a.How)
	}
}

// TestCodePrefix: a code loses only whole unused levels; a county whose
// code ends in 0 keeps it (120110 东丽区 is not 12011*, which takes in
// 120111 西青区).
func TestCodePrefix(t *testing.T) {
	for code, want := range map[string]string{
		"110000": "11", "330100": "3301", "120110": "120110", "330102": "330102",
		"330110000000": "330110", "330110001000": "330110001", "330100000000": "3301", "3301": "3301", "": "",
	} {
		if got := CodePrefix(code); got != want {
			t.Errorf("CodePrefix(%q) = %q, want %q", code, got, want)
		}
	}
}
