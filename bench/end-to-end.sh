#!/usr/bin/env bash
# End-to-end: `zhongfu demo --households N` then `zhongfu classify`, on PostgreSQL (a fresh database)
# and on embedded PGlite, timed. Usage: bench/end-to-end.sh [N=1000000] [pglite-N=N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
NL=${2:-$N}
URL_BASE=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
DB=zf_bench_$$
psql "$URL_BASE/postgres" -qc "CREATE DATABASE $DB"
trap 'psql "$URL_BASE/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT
TMP=$(mktemp -d)
t() { local s=$(date +%s.%N); "$@" >/dev/null; echo "$(echo "$(date +%s.%N) - $s" | bc)"; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), node $(node --version), $(date -u +%F)"
echo "postgres demo $N:    $(t node bin/zhongfu.js demo --households "$N" --as-of 2026-11-29 --database-url "$URL_BASE/$DB") s"
echo "postgres classify $N: $(t node bin/zhongfu.js classify --as-of 2026-11-29 --database-url "$URL_BASE/$DB") s"
echo "pglite demo $NL:      $(t node bin/zhongfu.js demo --households "$NL" --as-of 2026-11-29 --data-dir "$TMP/data") s"
echo "pglite classify $NL:  $(t node bin/zhongfu.js classify --as-of 2026-11-29 --data-dir "$TMP/data") s"
