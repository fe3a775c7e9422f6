#!/usr/bin/env bash
# Import benchmark: a generated N-line FOCUS CSV (default 1,000,000) imported by the release
# binary into SQLite and into PostgreSQL, with rating and rollups, against the time the sqlite3
# tool's .import takes to load the same file into a plain table. Reports lines/s and peak memory.
#   scripts/bench-import.sh [lines]    (PostgreSQL from TIERDASH_BENCH_POSTGRES_URL, default local;
#                                       RUNS=… runs of the 1M-line imports, default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-1000000}"
bin=${TIERDASH_BIN:-target/release/tierdash}
pg_admin="${TIERDASH_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
csv="$work/focus.csv"
python3 scripts/gen-focus.py "$lines" "$csv"
echo "file: $lines lines, $(du -m "$csv" | cut -f1) MB"

# Runs a command; prints "<seconds> <peak RSS in MB>" of it. The disk is flushed first: the
# previous step's hundreds of megabytes still being written back otherwise slow this one's
# writes (seen: the same import 3.7 s, or 5 s right after sqlite3's .import).
measure() {
  sync
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
start = time.monotonic()
result = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
elapsed = time.monotonic() - start
if result.returncode != 0:
    sys.stderr.write(result.stderr.decode()[-2000:])
    sys.exit(result.returncode)
print(f"{elapsed:.2f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f}")
PY
}

report() { # name seconds mb [lines, default all]
  awk -v name="$1" -v s="$2" -v mb="$3" -v n="${4:-$lines}" 'BEGIN { printf "%-34s %8.2f s %10.0f lines/s %6d MB peak\n", name, s, n / s, mb }'
}

# The 1M-line figures are the median of RUNS runs (default 3; each run's times are printed too):
# single runs of the same binary on the same machine vary by a third.
runs="${RUNS:-3}"
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# sqlite3 .import into a plain table, the floor for "loading this file into SQLite", alternating
# with Tierdash into SQLite (demo data first, so customers, SKUs and EUR rates exist).
unset TIERDASH_DATABASE_URL
export TIERDASH_DATA_DIR="$work/sqlite"
plain_runs="" tier_runs="" tier_mb=0
for _ in $(seq 1 "$runs"); do
  rm -f "$work/plain.db"
  read -r t _ < <(measure sqlite3 "$work/plain.db" ".mode csv" ".import $csv lines")
  plain_runs="$plain_runs $t"
  rm -rf "$TIERDASH_DATA_DIR"
  "$bin" demo-data >/dev/null
  read -r t mb < <(measure "$bin" import "$csv")
  tier_runs="$tier_runs $t"
  tier_mb=$((mb > tier_mb ? mb : tier_mb))
done
rm -f "$work/plain.db"
plain=$(median <<<"$plain_runs")
s=$(median <<<"$tier_runs")
report "sqlite3 .import (plain table)" "$plain" 0
echo "  median of $runs runs:$plain_runs s"
report "tierdash import, SQLite" "$s" "$tier_mb"
echo "  median of $runs runs:$tier_runs s (peak memory: the largest)"
awk -v a="$s" -v b="$plain" 'BEGIN { printf "  %.1f× the time of sqlite3 .import\n", a / b }'

# Restated costs: the file's first fifth again, each line with another BilledCost, so that every
# line replaces a stored one (same x_LineItemId, same day) and moves its rollup sums.
restated=$((lines / 5))
awk -F, -v n="$restated" 'BEGIN { OFS = "," } NR == 1 { print; next } NR > n + 1 { exit }
  { if ($4 !~ /^-/) $4 = "1" $4; print }' "$csv" >"$work/restated.csv"
read -r s mb < <(measure "$bin" import "$work/restated.csv")
report "SQLite, $restated lines replacing" "$s" "$mb" "$restated"

# The worst case for memory: every line a rollup row of its own (a ServiceName per line).
python3 scripts/gen-focus.py "$lines" "$work/distinct.csv" --distinct-services
export TIERDASH_DATA_DIR="$work/sqlite-distinct"
"$bin" demo-data >/dev/null
read -r s mb < <(measure "$bin" import "$work/distinct.csv")
report "SQLite, a rollup row per line" "$s" "$mb"
rm -f "$work/distinct.csv"

