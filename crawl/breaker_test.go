package crawl_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/crawl"
)

// TestDeadHostCircuitBreaker: five sources on a host that accepts
// connections and never answers cost 4 attempts each (71 s for 5 real
// sources at production timeouts). After HostFailures unanswered requests
// the host's remaining sources are unreachable at once, and the summary
// names the host.
func TestDeadHostCircuitBreaker(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { // accept and hold every connection, never answer
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	var urls []string
	for i := 0; i < 5; i++ {
		urls = append(urls, fmt.Sprintf("http://%s/col%d/index.html", ln.Addr(), i))
	}
	c := crawl.New(config(t, "1ms", urls...), newDB(t))
	f := c.Fetcher()
	f.Client.Timeout = 200 * time.Millisecond
	f.Backoff = 10 * time.Millisecond
	start := time.Now()
	sum, err := c.Run(context.Background(), crawl.Options{})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	// Two unanswered requests of 4 attempts each ≈ 1.7 s; without the
	// breaker five sources take ≈ 4.3 s.
	if sum.Unreachable != 5 || len(sum.HostsDown) != 1 || !strings.Contains(sum.String(), "1 hosts stopped answering") {
		t.Errorf("summary %s", sum)
	}
	if took > 3*time.Second || sum.Requests > 2*(f.Retries+1) {
		t.Errorf("a dead host cost %v and %d requests for 5 sources", took, sum.Requests)
	}
}

// TestRefusedConnectionNotRetried: a refused connection is an answer
// (nothing listens), so it is not retried with backoff.
func TestRefusedConnectionNotRetried(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens here now
	f := crawl.NewFetcher(newDB(t), "test", time.Millisecond)
	f.Backoff = time.Second
	start := time.Now()
	_, err := f.Get(crawl.AllowPrivate(context.Background(), true), "http://"+addr+"/index.html", nil)
	if err == nil || time.Since(start) > 500*time.Millisecond || f.Requests() > 1 {
		t.Errorf("refused connection: %v after %v and %d requests, want one quick failure", err, time.Since(start), f.Requests())
	}
}

// TestInterruptedRun: a run stopped by its context (Ctrl-C) is recorded as
// interrupted, and its unfinished sources keep their state (it counted a
// failure against each before).
func TestInterruptedRun(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold it: no answer
		}
	}()
	db := newDB(t)
	c := crawl.New(config(t, "1ms", fmt.Sprintf("http://%s/list.html", ln.Addr())), db)
	c.Fetcher().Client.Timeout = 5 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	sum, err := c.Run(ctx, crawl.Options{})
	if err == nil || sum.Interrupted != 1 || sum.OK() || !strings.Contains(sum.String(), "INTERRUPTED") {
		t.Errorf("interrupted run: %v, %s", err, sum)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM crawl_runs WHERE interrupted = 1 AND finished IS NOT NULL"); n != 1 {
		t.Errorf("%d runs recorded as interrupted, want 1", n)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM sources WHERE consecutive_failures > 0 OR status IS NOT NULL"); n != 0 {
		t.Errorf("%d sources got a state or a failure from the interrupted run", n)
	}
}
