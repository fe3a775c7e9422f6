#!/usr/bin/env python3
"""The dashboards' figures computed by DuckDB from the same raw lines, beside Tierdash's latency.

scripts/bench-home.sh runs this after measuring the server with wrk. DuckDB (2 threads, in
process, no HTTP) loads the benchmark's monthly FOCUS files into memory (not timed), then each
endpoint's figures are computed by one query over the raw lines joined to the organisations and
the catalog, as an analyst would on the export, RUNS times; its p50 is printed beside the
endpoint's p50 / p99 from wrk (LATENCY_FILE) with the ratio. Every figure DuckDB computes is also
compared with the one the server answers: a difference fails the benchmark.

The demo's own lines (a few hundred, imported before the benchmark's files) are read from the
database already rated and joined in, so both sides count the same lines.

usage: bench_duckdb.py DB LINES_DIR BASE_URL TOKEN LATENCY_FILE   (RUNS, default 5)
"""
import csv
import datetime
import decimal
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.request

import duckdb

db_path, lines_dir, base, token, latency_file = sys.argv[1:6]
runs = int(os.environ.get("RUNS", "5"))
CENT = decimal.Decimal("0.01")


def money(v):
    return decimal.Decimal(str(v)).quantize(CENT, rounding=decimal.ROUND_HALF_EVEN)


