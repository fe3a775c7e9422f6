#!/usr/bin/env python3
"""Writes a FOCUS 1.0 test fixture shaped like the FinOps Foundation's anonymised FOCUS 1.0 sample
(focus_sample.csv of the FOCUS-Sample-Data repository, a MySQL dump of September 2024): invented
values, the sample's layout and quirks. Standard library only; fixed seed, so the same bytes on
every run.

usage: scripts/make-focus-1-0-sample.py [OUT.csv]
       (default crates/server/tests/fixtures/focus/focus-1.0-sample.csv)

The quirks kept from the sample:
- one month, September 2024, written `2024-09-18 22:00:00` (a space, no zone, no `T`); hourly
  charge periods (AWS, Oracle), daily ones (Microsoft), and the month's last hour ends
  `2024-10-01 00:00:00`; BillingPeriodStart/End `2024-09-01 00:00:00` / `2024-10-01 00:00:00`;
- 3 billing accounts (one AWS payer with 66 sub accounts, one Microsoft billing account with 4
  subscriptions, one Oracle tenancy account with 3 compartments and an empty BillingAccountName):
  73 distinct SubAccountIds; one SubAccountName is used by two different SubAccountIds;
- a missing value is `NULL`, unquoted; Oracle rows also hold empty strings `""`;
- every text cell is quoted, numbers and NULL are not; LF line ends, no BOM;
- costs as fixed-scale decimals, 10 places (`0.0000008000`, `-2.6137000000`), many zero costs;
  ConsumedQuantity with 15 places, PricingQuantity with 10;
- BillingCurrency USD; ChargeCategory mostly Usage, some Purchase, Tax and Credit; ChargeClass
  NULL except a few `Correction` rows; usage covered by a Savings Plan billed 0 with an
  EffectiveCost; a Marketplace row whose PublisherName (the seller) is not the InvoiceIssuerName.
"""
import random
import sys
from decimal import ROUND_HALF_EVEN, Decimal

OUT = sys.argv[1] if len(sys.argv) > 1 else "crates/server/tests/fixtures/focus/focus-1.0-sample.csv"
rng = random.Random(20240918)

COLUMNS = [
    "BillingAccountId", "BillingAccountName", "SubAccountId", "SubAccountName",
    "ChargePeriodStart", "ChargePeriodEnd", "BillingPeriodStart", "BillingPeriodEnd",
    "BilledCost", "EffectiveCost", "ListCost", "BillingCurrency", "ChargeCategory", "ChargeClass",
    "ProviderName", "PublisherName", "InvoiceIssuerName", "ServiceName", "ServiceCategory", "SkuId",
    "RegionId", "ConsumedQuantity", "PricingQuantity", "ResourceId",
]
BILLING_START, BILLING_END = "2024-09-01 00:00:00", "2024-10-01 00:00:00"
C10 = Decimal("0.0000000001")
Q15 = Decimal("0.000000000000001")


class Raw(str):
    """A cell written as is, unquoted: a number or NULL."""


NULL = Raw("NULL")


def cost(d):
    return Raw(f"{Decimal(d).quantize(C10, ROUND_HALF_EVEN):.10f}")


def qty15(d):
    return Raw(f"{Decimal(d).quantize(Q15, ROUND_HALF_EVEN):.15f}")


def qty10(d):
    return Raw(f"{Decimal(d).quantize(C10, ROUND_HALF_EVEN):.10f}")


def cell(v):
    return v if isinstance(v, Raw) else '"' + str(v).replace('"', '""') + '"'


def hex_id(n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def upper_id(n):
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(n))


def uuid():
    return f"{hex_id(8)}-{hex_id(4)}-4{hex_id(3)}-{rng.choice('89ab')}{hex_id(3)}-{hex_id(12)}"


def hour(day, h):
    return f"2024-09-{day:02d} {h:02d}:00:00"


def hourly():
    """An hourly charge period in September 2024; now and then the month's last hour."""
    if rng.random() < 0.03:
        return hour(30, 23), BILLING_END
    day, h = 1 + rng.randrange(30), rng.randrange(24)
    end = hour(day, h + 1) if h < 23 else (hour(day + 1, 0) if day < 30 else BILLING_END)
    return hour(day, h), end


def daily():
    day = 1 + rng.randrange(30)
    return hour(day, 0), (hour(day + 1, 0) if day < 30 else BILLING_END)


# ---- accounts: 1 + 66, 1 + 4, 1 + 3 ---------------------------------------------------------
WORDS = ["Aurora", "Basalt", "Cedar", "Comet", "Delta", "Ember", "Falcon", "Glacier", "Harbor",
         "Indigo", "Juniper", "Kestrel", "Lumen", "Meridian", "Nova", "Onyx", "Pioneer", "Quartz",
         "Raven", "Sierra", "Tundra", "Vega", "Willow", "Zephyr"]
