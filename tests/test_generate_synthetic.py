"""manage.py generate_synthetic: a large, plainly fake, reproducible dataset beside curated data."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.caching import bump_data_version
from evidence.models import Claim, Finding, Source
from evidence.services import regrade_claims
from treatments.models import CostEstimate, RegulatoryEvent, SideEffect, Treatment
from treatments.synthetic import (
    DOI_PREFIX,
    MAIN_OUTCOME,
    analyze,
    synthetic_sources,
    synthetic_treatments,
)

pytestmark = pytest.mark.django_db


def generate(*args, **options):
    options.setdefault("stdout", None)
    return call_command("generate_synthetic", *args, **options)


def snapshot(treatments, sources) -> dict:
    """Everything a visitor could see of these rows, without ids or timestamps."""
    return {
        "treatments": list(
            treatments.order_by("slug").values_list(
                "slug",
                "name",
                "aliases",
                "modality",
                "invasiveness",
                "sessions_min",
                "sessions_max",
                "downtime_days_max",
                "pain_score",
                "status",
                "headline_certainty",
                "headline_verdict",
                "sessions_source__doi",
            )
        ),
        "claims": list(
            Claim.objects.filter(treatment__in=treatments)
            .order_by("treatment__slug", "position")
            .values_list("treatment__slug", "statement", "outcome__slug", "is_main", "certainty")
        ),
        "findings": sorted(
            Finding.objects.filter(claim__treatment__in=treatments).values_list(
                "claim__treatment__slug", "claim__statement", "source__doi", "direction"
            )
        ),
        "costs": sorted(
            CostEstimate.objects.filter(treatment__in=treatments).values_list(
                "treatment__slug", "currency", "min_amount", "max_amount", "unit", "source__doi"
            )
        ),
        "side_effects": sorted(
            SideEffect.objects.filter(treatment__in=treatments).values_list(
                "treatment__slug", "kind", "frequency", "source__doi"
            )
        ),
        "events": sorted(
            RegulatoryEvent.objects.filter(treatment__in=treatments).values_list(
                "treatment__slug", "region", "status", "date", "source__doi"
            )
        ),
        "sources": list(
            sources.order_by("doi").values_list(
                "doi", "title", "design", "year", "participants", "risk_of_bias", "status"
            )
        ),
    }


def curated_snapshot() -> dict:
    return snapshot(
        Treatment.objects.exclude(pk__in=synthetic_treatments()),
        Source.objects.exclude(pk__in=synthetic_sources()),
    )


def test_generates_realistic_identifiable_rows():
    generate(treatments=6, studies=40, seed=3)

    treatments = list(synthetic_treatments().prefetch_related("claims__findings", "costs"))
    assert len(treatments) == 6
    for treatment in treatments:
        assert treatment.name.startswith("[Synthetic] ")
        assert treatment.status == "published"
        claims = list(treatment.claims.all())
        assert 4 <= len(claims) <= 8
        main = [claim for claim in claims if claim.is_main]
        assert len(main) == 1
        assert main[0].outcome.slug == MAIN_OUTCOME
        assert all(1 <= len(claim.findings.all()) <= 5 for claim in claims)
        assert treatment.costs.all()
    sources = synthetic_sources()
    # 40 studies, one price survey and one regulatory notice (one of each per 20 treatments).
    assert sources.count() == 42
    assert all(
        title.startswith("[Synthetic] ") for title in sources.values_list("title", flat=True)
    )
    assert all(doi.startswith(DOI_PREFIX) for doi in sources.values_list("doi", flat=True))
    designs = Counter(sources.values_list("design", flat=True))
    assert len(designs) >= 4, designs
    # A reported frequency always has its source ("not reported" may stand alone).
    effects = SideEffect.objects.filter(treatment__in=synthetic_treatments())
    assert not effects.exclude(frequency="not_reported").filter(source__isnull=True).exists()
    assert RegulatoryEvent.objects.filter(treatment__in=synthetic_treatments()).exists()


def test_grades_are_what_the_regrading_service_computes():
    generate(treatments=8, studies=60, seed=5)

    claims = list(Claim.objects.filter(treatment__in=synthetic_treatments()))
    assert all(claim.graded_at for claim in claims)
    assert regrade_claims(claims) == 0
    for treatment in synthetic_treatments().prefetch_related("claims"):
        main = next(claim for claim in treatment.claims.all() if claim.is_main)
        assert (treatment.headline_certainty, treatment.headline_verdict) == (
            main.certainty,
            main.verdict,
        )


def test_same_seed_same_data_and_another_seed_other_data():
    generate(treatments=5, studies=30, seed=7)
    first = snapshot(synthetic_treatments(), synthetic_sources())

    generate(treatments=5, studies=30, seed=7, clear=True)
    assert snapshot(synthetic_treatments(), synthetic_sources()) == first

    generate(treatments=5, studies=30, seed=8, clear=True)
    assert snapshot(synthetic_treatments(), synthetic_sources()) != first


def test_curated_rows_are_never_touched_and_clear_removes_only_synthetic_rows():
    before = curated_snapshot()
    counts = (Treatment.objects.count(), Source.objects.count(), Claim.objects.count())

    generate(treatments=5, studies=30, seed=1)
    assert curated_snapshot() == before
    assert Treatment.objects.count() == counts[0] + 5

    generate(clear_only=True)
    assert curated_snapshot() == before
    assert (Treatment.objects.count(), Source.objects.count(), Claim.objects.count()) == counts


def test_refuses_to_add_to_existing_synthetic_data_without_clear():
    generate(treatments=2, studies=10)

    with pytest.raises(CommandError, match="--clear"):
        generate(treatments=2, studies=10)
    assert synthetic_treatments().count() == 2


def test_clear_refuses_when_curated_rows_cite_a_synthetic_source():
    generate(treatments=2, studies=10)
    curated = Treatment.objects.get(slug="mesotherapy")
    curated.pain_source = synthetic_sources().first()
    curated.save()

    with pytest.raises(CommandError, match="cite a synthetic source"):
        generate(clear_only=True)
    assert synthetic_treatments().count() == 2


def test_dry_run_writes_nothing(capsys):
    call_command("generate_synthetic", treatments=3, studies=20, dry_run=True)

    output = capsys.readouterr().out
    assert "Would create 3 treatments, 22 sources" in output
    assert "rolled back" in output
    assert not synthetic_treatments().exists()
    assert not synthetic_sources().exists()


def test_prints_what_it_created_and_the_time(capsys):
    call_command("generate_synthetic", treatments=2, studies=10, claims_per_treatment=3)

    output = capsys.readouterr().out
    assert "Created 2 treatments, 12 sources, 6 claims" in output
    assert "Done in " in output
    assert Counter(
        Claim.objects.filter(treatment__in=synthetic_treatments()).values_list(
            "treatment_id", flat=True
        )
    ) == dict.fromkeys(synthetic_treatments().values_list("pk", flat=True), 3)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"treatments": 0}, "at least one treatment"),
        ({"studies": -5}, "at least one treatment and one study"),
        ({"claims_per_treatment": 0}, "between 1 and 14"),
        ({"claims_per_treatment": 15}, "between 1 and 14"),
    ],
)
def test_bad_sizes_get_a_clear_error(options, message):
    with pytest.raises(CommandError, match=message):
        generate(**{"treatments": 2, "studies": 10, **options})
    assert not synthetic_treatments().exists()


def test_after_commit_it_invalidates_cached_pages_and_refreshes_statistics(
    django_capture_on_commit_callbacks,
):
    # bulk_create sends no signals, so the generator bumps the shared data version itself; and it
    # analyzes the tables, or PostgreSQL plans queries as if they were empty.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        generate(treatments=2, studies=10)
    assert callbacks == [bump_data_version, analyze]

    with django_capture_on_commit_callbacks() as callbacks:
        generate(clear_only=True)
    assert bump_data_version in callbacks


def test_synthetic_pages_render(client):
    generate(treatments=3, studies=20, seed=2)
    treatment = synthetic_treatments().order_by("slug").first()

    response = client.get(treatment.get_absolute_url())
    assert response.status_code == 200
    assert "[Synthetic]" in response.content.decode()
    response = client.get("/studies/", {"q": "", "design": "rct"})
    assert response.status_code == 200


PAGES = [
    "/",
    "/treatments/",
    "/treatments/?modality=injectable&min_certainty=low",
    "/treatments/?ordering=cost&currency=USD&max_cost=5000",
    "/treatments/mesotherapy/",
    "/compare/?t=mesotherapy&t=manual-subcision&t=radiofrequency&t=collagenase-qwo",
    "/studies/",
    "/studies/?design=rct",
    "/api/treatments/",
    "/api/studies/",
]


def query_counts() -> dict[str, int]:
    from django.test import Client

    counts = {}
    for url in PAGES:
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_data_size():
    curated_only = query_counts()

    generate(treatments=60, studies=300, seed=4)
    assert query_counts() == curated_only
