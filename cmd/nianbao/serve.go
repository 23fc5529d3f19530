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
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao serve [--db FILE] [--addr 127.0.0.1:8080]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
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
	where := "loopback only"
	if host, _, _ := net.SplitHostPort(l.Addr().String()); !net.ParseIP(host).IsLoopback() {
		where = "NOT loopback: reachable from other machines"
	}
	fmt.Fprintf(stdout, "serving %s on http://%s (%s; the database is opened read-only). Ctrl-C to stop.\n", db.Path, l.Addr(), where)
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
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
