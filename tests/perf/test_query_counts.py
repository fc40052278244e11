"""Every public page runs a fixed number of SQL queries, whatever the amount of data.

Each test runs twice: on the curated data (13 treatments), and after adding 60 more published
treatments, each with claims, findings and their sources, prices, side effects and regulatory
events. The pinned count is the same at both sizes; a count that grew with the data would be an
N+1 query. The rows are bulk-created: these tests measure reading, not curating.
"""

import itertools
from datetime import date
from decimal import Decimal

import pytest

from evidence.models import Claim, Finding, Source
from treatments.models import CostEstimate, RegulatoryEvent, SideEffect, Treatment

pytestmark = pytest.mark.django_db

ADDED = 60
CURATED_SIX = [
    "mesotherapy",
    "collagenase-qwo",
    "radiofrequency",
    "topical-creams",
    "endermologie",
    "cryolipolysis",
]


def add_published_treatments(count: int) -> None:
    serial = itertools.count(1)
    treatments = Treatment.objects.bulk_create(
        Treatment(
            name=f"Generated treatment {n:02d}",
            slug=f"generated-{n:02d}",
            aliases="synthetic\nmade up",
            summary="Added by the query-count tests.",
            modality="injectable",
            invasiveness="minimal",
            status="published",
            sessions_min=2,
            sessions_max=4,
            downtime_days_min=1,
            downtime_days_max=3,
            headline_certainty="low",
            certainty_rank=2,
            headline_verdict="mixed",
            headline_effect="small",
            questions_to_ask="Which studies?\nWhat does a course cost?",
        )
        for n in range(count)
    )
    sources = Source.objects.bulk_create(
        Source(
            title=f"Generated trial {n}",
            authors="Doe J",
            year=2000 + n % 25,
            journal="J Test Med",
            doi=f"10.9999/generated.{n}",
            design="rct",
            participants=40 + n,
            status="published",
            plain_finding="A made-up finding.",
        )
        for n in range(count * 3)
    )
    documents = Source.objects.bulk_create(
        Source(
            title=f"Generated price list {n}",
            design="price_survey",
            url=f"https://example.org/prices/{n}",
            status="published",
        )
        for n in range(count)
    )
    claims = Claim.objects.bulk_create(
        Claim(
            treatment=treatment,
            statement=statement,
            phrases=f"{statement} fast",
            is_main=index == 0,
            verdict="mixed",
            certainty="low",
            effect="small",
            study_counts={"rct": 2},
            grading_reasons=[{"domain": "design", "change": 0, "reason": "Starts at High."}],
        )
        for treatment in treatments
        for index, statement in enumerate(["reduces cellulite", "melts fat", "painless"])
    )
    Finding.objects.bulk_create(
        Finding(
            claim=claim,
            source=sources[(index + offset) % len(sources)],
            direction="supports",
            effect_text="Some effect.",
        )
        for index, claim in enumerate(claims)
        for offset in (0, 1)
    )
    CostEstimate.objects.bulk_create(
        CostEstimate(
            treatment=treatment,
            region=region,
            currency=currency,
            min_amount=Decimal(100 + next(serial)),
            max_amount=Decimal(900),
            unit=unit,
            price_year=2024,
            source=documents[index],
        )
        for index, treatment in enumerate(treatments)
        for region, currency, unit in (("US", "USD", "per_session"), ("EU", "EUR", "per_course"))
    )
    SideEffect.objects.bulk_create(
        SideEffect(treatment=treatment, kind=kind, name=kind, frequency=frequency, source=source)
        for index, treatment in enumerate(treatments)
        for kind, frequency, source in (
            ("bruising", "common", sources[index]),
            ("swelling", "not_reported", None),
        )
    )
    RegulatoryEvent.objects.bulk_create(
        RegulatoryEvent(
            treatment=treatment,
            region="US",
            status=status,
            date=when,
            description="Generated event.",
            source=documents[index],
        )
        for index, treatment in enumerate(treatments)
        for status, when in (("warning", date(2015, 1, 1)), ("cleared", date(2020, 1, 1)))
    )


@pytest.fixture(params=["curated", f"curated+{ADDED}"])
def data(request):
    """The data size under test. "Generated treatment …" sorts among the curated names, so the
    pages under test show curated and added rows side by side."""
    curated = Treatment.objects.published().count()
    if request.param != "curated":
        add_published_treatments(ADDED)
        assert Treatment.objects.published().count() == curated + ADDED
    return request.param


def test_home(client, data, django_assert_num_queries):
    # 1. published treatments (names, summaries, headline grades) for the cards and the map
    with django_assert_num_queries(1):
        response = client.get("/")
    assert response.status_code == 200


