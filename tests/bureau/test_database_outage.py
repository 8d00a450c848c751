"""A database outage answers a short 503 page in the user's language, never a 500 (issue 15).

Here the outage is simulated in process (a query or the session lookup raising what psycopg
raises); test_postgres_restart.py restarts a real PostgreSQL under gunicorn.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def _fail_in_view(exc):
    return mock.patch("bureau.views.ReportingPeriod.objects.all", side_effect=exc)


@pytest.mark.parametrize(
    "exc",
    [OperationalError("server closed the connection"), InterfaceError("connection already closed")],
)
def test_query_failing_in_a_view_answers_503_page(staff_client, exc):
    with _fail_in_view(exc):
        response = staff_client.get("/staff/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "系统暂时不可用" in body and "秒后刷新页面重试" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_503_page_in_english(staff_client):
    staff_client.cookies["django_language"] = "en"
    with _fail_in_view(OperationalError("gone")):
        response = staff_client.get("/staff/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "The portal is briefly unavailable" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_session_lookup_failing_in_middleware_answers_503(staff_client, settings, debug):
    """The session is read by a middleware, before any view: still 503, in DEBUG too."""
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    client.cookies = staff_client.cookies
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("could not connect to server: Connection refused"),
    ):
        response = client.get("/staff/")
    assert response.status_code == 503
    assert "系统暂时不可用" in response.content.decode()


def test_503_page_renders_without_a_query(django_assert_num_queries):
    from bureau.outage import unavailable_response

    # No query: the page is rendered without the request, so no context processor runs.
    with django_assert_num_queries(0):
        response = unavailable_response()
    assert response.status_code == 503


def test_other_errors_still_answer_500(staff_client):
    client = Client(raise_request_exception=False)
    client.cookies = staff_client.cookies
    with _fail_in_view(ValueError("a bug")):
        response = client.get("/staff/")
    assert response.status_code == 500
