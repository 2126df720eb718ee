import pytest

from config.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker_reachable(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "broker": True}


def test_healthz_answers_503_when_the_broker_is_unreachable(client):
    original = celery_app.conf.broker_url
    # Nothing listens on port 1: a real connection failure, not a mock.
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_url = original

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": True, "broker": False}
