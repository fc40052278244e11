"""Scale-out: two app servers (separate gunicorn processes, two workers each) share one
PostgreSQL and one Redis. A curator change made through one server is served by the other on the
very next request, although both had the old page cached.

The servers are real processes on loopback ports. The test makes its own PostgreSQL database on
127.0.0.1:5432 (whatever database the rest of the suite runs on) and its own Redis server.
"""

import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PG_ADMIN_URL = os.environ.get("SCALEOUT_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "scale-out-test-password-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout}s")


@pytest.fixture(scope="module")
def redis_url():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: the scale-out test needs a real Redis.")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def database_url():
    name = f"cellucheck_scaleout_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is needed for the scale-out test: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        # A throwaway database: durability is not needed, speed is.
        admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def servers(database_url, redis_url, tmp_path_factory):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}},
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "scale-out-test-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }

    def manage(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )

    manage("migrate", "--noinput")
    manage("load_curated", "--verbosity", "0")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage("createsuperuser", "--noinput", "--username", "curator", "--email", "c@example.org")
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    processes, urls = [], []
    for _ in range(2):
        port = free_port()
        processes.append(
            subprocess.Popen(
                [
                    gunicorn,
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    # gunicorn 27 opens a control socket at one fixed path by default.
                    "--no-control-socket",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            wait_for(url + "/healthz")
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(10)


class Browser:
    """A cookie-keeping HTTP client, enough to sign in to the admin and press buttons."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post_form(self, path: str, fields: dict) -> tuple[int, str]:
        _, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(
            self.base + path, data=body.encode(), headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()


def treatment_id(database_url: str, slug: str) -> int:
    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            "SELECT id FROM treatments_treatment WHERE slug = %s", [slug]
        ).fetchone()
    return row[0]


def test_curator_change_on_one_server_is_served_by_the_other(servers, database_url):
    server_a, server_b = servers
    name = "Mechanical massage (Endermologie)"
    visitor_b = Browser(server_b)
    # Both servers have rendered and cached the page with the treatment on it.
    for url in servers:
        status, page = Browser(url).get("/treatments/")
        assert status == 200 and html.escape(name) in page
    assert visitor_b.get("/treatments/endermologie/")[0] == 200

    curator = Browser(server_a)
    admin = f"/{settings.ADMIN_URL}"
    curator.post_form(
        admin + "login/", {"username": "curator", "password": PASSWORD, "next": admin}
    )
    changelist = admin + "treatments/treatment/"
    pk = treatment_id(database_url, "endermologie")
    status, page = curator.post_form(changelist, {"action": "retire", "_selected_action": [pk]})
    assert status == 200 and "is now retired" in page

    status, page = visitor_b.get("/treatments/")
    assert status == 200 and html.escape(name) not in page
    assert visitor_b.get("/treatments/endermologie/")[0] == 404

    curator.post_form(changelist, {"action": "publish", "_selected_action": [pk]})
    status, page = visitor_b.get("/treatments/")
    assert html.escape(name) in page
    assert Browser(server_a).get("/treatments/endermologie/")[0] == 200
