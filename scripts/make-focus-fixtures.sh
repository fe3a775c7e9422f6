#!/usr/bin/env bash
# Regenerates the FOCUS test fixtures in crates/server/tests/fixtures/focus/ with the pinned
# focus-data-toolkit and duckdb of scripts/requirements-dev.txt (`make venv` installs them):
#   {aws,azure,gcp}-1.2.csv, {aws,azure,gcp}-1.3.csv  the toolkit's generators (Cost and Usage)
#   {aws,azure,gcp}-1.4.csv                           the 1.3 files converted by `focus-toolkit
#                                                     convert` (strict mode), Cost and Usage dataset
#   aws-1.4.parquet (snappy), gcp-1.3.zstd.parquet    duckdb copies of aws-1.4.csv and gcp-1.3.csv
#   focus-1.0-sample.csv                              scripts/make-focus-1-0-sample.py (stdlib only)
# Deterministic: the same ROWS and SEED give the same bytes.
#
# usage: scripts/make-focus-fixtures.sh        (ROWS=60 SEED=42 by default; both can be set)
set -euo pipefail

cd "$(dirname "$0")/.."
VENV=.venv/bin
OUT=crates/server/tests/fixtures/focus
# 60 rows keep every file under 100 KB (the toolkit writes about 0.9-1.4 KB a row); with seed 42
# each generated file still has Usage, Purchase, Tax and Credit rows.
ROWS=${ROWS:-60}
SEED=${SEED:-42}

[ -x "$VENV/focus-toolkit" ] && [ -x "$VENV/python" ] || { echo "run 'make venv' first" >&2; exit 1; }
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for provider in aws azure gcp; do
    for version in 1.2 1.3; do
        # The generator modules' own entry point: unlike `focus-toolkit generate` it can add Credit
        # rows (--include-credits); otherwise the same generator and the same rows.
        module=focus_data_toolkit.generators.generate_${provider}_focus_${version/./_}
        "$VENV/python" -m "$module" --rows "$ROWS" --seed "$SEED" --include-credits \
            --out "$OUT/$provider-$version.csv"
    done
    # FOCUS 1.4: the toolkit only converts, so convert the 1.3 file with its Contract Commitment
    # dataset (same rows, seed and options). Strict mode fills nothing it cannot derive; of the four
    # 1.4 datasets only Cost and Usage can be made from this source, which the pipeline exit policy
    # accepts (the default policy exits 3 for the three datasets not produced).
    "$VENV/python" -m "focus_data_toolkit.generators.generate_${provider}_focus_1_3" \
        --dataset contract_commitment --rows "$ROWS" --seed "$SEED" --include-credits \
        --out "$tmp/$provider-1.3-contract-commitment.csv"
    "$VENV/focus-toolkit" convert --cost-and-usage "$OUT/$provider-1.3.csv" \
        --contract-commitment "$tmp/$provider-1.3-contract-commitment.csv" \
        --mode strict --exit-policy pipeline --out "$tmp/$provider-1.4"
    cp "$tmp/$provider-1.4/focus_1_4_cost_and_usage.csv" "$OUT/$provider-1.4.csv"
done

# Parquet copies: every column as duckdb's CSV sniffer types it (no casts), one thread so that
# the row order and the bytes are the same on every run.
"$VENV/python" - "$OUT" <<'EOF'
import sys

import duckdb

out = sys.argv[1]
con = duckdb.connect()
con.execute("SET threads = 1")
for src, dst, codec in (("aws-1.4.csv", "aws-1.4.parquet", "snappy"),
                        ("gcp-1.3.csv", "gcp-1.3.zstd.parquet", "zstd")):
    con.execute(f"COPY (SELECT * FROM read_csv('{out}/{src}')) TO '{out}/{dst}' "
                f"(FORMAT parquet, COMPRESSION {codec})")
    print(f"wrote {out}/{dst} ({codec})")
EOF

python3 scripts/make-focus-1-0-sample.py "$OUT/focus-1.0-sample.csv"
ls -l "$OUT"
