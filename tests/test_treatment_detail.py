"""/treatments/<slug>/: everything about one treatment, as a visitor reads it (curated data)."""

import html
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from evidence.grading import steps_from_dicts
from evidence.templatetags.evidence_tags import plain_statement
from treatments.costs import course_ranges
from treatments.models import Treatment

from .factories import (
    make_claim,
    make_cost,
    make_finding,
    make_side_effect,
    make_source,
    make_treatment,
    make_user,
)

pytestmark = pytest.mark.django_db


def page(client, slug):
    return client.get(reverse("treatments:detail", args=[slug]))


def text(fragment: str) -> str:
    """What a visitor reads: tags dropped, entities decoded, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def section(response, anchor: str) -> str:
    """The visible text of one section of the page (`<section id=…>`)."""
    body = response.content.decode()
    match = re.search(rf'<section id="{anchor}".*?</section>', body, re.S)
    assert match, f"no section #{anchor}"
    return text(match.group(0))


def claim_block(response, claim) -> str:
    body = response.content.decode()
    match = re.search(rf'<article class="claim" id="claim-{claim.pk}">.*?</article>', body, re.S)
    assert match, f"claim {claim.statement!r} is not on the page"
    return text(match.group(0))


def published(slug) -> Treatment:
    return Treatment.objects.published().for_detail().get(slug=slug)


# -- header ------------------------------------------------------------------------------------


def test_header_names_the_treatment_its_kind_aliases_and_headline_grade(client):
    qwo = published("collagenase-qwo")
    response = page(client, "collagenase-qwo")
    assert response.status_code == 200
    assertContains(response, f"<h1>{html.escape(qwo.name)}</h1>")
    header = text(
        re.search(
            r"<header class=\"treatment-header\">.*?</header>", response.content.decode(), re.S
        ).group(0)
    )
    assert f"{qwo.get_modality_display()} · {qwo.get_invasiveness_display()}" in header
    assert "Also called: " + ", ".join(qwo.alias_list()) in header
    assert qwo.summary in header
    assert "On cellulite: ✓ Supported ●●●● High certainty Effect: Small" in header
    assert (qwo.headline_verdict, qwo.headline_certainty) == ("supported", "high")


def test_reviewed_date_and_reviewer(client):
    qwo = published("collagenase-qwo")
    assert qwo.last_reviewed is not None
    response = page(client, "collagenase-qwo")
    expected = f"Last reviewed {qwo.last_reviewed:%-d %B %Y} by the Cellucheck editorial team."
    assert expected in text(response.content.decode())
    assertContains(response, f'<time datetime="{qwo.last_reviewed:%Y-%m-%d}">')

    reviewer = make_user("rev", "Reviewers", first_name="Rita", last_name="Reyes")
    Treatment.objects.filter(pk=qwo.pk).update(reviewed_by=reviewer)
    assert "by Rita Reyes." in text(page(client, "collagenase-qwo").content.decode())


def test_a_never_reviewed_treatment_says_so(client):
    treatment = make_treatment(name="Fresh")
    assert "Last reviewed (date not recorded)" in text(
        page(client, treatment.slug).content.decode()
    )


# -- claims ------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["collagenase-qwo", "mesotherapy", "cryolipolysis"])
def test_every_claim_shows_verdict_certainty_effect_wording_reasons_and_sources(client, slug):
    treatment = published(slug)
    claims = list(treatment.claims.all())
    assert claims
    response = page(client, slug)
    body = response.content.decode()
    # The main claim comes first.
    positions = [body.index(f'id="claim-{claim.pk}"') for claim in claims]
    assert positions == sorted(positions)
    assert claims[0].is_main
    for claim in claims:
        block = claim_block(response, claim)
        assert block.startswith(f"“{claim.statement}”")
        assert claim.get_verdict_display() in block
        if claim.certainty:
            assert f"{claim.get_certainty_display()} certainty" in block
        else:
            assert "Not graded certainty" in block
        assert f"Effect: {claim.get_effect_display()}" in block
        assert plain_statement(claim, treatment) in block
        if claim.summary:
            assert " ".join(claim.summary.split()) in block
        for step in steps_from_dicts(claim.grading_reasons):
            assert " ".join(step.reason.split()) in block
        findings = list(claim.findings.all())
        if findings:
            assert f"Sources ({len(findings)})" in block
        else:
            assert "No study has looked at this claim." in block
        for finding in findings:
            source = finding.source
            assert source.title in block
            assert source.get_design_display() in block
            assert finding.get_direction_display() in block
            if source.participants:
                assert f"{source.participants} participants" in block
            if source.followup_weeks:
                assert f"{source.followup_weeks} weeks' follow-up" in block
            assert f"Funding: {source.get_funding_display().lower()}." in block
            if source.doi:
                assertContains(
                    response, f'<a href="https://doi.org/{source.doi}">DOI {source.doi}</a>'
                )
            if source.pmid:
                pubmed = f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/"
                assertContains(response, f'<a href="{pubmed}">PMID {source.pmid}</a>')


def test_wording_follows_certainty(client):
    # Known curated grades: Qwo's main claim is supported with high certainty, cryolipolysis's
    # fat claim with low certainty, and mesotherapy's main claim is mixed at very low certainty.
    qwo = page(client, "collagenase-qwo").content.decode()
    assert "Collagenase injections improve cellulite appearance." in text(qwo)
    meso = published("mesotherapy")
    main = next(c for c in meso.claims.all() if c.is_main)
    assert (main.verdict, main.certainty) == ("mixed", "very_low")
    assert "It is uncertain whether mesotherapy improves" in claim_block(
        page(client, "mesotherapy"), main
    )


def test_an_untested_claim_says_so_rather_than_staying_blank(client):
    meso = published("mesotherapy")
    untested = next(c for c in meso.claims.all() if c.statement == "anti-aging")
    assert untested.verdict == "untested"
    block = claim_block(page(client, "mesotherapy"), untested)
    assert "? Untested" in block
    assert "No study has tested this claim." in block


def test_an_override_shows_both_the_computed_and_the_final_grade(client):
    qwo = published("collagenase-qwo")
    overridden = next(c for c in qwo.claims.all() if c.is_overridden)
    block = claim_block(page(client, "collagenase-qwo"), overridden)
    assert f"the rules give {overridden.get_computed_verdict_display()}" in block
    assert " ".join(overridden.override_rationale.split()) in block


def test_sources_still_in_draft_are_not_cited(client):
    treatment = make_treatment(name="Citing")
    claim = make_claim(treatment, statement="smooths skin")
    make_finding(claim, make_source(title="A published trial of smoothing"))
    make_finding(claim, make_source(title="A draft trial nobody checked", status="draft"))
    block = claim_block(page(client, treatment.slug), claim)
    assert "A published trial of smoothing" in block
    assert "A draft trial nobody checked" not in block
    assert "Sources (1)" in block


# -- costs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["carboxytherapy", "radiofrequency", "laser-assisted-subcision"])
def test_costs_show_region_currency_unit_year_and_the_typical_full_course(client, slug):
    treatment = published(slug)
    costs = list(treatment.costs.all())
    assert costs
    response = page(client, slug)
    costs_text = section(response, "costs")
    for cost in costs:
        assert cost.get_region_display() in costs_text
        assert f"{cost.currency} {cost.min_amount:,.0f}".replace(",", "") in costs_text.replace(
            ",", ""
        )
        assert f"{cost.get_unit_display()} {cost.price_year}" in costs_text
    courses = course_ranges(costs, treatment.sessions_min, treatment.sessions_max)
    assert courses, "each of these has a course total"
    for course in courses.values():
        assert str(course) in costs_text
    assert "Typical full course" in costs_text


def test_typical_full_course_is_price_times_sessions(client):
    # Carboxytherapy: USD 100–200 a session × 5 sessions, and a USD 650 course price.
    costs_text = section(page(client, "carboxytherapy"), "costs")
    assert "USD 500–1,000 for 5 sessions" in costs_text


def test_a_course_cannot_be_totalled_without_a_number_of_sessions(client):
    treatment = make_treatment(name="Uncounted", sessions_min=None, sessions_max=None)
    make_cost(treatment, currency="EUR", min_amount=90, max_amount=120, price_year=2023)
    costs_text = section(page(client, treatment.slug), "costs")
    assert "EUR 90–120 per session 2023" in costs_text
    assert "We cannot total a course: the number of sessions is not reported." in costs_text


def test_no_price_says_so(client):
    treatment = make_treatment(name="Unpriced")
    assert "We found no published, dated price for this treatment." in section(
        page(client, treatment.slug), "costs"
    )


# -- side effects ------------------------------------------------------------------------------


def test_side_effects_show_frequency_and_not_reported_as_such(client):
    meso = published("mesotherapy")
    effects = list(meso.side_effects.all())
    response = page(client, "mesotherapy")
    effects_text = section(response, "side-effects")
    for effect in effects:
        assert effect.name in effects_text
        assert effect.get_frequency_display() in effects_text
    not_reported = [e for e in effects if e.frequency == "not_reported"]
    assert not_reported
    assert effects_text.count("Frequency not reported") >= len(not_reported)
    assert "(100% of participants)" in effects_text  # inflammatory reaction, PC/DC/ethanol


def test_side_effect_percentages_and_durations(client):
    treatment = make_treatment(name="Bruiser")
    make_side_effect(
        treatment,
        name="Bruising at the site",
        frequency="very_common",
        frequency_percent="84.00",
        duration="about 9 days",
        source=make_source(),
    )
    make_side_effect(treatment, name="Itch", kind="itching")
    effects_text = section(page(client, treatment.slug), "side-effects")
    assert "Bruising at the site Very common (≥1 in 10) (84% of participants)" in effects_text
    assert "about 9 days" in effects_text
    assert "Itch Frequency not reported Severity not reported not reported" in effects_text


def test_no_side_effects_reported_is_not_the_same_as_no_data(client):
    none = make_treatment(name="Clean", side_effects_status="none_reported")
    unknown = make_treatment(name="Unknown", side_effects_status="no_data")
    assert "The studies we reviewed reported no side effects." in section(
        page(client, none.slug), "side-effects"
    )
    no_data = section(page(client, unknown.slug), "side-effects")
    assert "No source we reviewed reports on side effects." in no_data
    assert "That does not mean there are none" in no_data


# -- regulatory history, questions -------------------------------------------------------------


def test_regulatory_history_lists_every_event_in_date_order(client):
    qwo = published("collagenase-qwo")
    events = list(qwo.regulatory_events.all())
    assert [e.status for e in events] == ["approved", "discontinued"]
    history = section(page(client, "collagenase-qwo"), "regulatory")
    positions = []
    for event in events:
        row = f"{event.date:%-d %b %Y} {event.get_region_display()} {event.get_status_display()}"
        assert row in history
        assert " ".join(event.description.split()) in history
        positions.append(history.index(row))
    assert positions == sorted(positions)


def test_no_regulatory_events_says_so(client):
    treatment = make_treatment(name="Unregulated")
    assert "No regulatory events recorded." in section(page(client, treatment.slug), "regulatory")


def test_questions_to_ask_a_clinic(client):
    qwo = published("collagenase-qwo")
    questions = qwo.question_list()
    assert questions
    response = page(client, "collagenase-qwo")
    questions_text = section(response, "questions")
    for question in questions:
        assert question in questions_text
    assertContains(response, 'class="questions"')  # kept when printing


def test_default_questions_when_none_are_written(client):
    treatment = make_treatment(name="Unasked")
    questions_text = section(page(client, treatment.slug), "questions")
    assert "What is the total price of a full course, in writing?" in questions_text


def test_links_to_compare_this_treatment(client):
    assertContains(page(client, "mesotherapy"), 'href="/compare/?t=mesotherapy"')


# -- not found ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "in_review", "retired"])
def test_unpublished_treatments_are_not_found(client, status):
    treatment = make_treatment(name=f"Hidden {status}", status=status)
    assert page(client, treatment.slug).status_code == 404


@pytest.mark.parametrize("path", ["/treatments/no-such-treatment/", "/treatments/%C3%A9/"])
def test_unknown_slugs_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_a_retired_treatment_disappears_from_its_page(client):
    Treatment.objects.filter(slug="collagenase-qwo").update(status="retired")
    response = page(client, "collagenase-qwo")
    assert response.status_code == 404
    assertNotContains(response, "Qwo", status_code=404)
