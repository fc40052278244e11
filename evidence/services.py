"""Writes that span several models: recomputing grades after curators change the evidence."""

import contextlib
import threading
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.utils import timezone

from treatments.choices import EditorialStatus
from treatments.models import Treatment

from . import grading
from .models import Claim, Finding
from .vocabulary import CERTAINTY_RANK, Certainty, Design, Direction, Effect, Funding, RiskOfBias
from .vocabulary import Verdict as V

GRADED_FIELDS = [
    "computed_certainty",
    "computed_verdict",
    "computed_effect",
    "grading_reasons",
    "study_counts",
    "participants_total",
    "certainty",
    "verdict",
    "effect",
]
_deferral = threading.local()


@contextlib.contextmanager
def regrading_deferred() -> Iterator[None]:
    """Bulk writers (the curated-data loader) skip per-row regrading, then regrade once."""
    _deferral.active = True
    try:
        yield
    finally:
        _deferral.active = False


def regrading_is_deferred() -> bool:
    return getattr(_deferral, "active", False)


HEADLINE_FIELDS = ["headline_certainty", "certainty_rank", "headline_verdict", "headline_effect"]


def _evidence_for(findings: Iterable[Finding]) -> list[grading.StudyEvidence]:
    # Only published sources count: a draft source (e.g. just imported) must not move a grade.
    return [
        grading.StudyEvidence(
            design=Design(finding.source.design),
            direction=Direction(finding.direction),
            participants=finding.source.participants,
            risk_of_bias=RiskOfBias(finding.source.risk_of_bias),
            funding=Funding(finding.source.funding),
            effect_size=Effect(finding.effect_size),
            indirect=finding.indirect,
        )
        for finding in findings
        if finding.source.status == EditorialStatus.PUBLISHED
    ]


def grade_values(claim: Claim, findings: Iterable[Finding]) -> dict:
    """The graded fields of `claim` as they should be stored, from its findings."""
    grade = grading.grade_claim(_evidence_for(findings))
    certainty, verdict = grading.apply_override(
        grade,
        Certainty(claim.certainty_override) if claim.certainty_override else None,
        V(claim.verdict_override) if claim.verdict_override else None,
    )
    return {
        "computed_certainty": grade.certainty or "",
        "computed_verdict": grade.verdict,
        "computed_effect": grade.effect,
        "grading_reasons": grading.steps_as_dicts(grade.steps),
        "study_counts": grade.study_counts,
        "participants_total": grade.participants_total,
        "certainty": certainty or "",
        "verdict": verdict,
        "effect": grade.effect,
    }


def regrade_claims(claims: Iterable[Claim]) -> int:
    """Recompute and store grades; returns how many claims changed. Idempotent."""
    claims = list(claims)
    if not claims:
        return 0
    findings_by_claim: dict[int, list[Finding]] = {claim.pk: [] for claim in claims}
    for finding in Finding.objects.filter(claim__in=claims).select_related("source"):
        findings_by_claim[finding.claim_id].append(finding)
    changed = []
    for claim in claims:
        values = grade_values(claim, findings_by_claim[claim.pk])
        if any(getattr(claim, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(claim, field, value)
            claim.graded_at = timezone.now()
            changed.append(claim)
    # bulk_update writes without save(): no signal loops, and history keeps curator edits only.
    Claim.objects.bulk_update(changed, [*GRADED_FIELDS, "graded_at"])
    refresh_headlines({claim.treatment_id for claim in claims})
    return len(changed)


def refresh_headlines(treatment_ids: Iterable[int]) -> None:
    """Copy each treatment's main-claim grade onto the treatment for filtering and sorting."""
    treatment_ids = set(treatment_ids)
    main_claims = {
        claim.treatment_id: claim
        for claim in Claim.objects.filter(treatment_id__in=treatment_ids, is_main=True).only(
            "treatment_id", "certainty", "verdict", "effect"
        )
    }
    changed = []
    for treatment in Treatment.objects.filter(pk__in=treatment_ids).only(*HEADLINE_FIELDS):
        claim = main_claims.get(treatment.pk)
        certainty = claim.certainty if claim else ""
        values = {
            "headline_certainty": certainty,
            "certainty_rank": CERTAINTY_RANK.get(certainty, 0) if certainty else 0,
            "headline_verdict": claim.verdict if claim else V.UNTESTED,
            "headline_effect": claim.effect if claim else Effect.UNKNOWN,
        }
        if any(getattr(treatment, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(treatment, field, value)
            changed.append(treatment)
    Treatment.objects.bulk_update(changed, HEADLINE_FIELDS)


def regrade_all() -> int:
    with transaction.atomic():
        return regrade_claims(Claim.objects.all())


def regrade_for_source(source_id: int) -> int:
    return regrade_claims(Claim.objects.filter(findings__source_id=source_id).distinct())


def regrade_claim_ids(claim_ids: Iterable[int]) -> int:
    return regrade_claims(Claim.objects.filter(pk__in=set(claim_ids)))
