"""/compare/: the side-by-side table, only-differences, better values, add/remove links, the CSV
download (parsed and matched against the HTML table) and bad selections — curated data."""

import csv
import html
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from treatments.compare import build_comparison
from treatments.models import Treatment

from .factories import make_claim, make_treatment

pytestmark = pytest.mark.django_db

URL = reverse("treatments:compare")
TWO = ["mesotherapy", "collagenase-qwo"]
SIX = [
    "mesotherapy",
    "collagenase-qwo",
    "vacuum-assisted-subcision",
    "radiofrequency",
    "topical-creams",
    "endermologie",
]


def get(client, slugs, **params):
    query = urlencode({"t": slugs, **params}, doseq=True)
    return client.get(f"{URL}?{query}")


# -- reading the table as a visitor (or a screen reader) does ------------------------------------


@dataclass
class Table:
    columns: list[str] = field(default_factory=list)
    remove_links: list[str] = field(default_factory=list)
    # (section, row label, [(cell text, best?)])
    rows: list[tuple[str, str, list[tuple[str, bool]]]] = field(default_factory=list)
    row_classes: list[str] = field(default_factory=list)


class CompareTableParser(HTMLParser):
    """Reads `table.compare-table`: column headings, section headings, row headings and cells.

    The "better value" marker is read as a flag, not as text: the star is hidden from screen
    readers and the "Better:" prefix is for them only.
    """

    def __init__(self):
        super().__init__()
        self.table = Table()
        self.in_table = False
        self.in_thead = False
        self.capture = None  # "column", "section", "label", "cell", "remove"
        self.buffer = []
        self.hidden_depth = 0
        self.depth = 0
        self.section = ""
        self.label = ""
        self.cells = []
        self.best = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "table" and "compare-table" in classes:
            self.in_table = True
        if not self.in_table:
            return
        self.depth += 1
        if self.hidden_depth:
            self.hidden_depth += 1
            return
        if tag == "span" and ({"visually-hidden", "best-marker"} & set(classes)):
            self.hidden_depth = 1
            return
        if tag == "thead":
            self.in_thead = True
        elif tag == "tr" and not self.in_thead:
            self.label, self.cells = "", []
            self.table.row_classes.append(attrs.get("class") or "")
        elif tag == "th" and self.in_thead and attrs.get("scope") == "col":
            self.start("column")
        elif tag == "a" and self.capture == "column" and "remove" in classes:
            self.table.remove_links.append(attrs["href"])
            self.finish()
        elif tag == "th" and attrs.get("scope") == "rowgroup":
            self.start("section")
        elif tag == "th" and attrs.get("scope") == "row":
            self.start("label")
        elif tag == "td" and not self.in_thead and self.label:
            self.best = "best" in classes
            self.start("cell")

    def handle_endtag(self, tag):
        if not self.in_table:
            return
        self.depth -= 1
        if self.hidden_depth:
            self.hidden_depth -= 1
            return
        if tag == "table":
            self.in_table = False
        elif tag == "thead":
            self.in_thead = False
        elif (tag == "th" and self.capture in ("column", "section", "label")) or (
            tag == "td" and self.capture == "cell"
        ):
            self.finish()
        elif tag == "tr" and not self.in_thead:
            if self.label:
                self.table.rows.append((self.section, self.label, self.cells))
                self.label = ""
            else:
                self.table.row_classes.pop()  # a section heading, not a data row

    def handle_data(self, data):
        if self.capture and not self.hidden_depth:
            self.buffer.append(data)

    def start(self, what):
        self.capture, self.buffer = what, []

    def finish(self):
        value = " ".join("".join(self.buffer).split())
        if self.capture == "column":
            self.table.columns.append(value)
        elif self.capture == "section":
            self.section = value
        elif self.capture == "label":
            self.label = value
        elif self.capture == "cell":
            self.cells.append((value, self.best))
        self.capture = None


def read_table(response) -> Table:
    parser = CompareTableParser()
    parser.feed(response.content.decode())
    return parser.table


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def comparison(slugs):
    found = {t.slug: t for t in Treatment.objects.for_comparison().filter(slug__in=slugs)}
    treatments = [found[slug] for slug in slugs]
    return treatments, build_comparison(treatments)


def visitor_messages(response) -> list[str]:
    body = response.content.decode()
    notice = re.search(r'<div class="notice[^"]*"[^>]*>(.*?)</div>', body, re.S)
    if not notice:
        return []
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", notice.group(1), re.S)
    ]


# -- the table ---------------------------------------------------------------------------------


