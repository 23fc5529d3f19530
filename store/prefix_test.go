package store

import "testing"

func TestNextPrefix(t *testing.T) {
	for in, want := range map[string]string{"3301": "3302", "3309": "3310", "330226": "330227", "33": "34", "99": "", "": ""} {
		if got, _ := nextPrefix(in); got != want {
			t.Errorf("nextPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}
