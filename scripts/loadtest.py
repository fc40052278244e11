"""`make loadtest`: a bounded load test of the production-like server on loopback.

10,000 GET requests (default) across the public pages — home, lists with varied filters (some
invalid on purpose), treatment pages, compares of 2 to 6 treatments, studies, the API, sitemap and
feed — from 32 concurrent keep-alive connections. Passes only with zero connection errors and zero
5xx responses. While the load runs, a reviewer retires a treatment and publishes it again through
the editorial workflow (treatments.workflow, as the admin does); the very next request for its
page, its API record and a list that includes it must show each change (no stale cache).

Runs gunicorn as `make serve` does, against LOADTEST_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/cellucheck_loadtest, created and loaded with the curated data)
and Redis database 13 of LOADTEST_REDIS_URL (default redis://127.0.0.1:6379), flushed first.
Exit status 0 when everything passed, 1 otherwise.
"""

import argparse
import http.client
import json
import os
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prodserver

# Retired and republished during the run; not the detail page the benchmark measures.
CHANGED_SLUG = "carboxytherapy"
POOL_DRAWS = 300  # draws per kind of page when building its pool of distinct URLs


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    by_kind: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    connection_errors: list[str] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    done: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def site_data(env: dict[str, str]) -> dict:
    script = (
        "import json; from treatments.models import Treatment; from evidence.models import Source; "
        "t = Treatment.objects.published(); "
        "print(json.dumps({'slugs': list(t.values_list('slug', flat=True)), "
        "'names': list(t.values_list('name', flat=True)), "
        "'sources': list(Source.objects.published().values_list('pk', flat=True))}))"
    )
    output = prodserver.manage(env, "shell", "-v0", "-c", script, capture=True)
    return json.loads(output.strip().splitlines()[-1])


def build_requests(count: int, data: dict, seed: int) -> list[tuple[str, str]]:
    """(kind, path) pairs, drawn reproducibly from the published data."""
    rng = random.Random(seed)
    slugs, names, sources = data["slugs"], data["names"], data["sources"]

    def filtered_list() -> str:
        params = {}
        options = {
            "modality": ["injectable", "energy_device", "minimally_invasive", "topical", "other"],
            "invasiveness": ["none", "minimal", "moderate", "surgical"],
            "min_certainty": ["high", "moderate", "low", "very_low"],
            "ordering": ["name", "-name", "certainty", "-certainty", "downtime", "-downtime"],
            "max_downtime": ["0", "3", "7", "30"],
            "max_sessions": ["1", "3", "6", "12"],
            "side_effect": ["bruising", "pain", "swelling", "burn"],
            "regulatory": ["cleared", "approved", "discontinued", "not_approved"],
            "q": [name.split()[0][:6].lower() for name in names] + ["lipo", "wave"],
        }
        for name in rng.sample(sorted(options), rng.randint(1, 3)):
            params[name] = rng.choice(options[name])
        if rng.random() < 0.2:
            params.update(
                currency=rng.choice(["USD", "EUR", "GBP"]), max_cost=rng.randint(50, 3000)
            )
            if rng.random() < 0.5:
                params["ordering"] = rng.choice(["cost", "-cost"])
        if rng.random() < 0.1:
            params["page"] = rng.choice(["2", "99", "x"])
        if rng.random() < 0.05:  # invalid on purpose: a clear 400, never a 5xx
            params[rng.choice(["max_cost", "currency", "min_certainty"])] = rng.choice(
                ["abc", "-1", "ZZZ", "1e999", "ü" * 50]
            )
        return "/treatments/?" + urlencode(params)

    def compare() -> str:
        query = [("t", slug) for slug in rng.sample(slugs, rng.randint(2, min(6, len(slugs))))]
        if rng.random() < 0.2:
            query.append(("diff", "1"))
        if rng.random() < 0.1:
            query.append(("format", "csv"))
        return "/compare/?" + urlencode(query)

    def studies() -> str:
        params = {}
        if rng.random() < 0.5:
            params["design"] = rng.choice(["rct", "case_series", "systematic_review", "cohort"])
        if rng.random() < 0.3:
            params["treatment"] = rng.choice(slugs)
        if rng.random() < 0.2:
            params["ordering"] = rng.choice(["year", "-year"])
        if rng.random() < 0.2:
            params["page"] = rng.choice(["2", "3"])
        return "/studies/?" + urlencode(params) if params else "/studies/"

    def api() -> str:
        return rng.choice(
            [
                "/api/treatments/",
                f"/api/treatments/?modality={rng.choice(['injectable', 'energy_device'])}",
                f"/api/treatments/{rng.choice(slugs)}/",
                "/api/studies/",
                f"/api/studies/{rng.choice(sources)}/",
                "/api/claims/",
            ]
        )

    kinds = [
        ("home", 5, lambda: "/"),
        ("list", 10, lambda: "/treatments/"),
        ("filtered list", 20, filtered_list),
        ("detail", 20, lambda: f"/treatments/{rng.choice(slugs)}/"),
        ("compare", 15, compare),
        ("studies", 10, studies),
        ("study", 5, lambda: f"/studies/{rng.choice(sources)}/"),
        ("api", 10, api),
        ("static page", 3, lambda: rng.choice(["/methodology/", "/about/", "/claims/check/"])),
        ("feed, sitemap", 2, lambda: rng.choice(["/sitemap.xml", "/feeds/changes/"])),
    ]
    # Like real traffic, URLs repeat: each kind draws from a pool of distinct URLs (a few hundred
    # filtered lists and compares), so both cache hits and cache misses are exercised.
    pools = {kind: sorted({make() for _ in range(POOL_DRAWS)}) for kind, _, make in kinds}
    picks = rng.choices(kinds, weights=[weight for _, weight, _ in kinds], k=count)
    return [(kind, rng.choice(pools[kind])) for kind, _, _ in picks]


