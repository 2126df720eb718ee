"""Accounts (issue 9): CSRF on every form, session expiry, a CSP without inline scripts, and
secure cookies and HSTS in the production settings."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.test_deployment import ROOT, _production_env

pytestmark = pytest.mark.django_db


def test_a_post_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff_a)
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 403
    login = Client(enforce_csrf_checks=True).post(
        reverse("accounts:login"), {"username": "staff_a", "password": "x"}
    )
    assert login.status_code == 403


def test_the_session_expires(client, world, time_machine):
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import cache

    time_machine.move_to(timezone.now())
    client.force_login(world.staff_a)
    assert client.get(reverse("issues:list")).status_code == 200
    # Sessions are read from Redis (cached_db), which drops its copy SESSION_COOKIE_AGE
    # after it was saved, by its own clock: the time travelled here is not its.
    key = cache.make_and_validate_key(KEY_PREFIX + client.session.session_key)
    ttl = cache._cache.get_client(key).ttl(key)
    assert 0 < ttl <= settings.SESSION_COOKIE_AGE
    time_machine.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))
    cache.delete(KEY_PREFIX + client.session.session_key)
    # The database's row has expired by then too.
    response = client.get(reverse("issues:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_pages_carry_a_csp_without_inline_scripts(client, world):
    client.force_login(world.staff_a)
    policy = client.get(reverse("issues:list"))["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    script = directives.get("script-src", directives.get("default-src"))
    assert script and "'unsafe-inline'" not in script
    assert directives.get("object-src") == ["'none'"] or "object-src" not in directives


def test_production_cookies_are_secure_and_hsts_is_on():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["True"] * 5, result.stderr
