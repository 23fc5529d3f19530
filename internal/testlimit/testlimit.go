// Package testlimit bounds the time one test or fuzz input may take, so a
// hang is reported as a failure naming the input instead of stalling the
// fuzzer (go test -fuzz has no per-input timeout).
package testlimit

import (
	"testing"
	"time"
)

// PerInput is the time limit fuzz targets give each input.
const PerInput = 10 * time.Second

// Run calls fn and fails t if it has not returned within limit. The
// goroutine running fn is abandoned on failure; the test binary ends soon
// after anyway.
func Run(t testing.TB, limit time.Duration, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("did not finish within %v: unbounded work on this input", limit)
	}
}