def worker(port: int, queue: list, cursor: list, tally: Tally) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while True:
        with tally.lock:
            if cursor[0] >= len(queue):
                break
            kind, path = queue[cursor[0]]
            cursor[0] += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            with tally.lock:
                tally.connection_errors.append(f"{path}: {exc!r}")
                tally.done += 1
            continue
        elapsed = time.perf_counter() - started
        with tally.lock:
            tally.statuses[response.status] += 1
            tally.by_kind[(kind, response.status)] += 1
            tally.latencies.setdefault(kind, []).append(elapsed)
            tally.done += 1
            if response.status >= 500:
                tally.server_errors.append(f"{response.status} {path}")
    connection.close()


def fetch(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def transition(env: dict[str, str], slug: str, action: str) -> None:
    """Move a treatment through the editorial workflow, as a reviewer in the admin does."""
    script = (
        "from django.contrib.auth import get_user_model; "
        "from treatments.models import Treatment; "
        "from treatments.workflow import apply_transition; "
        "user, _ = get_user_model().objects.get_or_create(username='loadtest-reviewer', "
        "defaults={'is_staff': True, 'is_superuser': True}); "
        f"apply_transition(Treatment.objects.get(slug={slug!r}), {action!r}, user)"
    )
    prodserver.manage(env, "shell", "-v0", "-c", script)


def restore_review(env: dict[str, str], slug: str, saved: dict) -> None:
    """Publishing stamps "last reviewed"; put back what it was (saved, so caches follow)."""
    script = (
        "from treatments.models import Treatment; "
        f"t = Treatment.objects.get(slug={slug!r}); t.status = {saved['status']!r}; "
        f"t.last_reviewed = {saved['last_reviewed']!r} or None; "
        f"t.reviewed_by_id = {saved['reviewed_by_id']!r}; t.save()"
    )
    prodserver.manage(env, "shell", "-v0", "-c", script)


def saved_review(env: dict[str, str], slug: str) -> dict:
    script = (
        "import json; from treatments.models import Treatment; "
        f"t = Treatment.objects.get(slug={slug!r}); print(json.dumps({{'status': t.status, "
        "'last_reviewed': t.last_reviewed and t.last_reviewed.isoformat(), "
        "'reviewed_by_id': t.reviewed_by_id}))"
    )
    output = prodserver.manage(env, "shell", "-v0", "-c", script, capture=True)
    return json.loads(output.strip().splitlines()[-1])


def check_publish(env: dict[str, str], port: int, slug: str, name: str) -> list[str]:
    """Retire and republish `slug` under load; each next request must show the change."""
    failures = []
    pages = {
        "page": f"/treatments/{slug}/",
        "API record": f"/api/treatments/{slug}/",
    }
    listing = "/treatments/?" + urlencode({"q": name})

    def expect(label: str, path: str, status: int, listed: bool | None = None) -> None:
        got, body = fetch(port, path)
        listed_now = f"/treatments/{slug}/" in body
        if got != status or (listed is not None and listed_now != listed):
            failures.append(
                f"{label}: {path} answered {got}"
                + ("" if listed is None else f", listed={listed_now}")
                + f" (expected {status}"
                + ("" if listed is None else f", listed={listed}")
                + ")"
            )

    for label, path in pages.items():  # cached now: the test is that the cache follows
        expect(f"before, {label}", path, 200)
        expect(f"before, {label} (cached)", path, 200)
    expect("before, list", listing, 200, listed=True)

    transition(env, slug, "retire")
    for label, path in pages.items():
        expect(f"after retiring, {label}", path, 404)
    expect("after retiring, list", listing, 200, listed=False)

    transition(env, slug, "publish")
    for label, path in pages.items():
        expect(f"after republishing, {label}", path, 200)
    expect("after republishing, list", listing, 200, listed=True)
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None, help="default 2 × cores + 1")
    args = parser.parse_args()
    started = time.monotonic()

    database = os.environ.get(
        "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cellucheck_loadtest"
    )
    redis_url = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/") + "/13"
    # Every client here is one IP: lift the API's per-IP throttle so the test measures the pages.
    env = prodserver.server_env(database, redis_url, API_RATE="100000000/s")
    print(f"Preparing {database}…", flush=True)
    prodserver.prepare(env)
    import redis

    redis.Redis.from_url(redis_url).flushdb()

    data = site_data(env)
    if CHANGED_SLUG not in data["slugs"]:
        print(f"FAIL: {CHANGED_SLUG} is not published in {database}.")
        return 1
    name = data["names"][data["slugs"].index(CHANGED_SLUG)]
    queue = build_requests(args.requests, data, args.seed)
    saved = saved_review(env, CHANGED_SLUG)
    tally, cursor = Tally(), [0]
    publish_failures: list[str] = []
    log = prodserver.ROOT / "test-artifacts" / "loadtest-gunicorn.log"
    log.parent.mkdir(exist_ok=True)

    with prodserver.running_server(env, args.port, args.workers, log_path=log):
        print(
            f"{args.requests:,} requests, {args.connections} connections, "
            f"{prodserver.default_workers() if args.workers is None else args.workers} "
            "gunicorn workers…",
            flush=True,
        )
        load_started = time.perf_counter()
        threads = [
            threading.Thread(target=worker, args=(args.port, queue, cursor, tally), daemon=True)
            for _ in range(args.connections)
        ]
        for thread in threads:
            thread.start()
        while tally.done < len(queue) * 0.3 and any(t.is_alive() for t in threads):
            time.sleep(0.05)
        print(f"Publishing a change under load (after {tally.done:,} requests)…", flush=True)
        try:
            publish_failures = check_publish(env, args.port, CHANGED_SLUG, name)
            changed_at = tally.done
        finally:
            restore_review(env, CHANGED_SLUG, saved)
        for thread in threads:
            thread.join()
        load_seconds = time.perf_counter() - load_started

    print_report(tally, load_seconds, changed_at, publish_failures)
    ok = not (tally.server_errors or tally.connection_errors or publish_failures)
    ok = ok and tally.done == len(queue)
    print(f"\n{'PASS' if ok else 'FAIL'} in {time.monotonic() - started:.0f} s.")
    return 0 if ok else 1


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000 if ordered else 0.0


