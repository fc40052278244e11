"""The HTML lists, their CSV downloads and the API answer the same parameters with the same set.

Hypothesis draws parameter combinations, valid and not, from the filters' own vocabulary; for
each, the three must agree on the status (200 or 400) and on the rows, in the same order.
"""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.choices import DesignChoices
from treatments.choices import Invasiveness, Modality, RegulatoryStatus, SideEffectKind
from treatments.filters import ORDERING_CHOICES

pytestmark = pytest.mark.django_db

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def values(choices, *invalid):
    return st.sampled_from([value for value, _ in choices] + list(invalid))


TREATMENT_PARAMS = st.fixed_dictionaries(
    {},
    optional={
        "q": st.sampled_from(["subcision", "LIPO", "wave", "zzz", ""]),
        "modality": values(Modality.choices, "laser", ""),
        "invasiveness": values(Invasiveness.choices),
        "min_certainty": st.sampled_from(["high", "moderate", "low", "very_low", "some"]),
        "currency": st.sampled_from(["USD", "EUR", "GBP", "usd", "ZZZ", ""]),
        "max_cost": st.sampled_from(["50", "300", "2500.50", "0", "-1", "cheap", "1e999"]),
        "max_downtime": st.sampled_from(["0", "3", "14", "2.5", "forever"]),
        "max_sessions": st.sampled_from(["1", "4", "10", "0"]),
        "regulatory": values(RegulatoryStatus.choices, "banned"),
        "side_effect": values(SideEffectKind.choices),
        "ordering": values(ORDERING_CHOICES, "price", ""),
    },
)
STUDY_PARAMS = st.fixed_dictionaries(
    {},
    optional={
        "design": values(DesignChoices.choices, "anecdote"),
        "treatment": st.sampled_from(["mesotherapy", "manual-subcision", "snake-oil"]),
        "year": st.sampled_from(["2015", "2022", "1800", "soon"]),
        "ordering": st.sampled_from(["year", "-year", "title", "year,-year", "-year,year", ""]),
    },
)


def api_rows(client, url, params, key):
    response = client.get(url, {**params, "page_size": 100})
    if response.status_code != 200:
        return response.status_code, None
    body = response.json()
    assert body["next"] is None  # one page holds everything here
    return 200, [item[key] for item in body["results"]]


def csv_rows(client, url, params, column):
    response = client.get(url, params)
    if response.status_code != 200:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        return response.status_code, None
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8")))
    return 200, [row[column] for row in rows]


def html_rows(client, url, params, key):
    response = client.get(url, params)
    if response.status_code != 200:
        return response.status_code, None
    return 200, [str(getattr(obj, key)) for obj in response.context["page"].paginator.object_list]


@FAST
@given(params=TREATMENT_PARAMS)
def test_treatment_list_page_csv_and_api_agree(client, params):
    page = html_rows(client, "/treatments/", params, "slug")
    assert api_rows(client, "/api/treatments/", params, "slug") == page
    assert csv_rows(client, "/treatments/export.csv", params, "slug") == page


@FAST
@given(params=STUDY_PARAMS)
def test_study_list_page_csv_and_api_agree(client, params):
    page = html_rows(client, "/studies/", params, "pk")
    status, ids = api_rows(client, "/api/studies/", params, "id")
    assert (status, ids and [str(pk) for pk in ids]) == page
    assert csv_rows(client, "/studies/export.csv", params, "id") == page


@pytest.mark.parametrize(
    "params",
    [
        {"modality": "minimally_invasive"},
        {"currency": "USD", "ordering": "cost"},
        {"q": "subcision", "ordering": "-certainty"},
    ],
)
def test_a_known_filter_selects_rows_in_all_three(client, params):
    # Guards the property test above against agreeing on nothing: these select real rows.
    status, slugs = api_rows(client, "/api/treatments/", params, "slug")
    assert status == 200 and slugs
    assert html_rows(client, "/treatments/", params, "slug") == (200, slugs)
