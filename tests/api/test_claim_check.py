"""POST /api/claims/check/: the claim checker as JSON, with the HTML page's limits and messages."""

import pytest

from evidence.forms import CHECK_TEXT_LIMIT
from evidence.models import Claim
from tests.test_claim_checker import CLINIC_PAGE
from tests.test_curated_data import MESOTHERAPY_CLAIMS

pytestmark = pytest.mark.django_db

URL = "/api/claims/check/"
MATCH_FIELDS = {
    "claim_id",
    "statement",
    "treatment",
    "matched_text",
    "start",
    "end",
    "verdict",
    "certainty",
    "effect",
    "source_ids",
    "claim_url",
    "page_url",
}


def check(client, body, content_type="application/json"):
    return client.post(URL, body, content_type=content_type)


def test_clinic_page_comes_back_fully_annotated(client):
    response = check(client, {"text": CLINIC_PAGE})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"matches", "treatments_named", "no_treatment_named"}
    assert body["treatments_named"] == ["mesotherapy"] and body["no_treatment_named"] is False
    matches = body["matches"]
    assert {
        m["statement"] for m in matches if m["treatment"] == "mesotherapy"
    } >= MESOTHERAPY_CLAIMS
    assert [m["start"] for m in matches] == sorted(m["start"] for m in matches)
    claims = Claim.objects.in_bulk({m["claim_id"] for m in matches})
    for match in matches:
        assert set(match) == MATCH_FIELDS
        # Offsets count from the first character sent, surrounding whitespace included.
        assert CLINIC_PAGE[match["start"] : match["end"]] == match["matched_text"]
        claim = claims[match["claim_id"]]
        assert (match["statement"], match["treatment"]) == (claim.statement, claim.treatment.slug)
        assert (match["verdict"], match["certainty"], match["effect"]) == (
            claim.verdict,
            claim.certainty or None,
            claim.effect,
        )
        assert match["source_ids"] == list(
            claim.findings.filter(source__status="published").values_list("source_id", flat=True)
        )
        assert match["claim_url"] == f"http://testserver/api/claims/{claim.pk}/"
        assert (
            match["page_url"]
            == f"http://testserver/treatments/{claim.treatment.slug}/#claim-{claim.pk}"
        )


def test_same_matches_as_the_html_checker(client):
    page = client.post("/claims/check/", {"text": CLINIC_PAGE.strip()})
    html_matches = [(m.claim_id, m.matched_text) for m in page.context["result"].matches]
    body = check(client, {"text": CLINIC_PAGE.strip()}).json()
    assert [(m["claim_id"], m["matched_text"]) for m in body["matches"]] == html_matches


def test_offsets_count_code_points_not_bytes(client):
    text = "😀 Ça fait fondre la graisse? Non: mesotherapy melts fat, they say."
    match = next(m for m in check(client, {"text": text}).json()["matches"])
    assert text[match["start"] : match["end"]] == match["matched_text"] == "melts fat"
    assert match["start"] == text.index("melts fat")


def test_text_naming_no_treatment_is_matched_for_every_treatment_it_is_made_about(client):
    body = check(client, {"text": "This cream melts fat."}).json()
    assert body["no_treatment_named"] is True and body["treatments_named"] == []
    assert body["matches"] and {m["matched_text"] for m in body["matches"]} == {"melts fat"}


def html_error(client, text):
    return [
        str(e) for e in client.post("/claims/check/", {"text": text}).context["form"].errors["text"]
    ]


@pytest.mark.parametrize(
    "text", ["", "   \n\t ", "x" * (CHECK_TEXT_LIMIT + 1)], ids=["empty", "blank", "too-long"]
)
def test_bad_text_gets_400_with_the_html_pages_message(client, text):
    response = check(client, {"text": text})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The request is not valid: see `errors` for what to change."
    assert body["errors"]["text"] == html_error(client, text)


@pytest.mark.parametrize(
    ("body", "content_type", "detail"),
    [
        ("text=melts+fat", "application/x-www-form-urlencoded", "Send JSON"),
        ("melts fat", "text/plain", "Send JSON"),
        ('{"text": "melts fat"', "application/json", "JSON parse error"),
    ],
    ids=["form", "plain-text", "broken-json"],
)
def test_wrong_content_type_or_broken_json_gets_400(client, body, content_type, detail):
    response = check(client, body, content_type)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith(detail)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": None}, "text"),
        ({"text": ["melts fat"]}, "text"),
        ({"text": 42}, "text"),
        (["melts fat"], "non_field_errors"),
    ],
    ids=["missing", "null", "list", "number", "not-an-object"],
)
def test_json_of_the_wrong_shape_gets_400(client, body, field):
    response = check(client, body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    if body in ({"text": 42}, {"text": ["melts fat"]}):
        assert response.json()["errors"]["text"] == [
            'Send the text as a JSON string: {"text": "..."}.'
        ]


def test_only_post_is_allowed(client):
    response = client.get(URL)
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "GET" not allowed.'}
