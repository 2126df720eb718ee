"""Hostile and random input to every POST form of the product (issue 9).

Each page of the access matrix is opened as a user allowed to see it; every POST form on it
is found in the HTML and filled by Hypothesis with very long text, control characters, HTML
and script, wrong types, dates out of range, huge numbers and ids of records the user may
not see. No answer may be a server error, and no stored script may come back unescaped.
"""

import json
import os

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .forms import post_forms
from .matrix import MATRIX, ROLES, USER_FOR_ROLE

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("议事")</script>'
HOSTILE_TEXT = st.one_of(
    st.just(SCRIPT),
    st.just('"><img src=x onerror=alert(1)>'),
    st.just("\x00\x01\x02\x1b[31m\u202e控制字符"),
    st.just("长" * 20_000),
    st.just("'; DROP TABLE issues_issue; --"),
    st.just(""),
    st.text(max_size=60),
)
HOSTILE_NUMBER = st.one_of(
    st.just("99999999999999999999999999"),
    st.just("-1"),
    st.just("1e309"),
    st.just("NaN"),
    st.just("三"),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
)
HOSTILE_DATE = st.one_of(
    st.just("0001-01-01"),
    st.just("9999-12-31"),
    st.just("2026-02-30"),
    st.just("2026-13-01T25:61"),
    st.just("明天"),
    st.dates().map(str),
)
FOREIGN_ID = st.one_of(st.just("999999999"), st.just("-5"), st.just("abc"), st.just("1 OR 1=1"))


def _value(field, draw):
    if field.name in ("csrfmiddlewaretoken",):
        return field.value
    if field.kind == "hidden":
        return draw(st.one_of(st.just(field.value), HOSTILE_NUMBER, HOSTILE_TEXT))
    if field.kind == "file":
        return None
    if field.kind == "number":
        return draw(HOSTILE_NUMBER)
    if field.kind in ("date", "datetime-local", "time"):
        return draw(HOSTILE_DATE)
    if field.kind in ("select", "radio", "checkbox"):
        choices = [o for o in field.options if o] or [""]
        return draw(st.one_of(st.sampled_from(choices), FOREIGN_ID))
    return draw(HOSTILE_TEXT)


@st.composite
def filled(draw, form):
    data = {}
    for field in form.fields.values():
        value = _value(field, draw)
        if value is not None:
            data[field.name] = value
    return data


def _viewer(case):
    """A role the page answers 200 for, preferring the people who fill in forms."""
    for role in ("staff_here", "worker_here", "street_admin", "resident_here", "org_contact"):
        if case.expected.get(role) == "ok":
            return role
    return "anonymous" if case.expected.get("anonymous") == "ok" else None


def _fuzz(client, action, form):
    tried = []

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=filled(form))
    def post(data):
        tried.append(1)
        response = client.post(action, data)
        assert response.status_code < 500, (action, data)
        # Form errors come back with 200 or 400: neither may echo the script unescaped.
        if "html" in response.get("Content-Type", ""):
            assert SCRIPT not in response.content.decode(), f"unescaped script at {action}"

    post()
    return len(tried)


def _log(line):
    """With YISHI_FUZZ_LOG set, each page appends its forms and inputs tried (the figures
    of issue 9's closing note; bin/fuzz_figures sums them)."""
    path = os.environ.get("YISHI_FUZZ_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")


PAGES = sorted(
    name for name, case in MATRIX.items() if case.method == "get" and _viewer(case) is not None
)


@pytest.mark.parametrize("name", PAGES)
def test_hostile_input_to_every_form_on_the_page(client, objects, name):
    case = MATRIX[name]
    role = _viewer(case)
    if role != "anonymous":
        client.force_login(getattr(objects["world"], USER_FOR_ROLE[role]))
    url = reverse(name, kwargs=case.kwargs(objects) if case.kwargs else None)
    if case.query:
        url = f"{url}?{case.query}"
    page = client.get(url)
    if "html" not in page.get("Content-Type", ""):
        return  # a download (xlsx, pdf, ics): no forms
    forms = post_forms(page.content.decode())
    for form in forms:
        action = form.action or url
        if "logout" in action or "set_language" in action or "/language/" in action:
            continue
        tried = _fuzz(client, action, form)
        _log({"page": name, "action": action, "fields": len(form.fields), "inputs": tried})
    # Whatever was stored, the page still renders and never shows the script unescaped.
    again = client.get(url)
    assert again.status_code < 500
    assert SCRIPT not in again.content.decode(errors="replace")


def test_the_matrix_roles_are_known():
    assert set(USER_FOR_ROLE) | {"anonymous"} == set(ROLES)


def test_the_form_finder_sees_the_fields_of_a_real_form(client):
    forms = post_forms(client.get(reverse("accounts:login")).content.decode())

    login = [form for form in forms if "username" in form.fields]
    assert len(login) == 1
    assert {"username", "password", "csrfmiddlewaretoken", "next"} <= set(login[0].fields)
    assert any(form.action == reverse("accounts:display_mode") for form in forms)