@pytest.mark.parametrize("slugs", [TWO, SIX], ids=["two", "six"])
def test_table_has_one_column_per_treatment_and_aligned_rows(client, slugs):
    response = get(client, slugs)
    assert response.status_code == 200
    table = read_table(response)
    treatments, sections = comparison(slugs)
    assert table.columns == [t.name for t in treatments]
    expected = [
        (section.title, row.label, [(cell.text, cell.best) for cell in row.cells])
        for section in sections
        for row in section.rows
    ]
    assert table.rows == expected
    for _, _, cells in table.rows:
        assert len(cells) == len(slugs)
    assertContains(response, "<caption>")
    assertContains(response, '<th scope="rowgroup"')


def test_table_rows_show_what_the_data_says(client):
    table = read_table(get(client, TWO))
    rows = {label: [text for text, _ in cells] for _, label, cells in table.rows}
    meso = Treatment.objects.get(slug="mesotherapy")
    qwo = Treatment.objects.get(slug="collagenase-qwo")
    assert rows["Certainty of evidence"] == [
        meso.get_headline_certainty_display(),
        qwo.get_headline_certainty_display(),
    ]
    assert rows["Verdict"] == ["Mixed", "Supported"]
    assert rows["Sessions"] == [f"{meso.sessions_min}–{meso.sessions_max}", str(qwo.sessions_min)]
    assert rows["Regulatory status"][1] == "US: Discontinued (2022)"
    assert rows["Price per session (USD)"] == ["USD 1,000–1,500", "no USD price found"]
    # Main claims line up whatever their wording; every other claim is "not claimed" elsewhere.
    assert rows["Main claim: improves cellulite"] == [
        "Mixed (very low certainty)",
        "Supported (high certainty)",
    ]
    assert rows["“melts fat”"] == ["Mixed (very low certainty)", "not claimed"]
    # A side effect one lists and the other does not: "not listed", never a blank or "none".
    assert rows["Itching"][0] == "not listed"
    assert rows["Itching"][1].startswith("Very common")
    # Frequency not given is shown as such.
    assert rows["Pain or tenderness"][0] == "reported, frequency not given"


def test_claims_are_one_row_per_claim_across_all_treatments(client):
    treatments, _ = comparison(SIX)
    table = read_table(get(client, SIX))
    claim_rows = [
        (label, cells) for section, label, cells in table.rows if section.startswith("Claims")
    ]
    statements = {c.statement.lower() for t in treatments for c in t.claims.all() if not c.is_main}
    assert len(claim_rows) == len(statements) + 1
    assert claim_rows[0][0] == "Main claim: improves cellulite"
    for t_index, treatment in enumerate(treatments):
        claimed = {c.statement.lower() for c in treatment.claims.all() if not c.is_main}
        for label, cells in claim_rows[1:]:
            statement = label.strip("“”").lower()
            assert (cells[t_index][0] != "not claimed") == (statement in claimed), (
                label,
                treatment,
            )


def test_better_values_are_highlighted_where_better_is_defined(client):
    table = read_table(get(client, SIX))
    rows = {label: cells for _, label, cells in table.rows}
    certainty = rows["Certainty of evidence"]
    assert [best for _, best in certainty] == [text == "High" for text, _ in certainty]
    cheapest = rows["Price per session (USD)"]
    assert [text for text, best in cheapest if best] == ["USD 80–150"]  # Endermologie
    for label in ("Kind", "Regulatory status", "Sources behind it", "Size of effect"):
        assert not any(best for _, best in rows[label]), label
    response = get(client, SIX)
    assertContains(response, "marks the better value")


# -- only differences --------------------------------------------------------------------------


@pytest.mark.parametrize("slugs", [TWO, SIX], ids=["two", "six"])
def test_only_differences_hides_equal_rows(client, slugs):
    full = read_table(get(client, slugs))
    response = get(client, slugs, diff="1")
    assert response.status_code == 200
    diff = read_table(response)
    differing = [row for row in full.rows if len({text for text, _ in row[2]}) > 1]
    assert len(differing) < len(full.rows)  # some rows really are equal
    assert diff.rows == differing
    assert all(css == "differs" for css in diff.row_classes)
    assertContains(response, "(only rows that differ)")
    # The toggle goes back to all rows, keeping the selection.
    assertContains(response, "Show all rows")
    toggle = re.search(
        r'<a [^>]*href="\?([^"]*)"[^>]*>\s*Show all rows', response.content.decode()
    ).group(1)
    assert parse_qs(toggle.replace("&amp;", "&")) == {"t": slugs}


