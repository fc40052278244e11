"""/studies/ and /studies/<id>/: filters by design, treatment and year, sorting by year, bad
input and unpublished sources — curated data, expected sets from the ORM."""

import html
import re
from urllib.parse import urlencode

import pytest
from django.db.models import F
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from evidence.choices import DesignChoices
from evidence.models import Source
from evidence.views import STUDIES_PAGE_SIZE
from treatments.models import Treatment

from .factories import make_claim, make_finding, make_source, make_treatment

pytestmark = pytest.mark.django_db

URL = reverse("evidence:source-list")
ERROR_SUMMARY = "Some of what you asked for could not be used"


def get(client, params=None):
    query = urlencode(params or {}, doseq=True)
    return client.get(f"{URL}?{query}" if query else URL)


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def listed(response) -> list[int]:
    """Ids of the sources shown, in order (each entry's title links to its page)."""
    body = response.content.decode()
    pattern = r'<ol class="source-list">(.*?)</ol>\s*(?:<nav|<p|</div>)'
    block = re.search(pattern, body, re.S).group(1)
    return [int(pk) for pk in re.findall(r'<cite><a href="/studies/(\d+)/">', block)]


def all_pages(client, params=None) -> list[int]:
    params = dict(params or {})
    shown, number = [], 1
    while True:
        response = get(client, {**params, "page": str(number)})
        assert response.status_code == 200
        shown += listed(response)
        if number >= response.context["page"].paginator.num_pages:
            return shown
        number += 1


def published():
    return Source.objects.published()


def newest_first(queryset) -> list[int]:
    ordered = queryset.order_by(F("year").desc(nulls_last=True), "title", "pk")
    return list(ordered.values_list("pk", flat=True))


def error_messages(response) -> list[str]:
    summary = re.search(
        r'<div class="notice notice-error"[^>]*>(.*?)</div>', response.content.decode(), re.S
    )
    assert summary, "no error summary"
    return [text(item) for item in re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)]


# -- the list ----------------------------------------------------------------------------------


def test_lists_every_published_source_newest_first_across_pages(client):
    make_source(title="Zz draft study", status="draft")
    response = get(client)
    assert response.status_code == 200
    total = published().count()
    assert total > STUDIES_PAGE_SIZE  # the curated data fills more than one page
    assert (
        text(
            re.search(
                r'<p class="result-count"[^>]*>(.*?)</p>', response.content.decode(), re.S
            ).group(1)
        )
        == f"{total} sources."
    )
    assert listed(response) == newest_first(published())[:STUDIES_PAGE_SIZE]
    assert all_pages(client) == newest_first(published())
    assertNotContains(response, "Zz draft study")


def test_each_entry_cites_the_source_and_what_it_is_cited_for(client):
    qwo_trial = published().get(doi="10.1097/dss.0000000000002952")
    response = get(client, {"treatment": "collagenase-qwo"})
    body = response.content.decode()
    entry = text(
        re.search(rf'<li>\s*<cite><a href="/studies/{qwo_trial.pk}/">.*?</li>', body, re.S).group(0)
    )
    assert qwo_trial.title in entry
    assert f"{qwo_trial.participants} participants" in entry
    assert f"DOI {qwo_trial.doi}" in entry
    assert f"PMID {qwo_trial.pmid}" in entry
    assert (
        "Cited for: Collagenase injections (Qwo) — “improves the appearance of cellulite”" in entry
    )
    assertContains(response, f'href="https://doi.org/{qwo_trial.doi}"')


@pytest.mark.parametrize("design", DesignChoices.values)
def test_design_filter(client, design):
    expected = newest_first(published().filter(design=design))
    assert all_pages(client, {"design": design}) == expected


@pytest.mark.parametrize("slug", ["collagenase-qwo", "mesotherapy", "acoustic-wave-therapy"])
def test_treatment_filter_lists_the_sources_behind_its_claims(client, slug):
    expected = newest_first(published().filter(findings__claim__treatment__slug=slug).distinct())
    assert expected
    shown = all_pages(client, {"treatment": slug})
    assert shown == expected  # each once, however many of its claims cite it


def test_treatment_filter_hides_unpublished_treatments(client):
    draft = make_treatment(name="Draft treatment", status="draft")
    make_finding(make_claim(draft), make_source(title="Only about a draft"))
    response = get(client, {"treatment": draft.slug})
    assert response.status_code == 400
    assert error_messages(response) == [
        "Treatment : We have no published treatment with that name."
    ]
    assertNotContains(response, "Draft treatment", status_code=400)


@pytest.mark.parametrize("year", ["2021", "2012", "1997"])
def test_year_filter(client, year):
    expected = newest_first(published().filter(year=int(year)))
    assert expected
    assert all_pages(client, {"year": year}) == expected


def test_filters_combine(client):
    params = {"design": "rct", "treatment": "collagenase-qwo", "year": "2021"}
    expected = newest_first(
        published()
        .filter(design="rct", year=2021, findings__claim__treatment__slug="collagenase-qwo")
        .distinct()
    )
    assert expected
    assert all_pages(client, params) == expected


