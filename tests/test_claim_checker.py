"""The claim checker page (/claims/check/) against the curated data, through real POSTs."""

import re

import pytest
from django.urls import reverse

from evidence.models import Claim

from .test_curated_data import MESOTHERAPY_CLAIMS

pytestmark = pytest.mark.django_db

URL = reverse("evidence:claim-check")

# Written for these tests in the style of a spa's mesotherapy page (not copied from any article).
CLINIC_PAGE = """
Discover mesotherapy at the Silhouette Spa!

Our mesotherapy injections melt away stubborn fat cells on the thighs and hips. The tiny
injections improve blood circulation and help repair connective tissue from within, while
boosting lymphatic drainage so toxins can leave the body. Many clients also love the
anti-ageing effect on their skin.

The treatment is virtually painless. Some bruising and swelling may last around a week, nothing
more. It is cheaper than invasive treatments like liposuction, and you will see visible
results after just a couple of sessions! Mesotherapy has been practiced in Europe for decades.
"""


def post(client, text, **extra):
    return client.post(URL, {"text": text}, **extra)


def test_page_offers_a_labelled_form(client):
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_text">' in html and "csrfmiddlewaretoken" in html


def test_clinic_page_comes_back_fully_annotated(client):
    response = post(client, CLINIC_PAGE)
    assert response.status_code == 200
    reports = response.context["reports"]
    found = {report.claim.statement for report in reports if report.treatment.slug == "mesotherapy"}
    assert found >= MESOTHERAPY_CLAIMS
    html = response.content.decode()
    for report in reports:
        claim = report.claim
        assert f'id="result-{claim.pk}"' in html
        assert claim.get_verdict_display() in html
        for match in report.matches:
            # Offsets refer to the text as read: the form strips surrounding whitespace.
            assert CLINIC_PAGE.strip()[match.start : match.end] == match.matched_text
    # Citations link to the studies behind a graded claim.
    melts_fat = next(r.claim for r in reports if r.claim.statement == "melts fat")
    for finding in melts_fat.findings.all():
        assert f'href="/studies/{finding.source_id}/"' in html
    # An untested claim is answered as such, not left blank.
    assert "No study has tested this claim." in html


def test_claims_marked_in_the_pasted_text(client):
    html = post(client, CLINIC_PAGE).content.decode()
    assert re.search(r'<mark><a href="#result-\d+">[^<]*melt away[^<]*fat[^<]*</a></mark>', html)
    assert html.count("<mark>") >= len(MESOTHERAPY_CLAIMS)


@pytest.mark.parametrize(
    "wording",
    ["It melts fat.", "A fat-melting treatment.", "Watch it melting fat!", "MELTS FAT"],
)
def test_inflections_and_punctuation(client, wording):
    reports = post(client, f"Mesotherapy: {wording}").context["reports"]
    assert "melts fat" in {r.claim.statement for r in reports}


def test_unknown_text_is_no_known_claims_not_an_error(client):
    response = post(client, "The weather in Lisbon is lovely in May.")
    assert response.status_code == 200
    assert "No known claims found" in response.content.decode()


def test_claim_without_treatment_named_is_shown_for_each_treatment(client):
    response = post(client, "This device improves circulation.")
    treatments = {r.treatment.slug for r in response.context["reports"]}
    expected = {
        claim.treatment.slug
        for claim in Claim.objects.public().select_related("treatment")
        if "improves circulation" in {p.lower() for p in [claim.statement, *claim.phrase_list()]}
    }
    assert treatments == expected and len(expected) >= 2
    assert "does not name a treatment we cover" in response.content.decode()


def test_empty_text_explained(client):
    response = post(client, "   ")
    assert response.status_code == 400
    assert "Paste some text first" in response.content.decode()


def test_too_long_text_explained_and_kept(client):
    text = "a" * 20_001
    response = post(client, text)
    assert response.status_code == 400
    html = response.content.decode()
    assert "That is 20,001 characters; the checker reads at most 20,000." in html.replace(
        "20001", "20,001"
    ).replace("20000", "20,000")
    assert text in html  # nothing the visitor pasted is lost


def test_text_at_the_limit_accepted(client):
    assert post(client, "melts fat " * 2000).status_code == 200


def test_post_without_csrf_token_is_refused():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, {"text": "melts fat"}).status_code == 403


def test_hostile_input_is_escaped(client):
    html = post(client, "<script>alert(1)</script> mesotherapy melts fat").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