def test_only_differences_toggle_from_the_full_table(client):
    response = get(client, TWO)
    toggle = re.search(
        r'<a [^>]*href="\?([^"]*)"[^>]*>\s*Only show differences', response.content.decode()
    ).group(1)
    assert parse_qs(toggle.replace("&amp;", "&")) == {"t": TWO, "diff": ["1"]}
    assert read_table(response).row_classes.count("same") > 0


def test_identical_treatments_have_no_differences_to_show(client):
    a = make_treatment(name="Twin A", slug="twin-a")
    b = make_treatment(name="Twin B", slug="twin-b")
    response = get(client, [a.slug, b.slug], diff="1")
    assert response.status_code == 200
    assertContains(response, "These treatments do not differ on any row.")


# -- add and remove ----------------------------------------------------------------------------


def test_remove_links_keep_the_other_treatments_and_the_options(client):
    response = get(client, SIX, diff="1")
    table = read_table(response)
    assert len(table.remove_links) == 6
    for removed, link in zip(SIX, table.remove_links, strict=True):
        query = parse_qs(link.lstrip("?"))
        assert query == {"t": [s for s in SIX if s != removed], "diff": ["1"]}
        after = client.get(URL + link)
        assert after.status_code == 200
        assert len(read_table(after).columns) == 5


def test_add_form_keeps_the_selection_and_offers_only_the_others(client):
    response = get(client, TWO, diff="1")
    body = response.content.decode()
    form = re.search(r'<form class="compare-picker.*?</form>', body, re.S).group(0)
    for slug in TWO:
        assert f'<input type="hidden" name="t" value="{slug}">' in form
    assert '<input type="hidden" name="diff" value="1">' in form
    offered = set(re.findall(r'<option value="([^"]+)"', form))
    assert offered == set(Treatment.objects.published().values_list("slug", flat=True)) - set(TWO)
    # Submitting the form adds the picked treatment after the others.
    after = get(client, [*TWO, "radiofrequency"], diff="1")
    assert read_table(after).columns[-1] == Treatment.objects.get(slug="radiofrequency").name


