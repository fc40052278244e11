"""Playwright fixtures: one Debian Chromium per session, a fresh page per test.

Browser tests run against pytest-django's live server with the curated data reloaded
(`curated_transactional_db`), so they see exactly what a visitor would.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread, and Django refuses ORM
# calls from a thread with a running loop unless this is set (tests look up pages to visit).
# It must be set before Playwright starts.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 360, "height": 740}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
            "Install it with `apt-get install -y chromium` (`make test` does this).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, curated_transactional_db) -> str:
    """The live server's base URL, serving the curated dataset."""
    return live_server.url


class Visit:
    """A browser context on the live site that records what its pages ask for and report.

    `requests`: every URL requested; `failures`: sub-resources that failed or answered >= 400
    (documents are checked by the tests themselves: some pages answer 400 on purpose);
    `console_errors`: errors logged by the page, such as a Content-Security-Policy refusal.
    """

    def __init__(self, browser, base_url: str, **options):
        self.base_url = base_url
        self.context = browser.new_context(base_url=base_url, **options)
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.console_errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.on("requestfailed", self._check_failed_request)
        self.context.on("response", self._check_response)
        self.page = self.context.new_page()
        self.page.on("console", self._check_console)

    def _check_response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.failures.append(f"{response.status} {response.url}")

    def _check_failed_request(self, request):
        # A favicon still loading when the test moves on is aborted: not a fault of the page.
        if request.failure != "net::ERR_ABORTED":
            self.failures.append(f"{request.failure} {request.url}")

    def _check_console(self, message):
        # "Failed to load resource" repeats a status already seen (and some pages answer 400
        # on purpose); anything else, such as a Content-Security-Policy refusal, is a fault.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def foreign_requests(self) -> list[str]:
        origin = urlsplit(self.base_url)[:2]
        return [url for url in self.requests if urlsplit(url)[:2] != origin]

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self):
        self.context.close()


@pytest.fixture
def open_context(browser, site):
    """Open browser contexts (desktop by default; phone viewport, JavaScript off…).

    After the test, every request any of its pages made is checked: all went to the live
    server (no fonts, scripts or trackers from elsewhere), none failed, and the pages logged
    no errors.
    """
    opened = []

    def open_(**options) -> Visit:
        options.setdefault("viewport", DESKTOP)
        visit = Visit(browser, site, **options)
        opened.append(visit)
        return visit

    yield open_
    for visit in opened:
        visit.close()
    assert sum(len(visit.requests) for visit in opened) > 0
    problems = {
        "requests to other origins": [url for v in opened for url in v.foreign_requests()],
        "failed sub-resources": [url for v in opened for url in v.failures],
        "console errors": [text for v in opened for text in v.console_errors],
    }
    problems = {kind: found for kind, found in problems.items() if found}
    assert not problems, f"while loading pages: {problems}"


@pytest.fixture
def visit(open_context) -> Visit:
    """A desktop context with JavaScript on."""
    return open_context()


@pytest.fixture
def page(visit):
    return visit.page
