"""Open data beyond the API: CSV downloads, JSON-LD, sitemap, robots.txt and the Atom feed."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from evidence.models import Source
from treatments.models import Treatment

from .api.builders import add_treatments
from .factories import make_claim, make_finding, make_source, make_treatment

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(params=[0, 30], ids=lambda n: f"plus{n}")
def extra(request):
    return add_treatments(request.param)


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def json_ld(response) -> dict:
    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(scripts) == 1
    return json.loads(scripts[0])


# -- CSV ------------------------------------------------------------------------------------------


def test_treatment_csv_is_the_filtered_list(client):
    rows = read_csv(client.get("/treatments/export.csv", {"modality": "injectable"}))
    assert [row["slug"] for row in rows] == list(
        Treatment.objects.published()
        .filter(modality="injectable")
        .order_by("name")
        .values_list("slug", flat=True)
    )
    meso = next(row for row in rows if row["slug"] == "mesotherapy")
    assert meso["page_url"] == "http://testserver/treatments/mesotherapy/"
    assert meso["modality"] == "Injectable"
    response = client.get("/treatments/export.csv")
    assert response["Content-Disposition"] == 'attachment; filename="cellucheck-treatments.csv"'


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1:A2)", "\tTab"]
)
def test_csv_cells_cannot_run_as_formulas(client, name):
    make_treatment(name=name, slug="formula", summary="=1+1")
    rows = read_csv(client.get("/treatments/export.csv", {"q": "formula"}))
    assert [row["name"] for row in rows] == ["'" + name]
    make_source(title=name, authors="=cmd|' /C calc'!A0", design="rct")
    studies = read_csv(client.get("/studies/export.csv"))
    risky = next(row for row in studies if row["title"] == "'" + name)
    assert risky["authors"] == "'=cmd|' /C calc'!A0"


def test_csv_keeps_non_ascii_text(client):
    make_treatment(name="Crème brûlée massage – “Nürnberger” grade", slug="creme")
    rows = read_csv(client.get("/treatments/export.csv", {"q": "creme"}))
    assert rows[0]["name"] == "Crème brûlée massage – “Nürnberger” grade"


@pytest.mark.parametrize(
    ("url", "params", "message"),
    [
        ("/treatments/export.csv", {"max_cost": "100"}, "Currency (currency): Choose a currency"),
        ("/treatments/export.csv", {"max_sessions": "lots"}, "Sessions at most (max_sessions):"),
        ("/studies/export.csv", {"design": "anecdote"}, "(design): Select a valid choice."),
    ],
)
def test_csv_with_invalid_filters_says_why(client, url, params, message):
    response = client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("The filters are not valid, so nothing was exported:")
    assert message in text


def test_study_csv_lists_published_studies_with_their_treatments(client):
    make_source(title="A draft study", status="draft")
    rows = read_csv(client.get("/studies/export.csv"))
    assert len(rows) == Source.objects.published().count()
    assert "A draft study" not in {row["title"] for row in rows}
    cited = [row for row in rows if "Mesotherapy" in row["treatments"]]
    assert cited and all(row["page_url"].startswith("http://testserver/studies/") for row in cited)


def test_csv_query_counts_do_not_grow(client, extra, django_assert_num_queries):
    # treatments, their prices, their regulatory events
    with django_assert_num_queries(3):
        assert len(read_csv(client.get("/treatments/export.csv"))) >= len(extra)
    # studies, their findings on published treatments (+ claim, treatment)
    with django_assert_num_queries(2):
        read_csv(client.get("/studies/export.csv"))


# -- JSON-LD --------------------------------------------------------------------------------------


def test_treatment_page_describes_a_medical_therapy_with_its_citations(client):
    treatment = Treatment.objects.get(slug="mesotherapy")
    data = json_ld(client.get("/treatments/mesotherapy/"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["url"] == "http://testserver/treatments/mesotherapy/"
    assert data["lastReviewed"] == treatment.last_reviewed.isoformat()
    assert data["reviewedBy"]["@type"] in {"Person", "Organization"}
    assert data["about"]["@type"] == "MedicalTherapy"
    assert data["about"]["name"] == treatment.name
    assert "injection lipolysis" in data["about"]["alternateName"]
    cited = set(
        Source.objects.published()
        .filter(findings__claim__treatment=treatment)
        .values_list("pk", flat=True)
    )
    assert {c["url"] for c in data["citation"]} == {
        f"http://testserver/studies/{pk}/" for pk in cited
    }
    for citation in data["citation"]:
        assert citation["@type"] in {"ScholarlyArticle", "CreativeWork"}
        assert citation["name"]
        if citation["@type"] == "ScholarlyArticle":
            ids = {i["propertyID"] for i in citation["identifier"]}
            assert ids & {"DOI", "PMID"}
    studies = [c["about"]["@type"] for c in data["citation"] if "about" in c]
    assert set(studies) <= {"MedicalTrial", "MedicalObservationalStudy"} and studies


def test_json_ld_survives_hostile_text_and_leaves_out_drafts(client, reviewer):
    treatment = make_treatment(
        slug="hostile", summary='Ends early </script><script>alert("x")</script> & more'
    )
    claim = make_claim(treatment, is_main=True)
    trial = make_source(title="A randomised trial", design="rct")
    make_finding(claim, trial)
    make_finding(claim, make_source(title="Unpublished draft", status="draft"))
    treatment.reviewed_by = reviewer
    treatment.save()
    response = client.get("/treatments/hostile/")
    assert "</script><script>alert" not in response.content.decode()
    data = json_ld(response)
    assert data["description"] == treatment.summary
    assert "lastReviewed" not in data  # never reviewed: no date is invented
    assert data["reviewedBy"] == {"@type": "Person", "name": "rita"}
    assert [c["name"] for c in data["citation"]] == ["A randomised trial"]
    assert data["citation"][0]["about"] == {
        "@type": "MedicalTrial",
        "trialDesign": "https://schema.org/RandomizedTrial",
        "description": "100 participants",
    }
    assert data["citation"][0]["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "DOI", "value": trial.doi}
    ]


def test_study_page_describes_the_paper(client):
    source = Source.objects.published().filter(design="rct", findings__isnull=False).first()
    data = json_ld(client.get(source.get_absolute_url()))
    assert data["@type"] == "MedicalWebPage"
    paper = data["mainEntity"]
    assert paper["@type"] == "ScholarlyArticle"
    assert paper["name"] == source.title
    assert paper["about"]["@type"] == "MedicalTrial"
    if source.doi:
        assert f"https://doi.org/{source.doi}" in paper["sameAs"]
    assert {t["@type"] for t in data["about"]} == {"MedicalTherapy"}


# -- sitemap, robots.txt --------------------------------------------------------------------------


def test_sitemap_lists_every_published_page_and_no_draft(client):
    draft = make_treatment(slug="secret-draft", status="draft")
    draft_study = make_source(status="draft")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    locations = {url.findtext(f"{SITEMAP}loc") for url in root}
    treatments = {f"http://testserver{t.get_absolute_url()}" for t in Treatment.objects.published()}
    studies = {f"http://testserver{s.get_absolute_url()}" for s in Source.objects.published()}
    pages = {
        f"http://testserver{path}"
        for path in ("/", "/treatments/", "/compare/", "/studies/", "/claims/check/")
    }
    assert treatments | studies | pages <= locations
    assert f"http://testserver{draft.get_absolute_url()}" not in locations
    assert f"http://testserver{draft_study.get_absolute_url()}" not in locations
    assert not {loc for loc in locations if "/admin" in loc or "/api/" in loc}
    meso = next(u for u in root if u.findtext(f"{SITEMAP}loc").endswith("/mesotherapy/"))
    assert meso.findtext(f"{SITEMAP}lastmod")


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines


def test_sitemap_query_count_does_not_grow(client, extra, django_assert_num_queries):
    # per section (treatments, studies): count for the paginator, then the page
    with django_assert_num_queries(4):
        assert client.get("/sitemap.xml").status_code == 200


# -- Atom feed ------------------------------------------------------------------------------------


def feed_entries(client):
    response = client.get("/feeds/changes/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "Cellucheck: treatment updates"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == ("http://testserver/feeds/changes/")
    return root.findall(f"{ATOM}entry")


def test_feed_is_atom_with_every_published_treatment(client):
    make_treatment(name="Hidden draft", slug="hidden-draft", status="draft")
    entries = feed_entries(client)
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert sorted(links) == sorted(
        f"http://testserver{t.get_absolute_url()}" for t in Treatment.objects.published()
    )
    for entry in entries:
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}title")
        assert entry.findtext(f"{ATOM}summary")
        assert re.match(r"\d{4}-\d\d-\d\dT", entry.findtext(f"{ATOM}updated"))
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)


def test_an_edit_puts_the_treatment_first(client):
    treatment = Treatment.objects.published().order_by("updated_at").first()
    treatment.summary += " Revised."
    treatment.save()
    first = feed_entries(client)[0]
    assert first.findtext(f"{ATOM}title") == treatment.name
    assert first.findtext(f"{ATOM}summary").startswith(treatment.summary)


def test_feed_query_count_does_not_grow(client, extra, django_assert_num_queries):
    # one query: published treatments with their latest grading time
    with django_assert_num_queries(1):
        feed_entries(client)


@pytest.mark.django_db
def test_list_pages_link_to_the_csv_of_the_same_filters(client):
    html = client.get("/treatments/", {"modality": "injectable"}).content.decode()
    assert 'href="/treatments/export.csv?modality=injectable"' in html
    html = client.get("/studies/", {"design": "rct"}).content.decode()
    assert 'href="/studies/export.csv?design=rct"' in html
