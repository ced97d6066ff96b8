"""The API against its own OpenAPI schema, with property-based requests (schemathesis).

For every operation of /api/v1/schema/, Hypothesis generates parameters (valid and not) and
each response must be no server error, have a documented status code and content type, and
match the documented response schema. The default data is loaded; examples are bounded so
the whole module runs in well under a minute.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Django's handler, as tracker/wsgi.py makes it, without that module's collector settings for
# a web worker (which would apply to the whole test run).
application = get_wsgi_application()

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def api_schema():
    """The schema /api/v1/schema/ serves (generated without a request: no database needed
    at collection time), with the Django application to send the requests to."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    schema.app = application
    return schema


schema = api_schema()


@pytest.fixture
def keep_test_connection():
    """Requests go through the real WSGI handler, whose request signals would close the
    database connection (and with it the test's transaction); Django's test client
    disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema(case, default_data, keep_test_connection):
    case.call_and_validate(checks=CHECKS)


def test_the_served_schema_is_the_tested_one(client, db):
    served = client.get("/api/v1/schema/?format=json").json()
    assert served == schema.raw_schema
