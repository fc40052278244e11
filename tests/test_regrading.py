"""Grades follow the evidence: every curator change regrades what depends on it."""

import pytest
from django.core.management import call_command

from evidence.models import Claim

from .factories import make_claim, make_finding, make_source, make_treatment

pytestmark = pytest.mark.django_db


def test_claim_without_findings_is_untested():
    claim = make_claim()
    claim.refresh_from_db()
    assert (claim.verdict, claim.certainty) == ("untested", "")
    assert claim.grading_reasons[0]["reason"] == "No study has tested this claim."


def test_adding_a_finding_regrades_claim_and_treatment_headline():
    treatment = make_treatment()
    claim = make_claim(treatment, is_main=True)
    make_finding(claim, make_source(participants=150), direction="supports")
    make_finding(claim, make_source(participants=150), direction="supports")
    claim.refresh_from_db()
    treatment.refresh_from_db()
    assert (claim.verdict, claim.certainty, claim.participants_total) == ("supported", "high", 300)
    assert claim.study_counts == {"rct": 2}
    assert (treatment.headline_certainty, treatment.certainty_rank) == ("high", 4)
    assert treatment.headline_verdict == "supported"


def test_source_change_regrades_its_claims():
    claim = make_claim(is_main=True)
    source = make_source(participants=300, funding="independent")
    make_finding(claim, source)
    source.funding = "industry"
    source.participants = 20
    source.save()
    claim.refresh_from_db()
    assert claim.certainty == "low"
    domains = {step["domain"] for step in claim.grading_reasons if step["change"] < 0}
    assert domains == {"imprecision", "publication_bias"}


def test_draft_source_does_not_count_until_published():
    claim = make_claim()
    source = make_source(status="draft")
    make_finding(claim, source)
    claim.refresh_from_db()
    assert claim.verdict == "untested"
    source.status = "published"
    source.save()
    claim.refresh_from_db()
    assert claim.verdict == "supported"


def test_deleting_a_finding_regrades():
    claim = make_claim()
    finding = make_finding(claim)
    finding.delete()
    claim.refresh_from_db()
    assert claim.verdict == "untested"


def test_override_keeps_computed_value_visible():
    claim = make_claim()
    make_finding(claim, make_source(design="case_series", participants=30))
    claim.refresh_from_db()
    assert (claim.computed_verdict, claim.computed_certainty) == ("supported", "very_low")
    claim.verdict_override = "mixed"
    claim.override_rationale = "The only series used an unvalidated scale."
    claim.save()
    claim.refresh_from_db()
    assert (claim.computed_verdict, claim.verdict) == ("supported", "mixed")
    assert claim.certainty == "very_low"


def test_regrade_command_is_idempotent(capsys):
    claim = make_claim()
    make_finding(claim)
    Claim.objects.filter(pk=claim.pk).update(verdict="untested", certainty="")
    call_command("regrade")
    assert "1 claim(s) regraded." in capsys.readouterr().out
    call_command("regrade")
    assert "All grades up to date." in capsys.readouterr().out
