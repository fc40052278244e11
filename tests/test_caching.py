"""Cached pages are fast and never stale: every curator change bumps the shared data version."""

import pytest
from django.core.cache import cache

from config.caching import DATA_VERSION_KEY, data_version
from treatments.models import Treatment
from treatments.workflow import apply_transition

from .factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "caching-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()


def test_second_request_served_from_cache_without_queries(client, django_assert_num_queries):
    first = client.get("/treatments/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get("/treatments/")
    assert second.content == first.content
    assert second["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_etag_revalidation_answers_304(client):
    first = client.get("/treatments/mesotherapy/")
    etag = first["ETag"]
    second = client.get("/treatments/mesotherapy/", HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 304
    assert second.content == b""


def test_query_string_is_part_of_the_key(client):
    everything = client.get("/treatments/").content
    injectables = client.get("/treatments/", {"modality": "injectable"}).content
    assert everything != injectables
    assert client.get("/treatments/", {"modality": "injectable"}).content == injectables


def test_error_answers_are_not_cached(client):
    assert client.get("/treatments/", {"min_certainty": "banana"}).status_code == 400
    assert cache.get(DATA_VERSION_KEY) is not None
    # Only the 200 page would be stored; a 400 is rendered afresh each time.
    assert client.get("/treatments/", {"min_certainty": "banana"}).status_code == 400


def test_publish_shows_on_the_next_request(client, django_capture_on_commit_callbacks):
    reviewer = make_user("rita", "Reviewers")
    treatment = Treatment.objects.get(slug="endermologie")
    assert treatment.name in client.get("/treatments/").content.decode()
    old_etag = client.get(treatment.get_absolute_url())["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(treatment, "retire", reviewer)
    assert treatment.name not in client.get("/treatments/").content.decode()
    assert client.get(treatment.get_absolute_url()).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(treatment, "publish", reviewer)
    page = client.get(treatment.get_absolute_url(), HTTP_IF_NONE_MATCH=old_etag)
    assert page.status_code == 200  # the old ETag no longer matches


def test_any_curated_edit_bumps_the_version(django_capture_on_commit_callbacks):
    before = data_version()
    with django_capture_on_commit_callbacks(execute=True):
        Treatment.objects.get(slug="mesotherapy").claims.first().save()
    assert data_version() != before


def test_version_is_not_bumped_before_commit(django_capture_on_commit_callbacks):
    before = data_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Treatment.objects.filter(slug="mesotherapy").get().save()
    assert data_version() == before  # still inside the transaction
    for callback in callbacks:
        callback()
    assert data_version() != before


def test_pages_with_csrf_forms_are_not_cached(client):
    first = client.get("/claims/check/")
    second = client.get("/claims/check/")
    assert "ETag" not in first and "ETag" not in second


def test_api_answers_are_cached_per_media_type_and_never_stale(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    first = client.get("/api/treatments/", HTTP_ACCEPT="application/json")
    assert first.status_code == 200 and first["Content-Type"] == "application/json"
    with django_assert_num_queries(0):
        second = client.get("/api/treatments/", HTTP_ACCEPT="application/json")
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert second["Content-Type"] == "application/json"

    reviewer = make_user("rita", "Reviewers")
    treatment = Treatment.objects.get(slug="endermologie")
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(treatment, "retire", reviewer)
    after = client.get("/api/treatments/", HTTP_ACCEPT="application/json")
    assert b'"endermologie"' in first.content and b'"endermologie"' not in after.content
    assert client.get("/api/treatments/endermologie/").status_code == 404
