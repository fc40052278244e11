"""Every stored rule, twice: the model's validation gives a curator a clear message, and the
database refuses the same row if it ever gets past a form."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from evidence.models import Claim, Finding, Source
from treatments.models import CostEstimate, SideEffect, Treatment

from .factories import (
    make_claim,
    make_cost,
    make_finding,
    make_side_effect,
    make_source,
    make_treatment,
)

pytestmark = pytest.mark.django_db


def assert_db_rejects(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def validation_messages(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


# -- costs ---------------------------------------------------------------------------------


def test_cost_range_accepted():
    cost = make_cost(min_amount=Decimal("0"), max_amount=Decimal("0"))
    cost.full_clean()


def test_cost_min_above_max_rejected_with_message_and_by_database():
    cost = make_cost()
    cost.min_amount, cost.max_amount = Decimal("500"), Decimal("100")
    assert validation_messages(cost)["max_amount"] == [
        "The lowest price cannot be more than the highest."
    ]
    treatment, source = cost.treatment, cost.source
    assert_db_rejects(lambda: make_cost(treatment, source=source, min_amount=500, max_amount=100))


def test_negative_cost_rejected():
    cost = make_cost()
    cost.min_amount = Decimal("-5")
    assert "A price cannot be negative." in validation_messages(cost)["min_amount"]
    assert_db_rejects(lambda: make_cost(cost.treatment, source=cost.source, min_amount=-5))


@pytest.mark.parametrize("currency", ["USD", "eur", "Gbp"])
def test_iso_currency_accepted_and_normalised(currency):
    cost = make_cost(currency="USD")
    cost.currency = currency
    cost.full_clean()
    assert cost.currency == currency.strip().upper()


@pytest.mark.parametrize("currency", ["XYZ", "DOLLARS", "US"])
def test_unknown_currency_rejected_with_message(currency):
    cost = make_cost()
    cost.currency = currency
    messages = validation_messages(cost)["currency"]
    assert any("ISO 4217" in message for message in messages)


@pytest.mark.parametrize("currency", ["usd", "US1", "U$D"])
def test_database_rejects_malformed_currency(currency):
    cost = make_cost()
    assert_db_rejects(lambda: make_cost(cost.treatment, source=cost.source, currency=currency))


# -- treatments ----------------------------------------------------------------------------


def test_sessions_range_accepted():
    make_treatment(sessions_min=3, sessions_max=3).full_clean()


def test_sessions_min_above_max_rejected():
    treatment = make_treatment()
    treatment.sessions_min, treatment.sessions_max = 6, 2
    assert validation_messages(treatment)["sessions_max"] == [
        "The lowest number of sessions cannot be more than the highest."
    ]
    assert_db_rejects(lambda: make_treatment(sessions_min=6, sessions_max=2))


def test_downtime_min_above_max_rejected():
    treatment = make_treatment()
    treatment.downtime_days_min, treatment.downtime_days_max = 5, 1
    assert "downtime_days_max" in validation_messages(treatment)
    assert_db_rejects(lambda: make_treatment(downtime_days_min=5, downtime_days_max=1))


def test_pain_score_outside_scale_rejected():
    treatment = make_treatment(pain_score=Decimal("4.5"))
    treatment.full_clean()
    treatment.pain_score = Decimal("11")
    assert "pain_score" in validation_messages(treatment)
    assert_db_rejects(lambda: make_treatment(pain_score=Decimal("11")))


def test_treatment_url_and_str():
    treatment = make_treatment(name="Subcision", slug="subcision")
    assert str(treatment) == "Subcision"
    assert treatment.get_absolute_url() == "/treatments/subcision/"


# -- sources -------------------------------------------------------------------------------


def test_doi_normalised_on_validation():
    source = Source(title="T", design="rct", doi=" https://doi.org/10.9999/TEST.DSS.2952 ")
    source.full_clean()
    assert source.doi == "10.9999/test.dss.2952"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("PMID: 99999781", "99999781"), ("https://pubmed.ncbi.nlm.nih.gov/99999597/", "99999597")],
)
def test_pmid_normalised_on_validation(raw, stored):
    source = Source(title="T", design="rct", pmid=raw)
    source.full_clean()
    assert source.pmid == stored


def test_malformed_identifiers_rejected_with_messages():
    messages = validation_messages(Source(title="T", design="rct", doi="not-a-doi", pmid="12a"))
    assert "10.1234/abcd" in messages["doi"][0]
    assert "digits" in messages["pmid"][0]


def test_duplicate_doi_rejected_naming_the_existing_record():
    existing = make_source(title="RELEASE trials", doi="10.9999/test.dss.2952")
    duplicate = Source(title="Copy", design="rct", doi="https://doi.org/10.9999/TEST.DSS.2952")
    messages = validation_messages(duplicate)
    assert messages["doi"] == [
        f"Another source already has this DOI: “RELEASE trials” (#{existing.pk})."
    ]
    assert_db_rejects(lambda: make_source(doi="10.9999/test.dss.2952"))


def test_duplicate_pmid_rejected():
    existing = make_source(doi="", pmid="99999597")
    messages = validation_messages(Source(title="Copy", design="rct", pmid="99999597"))
    assert str(existing.pk) in messages["pmid"][0]
    assert_db_rejects(lambda: make_source(doi="", pmid="99999597"))


def test_blank_identifiers_may_repeat_for_documents():
    a = make_source(design="regulatory_notice", doi="", url="https://example.org/a")
    b = make_source(design="regulatory_notice", doi="", url="https://example.org/b")
    assert Source.objects.filter(pk__in=[a.pk, b.pk], doi="", pmid="").count() == 2


def test_study_without_identifier_rejected():
    messages = validation_messages(Source(title="T", design="rct"))
    assert messages["doi"] == ["A published study needs a DOI or a PMID, so readers can find it."]
    assert_db_rejects(lambda: make_source(doi="", pmid=""))


def test_document_without_url_rejected():
    messages = validation_messages(Source(title="T", design="regulatory_notice"))
    assert "url" in messages
    assert_db_rejects(lambda: make_source(design="news_report", doi="", url=""))


def test_database_rejects_unnormalised_doi_and_pmid():
    assert_db_rejects(lambda: make_source(doi="10.1097/DSS.1"))
    assert_db_rejects(lambda: make_source(doi="https://doi.org/10.1/x"))
    assert_db_rejects(lambda: make_source(doi="", pmid="PMID123"))


def test_source_str_and_url():
    source = make_source(title="Effectiveness of mesotherapy", year=2008)
    assert str(source) == "Effectiveness of mesotherapy (2008)"
    assert source.get_absolute_url() == f"/studies/{source.pk}/"


# -- claims and findings -------------------------------------------------------------------


def test_finding_unique_per_claim_and_source():
    finding = make_finding()
    duplicate = Finding(claim=finding.claim, source=finding.source, direction="no_effect")
    assert "This source is already linked to this claim." in str(validation_messages(duplicate))
    assert_db_rejects(
        lambda: Finding.objects.create(
            claim=finding.claim, source=finding.source, direction="mixed"
        )
    )
    other_claim = make_claim(finding.claim.treatment)
    make_finding(other_claim, finding.source)  # same source, another claim: fine


def test_override_needs_rationale():
    claim = make_claim()
    claim.verdict_override = "supported"
    assert validation_messages(claim)["override_rationale"] == [
        "Explain why you override the computed grade."
    ]
    assert_db_rejects(
        lambda: make_claim(claim.treatment, certainty_override="low", override_rationale="")
    )
    claim.override_rationale = "Historical fact documented in a review."
    claim.full_clean()


def test_one_main_claim_per_treatment():
    treatment = make_treatment()
    make_claim(treatment, is_main=True)
    second = Claim(treatment=treatment, statement="another", is_main=True)
    assert "only one main efficacy claim" in str(validation_messages(second))
    assert_db_rejects(lambda: make_claim(treatment, is_main=True))


# -- side effects --------------------------------------------------------------------------


def test_reported_frequency_needs_source():
    effect = make_side_effect(frequency="not_reported")
    effect.full_clean()
    effect.frequency = "very_common"
    assert validation_messages(effect)["source"] == ["Give the source of this frequency."]
    assert_db_rejects(lambda: make_side_effect(effect.treatment, frequency="common"))
    effect.source = make_source()
    effect.full_clean()


def test_frequency_percent_bounded():
    effect = make_side_effect(frequency="very_common", source=make_source(), frequency_percent=84)
    effect.full_clean()
    effect.frequency_percent = Decimal("140")
    assert "frequency_percent" in validation_messages(effect)


def test_models_have_readable_str():
    cost = make_cost(min_amount=100, max_amount=300)
    assert str(cost) == "USD 100–300 per session"
    assert str(make_side_effect(name="Bruising")) == "Bruising (Frequency not reported)"
    assert isinstance(str(SideEffect), str) and isinstance(str(CostEstimate), str)
    assert Treatment._meta.ordering == ["name"]
