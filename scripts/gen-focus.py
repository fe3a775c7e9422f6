#!/usr/bin/env python3
"""Writes a FOCUS CSV of N billing lines for the demo distributor (customers CUST-00001..00800,
its SKUs, USD and EUR), for the import benchmark. Deterministic: the same N gives the same file.

usage: scripts/gen-focus.py N OUT.csv [--distinct-services]

--distinct-services gives every line a ServiceName of its own, so that every line is a rollup row
of its own: the import's worst case for memory.
"""
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
distinct = "--distinct-services" in sys.argv[3:]
rng = random.Random(42)
skus = [("AWS-EC2", "AWS", "Amazon EC2"), ("AWS-S3", "AWS", "Amazon S3"), ("AZ-VM", "Azure", "Azure Virtual Machines"),
        ("GCP-GCE", "Google Cloud", "Compute Engine"), ("MS-M365-BP", "Microsoft", "Microsoft 365 Business Premium")]
cats = ["Usage"] * 8 + ["Purchase", "Credit"]
with open(out, "w", buffering=1 << 20) as f:
    f.write("BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,BillingCurrency,"
            "ChargeCategory,ProviderName,ServiceName,SkuId,PricingQuantity,x_Marketplace,x_LineItemId\n")
    for i in range(n):
        sku, provider, service = skus[rng.randrange(len(skus))]
        if distinct:
            service = f"{service} {i}"
        month = 1 + rng.randrange(10)
        day = 1 + rng.randrange(28)
        cents = rng.randrange(1, 500000)
        sign = "-" if cats[i % 10] == "Credit" else ""
        f.write(f"CUST-{1 + rng.randrange(800):05d},2026-{month:02d}-{day:02d},2026-{month:02d}-{day:02d},"
                f"{sign}{cents // 100}.{cents % 100:02d},{sign}{cents * 9 // 1000}.{cents % 10}0,"
                f"{'EUR' if i % 5 == 0 else 'USD'},{cats[i % 10]},{provider},{service},{sku},{1 + i % 7},"
                f"{'true' if i % 13 == 0 else 'false'},bench-{i}\n")
