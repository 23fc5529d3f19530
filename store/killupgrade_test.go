package store

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain doubles as a child process that upgrades a database slowly (a
// pause before each migration step), so a test can kill it mid-upgrade.
func TestMain(m *testing.M) {
	if p := os.Getenv("NIANBAO_UPGRADE_CHILD"); p != "" {
		pause, _ := strconv.Atoi(os.Getenv("NIANBAO_UPGRADE_PAUSE_MS"))
		testHookMigration = func(v int) {
			fmt.Println("migrating", v)
			time.Sleep(time.Duration(pause) * time.Millisecond)
		}
		db, err := Open(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		db.Close()
		fmt.Println("upgraded")
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestKillDuringUpgrade kills a first-time upgrade of the first released
// schema with SIGKILL at each of its steps (when the child says it starts
// migration k) and after it: every time the file is either exactly the
// old one (version 1, same rows) or completely upgraded (the fresh
// shape); never between. After each kill the upgrade runs to the end.
func TestKillDuringUpgrade(t *testing.T) {
	fresh := freshShape(t, defaultDictionary())
	for k := 2; k <= Version()+1; k++ {
		at := fmt.Sprintf("migrating %d", k)
		if k > Version() {
			at = "upgraded"
		}
		p := copyRelease(t, "release-v1.db")
		raw, _ := sql.Open("sqlite3", "file:"+p)
		before := strings.Join(dump(t, raw, "SELECT * FROM cell_values ORDER BY 1, 2"), "\n")
		raw.Close()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "NIANBAO_UPGRADE_CHILD="+p, "NIANBAO_UPGRADE_PAUSE_MS=5")
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for sc.Scan() && sc.Text() != at {
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		i, delay := k, at
		raw, _ = sql.Open("sqlite3", "file:"+p)
		var v int
		raw.QueryRow("PRAGMA user_version").Scan(&v)
		switch v {
		case 1:
			if got := strings.Join(dump(t, raw, "SELECT * FROM cell_values ORDER BY 1, 2"), "\n"); got != before {
				t.Errorf("kill %d at %q: version 1 but its rows changed", i, delay)
			}
		case Version():
			if d := diffLines(fresh, shape(t, raw)); d != "" {
				t.Errorf("kill %d at %q: version %d but not the fresh shape:\n%s", i, delay, v, d)
			}
		default:
			t.Errorf("kill %d at %q: left at version %d, between the old file and the upgrade", i, delay, v)
		}
		raw.Close()
		t.Logf("killed at %q: version %d", delay, v)
		db, err := Open(p)
		if err != nil {
			t.Fatalf("upgrade after the kill: %v", err)
		}
		db.Close()
	}
}
