"""Property tests of the public API against its own OpenAPI description (schemathesis 4).

Every operation is called with generated parameters, valid and invalid; no answer may be a server
error, and every answer must match the status codes, content types and bodies the description
promises.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# Valid and invalid input both: invalid parameters must be refused with a described 400, not a 500.
schema.config.generation.update(modes=list(GenerationMode), allow_x00=True)


@pytest.fixture
def keep_test_connection():
    # Django's own test client does this: a request through the WSGI handler must not close the
    # database connection that holds the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_as_described_and_never_with_a_server_error(case, register, keep_test_connection):
    case.call_and_validate(checks=CHECKS)
