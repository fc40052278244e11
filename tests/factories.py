"""Small builders for test data: valid by default, every field overridable."""

import itertools
from decimal import Decimal

from django.contrib.auth.models import Group, User

from evidence.models import Claim, Finding, Outcome, Source
from treatments.models import CostEstimate, RegulatoryEvent, SideEffect, Treatment

_counter = itertools.count(1)


def make_source(**fields) -> Source:
    n = next(_counter)
    values = {
        "title": f"A randomised trial of treatment {n}",
        "authors": "Doe J, Roe R",
        "year": 2020,
        "journal": "J Test Med",
        "doi": f"10.9999/test.{n}",
        "design": "rct",
        "participants": 100,
        "risk_of_bias": "low",
        "funding": "independent",
        "status": "published",
    }
    values.update(fields)
    return Source.objects.create(**values)


def make_treatment(**fields) -> Treatment:
    n = next(_counter)
    values = {
        "name": f"Treatment {n}",
        "slug": f"treatment-{n}",
        "summary": "A treatment used in tests.",
        "modality": "injectable",
        "invasiveness": "minimal",
        "status": "published",
        "sessions_min": 1,
        "sessions_max": 3,
    }
    values.update(fields)
    return Treatment.objects.create(**values)


def make_outcome(**fields) -> Outcome:
    n = next(_counter)
    values = {"name": f"Outcome {n}", "slug": f"outcome-{n}"}
    values.update(fields)
    return Outcome.objects.create(**values)


def make_claim(treatment=None, **fields) -> Claim:
    n = next(_counter)
    values = {"statement": f"claim number {n}", "kind": "efficacy"}
    values.update(fields)
    return Claim.objects.create(treatment=treatment or make_treatment(), **values)


def make_finding(claim=None, source=None, **fields) -> Finding:
    values = {"direction": "supports", "effect_size": "moderate"}
    values.update(fields)
    return Finding.objects.create(
        claim=claim or make_claim(), source=source or make_source(), **values
    )


def make_cost(treatment=None, **fields) -> CostEstimate:
    values = {
        "region": "US",
        "currency": "USD",
        "min_amount": Decimal("100"),
        "max_amount": Decimal("300"),
        "unit": "per_session",
        "price_year": 2024,
    }
    values.update(fields)
    if "source" not in values:
        values["source"] = make_source(design="price_survey", doi="", url="https://example.org/p")
    return CostEstimate.objects.create(treatment=treatment or make_treatment(), **values)


def make_side_effect(treatment=None, **fields) -> SideEffect:
    values = {"kind": "bruising", "name": "Bruising", "frequency": "not_reported"}
    values.update(fields)
    return SideEffect.objects.create(treatment=treatment or make_treatment(), **values)


def make_regulatory_event(treatment=None, **fields) -> RegulatoryEvent:
    values = {
        "region": "US",
        "status": "approved",
        "date": "2020-07-06",
        "description": "Approved.",
    }
    values.update(fields)
    if "source" not in values:
        values["source"] = make_source(
            design="regulatory_notice", doi="", url=f"https://example.org/n{next(_counter)}"
        )
    return RegulatoryEvent.objects.create(treatment=treatment or make_treatment(), **values)


def make_user(username: str, group: str | None = None, **fields) -> User:
    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True, **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user
