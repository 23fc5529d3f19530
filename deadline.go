package nianbao

import (
	"strings"
	"time"
)

// Agency kinds: a people's government (or a body that stands for one) and
// its departments. The one rule; package region and the deadlines use it.
const (
	KindGovernment = "government"
	KindDepartment = "department"
	KindZone       = "zone" // a development zone's, experimental zone's or new area's committee: due as a government
)

// IsGovernmentOrgan tells whether an organ (人民政府) or a whole agency
// name (杭州市临平区人民政府) is a government or a body that publishes as
// one: a people's government, a street office, a zone's management
// committee (平潭综合实验区管理委员会, 高新区管委会). The one rule of
// government vs department: package region, the deadlines and the
// overdue lists all use it.
func IsGovernmentOrgan(s string) bool {
	switch s {
	case "办事处", "管理委员会", "管委会":
		return true
	}
	for _, suf := range []string{"人民政府", "街道办事处", "区管理委员会", "区管委会"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// ZoneWords end the names of zones that are not divisions but publish as
// governments through their committees (平潭综合实验区, 苏州工业园区 …),
// longest first. The one list: package region finds zones with it.
var ZoneWords = []string{"高新技术产业开发区", "经济技术开发区", "综合实验区", "经济开发区", "工业园区", "高新区", "开发区", "新区", "试验区"}

// KindOf is an agency's kind by its printed name: a zone's committee, a
// government (IsGovernmentOrgan), else a department.
func KindOf(name string) string {
	for _, z := range ZoneWords {
		if i := strings.Index(name, z); i >= 0 && (strings.HasSuffix(name, z+"管理委员会") || strings.HasSuffix(name, z+"管委会")) {
			return KindZone
		}
	}
	if IsGovernmentOrgan(name) {
		return KindGovernment
	}
	return KindDepartment
}

// DeadlineFor is the legal deadline of a report on year y (条例 Art. 49)
// by the agency's kind: 31 January for departments, 31 March for
// governments.
func DeadlineFor(kind string, year int) time.Time {
	if kind == KindGovernment || kind == KindZone {
		return time.Date(year+1, 3, 31, 23, 59, 59, 0, time.UTC)
	}
	return time.Date(year+1, 1, 31, 23, 59, 59, 0, time.UTC)
}

// Deadline is the legal deadline of a printed agency name's report on year
// y, its kind judged by KindOf.
func Deadline(agency string, year int) time.Time { return DeadlineFor(KindOf(agency), year) }
