"""What visitors do, in a real Chromium: filter, pick, compare, download; by keyboard;
without JavaScript; checking a clinic's marketing text."""

import csv
import re

import pytest
from playwright.sync_api import expect

from evidence.forms import CHECK_TEXT_LIMIT

from .pages import MESOTHERAPY_ADVERT

pytestmark = pytest.mark.browser


def filter_to_injectables_with_low_certainty(page):
    page.goto("/treatments/")
    page.get_by_label("Modality").select_option("injectable")
    page.get_by_label("Certainty at least").select_option("low")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"modality=injectable.*min_certainty=low"))


def data_rows(page):
    """Compare-table rows that hold values (not the section headings)."""
    return page.locator(".compare-table tbody tr:not(.section-row)")


def test_visitor_filters_compares_toggles_differences_and_downloads_csv(page, tmp_path):
    filter_to_injectables_with_low_certainty(page)
    expect(page.locator(".active-filters")).to_contain_text("Injectable")
    expect(page.locator(".active-filters")).to_contain_text("Low")
    boxes = page.locator(".treatment-table input[name='t']")
    assert boxes.count() >= 2, "the curated data has at least two injectables graded low or better"
    picked = {}
    for box in boxes.all()[:2]:
        box.check()
        label = page.locator(f"label[for='{box.get_attribute('id')}']").inner_text()
        picked[box.get_attribute("value")] = label.removeprefix("Compare ")

    page.get_by_role("button", name=re.compile("Compare selected")).click()

    expect(page).to_have_url(re.compile(r"/compare/\?t=[\w-]+&t=[\w-]+$"))
    table = page.locator("table.compare-table")
    for name in picked.values():
        expect(table.locator("thead th[scope='col']", has_text=name)).to_be_visible()
        expect(table.locator("caption")).to_contain_text(name)
    all_rows = data_rows(page).count()

    page.get_by_role("link", name="Only show differences").click()

    expect(page).to_have_url(re.compile(r"diff=1"))
    expect(page.get_by_role("link", name="Show all rows")).to_be_visible()
    differing = data_rows(page)
    assert 0 < differing.count() < all_rows
    assert differing.count() == page.locator(".compare-table tbody tr.differs").count()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this table (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    for slug in picked:
        assert slug in download.suggested_filename
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["Section", "Row", *picked.values()]
    # The download follows the toggle: the same rows as the table on screen.
    assert len(rows) - 1 == differing.count()


FOCUS_PROBE = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        tag: element.tagName.toLowerCase(),
        id: element.id,
        name: element.getAttribute('name') || '',
        text: (element.innerText || element.value || '').trim(),
        checked: element.checked === true,
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
    };
}"""


def assert_focus_visible(focus):
    assert focus["outlineStyle"] not in ("none", "hidden") and focus["outlineWidth"] >= 2, (
        f"no visible focus outline on {focus}"
    )


def test_keyboard_only_visitor_picks_two_treatments_and_compares(page):
    page.goto("/treatments/")

    page.keyboard.press("Tab")
    focus = page.evaluate(FOCUS_PROBE)
    assert focus["text"] == "Skip to content"
    assert_focus_visible(focus)
    expect(page.get_by_role("link", name="Skip to content")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    assert page.evaluate(FOCUS_PROBE)["id"] == "main"

    checked = []
    for _ in range(80):  # the filter form comes first, then the table: well under 80 stops
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_PROBE)
        assert_focus_visible(focus)
        if focus["name"] == "t" and len(checked) < 2:
            page.keyboard.press("Space")
            assert page.evaluate(FOCUS_PROBE)["checked"], "Space should tick the focused box"
            checked.append(focus["id"])
        elif focus["text"].startswith("Compare selected"):
            break
    else:
        pytest.fail("Tab never reached the compare button")
    assert len(checked) == 2

    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/compare/\?t=[\w-]+&t=[\w-]+$"))
    expect(page.locator("table.compare-table thead th[scope='col']")).to_have_count(2)


def test_filters_compare_and_difference_toggle_work_without_javascript(open_context):
    page = open_context(java_script_enabled=False).page
    filter_to_injectables_with_low_certainty(page)
    boxes = page.locator(".treatment-table input[name='t']")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name=re.compile("Compare selected")).click()
    expect(page.locator("table.compare-table thead th[scope='col']")).to_have_count(2)

    # Add a third treatment with the picker, then remove one: no URL typing needed.
    page.get_by_label("Add a treatment").select_option("mesotherapy")
    page.get_by_role("button", name="Add", exact=True).click()
    columns = page.locator("table.compare-table thead th[scope='col']")
    expect(columns).to_have_count(3)
    expect(columns.nth(2)).to_contain_text("Mesotherapy")
    page.get_by_role("link", name=re.compile(r"^Remove Mesotherapy")).click()
    expect(columns).to_have_count(2)

    all_rows = data_rows(page).count()
    page.get_by_role("link", name="Only show differences").click()
    expect(page).to_have_url(re.compile(r"diff=1"))
    assert 0 < data_rows(page).count() < all_rows
    expect(page.locator(".compare-table tbody tr.same")).to_have_count(0)
    page.get_by_role("link", name="Show all rows").click()
    expect(data_rows(page)).to_have_count(all_rows)

    # JavaScript really is off: the print button that site.js reveals stays hidden.
    page.goto("/treatments/mesotherapy/")
    expect(page.locator("[data-print]")).to_be_hidden()


def number(n: int) -> str:
    """A pattern for n written with or without thousands separators: 20,001 or 20001."""
    return f"{n:,}".replace(",", ",?")


def submit_to_checker(page, text: str):
    page.goto("/claims/check/")
    page.get_by_label("Paste the clinic's text").fill(text)
    page.get_by_role("button", name="Check the claims").click()


def test_claim_checker_annotates_marketing_text_and_explains_bad_input(page):
    submit_to_checker(page, MESOTHERAPY_ADVERT)

    expect(page.get_by_role("heading", name=re.compile(r"\d+ known claims? found"))).to_be_visible()
    for phrase in (
        "melts fat",
        "improve circulation",
        "virtually painless",
        "results after a couple of sessions",
    ):
        expect(page.locator(".checked-text mark", has_text=phrase)).to_be_visible()
        result = page.locator("article.check-result", has_text=f"Found as: “{phrase}”")
        expect(result).to_have_count(1)
        expect(result.locator(".badge.verdict")).to_be_visible()
        citations = result.locator("ol.sources li")
        assert citations.count() >= 1, f"no citation for “{phrase}”"
        expect(citations.first.locator("cite a")).to_have_attribute("href", re.compile("/studies/"))

    # Bad input gets a clear message.
    page.goto("/claims/check/")
    text_box = page.get_by_label("Paste the clinic's text")
    page.get_by_role("button", name="Check the claims").click()
    # The browser's own check stops an empty form; the page stays put.
    assert text_box.evaluate("box => box.validity.valueMissing")
    assert text_box.evaluate("box => box.validationMessage"), "the browser says what is missing"
    expect(page).to_have_url(re.compile(r"/claims/check/$"))

    submit_to_checker(page, "   \n   ")  # passes the browser's check; the server explains
    expect(page.get_by_role("alert")).to_contain_text("Paste some text first")

    too_long = ("Melts fat in a couple of sessions. " * 600)[: CHECK_TEXT_LIMIT + 1]
    submit_to_checker(page, too_long)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(re.compile(rf"{number(CHECK_TEXT_LIMIT + 1)} characters"))
    expect(alert).to_contain_text(re.compile(rf"at most {number(CHECK_TEXT_LIMIT)}"))
    # Nothing was cut silently: the whole paste is still in the box, and nothing was checked.
    assert len(page.get_by_label("Paste the clinic's text").input_value()) == CHECK_TEXT_LIMIT + 1
    expect(page.locator("article.check-result")).to_have_count(0)
