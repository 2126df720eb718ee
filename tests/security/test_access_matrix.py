"""Every URL × every role (issue 9). The matrix lives in tests/security/matrix.py."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .matrix import EXEMPT_NAMESPACES, MATRIX, ROLES, USER_FOR_ROLE

pytestmark = pytest.mark.django_db


def _url_names(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            yield from _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def _named_urls():
    return {name: callback for name, callback in _url_names() if not name.startswith("djdt")}


def test_every_url_has_an_entry():
    missing = sorted(name for name in _named_urls() if name not in MATRIX)
    assert missing == [], f"URLs without an entry in tests/security/matrix.py: {missing}"


def test_the_matrix_names_only_urls_that_exist():
    assert sorted(set(MATRIX) - set(_named_urls())) == []


def _answer(response):
    if 200 <= response.status_code < 300:
        return "ok"
    if response.status_code in (301, 302, 303):
        return "login" if "/accounts/login/" in response["Location"] else "redirect"
    return response.status_code


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_role_as_the_matrix_says(client, objects, name):
    """One URL as every role; the failure lists every role that got the wrong answer."""
    case = MATRIX[name]
    world = objects["world"]
    url = reverse(name, kwargs=case.kwargs(objects) if case.kwargs else None)
    if case.query:
        url = f"{url}?{case.query(objects) if callable(case.query) else case.query}"
    # Data naming records of the world is built from it, like the URL's arguments.
    data = case.data(objects) if callable(case.data) else case.data
    wrong = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(world, USER_FOR_ROLE[role]))
        response = getattr(client, case.method)(url, data)
        if _answer(response) != case.expected[role]:
            wrong.append(f"{role}: got {_answer(response)}, expected {case.expected[role]}")
    assert wrong == [], f"{case.method.upper()} {url}\n" + "\n".join(wrong)
