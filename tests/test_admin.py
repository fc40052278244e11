"""Curators' journeys through the admin, as real HTTP requests through the test client."""

import datetime

import pytest
from django.urls import reverse

from treatments.models import Treatment

from .admin_forms import add_inline_rows, admin_post_data
from .factories import make_source, make_treatment

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:treatments_treatment_add")


def change_url(treatment):
    return reverse("admin:treatments_treatment_change", args=[treatment.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def create_draft_through_admin(client) -> Treatment:
    price_source = make_source(
        title="Price guide", design="price_survey", doi="", url="https://example.org/prices"
    )
    data = admin_post_data(
        client.get(ADD_URL),
        name="Pressotherapy (test)",
        slug="pressotherapy-test",
        summary="Shock waves delivered through the skin.",
        modality="energy_device",
        invasiveness="none",
        sessions_min="6",
        sessions_max="8",
    )
    add_inline_rows(
        data,
        "costs",
        [
            {
                "region": "UK",
                "currency": "gbp",
                "min_amount": "100",
                "max_amount": "150",
                "unit": "per_session",
                "price_year": "2024",
                "source": str(price_source.pk),
            }
        ],
    )
    add_inline_rows(
        data,
        "side_effects",
        [{"kind": "redness", "name": "Redness", "frequency": "not_reported", "severity": "mild"}],
    )
    response = client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    return Treatment.objects.get(slug="pressotherapy-test")


def test_editor_drafts_submits_and_reviewer_publishes(client, editor, reviewer):
    client.force_login(editor)
    treatment = create_draft_through_admin(client)
    assert treatment.status == "draft"
    assert treatment.costs.get().currency == "GBP"
    assert treatment.side_effects.get().name == "Redness"
    assert "Pressotherapy (test)" not in client.get("/treatments/").content.decode()

    response = client.post(
        change_url(treatment),
        admin_post_data(client.get(change_url(treatment)), _transition="submit"),
        follow=True,
    )
    assert "“Pressotherapy (test)” is now in review." in messages_of(response)
    treatment.refresh_from_db()
    assert treatment.status == "in_review"

    # An editor pressing "publish" (a crafted POST: the button is not shown) gets words, not a 403.
    response = client.post(
        change_url(treatment),
        admin_post_data(client.get(change_url(treatment)), _transition="publish"),
        follow=True,
    )
    assert response.status_code == 200
    assert any(
        "only members of the Reviewers group can publish" in m for m in messages_of(response)
    )
    treatment.refresh_from_db()
    assert treatment.status == "in_review"
    assert client.get(treatment.get_absolute_url()).status_code == 404

    client.force_login(reviewer)
    page = client.get(change_url(treatment))
    assert "Save and publish" in page.content.decode()
    response = client.post(
        change_url(treatment), admin_post_data(page, _transition="publish"), follow=True
    )
    assert "“Pressotherapy (test)” is now published." in messages_of(response)
    treatment.refresh_from_db()
    assert treatment.status == "published"
    assert treatment.reviewed_by == reviewer
    assert treatment.last_reviewed == datetime.date.today()

    assert "Pressotherapy (test)" in client.get("/treatments/").content.decode()
    assert client.get(treatment.get_absolute_url()).status_code == 200

    history = client.get(reverse("admin:treatments_treatment_history", args=[treatment.pk]))
    text = history.content.decode()
    assert "edith" in text and "rita" in text
    users = set(treatment.history.values_list("history_user__username", flat=True))
    assert users == {"edith", "rita"}
    statuses = list(
        treatment.history.order_by("history_date").values_list("status", "history_user__username")
    )
    assert statuses[0] == ("draft", "edith")
    assert ("in_review", "edith") in statuses
    assert statuses[-1] == ("published", "rita")


def test_editor_sees_no_publish_button_and_bulk_publish_is_refused(client, editor):
    treatment = make_treatment(status="in_review")
    client.force_login(editor)
    page = client.get(change_url(treatment)).content.decode()
    assert "Save and publish" not in page
    assert "Publishing and retiring are done by members of the Reviewers group." in page

    response = client.post(
        reverse("admin:treatments_treatment_changelist"),
        {"action": "publish", "_selected_action": [treatment.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert any("only members of the Reviewers group" in m for m in messages_of(response))
    treatment.refresh_from_db()
    assert treatment.status == "in_review"


def test_reviewer_retires_and_public_site_hides_it(client, reviewer):
    treatment = make_treatment(name="Old device", status="published")
    client.force_login(reviewer)
    client.post(
        reverse("admin:treatments_treatment_changelist"),
        {"action": "retire", "_selected_action": [treatment.pk]},
    )
    treatment.refresh_from_db()
    assert treatment.status == "retired"
    assert "Old device" not in client.get("/treatments/").content.decode()


def test_status_cannot_be_set_through_the_form(client, editor):
    treatment = make_treatment(status="draft")
    client.force_login(editor)
    data = admin_post_data(client.get(change_url(treatment)), status="published")
    client.post(change_url(treatment), data)
    treatment.refresh_from_db()
    assert treatment.status == "draft"


def test_invalid_cost_shows_message_and_saves_nothing(client, editor):
    client.force_login(editor)
    source = make_source(design="price_survey", doi="", url="https://example.org/p")
    data = admin_post_data(
        client.get(ADD_URL),
        name="Bad prices",
        slug="bad-prices",
        summary="s",
        modality="topical",
        invasiveness="none",
    )
    add_inline_rows(
        data,
        "costs",
        [
            {
                "region": "US",
                "currency": "DOLLARS",
                "min_amount": "500",
                "max_amount": "100",
                "unit": "per_session",
                "price_year": "2024",
                "source": str(source.pk),
            }
        ],
    )
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "The lowest price cannot be more than the highest." in text
    assert not Treatment.objects.filter(slug="bad-prices").exists()


def test_source_admin_normalises_and_rejects_duplicates(client, editor):
    client.force_login(editor)
    add_url = reverse("admin:evidence_source_add")
    base = admin_post_data(
        client.get(add_url),
        title="Collagenase trials",
        design="rct",
        doi="https://doi.org/10.9999/TEST.DSS.2952",
        pmid="PMID: 99999781",
    )
    assert client.post(add_url, base).status_code == 302
    from evidence.models import Source

    source = Source.objects.get(title="Collagenase trials")
    assert (source.doi, source.pmid, source.status) == (
        "10.9999/test.dss.2952",
        "99999781",
        "draft",
    )
    response = client.post(add_url, {**base, "title": "Duplicate", "pmid": ""})
    assert response.status_code == 200
    assert (
        f"Another source already has this DOI: “Collagenase trials” (#{source.pk})."
        in response.content.decode()
    )
    search = client.get(reverse("admin:evidence_source_changelist"), {"q": "99999781"})
    assert "Collagenase trials" in search.content.decode()


@pytest.mark.parametrize(
    "model",
    [
        "treatments/treatment",
        "treatments/costestimate",
        "treatments/sideeffect",
        "treatments/regulatoryevent",
        "evidence/source",
        "evidence/outcome",
        "evidence/claim",
        "evidence/finding",
    ],
)
def test_every_admin_page_opens_for_editors(client, editor, model):
    make_treatment()
    client.force_login(editor)
    assert client.get(f"/admin/{model}/").status_code == 200
    assert client.get(f"/admin/{model}/add/").status_code == 200
