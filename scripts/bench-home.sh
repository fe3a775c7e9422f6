#!/usr/bin/env bash
# Dashboard latency: for each size (default 1,000,000 and 10,000,000 line items over 24
# months, 100,000 customers, 500 resellers) in SQLite and in PostgreSQL, the release server is
# loaded with wrk on loopback and the p50 / p99 latency and requests per second are reported of
# GET /api/v1/dashboards/home for the distributor and for one reseller, and of the distributor's
# GET /api/v1/dashboards/partners and its decreasing units, GET /api/v1/search and the Insights summary, adds-churns,
# products, geography, segments, revenue trend and agreements; and the 24-month raw export's size, time and the server's peak
# memory; last month's usage summary, the first pages of its reseller and organisation-site tabs and one reseller's overview; and Home's revenue, projection and overview reports
# (ENDPOINTS="raw home partners search insights usage reports" to choose).
# DuckDB computes the same figures from the same raw lines beside them (scripts/bench_duckdb.py).
#   scripts/bench-home.sh [lines ...]   (RESELLERS, CUSTOMERS, DURATION, WARMUP, CONNECTIONS, DATABASES, DUCKDB, TIERDASH_BIN;
#                                        PostgreSQL from TIERDASH_BENCH_POSTGRES_URL)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${TIERDASH_BIN:-target/release/tierdash}
sizes=("${@:-1000000 10000000}")
read -r -a sizes <<<"${sizes[*]}"
resellers=${RESELLERS:-500}
customers=${CUSTOMERS:-100000}
duration=${DURATION:-15s}
databases=${DATABASES:-sqlite postgres}
pg_admin="${TIERDASH_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

cat >"$work/auth.lua" <<'LUA'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
LUA

# SQL in the dialect of $1 (sqlite|postgres): 500 resellers and 100,000 customers under the demo
# distributor, created over the last ~3 years, one in 50 customers still onboarding.
orgs_sql() {
  local dist=$1 dialect=$2 ts
  if [ "$dialect" = sqlite ]; then
    ts() { echo "strftime('%Y-%m-%dT%H:%M:%S+00:00', '2023-12-01', '+' || ($1) || ' days')"; }
  else
    ts() { echo "(timestamptz '2023-12-01 00:00:00+00' + ($1) * interval '1 day')"; }
  fi
  cat <<SQL
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $resellers)
INSERT INTO organizations (tenant_id, parent_id, kind, name, external_id, status, created_at, updated_at, agreement_status)
SELECT $dist, $dist, 'reseller', 'Bench reseller ' || n, 'BENCH-R' || n, 'active', $(ts "n % 700"), $(ts 0), 'signed' FROM seq;
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $customers)
INSERT INTO organizations (tenant_id, parent_id, kind, name, external_id, status, created_at, updated_at, onboarding_stage, onboarding_stage_at, segment)
SELECT $dist, (SELECT min(id) FROM organizations WHERE external_id = 'BENCH-R1' AND tenant_id = $dist) + (n % $resellers),
       'customer', 'Bench customer ' || n, 'BENCH-C' || n, 'active', $(ts "n % 1080"), $(ts 0),
       CASE WHEN n % 50 = 0 THEN 'invited' ELSE 'completed' END, $(ts "n % 1080"),
       CASE n % 6 WHEN 0 THEN 'smb' WHEN 1 THEN 'mid_market' WHEN 2 THEN 'enterprise' WHEN 3 THEN 'education'
         WHEN 4 THEN 'government' ELSE 'nonprofit' END FROM seq;
INSERT INTO products (tenant_id, sku, name, family, provider, billing_model, marketplace, created_at, updated_at)
SELECT $dist, sku, name, 'Bench', provider, model, false, $(ts 0), $(ts 0) FROM (
  SELECT 'AWS-EC2' AS sku, 'Amazon EC2' AS name, 'AWS' AS provider, 'usage' AS model
  UNION ALL SELECT 'AWS-S3', 'Amazon S3', 'AWS', 'usage'
  UNION ALL SELECT 'AZ-VM', 'Azure Virtual Machines', 'Azure', 'usage'
  UNION ALL SELECT 'GCP-GCE', 'Compute Engine', 'Google Cloud', 'usage'
  UNION ALL SELECT 'MS-M365-BP', 'Microsoft 365 Business Premium', 'Microsoft', 'license') AS bench_skus
