"""Every API endpoint runs a fixed number of queries, with the curated data and with much more."""

import pytest

from evidence.models import Claim, Source

from .builders import add_treatments, rich_treatment

pytestmark = pytest.mark.django_db

SIZES = [0, 30]  # extra published treatments (each with claims, studies, prices…) on top


@pytest.fixture(params=SIZES, ids=lambda n: f"plus{n}")
def extra(request):
    return add_treatments(request.param)


def test_treatment_list(client, extra, django_assert_num_queries):
    # count, the page of treatments, their prices, their regulatory events
    with django_assert_num_queries(4):
        response = client.get("/api/treatments/", {"modality": "injectable", "page_size": 100})
    assert response.json()["count"] >= len(extra)


def test_treatment_list_sorted_by_price(client, extra, django_assert_num_queries):
    # the same four: the price filter and sort are subqueries of the page query
    with django_assert_num_queries(4):
        response = client.get(
            "/api/treatments/", {"currency": "USD", "max_cost": "5000", "ordering": "cost"}
        )
    assert response.status_code == 200


@pytest.mark.parametrize("claims", [1, 12])
def test_treatment_detail(client, claims, django_assert_num_queries):
    treatment = rich_treatment(claims=claims)
    # treatment (+ fact sources, reviewer), claims (+ outcome), findings (+ source), prices
    # (+ source), side effects (+ source), regulatory events (+ source)
    with django_assert_num_queries(6):
        body = client.get(f"/api/treatments/{treatment.slug}/").json()
    assert len(body["claims"]) == claims


def test_claim_list(client, extra, django_assert_num_queries):
    # count, the page of claims (+ treatment, outcome), their findings on published studies
    with django_assert_num_queries(3):
        response = client.get("/api/claims/", {"page_size": 100})
    assert response.json()["count"] == Claim.objects.public().count()


@pytest.mark.parametrize("claims", [1, 12])
def test_claim_detail(client, claims, django_assert_num_queries):
    claim = rich_treatment(claims=claims).claims.first()
    # the claim (+ treatment, outcome), its findings on published studies
    with django_assert_num_queries(2):
        assert client.get(f"/api/claims/{claim.pk}/").status_code == 200


def test_study_list(client, extra, django_assert_num_queries):
    # count, the page of studies, their findings on published treatments (+ claim, treatment)
    with django_assert_num_queries(3):
        response = client.get("/api/studies/", {"page_size": 100})
    assert response.json()["count"] == Source.objects.published().count()


def test_study_list_for_one_treatment(client, extra, django_assert_num_queries):
    # the treatment named in the filter, count, the page, the findings
    with django_assert_num_queries(4):
        assert client.get("/api/studies/", {"treatment": "mesotherapy"}).status_code == 200


def test_study_detail(client, extra, django_assert_num_queries):
    source = Source.objects.published().filter(findings__isnull=False).last()
    # the study, its findings on published treatments (+ claim, treatment)
    with django_assert_num_queries(2):
        assert client.get(f"/api/studies/{source.pk}/").status_code == 200


def test_outcome_list(client, extra, django_assert_num_queries):
    # count, the page of outcomes used by published claims
    with django_assert_num_queries(2):
        assert client.get("/api/outcomes/").status_code == 200


def test_claim_check(client, extra, django_assert_num_queries):
    # published treatments, their claims (+ outcome), findings on published studies (+ source);
    # none at all when the index for the current data version is already built
    with django_assert_num_queries(3):
        response = client.post(
            "/api/claims/check/",
            {"text": "Mesotherapy melts fat and improves circulation."},
            content_type="application/json",
        )
    assert len(response.json()["matches"]) >= 2


def test_root_schema_and_docs_need_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        for url in ("/api/", "/api/schema/", "/api/docs/"):
            assert client.get(url).status_code == 200
