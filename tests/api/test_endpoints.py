"""The read-only API through real HTTP (Django's test client): content, contract, errors."""

import pytest
from django.core.cache import cache

from evidence.models import Claim, Outcome, Source
from tests.factories import make_claim, make_finding, make_outcome, make_source, make_treatment
from treatments.models import Treatment

pytestmark = pytest.mark.django_db

# The contract: these names are documented and reused; add fields, never rename them.
TREATMENT_FIELDS = {
    "slug",
    "name",
    "url",
    "page_url",
    "aliases",
    "summary",
    "modality",
    "invasiveness",
    "headline_verdict",
    "headline_certainty",
    "headline_effect",
    "sessions_min",
    "sessions_max",
    "downtime_days_min",
    "downtime_days_max",
    "pain_score",
    "results_last_months",
    "last_reviewed",
    "prices",
    "regulatory_status",
}
TREATMENT_DETAIL_FIELDS = TREATMENT_FIELDS | {
    "how_it_works",
    "session_interval",
    "session_minutes",
    "sessions_source_id",
    "downtime_source_id",
    "pain",
    "pain_source_id",
    "results_last",
    "results_last_source_id",
    "reviewed_by",
    "questions_to_ask",
    "claims",
    "costs",
    "side_effects_status",
    "side_effects",
    "regulatory_events",
}
CLAIM_FIELDS = {
    "id",
    "url",
    "page_url",
    "treatment",
    "statement",
    "kind",
    "claimed_by",
    "outcome",
    "is_main",
    "verdict",
    "certainty",
    "effect",
    "study_counts",
    "participants_total",
    "source_ids",
}
CLAIM_DETAIL_FIELDS = CLAIM_FIELDS | {
    "summary",
    "phrases",
    "computed_verdict",
    "computed_certainty",
    "computed_effect",
    "is_overridden",
    "override_rationale",
    "grading_reasons",
    "graded_at",
    "findings",
}
STUDY_FIELDS = {
    "id",
    "url",
    "page_url",
    "title",
    "authors",
    "year",
    "journal",
    "doi",
    "pmid",
    "web_url",
    "design",
    "participants",
    "followup_weeks",
    "outcome_measure",
    "funding",
    "funding_note",
    "risk_of_bias",
    "plain_finding",
    "treatments",
}
PAGE_FIELDS = {"count", "next", "previous", "results"}


def all_results(client, url, **params):
    """Every item of a paginated list, following `next` links as a client would."""
    items, response = [], client.get(url, {**params, "page_size": 100})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == PAGE_FIELDS
        items += body["results"]
        if not body["next"]:
            return items
        response = client.get(body["next"])


def test_root_links_every_endpoint(client):
    body = client.get("/api/").json()
    assert body == {
        "treatments": "http://testserver/api/treatments/",
        "claims": "http://testserver/api/claims/",
        "claim_check": "http://testserver/api/claims/check/",
        "studies": "http://testserver/api/studies/",
        "outcomes": "http://testserver/api/outcomes/",
        "schema": "http://testserver/api/schema/",
        "docs": "http://testserver/api/docs/",
    }


def test_treatment_list_is_published_only_with_stable_fields(client):
    make_treatment(name="Draft cure", slug="draft-cure", status="draft")
    make_treatment(name="Retired cure", slug="retired-cure", status="retired")
    results = all_results(client, "/api/treatments/")
    assert [t["slug"] for t in results] == list(
        Treatment.objects.published().order_by("name").values_list("slug", flat=True)
    )
    assert all(set(item) == TREATMENT_FIELDS for item in results)
    meso = next(t for t in results if t["slug"] == "mesotherapy")
    assert meso["url"] == "http://testserver/api/treatments/mesotherapy/"
    assert meso["page_url"] == "http://testserver/treatments/mesotherapy/"
    assert "injection lipolysis" in meso["aliases"]


