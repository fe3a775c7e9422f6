"""What SQLite alone takes to write the rows of one monthly file's import: the floor under
`tierdash import` of that file, the rest being reading, rating, summing and handing statements
over. Used by scripts/bench-home.sh on a copy of a loaded database.

    python3 scripts/sqlite_floor.py DB MONTH NEW_MONTH

Every row the import of MONTH's file wrote (its line items, those of the database's last import,
and the month's rollup rows in every grain) is copied as NEW_MONTH's, a month the tree has no row in yet, as a monthly export's file is: the
rows are staged in memory first, then written in one transaction on a connection with the
import's settings (WAL, `synchronous = NORMAL`, a 12 MiB page cache) and timed, commit included. Lines go in the file's order, rollup
rows in their grain's key order, as the import writes them. Prints: seconds, lines, rollup rows.
"""

import sqlite3
import sys
import time

# The tables an import writes a row per key into (docs/data-model.md), lines first.
TABLES = [
    "billing_line_items",
    "monthly_rollups",
    "daily_rollups",
    "customer_month_rollups",
    "service_month_rollups",
    "reseller_product_rollups",
    "reseller_month_rollups",
    "segment_month_rollups",
]
IMPORT_CACHE_KIB = 12 * 1024


def main() -> None:
    path, month, new_month = sys.argv[1:4]
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA temp_store = MEMORY")
    db.execute("PRAGMA synchronous = NORMAL")  # as every Tierdash connection
    db.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    inserts = []
    counts = {}
    for table in TABLES:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})") if row[1] != "id"]
        values = []
        for column in columns:
            if column == "month":
                values.append(f"'{new_month}' AS month")
            elif column == "day":
                values.append(f"replace(day, '{month}', '{new_month}') AS day")
            elif column == "line_item_id":
                values.append(f"'{new_month}-' || line_item_id AS line_item_id")
            else:
                values.append(column)
        if table == "billing_line_items":
            # The file's lines: those of the last import (the month may hold others' too).
            where, order = "AND batch_id = (SELECT max(batch_id) FROM billing_line_items)", "id"
        else:
            where, order = "", ", ".join(grain_key(db, table))
        db.execute(
            f"CREATE TEMP TABLE staged_{table} AS SELECT {', '.join(values)} FROM {table} "
            f"WHERE month = ? {where} ORDER BY {order}",
            (month,),
        )
        counts[table] = db.execute(f"SELECT count(*) FROM staged_{table}").fetchone()[0]
        cols = ", ".join(columns)
        inserts.append(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM temp.staged_{table} ORDER BY rowid")
    start = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    for insert in inserts:
        db.execute(insert)
    db.execute("COMMIT")
    seconds = time.perf_counter() - start
    rollups = sum(n for table, n in counts.items() if table != "billing_line_items")
    print(f"{seconds:.3f} {counts['billing_line_items']} {rollups}")


def grain_key(db: sqlite3.Connection, table: str) -> list[str]:
    """The columns of the table's unique grain index, in order."""
    for row in db.execute(f"PRAGMA index_list({table})"):
        name, unique = row[1], row[2]
        if unique and name.startswith("ux_"):
            return [info[2] for info in db.execute(f"PRAGMA index_info({name})")]
    raise SystemExit(f"{table} has no unique grain index")


if __name__ == "__main__":
    main()
