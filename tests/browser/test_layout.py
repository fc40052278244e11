"""Layout on a 360 px phone and on paper. Saves phone and print screenshots for review."""

import pytest
from playwright.sync_api import expect

from .conftest import MOBILE
from .pages import COMPARE_THREE, public_pages

pytestmark = pytest.mark.browser

PAGE_WIDTH = """() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"""


def test_pages_fit_a_360px_phone_and_print_without_navigation(open_context):
    # Wide tables and charts may scroll inside their own container; the page itself must not.
    visit = open_context(viewport=MOBILE)
    too_wide = {}
    for public_page in public_pages():
        public_page.open(visit.page)
        visit.screenshot(f"{public_page.name}-mobile")
        width = visit.page.evaluate(PAGE_WIDTH)
        if width > MOBILE["width"]:
            too_wide[public_page.path] = width
    assert not too_wide, f"pages wider than {MOBILE['width']} px: {too_wide}"

    # On paper (one test with the above: each browser test reloads the curated data).
    visit = open_context()
    page = visit.page
    page.emulate_media(media="print")

    page.goto("/treatments/mesotherapy/")
    visit.screenshot("treatment-detail-print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.locator(".toc")).to_be_hidden()
    expect(page.locator("[data-print]")).to_be_hidden()
    expect(page.get_by_role("heading", name="Questions to ask a clinic")).to_be_visible()
    expect(page.locator("#questions li").first).to_be_visible()
    expect(page.get_by_role("heading", name="Claims and what the evidence says")).to_be_visible()
    # The grading reasons are folded away on screen but printed.
    expect(page.locator("details.reasons li").first).to_be_visible()

    page.goto(COMPARE_THREE)
    visit.screenshot("compare-print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".compare-picker")).to_be_hidden()
    expect(page.locator(".compare-actions")).to_be_hidden()
    expect(page.locator(".compare-table .remove").first).to_be_hidden()
    expect(page.locator("table.compare-table")).to_be_visible()
    expect(page.locator(".compare-table thead th[scope='col']")).to_have_count(3)

    # On screen the same page shows its navigation (the print rules are for print only).
    page.emulate_media(media="screen")
    page.reload()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.locator(".compare-picker")).to_be_visible()
    # With JavaScript on, site.js reveals the print button (hidden without it).
    page.goto("/treatments/mesotherapy/")
    expect(page.locator("[data-print]")).to_be_visible()
