#!/usr/bin/env bash
# Writes store/testdata/release-vN.db: a database made by a released build,
# for the upgrade tests (store/migrate_test.go). Run once per release kept;
# commit the file. Usage: scripts/mkreleasedb.sh COMMIT NAME
#   scripts/mkreleasedb.sh 8219de5 release-v1.db    # the first schema
#   scripts/mkreleasedb.sh c224052 release-v8.db    # before agency identity
#   scripts/mkreleasedb.sh b082c9b release-v15.db   # before the frozen history
# The build ingests, in this order, three corpus reports, four fixtures and
# one binary file (a failed document), from a folder /tmp/rel/in.
set -euo pipefail
commit=$1 name=$2
root=$(cd "$(dirname "$0")/.." && pwd)
work=/tmp/rel
mkdir -p "$work/in"
rm -f "$work"/in/*
cp "$root"/../shared/corpus/raw/{000-linping-jiaotong-2023.txt,008-pingtan-gwh-2019.txt,009-pingtan-gwh-2020.txt} "$work/in/"
cp "$root"/fixtures/{103-one-cell-per-line-2024.txt,104-t19-blanks-2020.html,105-wrong-totals-2023.md,106-tab-text-2021.txt} "$work/in/"
printf '\x00\x01binary' >"$work/in/999-not-a-report.bin"
git -C "$root" worktree add -f "$work/$commit" "$commit" >/dev/null
(cd "$work/$commit" && go build -o "$work/nianbao-$commit" ./cmd/nianbao)
rm -rf "$work/db-$commit"
"$work/nianbao-$commit" ingest --db "$work/db-$commit/nianbao.db" "$work/in" || true
cp "$work/db-$commit/nianbao.db" "$root/store/testdata/$name"
git -C "$root" worktree remove --force "$work/$commit"
