"""`make bench`: requests/s and p50/p99 latency of the public pages, as a share of a trivial view.

Starts gunicorn (as `make serve` does) on loopback against PostgreSQL, first with the curated
data, then with the curated data plus `generate_synthetic --treatments 1000 --studies 10000`, each
in two cache modes:

- cache on: the production setting, pages cached in Redis under the shared data version;
- cache off: CACHE_BACKEND=dummy, so every request renders the page (the raw cost).

wrk (Debian's package; installed with apt-get when missing and run as root) loads one URL at a
time with the same connections; each page runs right after a /healthz run on the same server, in
two rounds of 3 s, and its throughput is printed as the mean ratio to those /healthz runs (other
work on a shared machine then weighs on both alike). With the cache on, a revalidation
(If-None-Match → 304) of the list is measured too.

SQL queries, size and rendering time per page are measured in-process (Django's test client with
CaptureQueriesContext, caches off) at both sizes; pages whose query count differs are flagged.

Databases: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cellucheck_bench) and
the same name + "_synthetic"; both are created when missing. Redis databases 14 and 15 of
BENCH_REDIS_URL (default redis://127.0.0.1:6379) are flushed and used for the two sizes.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prodserver

PAGES = [
    ("trivial view", "/healthz"),
    ("list", "/treatments/"),
    ("filtered list", "/treatments/?modality=injectable&min_certainty=low"),
    ("detail", "/treatments/mesotherapy/"),
    (
        "compare (4)",
        "/compare/?t=mesotherapy&t=collagenase-qwo&t=radiofrequency&t=manual-subcision",
    ),
    ("API list", "/api/treatments/"),
]
# Not loaded with wrk, but their queries, size and rendering time are compared between sizes too.
OTHER_PAGES = [("home", "/"), ("studies", "/studies/"), ("study filter", "/studies/?design=rct")]
RENDER_REPEATS = 5
TARGETS = {"curated": 0.60, "synthetic": 0.25}
SYNTHETIC_ARGS = ["--treatments", "1000", "--studies", "10000", "--seed", "1"]
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


@dataclass
class Result:
    size: str
    mode: str
    name: str
    path: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    non_2xx: int
    ratio: float = 0.0
    queries: int | None = None
    kilobytes: float = 0.0


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing Debian's package…", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def run_wrk(wrk: str, url: str, duration: int, connections: int, threads: int, headers=()) -> dict:
    output = subprocess.run(
        # A 10 s timeout: slow pages queue for seconds at this concurrency, which is a number
        # to report (p99), not a socket error.
        [
            wrk,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            *[part for header in headers for part in ("-H", header)],
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    socket = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": milliseconds(percentiles["50"]),
        "p99_ms": milliseconds(percentiles["99"]),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": sum(int(n) for n in socket.groups()) if socket else 0,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


def count_queries() -> None:
    """In-process mode (run by the benchmark with caches off): per page, the SQL queries, the
    size and the median time to render it through Django's test client (no HTTP, no wrk)."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(prodserver.ROOT))
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    client = Client()
    for _, path in PAGES + OTHER_PAGES:
        client.get(path)  # the first request opens the connection and warms templates
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        query_count = len(queries)  # now: the next request resets Django's query log
        timings = []
        for _ in range(RENDER_REPEATS):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        counts[path] = {
            "status": response.status_code,
            "queries": query_count,
            "kilobytes": len(response.content) / 1024,
            "render_ms": sorted(timings)[len(timings) // 2],
        }
    print(json.dumps(counts))


def queries_per_page(env: dict[str, str]) -> dict:
    output = subprocess.run(
        [prodserver.PYTHON, __file__, "--count-queries"],
        cwd=prodserver.ROOT,
        env=prodserver.server_env(env["DATABASE_URL"], None),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def warm_up(base_url: str) -> tuple[dict[str, float], dict[str, str]]:
    """Every page answers 200 (a bench of error pages measures nothing); returns sizes in KB
    and ETags."""
    sizes, etags = {}, {}
    for _, path in PAGES:
        for _ in range(3):
            with urllib.request.urlopen(base_url + path, timeout=30) as response:
                body = response.read()
                if response.status != 200:
                    raise RuntimeError(f"{path} answered {response.status}")
                etags[path] = response.headers.get("ETag", "")
        sizes[path] = len(body) / 1024
    return sizes, etags


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def combine(runs: list[Result]) -> Result:
    """One row from several runs of a URL: mean throughput, latency and ratio, worst p99."""
    first = runs[0]
    return Result(
        first.size,
        first.mode,
        first.name,
        first.path,
        rps=statistics.mean(r.rps for r in runs),
        p50_ms=statistics.mean(r.p50_ms for r in runs),
        p99_ms=max(r.p99_ms for r in runs),
        requests=sum(r.requests for r in runs),
        errors=sum(r.errors for r in runs),
        non_2xx=sum(r.non_2xx for r in runs),
        ratio=statistics.mean(r.ratio for r in runs),
        kilobytes=first.kilobytes,
    )


def measure(size, mode, env, args, wrk) -> list[Result]:
    """Each page right after its own /healthz run, so that both see the same background load on
    the machine, in `args.rounds` rounds; the /healthz row combines all of its runs."""
    log = prodserver.ROOT / "test-artifacts" / f"bench-gunicorn-{size}-{mode}.log"
    log.parent.mkdir(exist_ok=True)
    baselines, results = [], []

    def load(name: str, path: str, headers=()) -> Result:
        numbers = run_wrk(
            wrk, base + path, args.duration, args.connections, args.wrk_threads, headers
        )
        return Result(size, mode, name, path, kilobytes=sizes[path], **numbers)

    with prodserver.running_server(
        env, args.port, args.workers, args.worker_class, args.threads, log
    ) as base:
        sizes, etags = warm_up(base)
        (trivial_name, trivial_path), *pages = PAGES
        runs = [(name, path, ()) for name, path in pages]
        if mode == "cache on":
            # A browser revalidating its copy: If-None-Match with the page's ETag gets a 304.
            list_path = pages[0][1]
            runs.insert(1, ("list, 304", list_path, (f"If-None-Match: {etags[list_path]}",)))
        for name, path, headers in runs:
            rounds = []
            for _ in range(args.rounds):
                baseline = load(trivial_name, trivial_path)
                result = load(name, path, headers)
                result.ratio = result.rps / baseline.rps if baseline.rps else 0.0
                baselines.append(baseline)
                rounds.append(result)
            result = combine(rounds)
            if headers:
                result.kilobytes = 0.0
            results.append(result)
            print(
                f"  {size:9} {mode:9} {name:14} {result.rps:8.0f} req/s"
                f"  p50 {result.p50_ms:7.1f} ms  p99 {result.p99_ms:7.1f} ms"
                f"  ({' '.join(f'{r.ratio:.0%}' for r in rounds)} of /healthz just before)",
                flush=True,
            )
    trivial = combine(baselines)
    trivial.ratio = 1.0
    return [trivial, *results]


def print_table(results: list[Result]) -> None:
    header = (
        f"{'size':9} {'cache':9} {'page':14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'ratio':>6} {'queries':>7} {'KB':>6} {'errors':>6}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for r in results:
        queries = "" if r.queries is None else str(r.queries)
        print(
            f"{r.size:9} {r.mode:9} {r.name:14} {r.rps:8.0f} {r.p50_ms:8.1f} {r.p99_ms:8.1f} "
            f"{r.ratio:6.0%} {queries:>7} {r.kilobytes:6.1f} {r.errors + r.non_2xx:6}"
        )


def print_rendering(queries: dict[str, dict]) -> None:
    """Queries, size and in-process rendering time per page at each size (caches off)."""
    sizes = list(queries)
    print(
        "\nIn-process, caches off (Django test client, median of 5 renders); "
        + " / ".join(sizes)
        + ":"
    )
    print(f"{'page':60} {'queries':>9} {'KB':>13} {'render ms':>15}")
    for path in queries[sizes[0]]:
        rows = [queries[size][path] for size in sizes]
        counts = " / ".join(str(row["queries"]) for row in rows)
        kilobytes = " / ".join(f"{row['kilobytes']:.0f}" for row in rows)
        render = " / ".join(f"{row['render_ms']:.0f}" for row in rows)
        flag = "  <- query count differs" if len({row["queries"] for row in rows}) > 1 else ""
        print(f"{path[:60]:60} {counts:>9} {kilobytes:>13} {render:>15}{flag}")


def verdicts(results: list[Result], queries: dict[str, dict]) -> list[str]:
    lines = []
    for size, target in TARGETS.items():
        for mode in ("cache on", "cache off"):
            # Pages only: not the baseline itself, nor the 304 revalidation (no page rendered).
            rows = [
                r
                for r in results
                if r.size == size
                and r.mode == mode
                and r.path != "/healthz"
                and r.queries is not None
            ]
            if not rows:
                continue
            worst = min(rows, key=lambda r: r.ratio)
            state = "MET" if worst.ratio >= target else "MISSED"
            lines.append(
                f"{size}, {mode}: every page ≥ {target:.0%} of /healthz — {state} "
                f"(lowest: {worst.name} at {worst.ratio:.0%})"
            )
    if len(queries) == 2:
        curated, synthetic = queries["curated"], queries["synthetic"]
        grown = [p for p in curated if curated[p]["queries"] != synthetic[p]["queries"]]
        lines.append(
            "queries per page unchanged between sizes — "
            + ("MET" if not grown else "MISSED: " + ", ".join(grown))
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=3, help="seconds per wrk run (3)")
    parser.add_argument(
        "--rounds", type=int, default=2, help="/healthz + page pairs per page (default 2)"
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--workers", type=int, default=None, help="default 2 × cores + 1")
    parser.add_argument("--worker-class", default=prodserver.WORKER_CLASS)
    parser.add_argument("--threads", type=int, default=prodserver.THREADS)
    parser.add_argument("--sizes", default="curated,synthetic")
    parser.add_argument("--modes", default="cache on,cache off")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--count-queries", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count_queries:
        count_queries()
        return 0

    started = time.monotonic()
    wrk = ensure_wrk()
    curated_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cellucheck_bench"
    )
    parts = urlsplit(curated_url)
    databases = {
        "curated": curated_url,
        "synthetic": parts._replace(path=parts.path + "_synthetic").geturl(),
    }
    redis_base = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
    redis_urls = {"curated": f"{redis_base}/14", "synthetic": f"{redis_base}/15"}
    # Every wrk client is one IP: lift the API's per-IP throttle so it measures the pages.
    extra = {"API_RATE": "100000000/s", "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60")}
    sizes = [s.strip() for s in args.sizes.split(",")]
    modes = [m.strip() for m in args.modes.split(",")]
    workers = args.workers or prodserver.default_workers()
    print(
        f"gunicorn: {workers} workers ({args.worker_class}, {args.threads} threads); wrk: "
        f"{args.wrk_threads} threads, {args.connections} connections, {args.rounds} × "
        f"{args.duration} s per URL; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )

    results: list[Result] = []
    queries: dict[str, dict] = {}
    for index, size in enumerate(sizes):
        env = prodserver.server_env(databases[size], redis_urls[size], **extra)
        print(f"\n== {size}: preparing {databases[size]}", flush=True)
        prodserver.prepare(env, static=index == 0)
        if size == "synthetic":
            print(
                prodserver.manage(
                    env, "generate_synthetic", "--clear", *SYNTHETIC_ARGS, capture=True
                ).strip()
            )
        queries[size] = queries_per_page(env)
        for mode in modes:
            mode_env = (
                env if mode == "cache on" else prodserver.server_env(databases[size], None, **extra)
            )
            if mode == "cache on":
                flush_redis(redis_urls[size])
            for result in measure(size, mode, mode_env, args, wrk):
                revalidation = result.name.endswith("304")
                result.queries = None if revalidation else queries[size][result.path]["queries"]
                results.append(result)

    print_table(results)
    print_rendering(queries)
    print()
    for line in verdicts(results, queries):
        print(line)
    failures = [r for r in results if r.errors or r.non_2xx]
    for r in failures:
        print(f"ERROR: {r.size} {r.mode} {r.path}: {r.errors} socket errors, {r.non_2xx} non-2xx")
    # Other work on the machine shares the cores with the server and wrk: say how busy it was.
    print(
        f"\nBench finished in {time.monotonic() - started:.0f} s "
        f"(load average now {os.getloadavg()[0]:.2f})."
    )
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
