"""/methodology/, /about/ and /disclaimer/ say what they must, every public page links to them
from its footer, and the home page's evidence map places every published treatment."""

import html
import re

import pytest
from django.urls import reverse

from evidence.grading import IMPRECISION_THRESHOLD
from evidence.models import Source
from treatments.models import Treatment

from .factories import make_treatment

pytestmark = pytest.mark.django_db

FOOTER_LINKS = {
    "/methodology/": "Methodology",
    "/about/": "About and editorial policy",
    "/disclaimer/": "Disclaimer",
}


def text(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def main_text(response) -> str:
    body = response.content.decode()
    main = re.search(r"<main\b.*?</main>", body, re.S).group(0)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_methodology_explains_the_grade_step_by_step(client):
    response = client.get(reverse("methodology"))
    assert response.status_code == 200
    page = main_text(response)
    assert "How we grade the evidence" in page
    assert "GRADE" in page
    # Start by design, then each GRADE domain, in order.
    steps = [
        "starts at High",
        "start at Low",
        "Risk of bias",
        "Inconsistency",
        "Indirectness",
        "Imprecision",
        "Publication bias and industry funding",
        "Large effect",
    ]
    positions = [page.index(step) for step in steps]
    assert positions == sorted(positions)
    assert f"fewer than {IMPRECISION_THRESHOLD} participants" in page
    for level in ("High", "Moderate", "Low", "Very low"):
        assert level in page
    for verdict in ("Supported", "Mixed", "Not supported", "Contradicted", "Untested"):
        assert verdict in page
    assert "“probably improves”" in page


def test_about_states_the_editorial_policy_independence_and_how_to_report_an_error(client):
    response = client.get(reverse("about"))
    assert response.status_code == 200
    page = main_text(response)
    assert "Editorial policy" in page
    assert "no advertising and no affiliate links" in page
    assert "Found an error?" in page
    assert "corrections@cellucheck.example" in page
    assert "DOI or PubMed ID" in page


def test_disclaimer_says_this_is_not_medical_advice(client):
    response = client.get(reverse("disclaimer"))
    assert response.status_code == 200
    page = main_text(response)
    assert "not medical advice" in page
    assert "qualified doctor" in page


PUBLIC_PAGES = [
    ("get", "/", 200),
    ("get", "/treatments/", 200),
    ("get", "/treatments/?modality=injectable&ordering=-certainty", 200),
    ("get", "/treatments/?min_certainty=banana", 400),
    ("get", "/treatments/mesotherapy/", 200),
    ("get", "/compare/?t=mesotherapy&t=collagenase-qwo", 200),
    ("get", "/compare/?t=mesotherapy&t=collagenase-qwo&diff=1", 200),
    ("get", "/compare/", 400),
    ("get", "/studies/", 200),
    ("get", "/studies/?year=banana", 400),
    ("get", "a study", 200),
    ("get", "/claims/check/", 200),
    ("post", "/claims/check/", 200),
    ("post", "/claims/check/", 400),
    ("get", "/methodology/", 200),
    ("get", "/about/", 200),
    ("get", "/disclaimer/", 200),
]


@pytest.mark.parametrize(("method", "path", "status"), PUBLIC_PAGES)
def test_every_public_page_links_to_methodology_about_and_disclaimer(client, method, path, status):
    if path == "a study":
        path = Source.objects.published().first().get_absolute_url()
    if method == "post":
        response = client.post(path, {"text": "Mesotherapy melts fat." if status == 200 else ""})
    else:
        response = client.get(path)
    assert response.status_code == status
    footer = re.search(r"<footer\b.*?</footer>", response.content.decode(), re.S)
    assert footer, "no footer"
    for href, label in FOOTER_LINKS.items():
        link = re.search(rf'<a href="{href}">([^<]*)</a>', footer.group(0))
        assert link and link.group(1) == label, href
    assert "Not medical advice." in text(response)


def test_home_page_evidence_map_places_every_published_treatment(client):
    make_treatment(name="A draft on the map", status="draft")
    long = make_treatment(name="Targeted verifiable subcision with a very long name")
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    svg = re.search(r"<svg\b.*?</svg>", body, re.S).group(0)
    links = re.findall(r'<a href="(/treatments/[^"]+/)"[^>]*>\s*<title>([^<]*)</title>', svg)
    published = Treatment.objects.published()
    assert sorted(links) == sorted(
        (t.get_absolute_url(), html.escape(t.name.split(" (")[0], quote=False)) for t in published
    )
    assert "A draft on the map" not in body
    # A name too long for its column is cut on the chart; the tooltip and the table keep it whole.
    assert f"<title>{long.name}</title>" in svg
    assert f">{long.name}</text>" not in svg
    table = re.search(r'<details class="map-table">.*?</details>', body, re.S).group(0)
    for treatment in published:  # the table repeats the chart, with the same short names
        short = html.escape(treatment.name.split(" (")[0], quote=False)
        assert f'<a href="{treatment.get_absolute_url()}">{short}</a>' in table


def test_home_page_stays_small_however_many_treatments(client):
    for n in range(20):
        make_treatment(name=f"Extra treatment {n:02d}")
    body = client.get("/").content.decode()
    cards = re.findall(r'<li class="card">', body)
    assert len(cards) == 12
    total = Treatment.objects.published().count()
    assert f"See all {total} treatments we cover" in body
