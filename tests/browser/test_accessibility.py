"""axe-core finds no accessibility violations on any public page, and each page loads only from
the site itself. Saves desktop screenshots for review.

(Every other browser test gets the same-origin check too: the `open_context` fixture in
conftest.py checks all requests after each test.)
"""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import MOBILE
from .pages import public_pages

pytestmark = pytest.mark.browser


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(
            f"    at {node['target']}: {node['failureSummary']}" for node in violation["nodes"][:5]
        )
    return "\n".join(lines)


# On a phone, the treatment list and the treatment page's tables turn into cards.
RESTYLED_ON_PHONES = {"treatments", "treatment-detail"}


def test_axe_finds_no_violations_and_pages_load_only_from_the_site(
    visit, open_context, live_server
):
    # All of axe's default rules run (WCAG 2.0-2.2 A and AA, plus best practices such as
    # heading order, landmarks and region); none is switched off.
    axe = Axe()
    phone = open_context(viewport=MOBILE)
    violations_by_page, origins_by_page = {}, {}
    for public_page in public_pages():
        requested_before = len(visit.requests)
        public_page.open(visit.page)
        visit.screenshot(f"{public_page.name}-desktop")
        origins_by_page[public_page.path] = {
            "{}://{}".format(*urlsplit(url)[:2]) for url in visit.requests[requested_before:]
        }
        violations = axe.run(visit.page).response["violations"]
        if public_page.name in RESTYLED_ON_PHONES:
            public_page.open(phone.page)
            violations += axe.run(phone.page).response["violations"]
        if violations:
            violations_by_page[public_page.path] = describe(violations)

    report = "\n".join(f"{path}\n{text}" for path, text in violations_by_page.items())
    assert not violations_by_page, f"axe-core violations:\n{report}"
    # Every page fetched its stylesheet (at least) and nothing from any other origin.
    other = {path: o for path, o in origins_by_page.items() if o != {live_server.url}}
    assert not other, f"pages that loaded from elsewhere (or nothing): {other}"
