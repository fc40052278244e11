"""Property-based fuzzing: no query string or form post makes a public page answer 5xx.

CI runs a short version (FUZZ_EXAMPLES, default 12 per test); `make fuzz` runs a long one.
"""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.models import Source

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

KNOWN_PARAMETERS = [
    "q", "modality", "invasiveness", "min_certainty", "max_cost", "currency", "max_downtime",
    "max_sessions", "regulatory", "side_effect", "ordering", "page", "t", "diff", "format",
    "design", "treatment", "year", "page_size", "limit", "offset",
]  # fmt: skip

# Any Unicode except lone surrogates (which cannot be sent in a URL at all).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
huge = st.text(st.characters(exclude_categories=("Cs",)), min_size=2000, max_size=6000)
numbers = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1e999", "-0", "NaN", "Infinity", "0x10", "1_000", "٣", "１２"]),
)
value = st.one_of(text, numbers, huge, st.sampled_from(["", " ", "\x00", "%00", "../../etc"]))
parameters = st.dictionaries(
    st.one_of(st.sampled_from(KNOWN_PARAMETERS), text.filter(bool)),
    st.one_of(value, st.lists(value, min_size=2, max_size=5)),  # lists: repeated parameters
    max_size=8,
)

PAGES = [
    "/",
    "/treatments/",
    "/treatments/mesotherapy/",
    "/compare/",
    "/studies/",
    "/claims/check/",
    "/methodology/",
    "/api/treatments/",
    "/api/studies/",
    "/api/claims/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
@FUZZ
@given(query=parameters)
def test_public_pages_never_answer_5xx(client, path, query):
    response = client.get(path, query)
    assert response.status_code < 500, (path, query)


@pytest.mark.django_db
@FUZZ
@given(slug=text, study=st.integers(-(2**70), 2**70))
def test_detail_urls_never_answer_5xx(client, slug, study):
    assert client.get(f"/treatments/{slug}/").status_code < 500
    assert client.get(f"/studies/{study}/").status_code < 500


@pytest.mark.django_db
@FUZZ
@given(
    slugs=st.lists(st.one_of(text, st.sampled_from(["mesotherapy", "radiofrequency"])), max_size=60)
)
def test_compare_never_answers_5xx(client, slugs):
    for extra in ({}, {"diff": "1"}, {"format": "csv"}):
        assert client.get("/compare/", {"t": slugs, **extra}).status_code < 500


@pytest.mark.django_db
@FUZZ
@given(body=st.one_of(text, huge, st.text(max_size=21000)), extra=parameters)
def test_claim_checker_form_never_answers_5xx(client, body, extra):
    response = client.post("/claims/check/", {"text": body, **extra})
    assert response.status_code < 500


@pytest.mark.django_db
def test_fuzzing_reaches_real_rows():
    """The fuzz runs against the curated data, not an empty database."""
    assert Source.objects.count() > 50
