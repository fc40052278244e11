"""The OpenAPI schema is true: every operation, fuzzed by schemathesis against the live server.

Valid and invalid inputs are generated from the schema itself; every response must be documented
(status code, content type, body schema) and none may be a server error. The docs page is
Swagger UI served from our own static files: no CDN.
"""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = pytest.mark.django_db

EXAMPLES_PER_MODE = 25
# OpenAPI cannot say that `max_cost` and sorting by `cost` need a `currency`: such schema-valid
# requests rightly get a 400 (as on the HTML page). Every other check runs, including that
# schema-violating requests are refused.
UNEXPRESSIBLE = positive_data_acceptance


def test_every_operation_answers_as_documented(live_server, curated_transactional_db):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {f"{op.method.upper()} {op.path}" for op in operations} == {
        "GET /api/",
        "GET /api/treatments/",
        "GET /api/treatments/{slug}/",
        "GET /api/claims/",
        "GET /api/claims/{id}/",
        "POST /api/claims/check/",
        "GET /api/studies/",
        "GET /api/studies/{id}/",
        "GET /api/outcomes/",
    }
    not_negatable = set()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES_PER_MODE,
                deadline=None,
                database=None,
                derandomize=True,  # the same cases on every run: a failure is never a fluke
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case):
                case.call_and_validate(base_url=live_server.url, excluded_checks=[UNEXPRESSIBLE])

            try:
                call()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE
                not_negatable.add(f"{operation.method.upper()} {operation.path}")
    # Nothing to make invalid: no input at all, or only a slug in the path (any string that is
    # not a slug cannot be sent as one path segment).
    assert not_negatable == {"GET /api/", "GET /api/treatments/{slug}/"}


def test_docs_use_only_local_assets(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page loads Swagger UI from somewhere"
    for asset in assets:
        assert asset.startswith("/"), f"{asset} is not served by us"
        assert not asset.startswith("//")
        assert client.get(asset).status_code == 200, asset
    assert "cdn" not in html.lower() and "https://" not in html
    # Nothing inline either: the Content-Security-Policy would refuse it.
    assert "<style" not in html and len(re.findall(r"<script\b", html)) == len(
        re.findall(r"<script src=", html)
    )
    script = client.get(next(a for a in assets if "script" in a)).content.decode()
    assert '"validatorUrl": null' in script  # no call to swagger.io's validator either
    assert "/api/schema/" in script
