"""`make soak`: mixed load on the real binary over loopback for SOAK_SECONDS (default 600).

Workers loop over a fixed mix — Home, Partners, Insights, usage, paged lists, the reseller's
portal, small JSON imports and portal activations — each request checked for its expected
status. Prints throughput, p50/p99 per kind, errors (must be 0) and the server's resident memory
at start and end (it must stay flat). Started by scripts/soak.sh, which starts the server.

Usage: soak.py BASE_URL SERVER_PID DEMO_PASSWORD
"""

import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.parse

SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
WORKERS = int(os.environ.get("SOAK_WORKERS", "4"))
# Memory is flat when the end is within this much of the start (after warm-up).
FLAT_MB = 64


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Api:
    """One keep-alive connection, as a browser or an integrator holds one."""

    def __init__(self, base: str, token: str = ""):
        url = urllib.parse.urlparse(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        self.token = token

    def call(self, method: str, path: str, body=None, headers=None):
        sent = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        sent.update(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=sent)
        response = self.conn.getresponse()
        payload = response.read()
        return response.status, payload


def token(base: str, email: str, password: str) -> str:
    status, payload = Api(base).call("POST", "/api/v1/auth/token", {"email": email, "password": password})
    assert status == 200, (status, payload)
    return json.loads(payload)["access_token"]


def main(base: str, pid: int, password: str) -> None:
    distributor = token(base, "admin@northwind.example", password)
    reseller = token(base, "admin@alpine-cloud.example", password)
    setup = Api(base, reseller)
    _, me = setup.call("GET", "/api/v1/me")
    reseller_id = json.loads(me)["organization"]["id"]
    _, plans = setup.call("GET", "/api/v1/service-plans?per_page=50")
    _, customers = setup.call("GET", "/api/v1/organizations?kind=customer&per_page=5")
    _, summary = setup.call("GET", "/api/v1/portal/summary")
    currency = json.loads(summary)["currency"]
    # Plans the balance can pay for: enabled, in its currency.
    plan_ids = [p["id"] for p in json.loads(plans)["items"] if p["enabled"] and p["currency"] == currency]
    customer_ids = [c["id"] for c in json.loads(customers)["items"]]
    # Enough balance for every activation the soak makes.
    top_up = {"reseller_id": reseller_id, "amount": "100000000.00", "payment_reference": "soak"}
    status, payload = Api(base, distributor).call("POST", "/api/v1/portal/top-ups", top_up)
    assert status == 201, (status, payload)

    def get(path):
        return ("GET", path, None, (200,))

    kinds = {
        "home": (distributor, lambda n: get("/api/v1/dashboards/home")),
        "partners": (distributor, lambda n: get("/api/v1/dashboards/partners")),
        "insights": (distributor, lambda n: get("/api/v1/insights/summary")),
        "usage": (distributor, lambda n: get("/api/v1/usage/summary")),
        "organizations": (distributor, lambda n: get(f"/api/v1/organizations?page={1 + n % 17}&per_page=50&sort=name")),
        "subscriptions": (distributor, lambda n: get(f"/api/v1/subscriptions?page={1 + n % 11}&per_page=50")),
        "portal": (reseller, lambda n: get("/api/v1/portal/summary")),
        "import": (
            distributor,
            lambda n: (
                "POST",
                "/api/v1/imports/json",
                {
                    "file_name": f"soak-{n}",
                    "items": [
                        {
                            "BillingAccountId": "SOAK-ACCOUNT",
                            "ChargePeriodStart": "2026-10-01",
                            "ChargePeriodEnd": "2026-10-02",
                            "BilledCost": f"{n % 97}.25",
                            "BillingCurrency": "USD",
                            "ChargeCategory": "Usage",
                            "ProviderName": "AWS",
                            "ServiceName": "Amazon EC2",
                            "x_LineItemId": f"soak-{n}-{i}",
                        }
                        for i in range(20)
                    ],
                },
                (201,),
            ),
        ),
        "activate": (
            reseller,
            lambda n: (
                "POST",
                "/api/v1/portal/activations",
                {"plan_id": plan_ids[n % len(plan_ids)], "quantity": 1, "customer_id": customer_ids[n % len(customer_ids)]},
                (201,),
            ),
        ),
    }
    # The mix: reads most, a write now and then.
    mix = ["home"] * 4 + ["partners", "insights", "usage", "organizations", "subscriptions", "portal"] * 2 + ["import", "activate"]
    latencies = {kind: [] for kind in kinds}
    errors = []
    counter = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        apis = {distributor: Api(base, distributor), reseller: Api(base, reseller)}
        while time.monotonic() < deadline:
            kind = rng.choice(mix)
            with lock:
                counter[0] += 1
                n = counter[0]
            caller, make = kinds[kind]
            method, path, body, expected = make(n)
            started = time.perf_counter()
            try:
                status, payload = apis[caller].call(method, path, body)
            except (OSError, http.client.HTTPException) as e:
                apis[caller] = Api(base, caller)
                status, payload = None, str(e).encode()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies[kind].append(elapsed)
                if status not in expected:
                    errors.append((kind, status, payload[:200]))

    memory_start = None
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    # Memory at the start: once the caches have warmed (10 s in, or at once for a short soak).
    time.sleep(min(10, SECONDS / 4))
    memory_start = rss_mb(pid)
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    memory_end = rss_mb(pid)

    total = sum(len(v) for v in latencies.values())
    print(f"soak: {SECONDS} s, {WORKERS} workers, {total} requests, {total / wall:.0f} requests/s")
    print(f"{'kind':<14}{'count':>8}{'p50 ms':>10}{'p99 ms':>10}")
    for kind, values in latencies.items():
        if values:
            values.sort()
            p50 = values[len(values) // 2]
            p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
            print(f"{kind:<14}{len(values):>8}{p50:>10.1f}{p99:>10.1f}")
    print(f"errors: {len(errors)}")
    for error in errors[:10]:
        print(f"  {error}")
    print(f"memory (RSS): {memory_start:.0f} MB after warm-up, {memory_end:.0f} MB at the end")
    if errors:
        sys.exit("soak: requests failed")
    if memory_end > memory_start + FLAT_MB:
        sys.exit(f"soak: memory grew by {memory_end - memory_start:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