WHERE sku NOT IN (SELECT sku FROM products WHERE tenant_id = $dist);
SQL
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

token() { # base email password
  curl -sf "$1/api/v1/auth/token" -H 'content-type: application/json' -d "{\"email\":\"$2\",\"password\":\"$3\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

load() { # label url token: measured with each of CONNECTIONS (default "1 4") connections
  local out c
  for c in ${CONNECTIONS:-1 4}; do
  # Warm-up, not measured: the server opens its pool's connections and each prepares its
  # statements during the first seconds under load (on PostgreSQL that alone put p99 at ~100 ms).
  BENCH_TOKEN=$3 wrk -t$(( c < 2 ? 1 : 2 )) -c"$c" -d"${WARMUP:-5s}" -s "$work/auth.lua" "$2" >/dev/null
  out=$(BENCH_TOKEN=$3 wrk -t$(( c < 2 ? 1 : 2 )) -c"$c" -d"$duration" --latency -s "$work/auth.lua" "$2")
  echo "$out" | grep -q "Non-2xx" && { echo "$out"; echo "non-2xx answers for $1"; exit 1; }
  python3 - "$1" "$out" "$c" "$work/latency.tsv" <<'PY'
import re, sys
label, out, conns, record = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
def ms(v):
    n, unit = float(re.match(r"[\d.]+", v).group()), re.search(r"[a-z]+$", v).group()
    return n * {"us": 0.001, "ms": 1, "s": 1000}[unit]
p50 = ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))
p99 = ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
print(f"  {label:<32} {conns} conn.  p50 {p50:8.2f} ms   p99 {p99:8.2f} ms   {rps:9.0f} req/s")
if conns == "1":  # DuckDB is compared with one connection's figures
    open(record, "a").write(f"{label}\t{p50}\t{p99}\n")
PY
  done
}

# GET /insights/raw over 24 months, streamed to wc: its size, time and the server's peak resident
# memory (VmHWM) before and after, which says whether the export held it all in memory.
raw_export() {
  local base=$1 token=$2 pid=$3 to from before after start bytes
  to=$(date -u +%Y-%m)
  from=$(date -u -d "$(date -u +%Y-%m-01) -23 months" +%Y-%m)
  before=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  start=$(date +%s%N)
  bytes=$(curl -sf "$base/api/v1/insights/raw?from=$from&to=$to" -H "authorization: Bearer $token" | wc -c)
  after=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  printf "  %-28s %d MB in %d ms, server peak memory %d MB (%d MB before)\n" "insights raw, distributor" \
    $(( bytes / 1000000 )) $(( ($(date +%s%N) - start) / 1000000 )) $(( after / 1024 )) $(( before / 1024 ))
}

