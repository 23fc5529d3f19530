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
)

// GovernmentOrgans are the organ names of governments and of the bodies
// that publish as one: a zone's management committee, a street office.
var GovernmentOrgans = []string{"人民政府", "管理委员会", "管委会", "街道办事处", "办事处"}

// IsGovernmentOrgan tells whether a canonical organ name is a government's.
func IsGovernmentOrgan(organ string) bool {
	for _, g := range GovernmentOrgans {
		if organ == g {
			return true
		}
	}
	return false
}

// KindOf guesses an agency's kind from its printed name when it could not
// be resolved: a name ending in a government organ is a government.
func KindOf(name string) string {
	for _, g := range GovernmentOrgans {
		if strings.HasSuffix(name, g) {
			return KindGovernment
		}
	}
	return KindDepartment
}

// DeadlineFor is the legal deadline of a report on year y (条例 Art. 49)
// by the agency's kind: 31 January for departments, 31 March for
// governments.
func DeadlineFor(kind string, year int) time.Time {
	if kind == KindGovernment {
		return time.Date(year+1, 3, 31, 23, 59, 59, 0, time.UTC)
	}
	return time.Date(year+1, 1, 31, 23, 59, 59, 0, time.UTC)
}

// Deadline is the legal deadline of a printed agency name's report on year
// y, its kind judged by KindOf.
func Deadline(agency string, year int) time.Time { return DeadlineFor(KindOf(agency), year) }