pairs = [f"{a} {b}" for a in WORDS for b in WORDS if a != b]
rng.shuffle(pairs)

AWS_PAYER = ("4826193057316", "Bluefin")
AZURE_ACCOUNT = ("/providers/Microsoft.Billing/billingAccounts/7304918", "Bluefin")
ORACLE_ACCOUNT = ("31570842", "")  # the sample's Oracle rows have an empty BillingAccountName

AWS_ENTITIES = ["Amazon Web Services, Inc."] * 8 + ["Amazon Web Services Canada, Inc.",
                                                    "Amazon Web Services EMEA SARL"]
aws_subs = []
seen_ids = set()
while len(aws_subs) < 66:
    sub_id = str(rng.randrange(10**10, 10**11))  # 11 digits, as anonymised in the sample
    if sub_id in seen_ids:
        continue
    seen_ids.add(sub_id)
    aws_subs.append({"id": sub_id, "name": pairs[len(aws_subs)], "entity": rng.choice(AWS_ENTITIES),
                     "weight": rng.paretovariate(1.2)})
aws_subs[41]["name"] = aws_subs[7]["name"]  # two accounts, one display name
azure_subs = [{"id": f"/subscriptions/{uuid()}", "name": pairs[66 + i], "weight": 1.0} for i in range(4)]
oracle_subs = [{"id": "ocid1.compartment.oc1.." + "aaaaaaaa" + "".join(
    rng.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(52)), "name": name, "weight": 1.0}
    for name in ("crowddev", "crowdqa", "ledger-prod")]

# ---- services: (ServiceName, ServiceCategory, unit price, quantity scale, resource maker) ------
AWS_REGIONS = ["us-east-1"] * 4 + ["us-west-2"] * 3 + ["eu-west-1", "eu-central-1", "ap-northeast-1",
                                                       "ca-central-1"]


def aws_services(sub, region):
    acct = sub["id"]
    return [
        ("Amazon Elastic Compute Cloud", "Compute", "0.0960000000", 1, lambda: f"i-0{hex_id(16)}"),
        ("Amazon Elastic Compute Cloud", "Storage", "0.0001095890", 40,
         lambda: f"vol-0{hex_id(16)}"),
        ("Amazon Simple Storage Service", "Storage", "0.0000004000", 3000,
         lambda: f"{rng.choice(WORDS).lower()}-{rng.choice(['logs', 'assets', 'backups'])}-{hex_id(6)}"),
        ("Amazon Virtual Private Cloud", "Networking", "0.0450000000", 1,
         lambda: f"arn:aws:ec2:{region}:{acct}:natgateway/nat-0{hex_id(16)}"),
        ("Elastic Load Balancing", "Networking", "0.0080000000", 0.5,
         lambda: f"arn:aws:elasticloadbalancing:{region}:{acct}:loadbalancer/app/{rng.choice(WORDS).lower()}-alb/{hex_id(16)}"),
        ("Amazon Relational Database Service", "Databases", "0.1710000000", 1,
         lambda: f"arn:aws:rds:{region}:{acct}:db:{rng.choice(WORDS).lower()}-db"),
        ("AmazonCloudWatch", "Management and Governance", "0.0100000000", 2,
         lambda: f"arn:aws:logs:{region}:{acct}:log-group:/aws/lambda/{rng.choice(WORDS).lower()}"),
        ("AWS Lambda", "Compute", "0.0000166667", 900,
         lambda: f"arn:aws:lambda:{region}:{acct}:function:{rng.choice(WORDS).lower()}-handler"),
        ("Amazon Simple Queue Service", "Integration", "0.0000004000", 5,
         lambda: f"arn:aws:sqs:{region}:{acct}:{rng.choice(WORDS).lower()}-queue"),
    ]


AZURE_SERVICES = [
    ("Virtual Machines", "Compute", "0.1920000000", 24, "microsoft.compute/virtualmachines"),
    ("Storage Accounts", "Storage", "0.0500000000", 0.01, "microsoft.storage/storageaccounts"),
    ("Azure App Service", "Compute", "0.0750000000", 24, "microsoft.web/sites"),
    ("Bandwidth", "Networking", "0.0870000000", 3, "microsoft.network/publicipaddresses"),
]
ORACLE_SERVICES = [("COMPUTE", "Compute", "0.0015000000", 8, "instance"),
                   ("BLOCK_STORAGE", "Storage", "0.0000354800", 200, "volume")]

rows = []


