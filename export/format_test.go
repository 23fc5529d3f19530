package export

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// format's integer shortcut prints exactly what FormatFloat prints.
func TestFormatFloatShortcut(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 275, 0.342, 1e15 - 1, 1e15, -1e15, 1e21, 123456789012345, math.MaxInt64, math.Inf(1), math.NaN(), 4503599627370497}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		vals = append(vals, float64(r.Int64N(1<<53)-1<<52), r.NormFloat64()*1e6, math.Round(r.NormFloat64()*1e4)/100)
	}
	for _, v := range vals {
		if got, want := format(v), strconv.FormatFloat(v, 'f', -1, 64); got != want {
			t.Fatalf("format(%v) = %q, want %q", v, got, want)
		}
	}
}
