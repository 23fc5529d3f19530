package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/nianbao/nianbao/store"
	"github.com/nianbao/nianbao/web"
)

// runServe serves the comparison pages of a database on loopback.
func runServe(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file (opened read-only)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on; loopback by default")
	var hosts hostList
	fs.Var(&hosts, "host", "a host name the pages may be reached by, besides IP addresses and localhost (repeatable)")
	review := fs.Bool("review", false, "also serve /review: walk the review queue and record corrections (loopback only; writes the database)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao serve [--db FILE] [--addr 127.0.0.1:8080] [--review]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if !flagSet(fs, "db") {
		if _, err := os.Stat(*dbPath); err != nil {
			if _, derr := os.Stat(demoDBPath); derr != nil {
				return usageErr(fmt.Sprintf("no database at %s: pass --db FILE, or run 'nianbao demo' to build %s", *dbPath, demoDBPath))
			}
			fmt.Fprintf(stderr, "no database at %s: serving the demo's %s\n", *dbPath, demoDBPath)
			*dbPath = demoDBPath
		}
	}
	db, err := openRead(*dbPath, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	srv, err := web.New(db)
	if err != nil {
		return err
	}
	srv.Hosts = hosts
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer l.Close()
	if *review {
		if h, _, _ := net.SplitHostPort(l.Addr().String()); !net.ParseIP(h).IsLoopback() || len(hosts) > 0 {
			return usageErr("--review records corrections: it serves on a loopback address only (--addr 127.0.0.1:PORT), without --host")
		}
		rw, err := store.Open(*dbPath)
		if err != nil {
			return err
		}
		defer rw.Close()
		if err := srv.Reviewing(rw, whoami()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "review queue: http://%s/review (corrections are recorded as %s)\n", l.Addr(), whoami())
	}
	where := "loopback only"
	host, port, _ := net.SplitHostPort(l.Addr().String())
	show := l.Addr().String()
	if ip := net.ParseIP(host); !ip.IsLoopback() {
		where = "NOT loopback: reachable from other machines"
		if ip.IsUnspecified() { // 0.0.0.0 or :: (printed as [::]): every address of this machine
			show = net.JoinHostPort("127.0.0.1", port) + " and every address of this machine"
		}
	}
	how := "the database is opened read-only"
	if *review {
		how = "read-only, except corrections recorded on /review"
	}
	fmt.Fprintf(stdout, "serving %s on http://%s (%s; %s). Ctrl-C to stop.\n", db.Path, show, where, how)
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go srv.Warm(ctx) // the whole-database aggregates, before the first visitor asks
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(shut)
	}()
	if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// hostList is a repeatable flag.
type hostList []string

func (h *hostList) String() string     { return strings.Join(*h, ",") }
func (h *hostList) Set(v string) error { *h = append(*h, v); return nil }

// demoDBPath is where 'nianbao demo' writes its database.
const demoDBPath = "nianbao-data/demo.db"

// flagSet reports whether the flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
