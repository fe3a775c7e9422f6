#!/usr/bin/env python3
"""Writes N FOCUS billing lines spread over the 24 months ending today (UTC), for the customers
BENCH-C1..BENCH-C<customers> that scripts/bench-home.sh creates, with the demo's SKUs: one CSV
per billing month in OUT_DIR (month-YYYY-MM.csv), the way providers export FOCUS data, so that
the benchmark imports them month by month as a distributor would. Deterministic for the same
arguments and day.

usage: scripts/gen-bench-lines.py N CUSTOMERS OUT_DIR
"""
import datetime
import os
import random
import sys

n, customers, out_dir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(7)
today = datetime.datetime.now(datetime.timezone.utc).date()
months = []
y, m = today.year, today.month
for _ in range(24):
    months.append((y, m))
    y, m = (y, m - 1) if m > 1 else (y - 1, 12)
skus = [("AWS-EC2", "AWS", "Amazon EC2"), ("AWS-S3", "AWS", "Amazon S3"), ("AZ-VM", "Azure", "Azure Virtual Machines"),
        ("GCP-GCE", "Google Cloud", "Compute Engine"), ("MS-M365-BP", "Microsoft", "Microsoft 365 Business Premium")]
cats = ["Usage"] * 7 + ["Purchase", "Credit", "Tax"]
os.makedirs(out_dir, exist_ok=True)
files = {}
for year, month in months:
    f = open(os.path.join(out_dir, f"month-{year:04d}-{month:02d}.csv"), "w", buffering=1 << 20)
    f.write("BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,BillingCurrency,"
            "ChargeCategory,ProviderName,ServiceName,SkuId,PricingQuantity,x_Marketplace,x_LineItemId\n")
    files[(year, month)] = f
for i in range(n):
    sku, provider, service = skus[rng.randrange(len(skus))]
    year, month = months[rng.randrange(24)]
    last = today.day if (year, month) == (today.year, today.month) else 28
    day = 1 + rng.randrange(last)
    cents = rng.randrange(1, 50000)
    cat = cats[i % 10]
    sign = "-" if cat == "Credit" else ""
    start = f"{year:04d}-{month:02d}-{day:02d}"
    files[(year, month)].write(
        f"BENCH-C{1 + rng.randrange(customers)},{start},{start},{sign}{cents // 100}.{cents % 100:02d},"
        f"{sign}{cents * 9 // 1000}.{cents % 10}0,USD,{cat},{provider},{service},{sku},{1 + i % 7},"
        f"{'true' if i % 13 == 0 else 'false'},bench-{i}\n")
for f in files.values():
    f.close()