def print_report(tally: Tally, seconds: float, changed_at: int, publish_failures) -> None:
    every = [value for values in tally.latencies.values() for value in values]
    print(f"\n{tally.done:,} requests in {seconds:.1f} s: {tally.done / seconds:.0f} requests/s")
    print(f"latency p50 {percentile(every, 0.5):.0f} ms, p99 {percentile(every, 0.99):.0f} ms")
    print(
        "status histogram: " + ", ".join(f"{s}: {n:,}" for s, n in sorted(tally.statuses.items()))
    )
    print("by page kind (statuses; latency p50 / p99):")
    for kind in sorted(tally.latencies):
        counts = {s: n for (k, s), n in tally.by_kind.items() if k == kind}
        print(
            f"  {kind:14} "
            + ", ".join(f"{s}: {n:,}" for s, n in sorted(counts.items()))
            + f"; {percentile(tally.latencies[kind], 0.5):.0f} / "
            + f"{percentile(tally.latencies[kind], 0.99):.0f} ms"
        )
    print(f"connection errors: {len(tally.connection_errors)}")
    for line in tally.connection_errors[:10]:
        print(f"  {line}")
    print(f"5xx responses: {len(tally.server_errors)}")
    for line in tally.server_errors[:10]:
        print(f"  {line}")
    if publish_failures:
        print("stale or wrong responses after a publish:")
        for line in publish_failures:
            print(f"  {line}")
    else:
        print(
            f"publish under load (at ~{changed_at:,} requests): retire and republish were each "
            "served on the very next request (page, API record, list)"
        )


if __name__ == "__main__":
    sys.exit(main())