def test_treatment_detail_has_claims_costs_side_effects_and_history(client):
    treatment = Treatment.objects.get(slug="mesotherapy")
    body = client.get("/api/treatments/mesotherapy/").json()
    assert set(body) == TREATMENT_DETAIL_FIELDS
    assert [c["statement"] for c in body["claims"]] == list(
        treatment.claims.values_list("statement", flat=True)
    )
    assert all(set(c) == CLAIM_DETAIL_FIELDS - {"treatment"} for c in body["claims"])
    assert len(body["costs"]) == treatment.costs.count() > 0
    assert len(body["side_effects"]) == treatment.side_effects.count() > 0
    assert body["side_effects_status"] == treatment.side_effects_status
    assert len(body["regulatory_events"]) == treatment.regulatory_events.count()
    published = set(Source.objects.published().values_list("pk", flat=True))
    cited = {f["source_id"] for c in body["claims"] for f in c["findings"]}
    assert cited and cited <= published
    main = next(c for c in body["claims"] if c["is_main"])
    assert body["headline_verdict"] == main["verdict"]


def test_unpublished_sources_and_treatments_stay_hidden(client):
    treatment = make_treatment(slug="half-done")
    claim = make_claim(treatment, is_main=True)
    public, draft = make_source(), make_source(status="draft")
    make_finding(claim, public)
    make_finding(claim, draft)
    body = client.get("/api/treatments/half-done/").json()
    assert body["claims"][0]["source_ids"] == [public.pk]
    assert client.get(f"/api/studies/{draft.pk}/").status_code == 404
    assert client.get(f"/api/studies/{public.pk}/").json()["treatments"] == ["half-done"]

    hidden = make_treatment(slug="not-yet", status="in_review")
    hidden_claim = make_claim(hidden)
    response = client.get("/api/treatments/not-yet/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Treatment matches the given query."}
    assert client.get(f"/api/claims/{hidden_claim.pk}/").status_code == 404
    slugs = {c["treatment"] for c in all_results(client, "/api/claims/")}
    assert "not-yet" not in slugs and "half-done" in slugs


def test_claims_list_and_filters(client):
    results = all_results(client, "/api/claims/", treatment="mesotherapy")
    assert [c["id"] for c in results] == list(
        Claim.objects.filter(treatment__slug="mesotherapy").values_list("pk", flat=True)
    )
    assert all(set(c) == CLAIM_FIELDS for c in results)
    supported = all_results(client, "/api/claims/", verdict="supported")
    assert supported and {c["verdict"] for c in supported} == {"supported"}
    untested = all_results(client, "/api/claims/", verdict="untested")
    assert {c["certainty"] for c in untested} == {None}


def test_claim_detail_gives_findings_and_the_reasons_for_its_grade(client):
    claim = Claim.objects.get(treatment__slug="mesotherapy", is_main=True)
    body = client.get(f"/api/claims/{claim.pk}/").json()
    assert set(body) == CLAIM_DETAIL_FIELDS
    assert body["treatment"] == "mesotherapy"
    assert body["verdict"] == claim.verdict and body["certainty"] == (claim.certainty or None)
    assert body["grading_reasons"] == claim.grading_reasons
    assert [f["source_id"] for f in body["findings"]] == body["source_ids"]


def test_studies_list_uses_the_studies_page_filters(client):
    make_source(title="Unpublished trial", status="draft")
    results = all_results(client, "/api/studies/")
    assert len(results) == Source.objects.published().count()
    assert all(set(s) == STUDY_FIELDS for s in results)
    assert "Unpublished trial" not in {s["title"] for s in results}
    rcts = all_results(client, "/api/studies/", design="rct")
    assert rcts and {s["design"] for s in rcts} == {"rct"}
    meso = all_results(client, "/api/studies/", treatment="mesotherapy")
    assert meso and all("mesotherapy" in s["treatments"] for s in meso)
    oldest_first = all_results(client, "/api/studies/", ordering="year")
    years = [s["year"] for s in oldest_first if s["year"]]
    assert years == sorted(years)


def test_study_detail_lists_what_it_found_per_claim(client):
    source = Source.objects.published().filter(findings__isnull=False).first()
    body = client.get(f"/api/studies/{source.pk}/").json()
    assert set(body) == STUDY_FIELDS | {"findings"}
    assert {f["claim_id"] for f in body["findings"]} == set(
        source.findings.filter(claim__treatment__status="published").values_list(
            "claim_id", flat=True
        )
    )