def row(account, sub, start, end, billed, effective, listed, category, provider, publisher, issuer,
        service, service_category, sku, region, consumed, pricing, resource, charge_class=NULL):
    rows.append([account[0], account[1], sub["id"], sub["name"], start, end, BILLING_START,
                 BILLING_END, cost(billed), cost(effective), cost(listed), "USD", category,
                 charge_class, provider, publisher, issuer, service, service_category, sku, region,
                 consumed, pricing, resource])


def quantity(scale):
    q = Decimal(str(rng.lognormvariate(0, 1.4) * scale))
    return q.quantize(Q15) if rng.random() < 0.9 else Decimal(max(1, round(q)))


aws_skus = {}
sp_covered = {s["id"] for s in aws_subs if rng.random() < 0.25}  # accounts under a Savings Plan

# AWS usage: each account at least one row, then more for the heavier accounts (about 330 rows).
aws_weights = [s["weight"] for s in aws_subs]
aws_picks = list(aws_subs) + rng.choices(aws_subs, weights=aws_weights, k=266)
for sub in aws_picks:
    region = rng.choice(AWS_REGIONS)
    service, category, price, scale, resource = rng.choice(aws_services(sub, region))
    sku = aws_skus.setdefault((service, category, region), upper_id(16))
    q = quantity(scale)
    start, end = hourly()
    listed = q * Decimal(price)
    billed = listed
    effective = listed
    if sub["id"] in sp_covered and category == "Compute" and rng.random() < 0.6:
        billed, effective = Decimal(0), listed * Decimal("0.72")  # covered by the Savings Plan
    if rng.random() < 0.08:  # free tier, or a zero-priced transfer
        billed = effective = listed = Decimal(0)
    no_resource = rng.random() < 0.07  # some usage carries no resource (ResourceId NULL)
    row(AWS_PAYER, sub, start, end, billed, effective, listed, "Usage", "AWS", sub["entity"],
        sub["entity"], service, category, sku, region, qty15(q), qty10(q),
        NULL if no_resource else resource())

# Microsoft usage: daily periods (12 rows).
for i in range(12):
    sub = azure_subs[i % 4] if i < 4 else rng.choice(azure_subs)
    service, category, price, scale, kind = rng.choice(AZURE_SERVICES)
    q = quantity(scale)
    start, end = daily()
    listed = q * Decimal(price)
    group = rng.choice(WORDS).lower()
    res = f"{sub['id']}/resourcegroups/{group}-rg/providers/{kind}/{group}{hex_id(6)}"
    row(AZURE_ACCOUNT, sub, start, end, listed, listed, listed, "Usage", "Microsoft", "Microsoft",
        "Microsoft", service, category, str(rng.randrange(1000000, 1999999)),
        rng.choice(["eastus", "westeurope"]), qty15(q), qty10(q), res)

# Oracle usage: hourly, RegionId NULL (the sample's Oracle rows have none), 8 rows.
for i in range(8):
    sub = oracle_subs[i % 3]
    service, category, price, scale, kind = rng.choice(ORACLE_SERVICES)
    q = Decimal(rng.choice([8, 16, 64, 128])) if kind == "instance" else quantity(scale)
    start, end = hourly()
    listed = q * Decimal(price)
    res = f"ocid1.{kind}.oc1.us-sanjose-1.{''.join(rng.choice('abcdefghijklmnopqrstuvwxyz0123456789') for _ in range(60))}"
    row(ORACLE_ACCOUNT, sub, start, end, listed, Decimal(0), listed, "Usage", "Oracle", "Oracle",
        "Oracle", service, category, f"B{rng.randrange(90000, 99999)}", NULL, qty15(q), qty10(q), res)

# Purchases: Savings Plan fees, reserved instances, a Marketplace subscription (10 rows).
for sub in sorted(aws_subs, key=lambda s: s["id"])[:6]:
    fee = Decimal(rng.choice(["730.0000000000", "1460.0000000000", "365.0000000000"]))
    row(AWS_PAYER, sub, BILLING_START, BILLING_END, fee, Decimal(0), fee, "Purchase", "AWS",
        sub["entity"], sub["entity"], "Savings Plans for AWS Compute usage", "Compute",
        upper_id(16), NULL, NULL, qty10(1), f"arn:aws:savingsplans::{sub['id']}:savingsplan/{uuid()}")
for sub in aws_subs[10:12]:
    fee = Decimal("219.0000000000")
    row(AWS_PAYER, sub, "2024-09-14 00:00:00", "2024-09-15 00:00:00", fee, Decimal(0), fee,
        "Purchase", "AWS", sub["entity"], sub["entity"], "Amazon Relational Database Service",
        "Databases", upper_id(16), "us-east-1", NULL, qty10(1), f"arn:aws:rds:us-east-1:{sub['id']}:ri:{hex_id(12)}")
