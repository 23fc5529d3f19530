package nianbao

import (
	"strings"
	"time"
)

// Deadline is the legal deadline of an agency's report on year y (条例
// Art. 49): 31 January for departments, 31 March for governments.
func Deadline(agency string, year int) time.Time {
	if IsGovernment(agency) {
		return time.Date(year+1, 3, 31, 23, 59, 59, 0, time.UTC)
	}
	return time.Date(year+1, 1, 31, 23, 59, 59, 0, time.UTC)
}

// IsGovernment tells a people's government (人民政府, 管委会) from its departments.
func IsGovernment(agency string) bool {
	return strings.HasSuffix(agency, "人民政府") || strings.HasSuffix(agency, "管委会") || strings.HasSuffix(agency, "管理委员会")
}