LIST_QUERIES = 4
# 1. count of the matching treatments (paginator)
# 2. the page of treatments (filters and ordering in SQL: subqueries, not extra queries)
# 3. their prices (prefetch)
# 4. their regulatory events (prefetch)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?modality=injectable&min_certainty=very_low&max_cost=2000&currency=USD"
        "&side_effect=burn&max_sessions=20&invasiveness=minimal",
        "?q=e&regulatory=cleared&ordering=-certainty",
        "?ordering=cost&currency=USD",
        "?ordering=-downtime&page=2",
    ],
    ids=["no-filter", "filters", "q-regulatory", "cost-order", "page-2"],
)
def test_treatment_list(client, data, django_assert_num_queries, query):
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(f"/treatments/{query}")
    assert response.status_code == 200
    assert response.context["rows"], "the page lists treatments at both sizes"


def test_treatment_list_with_a_bad_parameter(client, data, django_assert_num_queries):
    # The same four queries: the invalid filter is dropped, the others still apply.
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/treatments/?min_certainty=banana&modality=injectable")
    assert response.status_code == 400


@pytest.mark.parametrize("slug", ["mesotherapy", "collagenase-qwo"])
def test_treatment_detail(client, data, django_assert_num_queries, slug):
    # 1. the treatment with its sources for sessions, downtime, pain, durability, and reviewer
    # 2. its claims with their outcomes
    # 3. the findings of those claims from published sources, with the sources
    # 4. its prices with their sources
    # 5. its side effects with their sources
    # 6. its regulatory events with their sources
    with django_assert_num_queries(6):
        response = client.get(f"/treatments/{slug}/")
    assert response.status_code == 200


def test_treatment_detail_of_an_added_treatment(client, data, django_assert_num_queries):
    slug = "generated-00" if data != "curated" else "carboxytherapy"
    with django_assert_num_queries(6):  # as above
        response = client.get(f"/treatments/{slug}/")
    assert response.status_code == 200


COMPARE_QUERIES = 6
# 1. the selected published treatments
# 2. their prices (prefetch)
# 3. their regulatory events (prefetch)
# 4. their side effects (prefetch)
# 5. their claims (prefetch)
# 6. the other published treatments, for the "Add a treatment" menu


@pytest.mark.parametrize("count", [2, 6])
def test_compare(client, data, django_assert_num_queries, count):
    query = "&".join(f"t={slug}" for slug in CURATED_SIX[:count])
    with django_assert_num_queries(COMPARE_QUERIES):
        response = client.get(f"/compare/?{query}")
    assert response.status_code == 200
    assert len(response.context["treatments"]) == count


def test_compare_added_treatments(client, data, django_assert_num_queries):
    slugs = [f"generated-{n:02d}" for n in range(6)] if data != "curated" else CURATED_SIX
    with django_assert_num_queries(COMPARE_QUERIES):  # as above
        response = client.get("/compare/?" + "&".join(f"t={slug}" for slug in slugs))
    assert response.status_code == 200


def test_compare_csv(client, data, django_assert_num_queries):
    # 1–5 as for the page; the CSV needs no menu of other treatments.
    query = "&".join(f"t={slug}" for slug in CURATED_SIX)
    with django_assert_num_queries(5):
        response = client.get(f"/compare/?{query}&format=csv")
    assert response.status_code == 200


def test_studies(client, data, django_assert_num_queries):
    # 1. count of the matching sources (paginator)
    # 2. published treatments, for the treatment filter's menu
    # 3. the page of sources
    # 4. the findings citing them on published treatments, with claim and treatment
    with django_assert_num_queries(4):
        response = client.get("/studies/")
    assert response.status_code == 200
    assert len(response.context["page"]) == 30


def test_studies_filtered(client, data, django_assert_num_queries):
    # 1. the treatment named in the filter (validating the slug)
    # 2–5. as for the unfiltered list
    with django_assert_num_queries(5):
        response = client.get("/studies/?treatment=mesotherapy&design=rct&ordering=year")
    assert response.status_code == 200
    assert response.context["page"]


def test_study(client, data, django_assert_num_queries):
    source = Source.objects.published().filter(findings__isnull=False).first()
    # 1. the source
    # 2. the findings citing it on published treatments, with claim and treatment
    with django_assert_num_queries(2):
        response = client.get(f"/studies/{source.pk}/")
    assert response.status_code == 200


def test_claim_check(client, data, django_assert_num_queries):
    # 1. published treatments (names and aliases) for the matcher
    # 2. their claims with outcomes
    # 3. the findings of those claims from published sources, with the sources
    with django_assert_num_queries(3):
        response = client.post(
            "/claims/check/", {"text": "Mesotherapy melts fat and improves circulation."}
        )
    assert response.status_code == 200
    assert response.context["reports"]
