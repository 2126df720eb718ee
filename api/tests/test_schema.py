"""Schemathesis against the served OpenAPI schema: no server error, no response outside
the schema, for every operation, as a staff member with a token."""

import itertools

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

# No server error and no response outside the schema. (Schema-valid requests naming rows
# that do not exist are rightly refused with 400, so positive-data acceptance is not one.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_connection():
    """The WSGI handler closes the database connection after each request, as in
    production; inside a test transaction it must stay open (as the test Client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def operations():
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    return [result.ok() for result in schema.get_all_operations()]


def test_schema_has_every_operation(world):
    labels = {operation.label for operation in operations()}
    for label in (
        "GET /api/v1/issues/",
        "POST /api/v1/issues/{id}/transition/",
        "GET /api/v1/meetings/",
        "GET /api/v1/meetings/{id}/",
        "GET /api/v1/meetings/{id}/ics/",
        "GET /api/v1/resolutions/",
        "GET /api/v1/resolutions/{id}/",
        "GET /api/v1/action-items/",
        "GET /api/v1/action-items/{id}/",
        "POST /api/v1/action-items/{id}/progress/",
        "GET /api/v1/communities/",
        "GET /api/v1/communities/{id}/",
        "GET /api/v1/grids/",
        "GET /api/v1/grids/{id}/",
    ):
        assert label in labels


@pytest.mark.parametrize("user", ["staff_a", "resident_user_b", "org_contact"])
def test_api_conforms_to_its_schema(world, make_issue, make_meeting, published, user):
    # A real row of every kind, so about half the examples take the happy path.
    rows = {
        "/api/v1/issues/": make_issue().pk,
        "/api/v1/meetings/": make_meeting().pk,
        "/api/v1/resolutions/": published.pk,
        "/api/v1/action-items/": published.items.get().pk,
        "/api/v1/communities/": world.community_a.pk,
        "/api/v1/grids/": world.grid_a1.pk,
        "/api/v1/categories/": None,
    }
    token, _ = Token.objects.get_or_create(user=getattr(world, user))
    headers = {"Authorization": f"Token {token.key}"}
    for operation in operations():
        real = next((pk for prefix, pk in rows.items() if operation.path.startswith(prefix)), None)
        conform(operation, real, headers)


def conform(operation, real, headers):
    examples = itertools.count()

    @given(case=operation.as_strategy())
    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case):
        parameters = case.path_parameters or {}
        if "id" in parameters and real is not None and next(examples) % 2 == 0:
            parameters["id"] = real
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()
