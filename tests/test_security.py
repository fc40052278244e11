"""Production hardening: deploy check, security headers, lockout, rate limits, error pages."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .factories import make_treatment, make_user

ROOT = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "cellucheck.example",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
}


def manage(*args, **env):
    ignored = {
        "DEBUG",
        "DJANGO_SETTINGS_MODULE",
        "SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests; never in production
    }
    clean = {k: v for k, v in os.environ.items() if k not in ignored}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_has_zero_warnings_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_admin_path_is_configurable():
    result = manage(
        "shell",
        "-c",
        "from django.urls import reverse; print(reverse('admin:index'))",
        DEBUG="1",
        ADMIN_URL="curation-desk",
    )
    assert result.stdout.strip().splitlines()[-1] == "/curation-desk/"


@pytest.fixture
def production_client(settings):
    """A client whose middleware is built with the production security settings."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return Client()


@pytest.mark.django_db
def test_http_redirects_to_https(production_client):
    response = production_client.get("/treatments/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/treatments/"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/treatments/", "/treatments/mesotherapy/", "/studies/"])
def test_security_headers_on_public_pages(production_client, path):
    response = production_client.get(path, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    csp = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_cookies_are_secure_httponly_samesite(production_client):
    response = production_client.get("/claims/check/", secure=True)
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    make_user("curator", is_superuser=True)
    production_client.post(
        reverse("admin:login"),
        {"username": "curator", "password": "pw-for-tests-only"},
        secure=True,
    )
    session = production_client.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_nothing_inline_that_the_csp_would_block(template):
    text = template.read_text(encoding="utf-8")
    # JSON-LD data blocks are never executed, so the CSP does not apply to them.
    executable = re.sub(r'<script type="application/ld\+json">.*?</script>', "", text, flags=re.S)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", executable), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert not re.search(r"<style[\s>]", text), "inline <style>"
    assert not re.search(r'\sstyle\s*=\s*"', text), "inline style attribute"


@pytest.mark.django_db
def test_curator_text_is_escaped_on_public_pages(client):
    treatment = make_treatment(
        name="Evil <script>alert(1)</script>",
        summary='<img src=x onerror="alert(2)"> summary',
    )
    html = client.get(treatment.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert '<img src=x onerror="alert(2)">' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_admin_login_locks_out_after_repeated_failures(client):
    make_user("curator", is_superuser=True)
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login, {"username": "curator", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(login, {"username": "curator", "password": "wrong"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    # Even the right password is refused while locked, with the same explanation.
    response = client.post(login, {"username": "curator", "password": "pw-for-tests-only"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.fixture
def real_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "security-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_claim_checker_rate_limit_gives_a_friendly_429(client, settings, real_cache):
    settings.CLAIM_CHECK_RATE = "3/m"
    url = reverse("evidence:claim-check")
    for _ in range(3):
        assert client.post(url, {"text": "mesotherapy melts fat"}).status_code == 200
    response = client.post(url, {"text": "mesotherapy melts fat"})
    assert response.status_code == 429
    assert "Please slow down a little" in response.content.decode()
    assert client.get(url).status_code == 200  # reading the page is not limited


@pytest.mark.django_db
def test_404_page_explains_and_leaks_nothing(client):
    response = client.get("/treatments/no-such-treatment/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert "Traceback" not in html and "settings" not in html.lower()


@pytest.mark.django_db
def test_400_page_for_a_bad_host(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "We could not read that request" in response.content.decode()


@pytest.mark.django_db
def test_500_page_explains_and_leaks_nothing(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "Traceback" not in html


@pytest.mark.django_db
def test_403_page_for_a_missing_csrf_token():
    response = Client(enforce_csrf_checks=True).post(reverse("evidence:claim-check"), {"text": "x"})
    assert response.status_code == 403
    assert "You cannot do that here" in response.content.decode()
