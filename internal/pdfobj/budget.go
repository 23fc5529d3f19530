package pdfobj

import (
	"fmt"
	"io"
	"time"
)

// Budget bounds the work one Reader may do. Zero fields take the defaults
// of DefaultBudget.
type Budget struct {
	Objects  int64         // indirect objects resolved (cache misses)
	Bytes    int64         // stream bytes decoded, in total
	Deadline time.Time     // wall-clock limit; zero means Timeout from now
	Timeout  time.Duration // used when Deadline is zero
}

// DefaultBudget is generous for any published report (a few hundred pages,
// tens of thousands of objects) and small enough to stop a hostile file in
// seconds.
var DefaultBudget = Budget{Objects: 2_000_000, Bytes: 1 << 30, Timeout: 60 * time.Second}

// BudgetError is the panic value, and the error, of a Reader whose budget
// ran out or that met a structural cycle it cannot read around.
type BudgetError struct{ What string }

func (e *BudgetError) Error() string { return "PDF: " + e.What }

// meter counts work against a Budget.
type meter struct {
	b             Budget
	objects       int64
	bytes         int64
	sinceDeadline int64
}

func newMeter(b Budget) *meter {
	if b.Objects <= 0 {
		b.Objects = DefaultBudget.Objects
	}
	if b.Bytes <= 0 {
		b.Bytes = DefaultBudget.Bytes
	}
	if b.Deadline.IsZero() {
		t := b.Timeout
		if t <= 0 {
			t = DefaultBudget.Timeout
		}
		b.Deadline = time.Now().Add(t)
	}
	return &meter{b: b}
}

func (m *meter) object() {
	m.objects++
	if m.objects > m.b.Objects {
		panic(&BudgetError{fmt.Sprintf("more than %d objects resolved: work budget exceeded", m.b.Objects)})
	}
	m.tick(64)
}

func (m *meter) read(n int) {
	m.bytes += int64(n)
	if m.bytes > m.b.Bytes {
		panic(&BudgetError{fmt.Sprintf("more than %d MiB of streams decoded: work budget exceeded", m.b.Bytes>>20)})
	}
	m.tick(int64(n))
}

// tick checks the deadline every 64 KiB of work units.
func (m *meter) tick(n int64) {
	m.sinceDeadline += n
	if m.sinceDeadline < 1<<16 {
		return
	}
	m.sinceDeadline = 0
	m.CheckDeadline()
}

// CheckDeadline panics with a *BudgetError once the deadline has passed.
func (m *meter) CheckDeadline() {
	if time.Now().After(m.b.Deadline) {
		panic(&BudgetError{"time budget exceeded"})
	}
}

// Tick charges n units of the caller's own work (operators interpreted,
// boxes laid out) to the reader's deadline check.
func (r *Reader) Tick(n int) { r.meter.tick(int64(n)) }

// CheckDeadline panics with a *BudgetError once the reader's deadline has
// passed.
func (r *Reader) CheckDeadline() { r.meter.CheckDeadline() }

// meteredReader charges every byte read to the meter.
type meteredReader struct {
	r io.Reader
	m *meter
}

func (mr meteredReader) Read(p []byte) (int, error) {
	n, err := mr.r.Read(p)
	mr.m.read(n)
	return n, err
}
