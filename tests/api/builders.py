"""More data than the curated set, to show that query counts do not grow with it."""

from evidence import services
from tests.factories import (
    make_claim,
    make_cost,
    make_finding,
    make_outcome,
    make_regulatory_event,
    make_side_effect,
    make_source,
    make_treatment,
)


def rich_treatment(claims: int = 2, status: str = "published"):
    """A treatment with every relation filled, some of it unpublished (never to be shown)."""
    treatment = make_treatment(status=status)
    outcome = make_outcome()
    for i in range(claims):
        claim = make_claim(treatment, is_main=i == 0, outcome=outcome)
        make_finding(claim, make_source())
        make_finding(claim, make_source(status="draft"))
    make_cost(treatment)
    make_cost(treatment, region="EU", currency="EUR")
    make_side_effect(treatment, source=make_source(), frequency="common")
    make_regulatory_event(treatment)
    return treatment


def add_treatments(count: int) -> list:
    # Grades are computed once at the end, as the curated-data loader does.
    with services.regrading_deferred():
        treatments = [rich_treatment() for _ in range(count)]
        rich_treatment(status="draft")
    services.regrade_claims([c for t in treatments for c in t.claims.all()])
    return treatments