sub = aws_subs[3]
row(AWS_PAYER, sub, BILLING_START, BILLING_END, Decimal("49.9900000000"), Decimal("49.9900000000"),
    Decimal("49.9900000000"), "Purchase", "AWS", "Red Hat Inc.", "Amazon Web Services, Inc.",
    "Red Hat Enterprise Linux", "Compute", upper_id(25).lower(), NULL, NULL, qty10(1), NULL)
sub = azure_subs[0]
row(AZURE_ACCOUNT, sub, "2024-09-09 00:00:00", "2024-09-10 00:00:00", Decimal("1342.3200000000"),
    Decimal(0), Decimal("1342.3200000000"), "Purchase", "Microsoft", "Microsoft", "Microsoft",
    "Virtual Machines", "Compute", str(rng.randrange(1000000, 1999999)), NULL, NULL, qty10(1),
    f"/providers/Microsoft.Capacity/reservationOrders/{uuid()}")

# Tax: one line per taxed account and the whole month, no SKU, resource or region (16 rows): the
# accounts billed by AWS's Canadian and EMEA entities, and those with purchases, on their month's
# Usage and Purchase charges.
spend = {}
for r in rows:
    if r[14] == "AWS" and r[12] in ("Usage", "Purchase"):
        spend[r[2]] = spend.get(r[2], Decimal(0)) + Decimal(r[8])
purchasers = {r[2] for r in rows if r[12] == "Purchase"}
taxed = sorted((s for s in aws_subs if s["entity"] != "Amazon Web Services, Inc." or s["id"] in purchasers),
               key=lambda s: (s["id"] not in purchasers, s["id"]))[:14]
for sub in taxed:
    entity = sub["entity"]
    rate = {"Amazon Web Services EMEA SARL": "0.20", "Amazon Web Services Canada, Inc.": "0.13"}.get(entity, "0.0825")
    tax = spend.get(sub["id"], Decimal(0)) * Decimal(rate)
    row(AWS_PAYER, sub, BILLING_START, BILLING_END, tax, tax, tax, "Tax", "AWS", entity, entity,
        "Tax", "Other", NULL, NULL, NULL, NULL, NULL)
for sub in azure_subs[:2]:
    tax = Decimal(rng.randrange(100, 20000)) / 100
    row(AZURE_ACCOUNT, sub, BILLING_START, BILLING_END, tax, tax, tax, "Tax", "Microsoft",
        "Microsoft", "Microsoft", "Tax", "Other", NULL, NULL, NULL, NULL, NULL)

# Credits: negative, no resource, no consumed quantity, PricingQuantity 0 (7 rows).
for sub in rng.sample(aws_subs, 5):
    credit = -Decimal(rng.randrange(1, 500000)) / 10000
    start, end = hourly()
    row(AWS_PAYER, sub, start, end, credit, credit, credit, "Credit", "AWS", sub["entity"],
        sub["entity"], "Amazon Elastic Compute Cloud", "Compute", upper_id(16), "us-east-1", NULL,
        qty10(0), NULL)
for sub in azure_subs[1:3]:
    credit = -Decimal(rng.randrange(1, 10000)) / 100
    row(AZURE_ACCOUNT, sub, BILLING_START, BILLING_END, credit, credit, credit, "Credit",
        "Microsoft", "Microsoft", "Microsoft", "Azure Credit", "Other", NULL, NULL, NULL, qty10(0), NULL)

# Corrections: ChargeClass Correction, a refund of an earlier overcharge and a late re-rating (4 rows).
for i, sub in enumerate(rng.sample(aws_subs, 4)):
    region = rng.choice(AWS_REGIONS)
    service, category, price, scale, resource = aws_services(sub, region)[0]
    q = quantity(scale)
    amount = q * Decimal(price) * (-1 if i < 3 else 1)
    start, end = hourly()
    row(AWS_PAYER, sub, start, end, amount, amount, amount, "Usage", "AWS", sub["entity"],
        sub["entity"], service, category, aws_skus.setdefault((service, category, region), upper_id(16)),
        region, qty15(-q if i < 3 else q), qty10(-q if i < 3 else q), resource(), "Correction")

# Oracle rows: some optional cells are empty strings instead of NULL, as in the sample.
for r in rows:
    if r[14] == "Oracle" and r[12] == "Usage" and rng.random() < 0.5:
        r[23] = ""

rng.shuffle(rows)
with open(OUT, "w", encoding="utf-8", newline="") as f:
    f.write(",".join(cell(c) for c in COLUMNS) + "\n")
    for r in rows:
        f.write(",".join(cell(v) for v in r) + "\n")
print(f"wrote {OUT} ({len(rows)} rows)")