def fetch(path):
    """The server's answer to GET `path` as the distributor, as text."""
    req = urllib.request.Request(base + path, headers={"authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req) as r:
        return r.read().decode()


def api(path):
    return json.loads(fetch(path))


today = datetime.datetime.now(datetime.timezone.utc).date()
month = today.strftime("%Y-%m")


def add_months(m, n):
    y, mm = int(m[:4]), int(m[5:7]) - 1 + n
    return f"{y + mm // 12:04d}-{mm % 12 + 1:02d}"


range_from = add_months(month, -11)
previous = add_months(month, -1)

# ---- dimensions and the demo's lines, from the database (not timed) ----------------------------
src = sqlite3.connect(db_path)
tenant = src.execute("SELECT id FROM organizations WHERE kind = 'distributor' AND name LIKE 'Northwind%'").fetchone()[0]
tmp = tempfile.mkdtemp()


def dump(name, sql, header):
    path = os.path.join(tmp, name + ".csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(src.execute(sql, (tenant,)))
    return path


orgs = dump("orgs", "SELECT id, kind, parent_id, external_id, name, country, segment, substr(created_at, 1, 10),"
            " substr(closed_at, 1, 10) FROM organizations WHERE tenant_id = ?",
            ["id", "kind", "parent_id", "external_id", "name", "country", "segment", "created", "closed"])
products = dump("products", "SELECT id, sku, family FROM products WHERE tenant_id = ?", ["id", "sku", "family"])
# Chargeable units as R11 counts them: PricingQuantity, else ConsumedQuantity, else 0.
demo = dump("demo_lines", "SELECT customer_id, reseller_id, product_id, substr(day, 1, 10), charge_category, billed_usd,"
            " effective_usd, marketplace, coalesce(nullif(quantity, ''), nullif(consumed_quantity, ''), '0'),"
            " provider, service, coalesce(nullif(consumed_quantity, ''), '0')"
            " FROM billing_line_items WHERE tenant_id = ? AND rated AND coalesce(line_item_id, '') NOT LIKE 'bench-%'",
            ["customer_id", "reseller_id", "product_id", "day", "category", "billed", "effective", "marketplace", "units",
             "provider", "service", "consumed"])
src.close()

con = duckdb.connect()
con.execute("SET threads = 2")
con.execute(f"CREATE TABLE orgs AS SELECT * FROM read_csv('{orgs}', header = true, types = "
             "{'created': 'DATE', 'closed': 'DATE', 'parent_id': 'BIGINT'})")
con.execute(f"CREATE TABLE products AS SELECT * FROM read_csv('{products}', header = true)")
con.execute(f"CREATE TABLE demo_lines AS SELECT * FROM read_csv('{demo}', header = true, types = "
            "{'billed': 'DECIMAL(38,10)', 'effective': 'DECIMAL(38,10)', 'day': 'DATE', 'product_id': 'BIGINT',"
            " 'units': 'DECIMAL(38,10)', 'consumed': 'DECIMAL(38,10)'})")
started = time.time()
con.execute(f"CREATE TABLE raw AS SELECT * FROM read_csv('{lines_dir}/month-*.csv', header = true, types = "
            "{'BilledCost': 'DECIMAL(18,2)', 'EffectiveCost': 'DECIMAL(18,2)', 'ChargePeriodStart': 'DATE',"
            " 'x_Marketplace': 'BOOLEAN', 'PricingQuantity': 'DECIMAL(18,4)'})")
raw_rows = con.execute("SELECT count(*) FROM raw").fetchone()[0]
print(f"  DuckDB loaded {raw_rows:,} raw lines in {time.time() - started:.1f} s (not timed below)")

# Every rated line of the tenant as the analyst would keep it: the raw files' lines joined once to
# their customer (BillingAccountId = the customer's external id) and the catalog, with the demo's
# (not timed: DuckDB's best case, each query then reads one table).
started = time.time()
con.execute("""
  CREATE TABLE lines AS
  SELECT c.parent_id AS reseller_id, c.id AS customer_id, r.ChargePeriodStart AS day, strftime(r.ChargePeriodStart, '%Y-%m') AS month, r.ChargeCategory AS category,
         r.BilledCost::DECIMAL(38,10) AS billed, r.EffectiveCost::DECIMAL(38,10) AS effective,
         r.x_Marketplace AS marketplace, coalesce(p.family, 'Unmapped') AS family,
         coalesce(r.PricingQuantity, 0)::DECIMAL(38,10) AS units, p.sku AS sku,
         r.ProviderName AS provider, r.ServiceName AS service, 0::DECIMAL(38,10) AS consumed
    FROM raw r JOIN orgs c ON c.kind = 'customer' AND c.external_id = r.BillingAccountId
    LEFT JOIN products p ON p.sku = r.SkuId
  UNION ALL
  SELECT d.reseller_id, d.customer_id, d.day, strftime(d.day, '%Y-%m'), d.category, d.billed, d.effective, d.marketplace,
         coalesce(p.family, 'Unmapped'), d.units, p.sku, d.provider, d.service, d.consumed
    FROM demo_lines d LEFT JOIN products p ON p.id = d.product_id""")
con.execute("DROP TABLE raw")
print(f"  DuckDB joined them to customers and products in {time.time() - started:.1f} s (not timed below)")
LINES = f"lines WHERE day <= DATE '{today}'"
MONTH = "month"


def q(sql):
    return con.execute(sql).fetchall()


def home():
    rows = q(f"""
      SELECT sum(billed) FILTER (WHERE {MONTH} = '{month}'),
             sum(effective) FILTER (WHERE {MONTH} = '{month}'),
             sum(billed) FILTER (WHERE {MONTH} = '{month}' AND category <> 'Usage'),
             sum(billed) FILTER (WHERE {MONTH} = '{month}' AND category = 'Usage'),
             sum(billed) FILTER (WHERE {MONTH} = '{month}' AND marketplace),
             sum(billed) FILTER (WHERE {MONTH} = '{previous}' AND marketplace)
        FROM (SELECT * FROM {LINES}) WHERE category <> 'Tax'""")[0]
    revenue, cost, non_usage, usage, mkt, mkt_prev = (v or decimal.Decimal(0) for v in rows)
    days = (datetime.date(today.year + today.month // 12, today.month % 12 + 1, 1) - today.replace(day=1)).days
    projected = non_usage + usage * days / today.day
    return {"revenue": money(revenue), "cost": money(cost), "projected": money(projected),
            "marketplace": money(mkt), "marketplace previous": money(mkt_prev)}


def home_api():
    h = api("/api/v1/dashboards/home")
    return {"revenue": money(h["current_month_revenue"]["total"]), "cost": money(h["current_month_revenue"]["cost"]),
            "projected": money(h["projected_monthly_revenue"]["value"]), "marketplace": money(h["marketplace_spend"]["current"]),
            "marketplace previous": money(h["marketplace_spend"]["previous"])}


def revenue_report():
    """This month's revenue and cost by service (every category but Tax), and its customer accounts."""
    in_month = f"{LINES} AND {MONTH} = '{month}' AND category <> 'Tax'"
    rows = q(f"SELECT service, sum(billed), sum(effective) FROM {in_month} GROUP BY service")
    customers = q(f"SELECT count(DISTINCT customer_id) FROM {in_month}")[0][0]
    total = sum((r[1] for r in rows), decimal.Decimal(0)), sum((r[2] for r in rows), decimal.Decimal(0))
    return {"total": (money(total[0]), money(total[1])), "customers": customers,
            "services": {service: (money(billed), money(effective)) for service, billed, effective in rows}}


def revenue_report_api():
    r = api("/api/v1/dashboards/home/revenue")
    return {"total": (money(r["total"]["total"]), money(r["total"]["cost"])), "customers": r["customers"],
            "services": {k: (money(v["total"]), money(v["cost"])) for k, v in r["by_service"].items()}}


def projection_report():
    """This month's projection by provider and service: non-usage as billed, usage scaled to the month."""
    days = (datetime.date(today.year + today.month // 12, today.month % 12 + 1, 1) - today.replace(day=1)).days
    rows = q(f"""SELECT provider, service, sum(billed) FILTER (WHERE category <> 'Usage'),
                        sum(billed) FILTER (WHERE category = 'Usage')
                   FROM {LINES} AND {MONTH} = '{month}' AND category <> 'Tax' GROUP BY ALL""")
    out = {}
    for provider, service, non_usage, usage in rows:
        non_usage, usage = non_usage or decimal.Decimal(0), usage or decimal.Decimal(0)
        out[(provider, service)] = (money(non_usage), money(usage), money(non_usage + usage * days / today.day))
    return out


def projection_report_api():
    r = api("/api/v1/dashboards/home/projection")
    return {(row["provider"], row["service"]): (money(row["non_usage"]), money(row["usage_to_date"]), money(row["projected"]))
            for row in r["rows"] or []}


def revenue_overview():
    """Twelve months' revenue by provider, the ten largest customers and services over them."""
    in_range = f"{LINES} AND {MONTH} >= '{range_from}' AND category <> 'Tax'"
    months = q(f"SELECT {MONTH}, provider, sum(billed), sum(effective) FROM {in_range} GROUP BY ALL")

    def top(key):
        # Ties go by name; two customers of one name by their id after it, as the server ranks them.
        return [(name.split(chr(0))[0], money(b), money(e)) for name, b, e in q(
            f"SELECT {key}, sum(billed) AS b, sum(effective) FROM {in_range} GROUP BY ALL ORDER BY b DESC, 1 LIMIT 10")]

    return {"months": {(m, p): (money(b), money(e)) for m, p, b, e in months},
            "customers": top("(SELECT name FROM orgs WHERE id = customer_id) || chr(0) || customer_id"),
            "services": top("service")}


def revenue_overview_api():
    r = api("/api/v1/dashboards/home/overview")

    def ranked(rows):
        return [(x["name"], money(x["total"]), money(x["cost"])) for x in rows]

    return {"months": {(m["month"], p): (money(f["total"]), money(f["cost"])) for m in r["months"]
                       for p, f in m["by_provider"].items()},
            "customers": ranked(r["top_customers"]), "services": ranked(r["top_services"])}


# Per reseller and month, revenue but Tax: the history transacting, new and churned read.
RESELLER_MONTHS = f"""(SELECT reseller_id, {MONTH} AS month, sum(billed) AS revenue FROM {LINES}
   AND category <> 'Tax' AND reseller_id IS NOT NULL GROUP BY ALL HAVING sum(billed) <> 0)"""


def summary():
    rows = q(f"""
      WITH rm AS {RESELLER_MONTHS},
           firsts AS (SELECT reseller_id, min(month) AS first FROM rm GROUP BY 1),
           fam AS (SELECT {MONTH} AS month, family, sum(billed) AS revenue FROM {LINES} AND category <> 'Tax'
                   AND {MONTH} >= '{range_from}' GROUP BY ALL)
      SELECT m.month, (SELECT count(*) FROM rm WHERE rm.month = m.month),
             (SELECT count(*) FROM firsts WHERE first = m.month),
             (SELECT sum(revenue) FROM fam WHERE fam.month = m.month),
             (SELECT list(family || '=' || revenue::VARCHAR) FROM fam WHERE fam.month = m.month AND revenue <> 0)
        FROM (SELECT DISTINCT month FROM rm WHERE month >= '{range_from}') m ORDER BY 1""")
    out = {}
    for m, transacting, new, revenue, fams in rows:
        out[m] = {"transacting": transacting, "new": new, "revenue": money(revenue or 0),
                  "families": {f.split("=")[0]: money(f.split("=")[1]) for f in fams or []}}
    return out


def summary_api():
    s = api("/api/v1/insights/summary")
    return {m["month"]: {"transacting": m["transacting"], "new": m["new"], "revenue": money(m["revenue"]),
                         "families": {k: money(v) for k, v in m["revenue_by_family"].items() if money(v) != 0}}
            for m in s["months"] if m["transacting"]}


def adds_churns():
    # churned(m): the last transacting month before m is m-7.
    rows = q(f"""
      WITH rm AS {RESELLER_MONTHS},
           months AS (SELECT strftime(d, '%Y-%m') AS month FROM range(DATE '{range_from}-01', DATE '{month}-01'
                      + INTERVAL 1 MONTH, INTERVAL 1 MONTH) t(d))
      SELECT months.month,
             (SELECT count(*) FROM rm WHERE rm.month = strftime(strptime(months.month, '%Y-%m') - INTERVAL 1 MONTH, '%Y-%m')),
             (SELECT count(*) FROM (SELECT reseller_id, max(month) AS last FROM rm WHERE rm.month < months.month
                GROUP BY 1) WHERE last = strftime(strptime(months.month, '%Y-%m') - INTERVAL 7 MONTH, '%Y-%m'))
        FROM months ORDER BY 1""")
    return {m: {"existing": e, "churned": c} for m, e, c in rows}


def adds_churns_api():
    return {m["month"]: {"existing": m["existing"], "churned": m["churned"]}
            for m in api("/api/v1/insights/adds-churns")["months"]}


def top_five(totals):
    """Ranked by revenue over the range, ties by name; past five the rest summed as "Others"."""
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    out = {k: money(v) for k, v in ranked[:5]}
    if len(ranked) > 5:
        out["Others"] = money(sum(v for _, v in ranked[5:]))
    return out


def geography():
    rows = q(f"""
      SELECT coalesce(r.country, 'Unknown'), sum(l.billed)
        FROM (SELECT reseller_id, sum(billed) AS billed FROM {LINES} AND category <> 'Tax' AND {MONTH} >= '{range_from}'
              AND reseller_id IS NOT NULL GROUP BY 1) l JOIN orgs r ON r.id = l.reseller_id GROUP BY 1""")
    return top_five(dict(rows))


def segments():
    rows = q(f"""
      SELECT coalesce(c.segment, 'Unknown'), sum(l.billed)
        FROM (SELECT customer_id, sum(billed) AS billed FROM {LINES} AND category <> 'Tax' AND {MONTH} >= '{range_from}'
              GROUP BY 1) l JOIN orgs c ON c.id = l.customer_id GROUP BY 1""")
    return top_five(dict(rows))


def products():
    rows = q(f"""SELECT family, sum(billed) FROM {LINES} AND category <> 'Tax' AND {MONTH} >= '{range_from}'
                  GROUP BY 1""")
    return top_five(dict(rows))


def top_five_api(view):
    """The range totals of a view's `revenue_top5` (the pie), as the server answers them."""
    return lambda: {k: money(v) for k, v in api(f"/api/v1/insights/{view}")["revenue_top5"]["range_totals"].items()}


def revenue_trend():
    rows = q(f"""
      SELECT r.name, l.revenue
        FROM (SELECT reseller_id, sum(billed) AS revenue FROM {LINES} AND category <> 'Tax'
              AND {MONTH} >= '{range_from}' AND reseller_id IS NOT NULL GROUP BY 1) l
        JOIN orgs r ON r.id = l.reseller_id ORDER BY 2 DESC, 1 LIMIT 10""")
    return {name: money(v) for name, v in rows}


def revenue_trend_api():
    t = api("/api/v1/insights/revenue-trend?sort=-revenue&per_page=10")
    return {r["name"]: money(r["revenue"]) for r in t["items"]}


def falling_units():
    """Partners: per SKU and reseller, chargeable units of the last complete month against the month
    before, listed when they fell by more than 10 % (exact: (before − last) × 100 > 10 × before)."""
    last, before = add_months(month, -1), add_months(month, -2)
    rows = q(f"""
      SELECT sku, reseller_id, coalesce(b, 0), coalesce(l, 0)
        FROM (SELECT sku, reseller_id, sum(units) FILTER (WHERE month = '{before}') AS b,
                     sum(units) FILTER (WHERE month = '{last}') AS l
                FROM lines WHERE month IN ('{before}', '{last}') AND sku IS NOT NULL
                 AND reseller_id IN (SELECT id FROM orgs WHERE kind = 'reseller') GROUP BY ALL)
       WHERE coalesce(b, 0) > 0 AND (coalesce(b, 0) - coalesce(l, 0)) * 100 > 10 * coalesce(b, 0)""")
    return {f"{sku} {reseller}": (b.normalize(), l.normalize()) for sku, reseller, b, l in rows}


def falling_units_api():
    rows = csv.DictReader(fetch("/api/v1/dashboards/partners/decreasing-units?format=csv").splitlines())
    return {f"{row['sku']} {row['reseller_id']}":
            (decimal.Decimal(row["previous_units"]).normalize(), decimal.Decimal(row["last_units"]).normalize())
            for row in rows}


def usage_summary():
    """Last month's usage summary: per service (provider, service) the consumed quantity, the
    chargeable units, revenue and lines of the rated lines but Tax; the resellers (a distributor's
    own customers are not one) and customers with such lines, and the totals."""
    where = f"{LINES} AND category <> 'Tax' AND month = '{previous}'"
    services = {f"{p} / {s}": (c.normalize(), u.normalize(), money(r), n) for p, s, c, u, r, n in q(f"""
      SELECT provider, service, sum(consumed), sum(units), sum(billed), count(*) FROM {where} GROUP BY ALL""")}
    resellers, customers, lines, revenue = q(f"""
      SELECT count(DISTINCT reseller_id) FILTER (WHERE reseller_id <> {tenant}), count(DISTINCT customer_id), count(*),
             sum(billed) FROM {where}""")[0]
    return {"services": services, "resellers": resellers, "customers": customers, "lines": lines,
            "revenue": money(revenue or 0)}


def usage_summary_api():
    u = api(f"/api/v1/usage/summary?period={previous}")
    dec = lambda v: decimal.Decimal(v).normalize()
    services = {f"{s['provider']} / {s['service']}": (dec(s["consumed_quantity"]), dec(s["chargeable_units"]),
                                                      money(s["revenue"]), s["line_count"]) for s in u["services"]}
    return {"services": services, "resellers": u["resellers"], "customers": u["customers"], "lines": u["line_count"],
            "revenue": money(u["revenue"])}


def usage_resellers():
    """The reseller usage tab's first page (50 resellers by name, with or without usage): per
    reseller the services with usage last month, its customers with usage, lines and revenue, of
    the rated lines but Tax."""
    rows = q(f"""
      WITH page AS (SELECT id FROM orgs WHERE kind = 'reseller' ORDER BY name, id LIMIT 50),
           used AS (SELECT * FROM {LINES} AND category <> 'Tax' AND month = '{previous}')
      SELECT p.id, list_sort(list_distinct(list(u.service))), count(DISTINCT u.customer_id), count(u.customer_id),
             sum(u.billed)
        FROM page p LEFT JOIN used u ON u.reseller_id = p.id GROUP BY p.id""")
    return {r: (list(s), c, n, money(b or 0)) for r, s, c, n, b in rows}


def usage_resellers_api():
    page = api(f"/api/v1/usage/resellers?period={previous}")
    return {r["id"]: (sorted(r["services"]), r["customers"], r["line_count"], money(r["revenue"]))
            for r in page["items"]}


bench_reseller = q("SELECT id FROM orgs WHERE kind = 'reseller' AND external_id = 'BENCH-R7'")[0][0]


def usage_reseller():
    """One reseller's usage overview (BENCH-R7's, last month), of the rated lines but Tax: per
    service the consumed quantity, chargeable units, revenue and lines; per provider the customers,
    services, lines and revenue; its customers with usage, and the 100 with the most lines (then
    by name) with their lines and revenue."""
    where = f"{LINES} AND category <> 'Tax' AND month = '{previous}' AND reseller_id = {bench_reseller}"
    services = {f"{p} / {s}": (c.normalize(), u.normalize(), money(r), n) for p, s, c, u, r, n in q(f"""
      SELECT provider, service, sum(consumed), sum(units), sum(billed), count(*) FROM {where} GROUP BY ALL""")}
    resources = {p: (c, s, n, money(r)) for p, c, s, n, r in q(f"""
      SELECT provider, count(DISTINCT customer_id), count(DISTINCT service), count(*), sum(billed)
        FROM {where} GROUP BY ALL""")}
    customers = q(f"SELECT count(DISTINCT customer_id) FROM {where}")[0][0]
    top = [(c, n, money(r)) for c, n, r in q(f"""
      SELECT u.customer_id, count(*) AS n, sum(u.billed) FROM (SELECT * FROM {where}) u JOIN orgs o ON o.id = u.customer_id
       GROUP BY u.customer_id, o.name ORDER BY n DESC, o.name LIMIT 100""")]
    return {"services": services, "resources": resources, "customers": customers, "top": top}


def usage_reseller_api():
    o = api(f"/api/v1/usage/resellers/{bench_reseller}?period={previous}")
    dec = lambda v: decimal.Decimal(v).normalize()
    services = {f"{s['provider']} / {s['service']}": (dec(s["consumed_quantity"]), dec(s["chargeable_units"]),
                                                      money(s["revenue"]), s["line_count"]) for s in o["services"]}
    resources = {r["provider"]: (r["customers"], r["services"], r["line_count"], money(r["revenue"]))
                 for r in o["resources"]}
    top = [(c["id"], c["line_count"], money(c["revenue"])) for c in o["customers"]]
    return {"services": services, "resources": resources, "customers": o["customers_total"], "top": top}


def usage_organizations():
    """The organisation-site list's first page (50 customers with usage last month, by name): per
    customer its usage per service (consumed quantity, chargeable units, revenue, lines), of the
    rated lines but Tax."""
    rows = q(f"""
      WITH used AS (SELECT * FROM {LINES} AND category <> 'Tax' AND month = '{previous}'),
           page AS (SELECT id FROM orgs WHERE kind = 'customer' AND id IN (SELECT customer_id FROM used)
                     ORDER BY name, id LIMIT 50)
      SELECT p.id, u.provider, u.service, sum(u.consumed), sum(u.units), sum(u.billed), count(*)
        FROM page p JOIN used u ON u.customer_id = p.id GROUP BY ALL""")
    out = {}
    for customer, provider, service, consumed, units, revenue, lines in rows:
        out.setdefault(customer, {})[f"{provider} / {service}"] = (consumed.normalize(), units.normalize(),
                                                                  money(revenue), lines)
    return out


def usage_organizations_api():
    page = api(f"/api/v1/usage/organizations?period={previous}")
    dec = lambda v: decimal.Decimal(v).normalize()
    return {c["id"]: {f"{s['provider']} / {s['service']}": (dec(s["consumed_quantity"]), dec(s["chargeable_units"]),
                                                            money(s["revenue"]), s["line_count"])
                      for s in c["services"]}
            for c in page["items"]}


CHECKS = [
    ("partners, distributor", falling_units, falling_units_api),
    ("decreasing units, distributor", falling_units, falling_units_api),
    ("home, distributor", home, home_api),
    ("revenue report, distributor", revenue_report, revenue_report_api),
    ("projection report, distributor", projection_report, projection_report_api),
    ("revenue overview, distributor", revenue_overview, revenue_overview_api),
    ("insights summary, distributor", summary, summary_api),
    ("adds-churns, distributor", adds_churns, adds_churns_api),
    ("insights products, distributor", products, top_five_api("products")),
    ("insights geography, distributor", geography, top_five_api("geography")),
    ("insights segments, distributor", segments, top_five_api("segments")),
    ("revenue trend, distributor", revenue_trend, revenue_trend_api),
    ("usage summary, distributor", usage_summary, usage_summary_api),
    ("usage resellers, distributor", usage_resellers, usage_resellers_api),
    ("usage reseller, distributor", usage_reseller, usage_reseller_api),
    ("usage sites, distributor", usage_organizations, usage_organizations_api),
]

latency = {}
if os.path.exists(latency_file):
    for line in open(latency_file):
        label, p50, p99 = line.rstrip("\n").split("\t")
        latency[label] = (float(p50), float(p99))

def leaves(figures):
    if isinstance(figures, dict):
        return sum(leaves(v) for v in figures.values())
    if isinstance(figures, list):
        return sum(leaves(v) for v in figures)
    return len(figures) if isinstance(figures, tuple) else 1


failed = []
for label, duck, ours in CHECKS:
    times, figures = [], None
    for _ in range(runs):
        t = time.perf_counter()
        figures = duck()
        times.append((time.perf_counter() - t) * 1000)
    expected = ours()
    if figures != expected:
        failed.append(label)
        print(f"  {label}: DuckDB and Tierdash differ\n    DuckDB:   {figures}\n    Tierdash: {expected}")
    duck_p50 = statistics.median(times)
    if label in latency:
        p50, p99 = latency[label]
        ratio = duck_p50 / p50
        ratio = f"{ratio:6.1f}" if ratio >= 1 else f"{ratio:6.2f}"  # a report slower than DuckDB
        print(f"  {label:<32} Tierdash p50 {p50:7.2f} / p99 {p99:7.2f} ms   DuckDB p50 {duck_p50:8.1f} ms"
              f"   {ratio}×   {'same ' + str(leaves(figures)) + ' figures' if label not in failed else 'DIFFERENT'}")
    else:
        print(f"  {label:<32} DuckDB p50 {duck_p50:8.1f} ms (Tierdash not measured in this run)   "
              f"{'same ' + str(leaves(figures)) + ' figures' if label not in failed else 'DIFFERENT'}")
sys.exit(1 if failed else 0)
