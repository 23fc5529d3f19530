// Package readme reads the SQL examples of the project's README, so tests
// can run them on real databases (they are a contract with researchers).
package readme

import (
	"fmt"
	"os"
	"strings"
)

// SQL returns the statements of the first ```sql block after the heading
// "## For researchers" in the README at path, comments dropped.
func SQL(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := string(b)
	i := strings.Index(s, "## For researchers")
	if i < 0 {
		return nil, fmt.Errorf("%s: no researchers' section", path)
	}
	s = s[i:]
	i = strings.Index(s, "```sql\n")
	if i < 0 {
		return nil, fmt.Errorf("%s: no SQL block in the researchers' section", path)
	}
	s = s[i+7:]
	s = s[:strings.Index(s, "```")]
	var out []string
	for _, stmt := range strings.Split(s, ";\n") {
		var lines []string
		for _, l := range strings.Split(stmt, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(l), "--") {
				lines = append(lines, l)
			}
		}
		if q := strings.TrimSpace(strings.Join(lines, "\n")); q != "" {
			out = append(out, q)
		}
	}
	return out, nil
}