def test_outcomes_are_those_of_published_claims(client):
    unused = make_outcome(name="Unused outcome", slug="unused-outcome")
    results = all_results(client, "/api/outcomes/")
    slugs = [o["slug"] for o in results]
    assert unused.slug not in slugs
    assert slugs == sorted(
        set(
            Outcome.objects.filter(claims__treatment__status="published").values_list(
                "slug", flat=True
            )
        ),
        key=lambda slug: Outcome.objects.get(slug=slug).name,
    )


def test_pagination(client):
    first = client.get("/api/claims/", {"page_size": 5}).json()
    assert len(first["results"]) == 5
    assert first["next"] == "http://testserver/api/claims/?page=2&page_size=5"
    assert first["count"] == Claim.objects.public().count()
    second = client.get(first["next"]).json()
    assert second["previous"] and not {c["id"] for c in second["results"]} & {
        c["id"] for c in first["results"]
    }
    beyond = client.get("/api/claims/", {"page": 999})
    assert beyond.status_code == 404
    assert beyond.json() == {"detail": "Invalid page."}


@pytest.mark.parametrize(
    ("url", "params", "field", "message"),
    [
        ("/api/treatments/", {"max_cost": "100"}, "currency", "Choose a currency"),
        ("/api/treatments/", {"ordering": "cost"}, "currency", "Choose a currency"),
        ("/api/treatments/", {"max_cost": "cheap", "currency": "EUR"}, "max_cost", "Enter"),
        ("/api/treatments/", {"max_cost": "-5", "currency": "EUR"}, "max_cost", ""),
        ("/api/treatments/", {"max_cost": "1e999", "currency": "EUR"}, "max_cost", ""),
        ("/api/treatments/", {"currency": "ZZZ"}, "currency", "is not a currency code"),
        ("/api/treatments/", {"min_certainty": "great"}, "min_certainty", "valid choice"),
        ("/api/treatments/", {"modality": "<script>"}, "modality", "valid choice"),
        ("/api/treatments/", {"max_sessions": "0"}, "max_sessions", ""),
        ("/api/treatments/", {"ordering": "price"}, "ordering", "valid choice"),
        ("/api/claims/", {"verdict": "true"}, "verdict", "valid choice"),
        ("/api/studies/", {"treatment": "snake-oil"}, "treatment", "no published treatment"),
        ("/api/studies/", {"year": "last year"}, "year", "Enter a year"),
        ("/api/studies/", {"design": "anecdote"}, "design", "valid choice"),
    ],
)
def test_invalid_filter_values_get_400_with_the_form_errors(client, url, params, field, message):
    response = client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] == "The request is not valid: see `errors` for what to change."
    assert message in " ".join(body["errors"][field])


def test_etag_answers_304_until_the_data_changes(
    client, api_cache, django_capture_on_commit_callbacks
):
    first = client.get("/api/treatments/mesotherapy/")
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    again = client.get("/api/treatments/mesotherapy/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get("/api/treatments/", HTTP_IF_NONE_MATCH=etag).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        treatment = Treatment.objects.get(slug="mesotherapy")
        treatment.summary += " Updated."
        treatment.save()
    fresh = client.get("/api/treatments/mesotherapy/", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert fresh.json()["summary"].endswith(" Updated.")
    assert fresh["ETag"] != etag


def test_anonymous_use_is_throttled(client, api_cache, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "claim_check": "1/minute"},
    }
    statuses = [client.get("/api/outcomes/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = client.get("/api/claims/")
    assert throttled.status_code == 429
    assert throttled.json()["detail"].startswith("Request was throttled.")
    assert int(throttled["Retry-After"]) > 0

    cache.clear()
    text = {"text": "Mesotherapy melts fat."}
    checks = [
        client.post("/api/claims/check/", text, content_type="application/json").status_code
        for _ in range(2)
    ]
    assert checks == [200, 429], "the claim checker has its own, smaller budget"