def test_ordering_by_year_both_ways_undated_last(client):
    oldest = published().order_by(F("year").asc(nulls_last=True), "title", "pk")
    assert all_pages(client, {"ordering": "year"}) == list(oldest.values_list("pk", flat=True))
    assert all_pages(client, {"ordering": "-year"}) == newest_first(published())
    undated = set(published().filter(year__isnull=True).values_list("pk", flat=True))
    assert undated, "the curated data has undated documents"
    assert set(all_pages(client, {"ordering": "year"})[-len(undated) :]) == undated


def test_pages_never_repeat_or_skip_a_source(client):
    for ordering in ("year", "-year"):
        shown = all_pages(client, {"ordering": ordering})
        assert len(shown) == len(set(shown)) == published().count()


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"design": "anecdote"},
            "Design : Select a valid choice. anecdote is not one of the available choices.",
        ),
        ({"year": "banana"}, "Year : Enter a year, e.g. 2019."),
        ({"year": "99999999999999999999"}, "Year : Enter a year up to 2100."),
        ({"year": "1e999"}, "Year : Enter a year up to 2100."),
        ({"year": "1850"}, "Year : Enter a year from 1900 on."),
        ({"year": "2020.5"}, "Year : Enter a year, e.g. 2019."),
        (
            {"treatment": "no-such-thing"},
            "Treatment : We have no published treatment with that name.",
        ),
        ({"treatment": "bad\x00slug"}, "Treatment : Null characters are not allowed."),
        (
            {"ordering": "title"},
            "Sort by : Select a valid choice. title is not one of the available choices.",
        ),
    ],
)
def test_bad_parameters_answer_400_with_one_clear_message(client, params, message):
    response = get(client, params)
    assert response.status_code == 400
    assert error_messages(response) == [message]
    assertContains(response, ERROR_SUMMARY, status_code=400)
    assert listed(response)  # the other filters (none here) still give a list


def test_a_bad_year_keeps_the_good_design(client):
    response = get(client, {"design": "rct", "year": "banana"})
    assert response.status_code == 400
    assert set(listed(response)) == set(
        published().filter(design="rct").values_list("pk", flat=True)
    )


@pytest.mark.parametrize("page", ["abc", "9999", "-1", "0"])
def test_odd_page_numbers_answer_200(client, page):
    response = get(client, {"page": page})
    assert response.status_code == 200
    assert listed(response)


def test_no_match_says_so(client):
    assert not published().filter(design="rct", year=1901).exists()
    response = get(client, {"design": "rct", "year": "1901"})
    assert response.status_code == 200
    assert listed(response) == []
    assertContains(response, "0 sources.")
    assertContains(response, "No source matches these filters.")


# -- one source --------------------------------------------------------------------------------


def test_source_page_shows_the_citation_and_the_claims_it_is_cited_for(client):
    source = published().get(doi="10.1097/dss.0000000000002952")
    response = client.get(source.get_absolute_url())
    assert response.status_code == 200
    body = text(response.content.decode())
    assert source.title in body
    assert source.get_design_display() in body
    assert f"Participants {source.participants}" in body
    assert f"Follow-up {source.followup_weeks} weeks" in body
    assert source.get_funding_display() in body
    assertContains(response, f'<a href="https://doi.org/{source.doi}">DOI {source.doi}</a>')
    assertContains(
        response, f'<a href="https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/">PMID {source.pmid}</a>'
    )
    for finding in source.findings.select_related("claim__treatment"):
        assert f"{finding.claim.treatment.name} — “{finding.claim.statement}”" in body
        assertContains(response, f'href="{finding.claim.get_absolute_url()}"')


def test_source_page_hides_claims_of_unpublished_treatments(client):
    source = make_source(title="Shared trial")
    draft = make_treatment(name="Unreleased", status="draft")
    live = Treatment.objects.published().get(slug="mesotherapy")
    make_finding(make_claim(draft, statement="hidden claim"), source)
    make_finding(make_claim(live, statement="visible claim"), source)
    response = client.get(source.get_absolute_url())
    assertContains(response, "visible claim")
    assertNotContains(response, "hidden claim")
    assertNotContains(response, "Unreleased")


def test_a_source_cited_for_nothing_says_what_it_is_used_for(client):
    source = make_source(
        title="Price list", design="price_survey", doi="", url="https://example.org"
    )
    response = client.get(source.get_absolute_url())
    assertContains(response, "Not cited for a claim")
    assertContains(response, '<a href="https://example.org">Web page</a>')


@pytest.mark.parametrize("status", ["draft", "in_review", "retired"])
def test_unpublished_sources_are_not_found(client, status):
    source = make_source(title=f"Hidden {status}", status=status)
    assert client.get(source.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("path", ["/studies/999999/", "/studies/99999999999999999999999/"])
def test_unknown_ids_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_labels_survive_the_api_schema_reading_the_filters(client):
    # See the same test for /treatments/: the API description caches the filters' fields.
    assert client.get(reverse("api:schema")).status_code == 200
    body = get(client, {"design": "anecdote"}).content.decode()
    form = re.search(r'<form class="filters".*?</form>', body, re.S).group(0)
    labels = [text(label) for label in re.findall(r'<label for="id_[^"]+">(.*?)</label>', form)]
    assert labels == ["Design", "Treatment", "Year", "Sort by"]
    assert error_messages(get(client, {"design": "anecdote"}))[0].startswith("Design : ")
