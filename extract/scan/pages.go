package scan

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/ocr"
)

// PageWorkers bounds the pages read at once in the whole process, over
// every document (ingest --jobs included): each holds one page image and
// runs one tesseract. Set it before the first page is read.
var PageWorkers = min(runtime.NumCPU(), 4)

var slots = sync.OnceValue(func() chan struct{} { return make(chan struct{}, max(1, PageWorkers)) })

// readPages reads pages 1..limit, get(n) giving page n (ErrNoPage after
// the last), up to PageWorkers at once, and appends them to doc in page
// order. all is false when page limit was read and more may follow. The
// first failure stops the other pages and is returned.
func readPages(ctx context.Context, doc *nianbao.Document, limit int, get func(int) (Page, error), eng ocr.Engine) (all bool, err error) {
	if limit <= 0 {
		return true, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		blocks []nianbao.Block
		warns  []string
	}
	results := make([]*result, limit+1)
	var next, last atomic.Int64
	last.Store(int64(limit))
	var mu sync.Mutex
	var first error // the first failure, not the cancellations it caused
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
		cancel()
	}
	var wg sync.WaitGroup
	for range min(max(1, PageWorkers), limit) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := int(next.Add(1))
				if n > int(last.Load()) || ctx.Err() != nil {
					return
				}
				select {
				case slots() <- struct{}{}:
				case <-ctx.Done():
					return
				}
				blocks, warns, err := readOne(ctx, get, n, eng)
				<-slots()
				switch {
				case errors.Is(err, ErrNoPage) && n > 1:
					for { // no page n: none after it either
						l := last.Load()
						if int64(n-1) >= l || last.CompareAndSwap(l, int64(n-1)) {
							break
						}
					}
					return
				case err != nil:
					fail(err)
					return
				}
				results[n] = &result{blocks, warns}
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return false, first
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	n := int(last.Load())
	for i := 1; i <= n; i++ {
		if results[i] == nil {
			return false, fmt.Errorf("page %d: not read", i)
		}
		doc.Blocks = append(doc.Blocks, results[i].blocks...)
		doc.Warnings = append(doc.Warnings, results[i].warns...)
	}
	return n < limit, nil
}

// readOne gets and reads page n.
func readOne(ctx context.Context, get func(int) (Page, error), n int, eng ocr.Engine) ([]nianbao.Block, []string, error) {
	p, err := get(n)
	if err != nil {
		return nil, nil, err
	}
	blocks, warns, err := readPage(ctx, p, n, eng)
	if err != nil {
		return nil, nil, fmt.Errorf("page %d: %w", n, err)
	}
	return blocks, warns, nil
}
