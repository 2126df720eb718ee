"""Drill: PostgreSQL drops every connection (as in a restart) under a running gunicorn; the
next requests are served without restarting the app, because persistent connections are
health-checked before reuse (CONN_HEALTH_CHECKS)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _terminate_backends_of(dbname):
    """Terminate every connection to the database but the test's own."""
    connection.ensure_connection()
    own = connection.connection.get_backend_pid()
    params = connection.get_connection_params()
    admin = psycopg2.connect(
        host=params.get("host"), port=params.get("port"), user=params.get("user"), dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid() AND pid <> %s",
            [dbname, own],
        )
        killed = cursor.fetchone()[0]
    admin.close()
    return killed


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


@pytest.fixture
def gunicorn():
    settings = connection.settings_dict
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        ),
        "CONN_MAX_AGE": "600",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            _get(base + "/healthz")
            break
        except OSError:
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_gunicorn_serves_again_after_postgresql_drops_every_connection(gunicorn):
    status, body = _get(gunicorn + "/healthz")
    assert status == 200 and '"database": true' in body

    killed = _terminate_backends_of(connection.settings_dict["NAME"])
    assert killed >= 1  # gunicorn's persistent connection among them

    status, body = _get(gunicorn + "/healthz")
    assert status == 200 and '"database": true' in body
    status, body = _get(gunicorn + "/accounts/login/")
    assert status == 200 and "登录" in body