# SQLite databases are kept between runs in $BENCH_DIR (loading 10M lines takes many minutes);
# delete a size's folder there to load it again.
keep=${BENCH_DIR:-target/bench}
for lines in "${sizes[@]}"; do
  # The generated lines are kept too: DuckDB reads the same files (scripts/bench_duckdb.py).
  files="$keep/lines-$lines-$customers-$(date -u +%F)"
  generated=""
  [ -f "$files/done" ] && generated=1
  for db in $databases; do
    export TIERDASH_DATA_DIR="$work/data-$db-$lines"
    [ "$db" = sqlite ] && export TIERDASH_DATA_DIR="$keep/sqlite-$lines-$resellers-$customers"
    unset TIERDASH_DATABASE_URL
    lines_dir=$files
    if [ "$db" = sqlite ] && [ -f "$TIERDASH_DATA_DIR/loaded" ]; then
      echo "$lines lines, $resellers resellers, $customers customers, sqlite: kept from an earlier run ($TIERDASH_DATA_DIR)"
      lines_dir=$(cat "$TIERDASH_DATA_DIR/loaded") # the files it was loaded from
    else
    rm -rf "$TIERDASH_DATA_DIR"
    mkdir -p "$TIERDASH_DATA_DIR"
    [ -n "$generated" ] || { rm -rf "$files"; python3 scripts/gen-bench-lines.py "$lines" "$customers" "$files"; touch "$files/done"; generated=1; }
    if [ "$db" = postgres ]; then
      name="tierdash_bench_home_$$"
      psql "$pg_admin" -qc "drop database if exists $name with (force)" -c "create database $name" >/dev/null
      # No TLS on loopback: sqlx 0.9.0 leaves Nagle's algorithm on, and a large statement over
      # TLS then waits ~40 ms for a delayed ACK (sqlx issue #4335; fixed after 0.9.0).
      export TIERDASH_DATABASE_URL="${pg_admin%/*}/$name?sslmode=disable"
    fi
    "$bin" demo-data >/dev/null
    sql() {
      if [ "$db" = sqlite ]; then sqlite3 "$TIERDASH_DATA_DIR/tierdash.db"; else psql -q "$TIERDASH_DATABASE_URL" -v ON_ERROR_STOP=1 >/dev/null; fi
    }
    dist=$(echo "SELECT id FROM organizations WHERE kind = 'distributor' AND name LIKE 'Northwind%';" |
      if [ "$db" = sqlite ]; then sqlite3 "$TIERDASH_DATA_DIR/tierdash.db"; else psql -Atq "$TIERDASH_DATABASE_URL"; fi)
    orgs_sql "$dist" "$db" | sql
    # One import per billing month, oldest first, as monthly FOCUS exports arrive.
    # Each file's peak memory too (/usr/bin/time): a monthly file into a large tree must stay
    # within the import's memory budget whatever the tree's size.
    start=$(date +%s%N)
    peak=0
    for month_file in "$files"/month-*.csv; do
      file_start=$(date +%s%N)
      /usr/bin/time -f "%M" -o "$work/peak" "$bin" import "$month_file" >/dev/null 2>"$work/import.log" ||
        { tail -5 "$work/import.log"; exit 1; }
      last_ms=$(( ($(date +%s%N) - file_start) / 1000000 ))
      peak=$(( $(tail -1 "$work/peak") > peak ? $(tail -1 "$work/peak") : peak ))
    done
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    echo "$lines lines, $resellers resellers, $customers customers, $db: imported (24 monthly files) in $(( ms / 1000 )) s," \
      "$(( lines * 1000 / ms )) lines/s, peak memory of a file's import $(( peak / 1024 )) MB"
    # The floor: the sqlite3 tool's .import of the same files into a plain table.
    start=$(date +%s%N)
    for month_file in "$files"/month-*.csv; do
      sqlite3 "$work/plain.db" ".mode csv" ".import $month_file lines"
    done
    plain=$(( ($(date +%s%N) - start) / 1000000 ))
    rm -f "$work/plain.db"
    echo "  sqlite3 .import of the same files into a plain table: $(( plain / 1000 )) s; the import takes" \
      "$(awk -v a="$ms" -v b="$plain" 'BEGIN { printf "%.1f", a / b }')× as long"
    if [ "$db" = sqlite ]; then
      # The floor under a monthly file in this tree: SQLite alone writing the rows the last
      # file's import wrote (its lines and every grain's rollup rows), as a new month, on a copy.
      last_month=$(basename "$month_file" .csv); last_month=${last_month#month-}
      new_month=$(date -u -d "$last_month-01 +1 month" +%Y-%m)
      cp --reflink=auto "$TIERDASH_DATA_DIR/tierdash.db" "$work/floor.db"
      read -r floor_s floor_lines floor_rollups < <(python3 scripts/sqlite_floor.py "$work/floor.db" "$last_month" "$new_month")
      rm -f "$work"/floor.db*
      echo "  the last file ($last_month) imported in $(( last_ms )) ms; SQLite alone writing its $floor_lines lines and" \
        "$floor_rollups rollup rows: $(awk -v s="$floor_s" 'BEGIN { printf "%d", s * 1000 }') ms; the import takes" \
        "$(awk -v a="$last_ms" -v s="$floor_s" 'BEGIN { printf "%.1f", a / (s * 1000) }')× as long"
    fi
    # The steady state autovacuum reaches on its own: statistics and the visibility map current
    # (without them PostgreSQL plans with row estimates of 1 and visits every heap page).
    [ "$db" = postgres ] && psql -q "$TIERDASH_DATABASE_URL" -c "VACUUM ANALYZE" >/dev/null
    echo "$files" >"$TIERDASH_DATA_DIR/loaded"
    fi
    # The usage pages read the usage snapshot: updated now for last month, as the scheduled
    # update (turned off below) or cron would after the imports.
    usage_month=$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)
    "$bin" usage refresh --period "$usage_month" >/dev/null
    port=$(free_port)
    # The scheduled usage update runs at start-up and reads two months of lines: at 10M it took a
    # core for the first endpoints measured. Latency is measured without it.
    TIERDASH_BIND="127.0.0.1:$port" TIERDASH_USAGE_REFRESH_SECONDS=0 RUST_LOG=warn "$bin" serve >/dev/null 2>&1 &
    server=$!
    base="http://127.0.0.1:$port"
    for _ in $(seq 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.2; done
    dtoken=$(token "$base" admin@northwind.example tierdash-demo)
    rid=$(curl -sf "$base/api/v1/organizations?q=BENCH-R7&kind=reseller" -H "authorization: Bearer $dtoken" |
      python3 -c 'import json, sys; print([o["id"] for o in json.load(sys.stdin)["items"] if o["external_id"] == "BENCH-R7"][0])')
    curl -sf "$base/api/v1/users" -H "authorization: Bearer $dtoken" -H 'content-type: application/json' \
      -d "{\"org_id\": $rid, \"email\": \"bench@r7.example\", \"name\": \"Bench\", \"role\": \"admin\", \"password\": \"bench-password-1\"}" >/dev/null || true # there already in a kept database
    rtoken=$(token "$base" bench@r7.example bench-password-1)
    # First, so that the server's peak memory (VmHWM) before it is the start-up's.
    for endpoint in ${ENDPOINTS:-raw home partners search insights usage reports}; do
      case $endpoint in
        raw) raw_export "$base" "$dtoken" "$server" ;;
        home)
          load "home, distributor" "$base/api/v1/dashboards/home" "$dtoken"
          load "home, reseller" "$base/api/v1/dashboards/home" "$rtoken" ;;
        # The bench SKUs are in the catalog, so every reseller has units to compare.
        # The console (all its tiles and lists), then the falling units alone: what DuckDB computes.
        partners)
          load "partners, distributor" "$base/api/v1/dashboards/partners" "$dtoken"
          load "decreasing units, distributor" "$base/api/v1/dashboards/partners/decreasing-units" "$dtoken" ;;
        search) load "search, distributor" "$base/api/v1/search?q=bench%20customer%2012" "$dtoken" ;;
        insights)
          load "insights summary, distributor" "$base/api/v1/insights/summary" "$dtoken"
          load "adds-churns, distributor" "$base/api/v1/insights/adds-churns" "$dtoken"
          load "insights products, distributor" "$base/api/v1/insights/products" "$dtoken"
          load "insights geography, distributor" "$base/api/v1/insights/geography" "$dtoken"
          load "insights segments, distributor" "$base/api/v1/insights/segments" "$dtoken"
          load "revenue trend, distributor" "$base/api/v1/insights/revenue-trend" "$dtoken"
          load "agreements, distributor" "$base/api/v1/insights/agreements" "$dtoken" ;;
        usage)
          load "usage summary, distributor" "$base/api/v1/usage/summary?period=$usage_month" "$dtoken"
          load "usage resellers, distributor" "$base/api/v1/usage/resellers?period=$usage_month" "$dtoken"
          load "usage reseller, distributor" "$base/api/v1/usage/resellers/$rid?period=$usage_month" "$dtoken"
          load "usage sites, distributor" "$base/api/v1/usage/organizations?period=$usage_month" "$dtoken" ;;
        # The reports behind Home's menus.
        reports)
          load "revenue report, distributor" "$base/api/v1/dashboards/home/revenue" "$dtoken"
          load "revenue customers, distributor" "$base/api/v1/dashboards/home/revenue/customers" "$dtoken"
          load "projection report, distributor" "$base/api/v1/dashboards/home/projection" "$dtoken"
          load "revenue overview, distributor" "$base/api/v1/dashboards/home/overview" "$dtoken" ;;
      esac
    done
    # DuckDB over the same raw lines, its figures checked against the server's (DUCKDB=0: not).
    if [ "$db" = sqlite ] && [ "${DUCKDB:-1}" != 0 ]; then
      echo "  DuckDB side by side (one connection's p50 against DuckDB's):"
      .venv/bin/python scripts/bench_duckdb.py "$TIERDASH_DATA_DIR/tierdash.db" "$lines_dir" "$base" "$dtoken" "$work/latency.tsv"
    fi
    rm -f "$work/latency.tsv"
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
    if [ "$db" = postgres ]; then
      psql "$pg_admin" -qc "drop database $name with (force)" >/dev/null
      rm -rf "$TIERDASH_DATA_DIR"
    fi
  done
done
