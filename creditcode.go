package nianbao

import "strings"

// creditAlphabet is the 31 characters of a 统一社会信用代码 (GB 32100-2015:
// digits and capital letters except I, O, S, V and Z), by value.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights weigh the first 17 characters for the check character.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// IsCreditCode reports whether s is an 18-character unified social credit
// code whose check character is right (so a random string is not taken
// for one).
func IsCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditAlphabet, s[i])
		if v < 0 {
			return false
		}
		sum += v * creditWeights[i]
	}
	check := (31 - sum%31) % 31
	return s[17] == creditAlphabet[check]
}

// CreditCodeOf takes the agency's credit code from a 索引号 (index number),
// which on many portals begins with it: 11330226MB1234567X/2023-00012. It
// returns "" when the index number does not begin with a valid code.
func CreditCodeOf(indexNo string) string {
	s := strings.ToUpper(strings.TrimSpace(indexNo))
	if len(s) < 18 {
		return ""
	}
	if code := s[:18]; IsCreditCode(code) {
		return code
	}
	return ""
}