# -- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slugs", "diff"), [(TWO, ""), (SIX, ""), (SIX, "1")], ids=["two", "six", "six-diff"]
)
def test_csv_is_the_same_table(client, slugs, diff):
    params = {"diff": diff} if diff else {}
    html_table = read_table(get(client, slugs, **params))
    response = get(client, slugs, format="csv", **params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="cellucheck-compare-{"-vs-".join(slugs)}.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == ["Section", "Row", *html_table.columns]
    assert rows[1:] == [
        [section, label, *[text for text, _ in cells]] for section, label, cells in html_table.rows
    ]


def test_csv_link_on_the_page_downloads_this_table(client):
    response = get(client, TWO, diff="1")
    link = re.search(r'<a [^>]*href="\?([^"]*)"[^>]*download>', response.content.decode()).group(1)
    assert parse_qs(link.replace("&amp;", "&")) == {"t": TWO, "diff": ["1"], "format": ["csv"]}


def test_csv_escapes_cells_a_spreadsheet_would_run_as_formulas(client):
    evil = make_treatment(
        name='=HYPERLINK("http://evil.example","click")',
        slug="evil",
        pain="@SUM(1+1)*cmd|' /C calc'!A0",
        results_last="+1 dress size",
        session_interval="weekly",
    )
    make_claim(evil, statement="-melts fat", is_main=True)
    plain = make_treatment(name="Plain", slug="plain", pain="\tTab first", results_last="-2 cm")
    response = get(client, [evil.slug, plain.slug], format="csv")
    rows = read_csv(response)
    assert rows[0][2] == "'" + evil.name
    cells = {row[1]: row[2:] for row in rows[1:]}
    assert cells["Pain"] == ["'" + evil.pain, "'\tTab first"]
    assert cells["How long results last"] == ["'+1 dress size", "'-2 cm"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    # The HTML page shows the same text, escaped for HTML, not prefixed.
    page = get(client, [evil.slug, plain.slug])
    table = read_table(page)
    assert table.columns[0] == evil.name
    assertNotContains(page, "<script")


def test_csv_is_not_served_for_a_bad_selection(client):
    response = get(client, ["mesotherapy"], format="csv")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Add at least one more treatment to compare." in visitor_messages(response)


# -- bad selections: a clear message, never a 500 ----------------------------------------------


def test_nothing_picked_explains_how_to_pick(client):
    response = client.get(URL)
    assert response.status_code == 400
    assert visitor_messages(response) == ["Pick at least two treatments to compare."]
    assertContains(response, "with the checkboxes", status_code=400)


def test_one_treatment_asks_for_another_and_keeps_it(client):
    response = get(client, ["mesotherapy"])
    assert response.status_code == 400
    assert visitor_messages(response) == ["Add at least one more treatment to compare."]
    assertContains(response, '<input type="hidden" name="t" value="mesotherapy">', status_code=400)
    assertNotContains(response, 'class="compare-table"', status_code=400)


def test_unknown_slug_is_named(client):
    response = get(client, ["mesotherapy", "unicorn-dust"])
    assert response.status_code == 400
    assert visitor_messages(response) == [
        "We have no published treatment called “unicorn-dust”.",
        "Add at least one more treatment to compare.",
    ]


def test_unknown_slug_next_to_two_good_ones_still_compares(client):
    response = get(client, [*TWO, "unicorn-dust"])
    assert response.status_code == 200
    assert visitor_messages(response) == ["We have no published treatment called “unicorn-dust”."]
    assert len(read_table(response).columns) == 2


def test_a_draft_treatment_is_unknown(client):
    draft = make_treatment(name="Secret draft", slug="secret-draft", status="draft")
    response = get(client, [*TWO, draft.slug])
    assert visitor_messages(response) == ["We have no published treatment called “secret-draft”."]
    assertNotContains(response, "Secret draft")


def test_duplicates_are_shown_once(client):
    response = get(client, ["mesotherapy", "mesotherapy", "collagenase-qwo", "MESOTHERAPY"])
    assert response.status_code == 200
    assert visitor_messages(response) == [
        "“mesotherapy” was listed more than once; it is shown once."
    ]
    assert len(read_table(response).columns) == 2


def test_only_duplicates_of_one_treatment_is_one_treatment(client):
    response = get(client, ["mesotherapy"] * 3)
    assert response.status_code == 400
    assert visitor_messages(response) == [
        "“mesotherapy” was listed more than once; it is shown once.",
        "Add at least one more treatment to compare.",
    ]


def test_seven_treatments_asks_to_remove_some_and_offers_remove_links(client):
    seven = [*SIX, "carboxytherapy"]
    response = get(client, seven)
    assert response.status_code == 400
    assert visitor_messages(response) == [
        "Compare at most 6 treatments at a time (you picked 7): remove some below."
    ]
    links = re.findall(r'<a class="remove[^"]*"\s+href="\?([^"]*)"', response.content.decode())
    assert len(links) == 7
    after = client.get(f"{URL}?{links[0].replace('&amp;', '&')}")
    assert after.status_code == 200
    assert read_table(after).columns == [
        Treatment.objects.get(slug=slug).name for slug in seven[1:]
    ]


@pytest.mark.parametrize(
    "junk",
    ["<script>alert(1)</script>", "../../etc/passwd", "a b", "\x00", "é", "x" * 5000, "' OR 1=1"],
)
def test_junk_slugs_are_named_safely(client, junk):
    response = get(client, [junk, *TWO])
    assert response.status_code == 200
    [message] = visitor_messages(response)
    assert message.startswith("We have no published treatment called “")
    assertNotContains(response, "<script>alert(1)</script>")
    assert len(read_table(response).columns) == 2


def test_two_hundred_parameters_are_read_up_to_a_limit(client):
    response = get(client, [f"no-such-{n}" for n in range(200)])
    assert response.status_code == 400
    messages = visitor_messages(response)
    assert "150 further treatments in the link were not read." in messages
    assert messages[-1] == "Pick at least two treatments to compare."


def test_two_hundred_copies_of_two_treatments_compare_them(client):
    response = get(client, TWO * 100)
    assert response.status_code == 200
    assert len(read_table(response).columns) == 2


def test_an_unknown_format_shows_the_page(client):
    response = get(client, TWO, format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


# -- cost chart --------------------------------------------------------------------------------


def test_cost_chart_has_one_bar_per_priced_treatment_per_currency(client):
    response = get(client, SIX)
    body = response.content.decode()
    charts = re.findall(r'<figure class="cost-chart">.*?</figure>', body, re.S)
    treatments, _ = comparison(SIX)
    usd_priced = [
        t
        for t in treatments
        if any(c.currency == "USD" and c.unit == "per_session" for c in t.costs.all())
    ]
    usd_chart = next(c for c in charts if "Price ranges per session in USD" in c)
    assert usd_chart.count('class="chart-bar"') == len(usd_priced)
    viewbox = re.search(r'viewBox="0 0 (\d+) (\d+)"', usd_chart)
    assert viewbox and int(viewbox.group(1)) > 0
