"""Residents claim their account (and sign in later) with the mobile number on record and
an SMS code: the account is bound to their record; no answer tells whether a number is
known."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role, User
from communities.tests.factories import ResidentFactory
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:phone_login")
WHO = reverse("accounts:phone_who")


@pytest.fixture
def wang(world):
    return ResidentFactory(
        household=world.household_a1, grid=world.grid_a1, name="王大爷", phone="138 0013 8000"
    )


def _prove(client, phone, outbox, capture):
    with capture(execute=True):
        sent = client.post(LOGIN, {"step": "send_code", "phone": phone})
    assert sent.status_code == 200
    code = re.search(r"\d{6}", outbox[-1][1]).group() if outbox else "000000"
    return client.post(LOGIN, {"step": "check_code", "phone": phone, "code": code})


def test_the_login_page_leads_residents_to_the_phone(client):
    assert LOGIN in client.get(reverse("accounts:login")).content.decode()


def test_a_resident_claims_an_account_bound_to_their_record(
    client, wang, sms_outbox, django_capture_on_commit_callbacks
):
    response = _prove(client, "13800138000", sms_outbox, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == WHO
    assert "您是王大爷吗" in client.get(WHO).content.decode()
    landed = client.post(WHO, {"resident": wang.pk}, follow=True)
    user = User.objects.get(resident=wang)
    assert (user.role, user.name, user.phone, user.username) == (
        Role.RESIDENT,
        "王大爷",
        "13800138000",
        "13800138000",
    )
    assert not user.has_usable_password()
    # Signed in, on the resident's home page: 我的议题.
    assert landed.redirect_chain[-1][0] == reverse("issues:mine")
    assert "我的议题" in landed.content.decode() and "账号已开通" in landed.content.decode()
    assert AuditEntry.objects.filter(action="claim_account", object_id=wang.pk).exists()


def test_a_resident_with_an_account_signs_in_to_it(
    client, world, sms_outbox, django_capture_on_commit_callbacks
):
    resident = world.resident_a
    _prove(client, resident.phone, sms_outbox, django_capture_on_commit_callbacks)
    client.post(WHO, {"resident": resident.pk})
    assert int(client.session["_auth_user_id"]) == world.resident_user_a.pk
    assert User.objects.filter(resident=resident).count() == 1


def test_a_household_sharing_a_number_chooses_who_signs_in(
    client, wang, world, sms_outbox, django_capture_on_commit_callbacks
):
    wife = ResidentFactory(
        household=wang.household, grid=world.grid_a1, name="王大妈", phone="13800138000"
    )
    _prove(client, "13800138000", sms_outbox, django_capture_on_commit_callbacks)
    page = client.get(WHO).content.decode()
    assert "王大爷" in page and "王大妈" in page
    client.post(WHO, {"resident": wife.pk})
    assert int(client.session["_auth_user_id"]) == User.objects.get(resident=wife).pk
    assert not User.objects.filter(resident=wang).exists()


def test_the_answers_are_the_same_for_a_number_not_on_record(
    client, wang, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(LOGIN, {"step": "send_code", "phone": "13800138000"})
        unknown = client.post(LOGIN, {"step": "send_code", "phone": "13900139000"})

    def text(response):
        # The page without the number typed into it.
        return response.content.decode().replace("13800138000", "N").replace("13900139000", "N")

    assert known.status_code == unknown.status_code == 200
    assert _main(text(known)) == _main(text(unknown))
    assert [phone for phone, _ in sms_outbox] == ["138 0013 8000"]
    wrong_known = client.post(
        LOGIN, {"step": "check_code", "phone": "13800138000", "code": "000000"}
    )
    wrong_unknown = client.post(
        LOGIN, {"step": "check_code", "phone": "13900139000", "code": "000000"}
    )
    assert _main(text(wrong_known)) == _main(text(wrong_unknown))
    assert "验证码不正确或已过期" in wrong_known.content.decode()


def _main(html):
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html[html.index("<main") : html.index("</main>")]


def test_the_account_page_needs_a_proven_number(client):
    response = client.get(WHO)
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_brute_forcing_the_code_from_the_page_is_refused(
    client, wang, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(LOGIN, {"step": "send_code", "phone": "13800138000"})
    code = re.search(r"\d{6}", sms_outbox[-1][1]).group()
    for guess in range(5):
        attempt = f"{(int(code) + guess + 1) % 10**6:06d}"
        client.post(LOGIN, {"step": "check_code", "phone": "13800138000", "code": attempt})
    response = client.post(LOGIN, {"step": "check_code", "phone": "13800138000", "code": code})
    assert response.status_code == 200 and "验证码不正确或已过期" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_claimed_account_sets_its_first_password(
    client, wang, sms_outbox, django_capture_on_commit_callbacks
):
    _prove(client, "13800138000", sms_outbox, django_capture_on_commit_callbacks)
    client.post(WHO, {"resident": wang.pk})
    url = reverse("accounts:password_change")
    response = client.post(
        url, {"new_password1": "Wang-Daye-2026!", "new_password2": "Wang-Daye-2026!"}
    )
    assert response.status_code == 302
    assert User.objects.get(resident=wang).check_password("Wang-Daye-2026!")
