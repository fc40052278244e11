"""Start the production-like server (gunicorn, PostgreSQL, Redis) for `make serve`, the
benchmark and the load test, so that all three measure the same thing.

    python scripts/prodserver.py ensure-database   # create DATABASE_URL's database if missing
    python scripts/prodserver.py secret-key        # SECRET_KEY, generated once into .secret_key
"""

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
SECRET_KEY_FILE = ROOT / ".secret_key"  # git-ignored
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cellucheck"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
# gthread workers keep connections alive and overlap database and Redis waits (docs/performance.md
# compares them with sync workers on this site).
WORKER_CLASS = "gthread"
THREADS = 4


def default_workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)


def secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    if not SECRET_KEY_FILE.exists() or not SECRET_KEY_FILE.read_text().strip():
        SECRET_KEY_FILE.touch(mode=0o600)
        SECRET_KEY_FILE.write_text(secrets.token_urlsafe(50) + "\n")
    return SECRET_KEY_FILE.read_text().strip()


def server_env(database_url: str, redis_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of a production-like server on loopback: DEBUG off, a real secret key.

    DJANGO_ENV=production is left out: it redirects plain HTTP to HTTPS, which loopback runs
    without a TLS proxy cannot follow. `redis_url=None` turns every cache off (CACHE_BACKEND=dummy).
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DEBUG", "DJANGO_ENV", "REDIS_URL", "CACHE_BACKEND", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        SECRET_KEY=secret_key(),
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env["CACHE_BACKEND"] = "dummy"
    env.update(extra)
    return env


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` when it does not exist yet."""
    import psycopg

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.", flush=True)


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def prepare(env: dict[str, str], static: bool = True) -> None:
    """What `make serve` does before starting: database, static files, schema, curated data."""
    ensure_database(env["DATABASE_URL"])
    if static:
        manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_curated", "-v0")
    analyze(env["DATABASE_URL"])


def analyze(url: str) -> None:
    """Fresh planner statistics, as autovacuum keeps them in production (it may be off here)."""
    import psycopg

    if urlsplit(url).scheme.startswith("postgres"):
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("ANALYZE")


def gunicorn_command(
    bind: str,
    workers: int | None = None,
    worker_class: str = WORKER_CLASS,
    threads: int = THREADS,
    access_log: bool = False,
) -> list[str]:
    command = [
        GUNICORN,
        "config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers or default_workers()),
        "--worker-class",
        worker_class,
        "--backlog",
        "2048",
        # Ephemeral servers leave the control socket of a `make serve` running alongside alone.
        "--no-control-socket",
    ]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    if access_log:
        command += ["--access-logfile", "-"]
    return command


def wait_until_up(base_url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {base_url}/healthz within {timeout:.0f} s")


@contextlib.contextmanager
def running_server(
    env: dict[str, str],
    port: int,
    workers: int | None = None,
    worker_class: str = WORKER_CLASS,
    threads: int = THREADS,
    log_path: Path | None = None,
) -> Iterator[str]:
    """Run gunicorn on 127.0.0.1:`port` for the duration of the block; yields its base URL."""
    base_url = f"http://127.0.0.1:{port}"
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        gunicorn_command(f"127.0.0.1:{port}", workers, worker_class, threads),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(base_url, process)
        yield base_url
    finally:
        # The master stops its own workers on SIGTERM; only this process is signalled.
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log_path:
            log.close()


def main(argv: list[str]) -> int:
    if argv == ["ensure-database"]:
        ensure_database(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
        return 0
    if argv == ["secret-key"]:
        print(secret_key())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