# Tierdash into PostgreSQL, in a database of its own each time: the CSV, and the same lines gzipped
# and as Parquet (written by DuckDB from the venv); beside psql's \copy of the CSV into a plain table
# of text columns, the floor for "loading this file into PostgreSQL".
if psql "$pg_admin" -Atqc 'select 1' >/dev/null 2>&1; then
  gzip -k -1 "$csv"
  .venv/bin/python -c "import duckdb, sys; duckdb.sql(f\"COPY (SELECT * FROM read_csv('{sys.argv[1]}', all_varchar = true)) TO '{sys.argv[2]}' (FORMAT parquet)\")" \
    "$csv" "$work/focus.parquet"
  db="tierdash_bench_$$"
  psql "$pg_admin" -qc "create database $db" >/dev/null
  columns=$(head -1 "$csv" | sed 's/,/ text, /g; s/$/ text/')
  psql "${pg_admin%/*}/$db" -qc "create table plain ($columns)" >/dev/null
  read -r copy _ < <(measure psql "${pg_admin%/*}/$db" -qc "\\copy plain from '$csv' with (format csv, header true)")
  report "psql's copy (plain table)" "$copy" 0
  psql "$pg_admin" -qc "drop database $db with (force)" >/dev/null
  for file in "$csv" "$csv.gz" "$work/focus.parquet"; do
    psql "$pg_admin" -qc "create database $db" >/dev/null
    # No TLS on loopback: sqlx 0.9.0 leaves Nagle's algorithm on, and a large statement over
    # TLS then waits ~40 ms for a delayed ACK (sqlx issue #4335; fixed after 0.9.0).
    export TIERDASH_DATABASE_URL="${pg_admin%/*}/$db?sslmode=disable"
    "$bin" demo-data >/dev/null
    read -r s mb < <(measure "$bin" import "$file")
    report "tierdash import, PostgreSQL, ${file##*.}" "$s" "$mb"
    awk -v a="$s" -v b="$copy" 'BEGIN { printf "  %.2f× the rate of psql \\copy\n", b / a }'
    if [ "$file" = "$csv" ]; then
      # The floor for the line items' own table: the rows the import wrote, as it wrote them,
      # copied by psql into an empty copy of the table with its indexes (its foreign key to the
      # batch was dropped on PostgreSQL for the import's speed: m20261207_000005).
      url="${pg_admin%/*}/$db"
      written=$(psql "$url" -Atc "select string_agg(column_name, ', ' order by ordinal_position)
        from information_schema.columns where table_name = 'billing_line_items' and column_name <> 'id'")
      psql "$url" -qc "\\copy (select $written from billing_line_items where batch_id = (select max(id) from import_batches)) to '$work/lines.txt'"
      psql "$url" -qc "create table lines_copy (like billing_line_items including all)" >/dev/null
      # Each copy starts after a checkpoint: the writes before it (the import's, the other copy's)
      # are otherwise still being flushed while it runs.
      psql "$url" -qc "checkpoint"
      read -r same _ < <(measure psql "$url" -qc "\\copy lines_copy ($written) from '$work/lines.txt'")
      report "psql's copy (the line items' table)" "$same" 0
      awk -v a="$s" -v b="$same" 'BEGIN { printf "  the import %.2f× its rate\n", b / a }'
      # The same rows into the table with its primary key alone: what its other indexes (those
      # the readers need, docs/data-model.md) add to that floor.
      psql "$url" -qc "create table lines_keyed (like billing_line_items including defaults including identity)" \
        -c "alter table lines_keyed add primary key (id)" -c "checkpoint" >/dev/null
      read -r keyed _ < <(measure psql "$url" -qc "\\copy lines_keyed ($written) from '$work/lines.txt'")
      report "psql's copy (its key alone)" "$keyed" 0
      rm -f "$work/lines.txt"
      # Restated costs, as for SQLite above, right after the import (before autovacuum has
      # analysed the lines it wrote).
      read -r s mb < <(measure "$bin" import "$work/restated.csv")
      report "PostgreSQL, $restated lines replacing" "$s" "$mb" "$restated"
    fi
    unset TIERDASH_DATABASE_URL
    psql "$pg_admin" -qc "drop database $db with (force)" >/dev/null
  done
else
  echo "PostgreSQL at $pg_admin unreachable: skipped"
fi
rm -f "$work/restated.csv"
