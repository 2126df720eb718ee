"""People and accounts: who opens and changes which accounts, a resident's account bound
like the one they claim themselves, the one-time password link, deactivation, the list of
accounts not used for a long time."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Role, User
from communities.tests.factories import ResidentFactory
from core import audit
from lib.errors import DomainError, StaleEdit

pytestmark = pytest.mark.django_db


def test_a_street_admin_opens_a_staff_account_in_their_communities(world):
    account = services.account_create(
        actor=world.street_admin,
        role=Role.STAFF,
        username="new_staff",
        name="新同事",
        communities=[world.community_a],
        is_head=True,
    )
    assert account.communities.get() == world.community_a
    assert account.is_head and not account.has_usable_password()
    row = audit.timeline_of(account).get()
    assert row.community_id == world.community_a.pk
    assert row.changes["communities"] == ["", "甲社区"]


def test_a_head_opens_grid_workers_but_not_staff(world):
    worker = services.account_create(
        actor=world.head_a,
        role=Role.GRID_WORKER,
        username="new_worker",
        name="新网格员",
        grids=[world.grid_a1],
    )
    assert worker.grids.get() == world.grid_a1
    with pytest.raises(DomainError):
        services.account_create(
            actor=world.head_a,
            role=Role.STAFF,
            username="x",
            name="x",
            communities=[world.community_a],
        )
    # A grid of another community is not theirs to give.
    with pytest.raises(DomainError):
        services.account_create(
            actor=world.head_a,
            role=Role.GRID_WORKER,
            username="y",
            name="y",
            grids=[world.grid_b1],
        )
    assert not User.objects.filter(username__in=["x", "y"]).exists()


def test_staff_who_are_not_the_head_manage_no_account(world, client):
    with pytest.raises(DomainError):
        services.account_create(
            actor=world.staff_a,
            role=Role.GRID_WORKER,
            username="z",
            name="z",
            grids=[world.grid_a1],
        )
    client.force_login(world.staff_a)
    assert client.get(reverse("administration:people")).status_code == 403
    assert (
        client.get(reverse("administration:account", args=[world.worker_a1.pk])).status_code == 404
    )


def test_a_head_sees_staff_but_does_not_change_them(world, client):
    client.force_login(world.head_a)
    page = client.get(reverse("administration:account", args=[world.staff_a.pk]))
    assert page.status_code == 200
    assert "重置密码" not in page.content.decode()
    assert (
        client.get(reverse("administration:account_edit", args=[world.staff_a.pk])).status_code
        == 403
    )
    with pytest.raises(DomainError):
        services.account_update(actor=world.head_a, account=world.staff_a, name="改名")


def test_a_head_cannot_manage_another_community(world, client):
    client.force_login(world.head_a)
    assert client.get(reverse("administration:account", args=[world.staff_b.pk])).status_code == 404
    assert (
        client.get(
            reverse("administration:community_rules", args=[world.community_b.pk])
        ).status_code
        == 404
    )


def test_a_street_admin_of_another_street_gets_404(world, other_street, client):
    client.force_login(other_street["admin"])
    for url in (
        reverse("administration:account", args=[world.worker_a1.pk]),
        reverse("administration:street_rules", args=[world.street.pk]),
        reverse("administration:community_rules", args=[world.community_a.pk]),
        reverse("administration:category_create", args=[world.street.pk]),
        reverse("administration:resident_account", args=[world.resident_a.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_resident_gets_an_account_bound_to_their_record_and_signs_in_by_phone(world):
    resident = ResidentFactory(
        household=world.household_a1, grid=world.grid_a1, name="王大爷", phone="13800138000"
    )
    account = services.account_give_resident(actor=world.head_a, resident=resident)
    assert (account.role, account.resident, account.username) == (
        Role.RESIDENT,
        resident,
        "13800138000",
    )
    # Claiming with the phone code finds the same account: one binding, not two.
    claimed, created = services.account_claim(resident=resident, phone="13800138000")
    assert (claimed, created) == (account, False)
    with pytest.raises(DomainError):
        services.account_give_resident(actor=world.head_a, resident=resident)
    assert audit.timeline_of(account).get().community_id == world.community_a.pk


def test_the_password_link_by_sms_works_once(world, client, sms_outbox, settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemSMSBackend"
    settings.SITE_URL = "http://testserver"
    world.worker_a1.phone = "13700000001"
    world.worker_a1.save()
    services.account_password_link(actor=world.street_admin, account=world.worker_a1, via="sms")
    from notifications.delivery import send
    from notifications.models import Delivery, Notification

    delivery = Delivery.objects.get(notification__kind="password_link")
    send(delivery.pk)
    ((phone, text),) = sms_outbox
    assert phone == "13700000001"
    link = re.search(r"http://testserver(\S+/)", text).group(1)
    # The secret is kept only until sent.
    notification = Notification.objects.get(kind="password_link")
    assert notification.sms_text == "" and notification.url == ""
    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    done = client.post(
        form_url, {"new_password1": "Quiet-River-2031", "new_password2": "Quiet-River-2031"}
    )
    assert done.status_code == 302
    world.worker_a1.refresh_from_db()
    assert world.worker_a1.check_password("Quiet-River-2031")
    client.logout()
    again = client.get(link, follow=True)
    assert "已使用或已过期" in again.content.decode()
    actions = [row.action for row in audit.timeline_of(world.worker_a1)]
    assert actions == ["password_link", "password_set"]


def test_the_password_link_expires(world, client):
    link = services.account_password_link(
        actor=world.street_admin, account=world.worker_a1, via="in_person"
    )
    path = re.sub(r"^https?://[^/]+", "", link)
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        page = client.get(path, follow=True)
    assert "已使用或已过期" in page.content.decode()


def test_the_link_shown_in_person_is_in_the_answer_only(world, client):
    client.force_login(world.street_admin)
    page = client.post(
        reverse("administration:account_password", args=[world.worker_a1.pk]),
        {"via": "in_person"},
    )
    assert page.status_code == 200
    assert "/accounts/password/set/" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    account_page = client.get(reverse("administration:account", args=[world.worker_a1.pk]))
    assert "/accounts/password/set/" not in account_page.content.decode()


def test_deactivated_never_deleted_and_cannot_sign_in(world, client):
    with pytest.raises(DomainError) as refused:
        services.account_set_active(actor=world.street_admin, account=world.worker_a1, active=False)
    assert refused.value.field == "reason"
    services.account_set_active(
        actor=world.street_admin, account=world.worker_a1, active=False, reason="调离"
    )
    world.worker_a1.refresh_from_db()
    assert not world.worker_a1.is_active
    client.post(
        reverse("accounts:login"), {"username": "worker_a1", "password": "Correct-Horse-2026"}
    )
    assert "_auth_user_id" not in client.session
    assert User.objects.filter(pk=world.worker_a1.pk).exists()
    row = audit.timeline_of(world.worker_a1).get()
    assert (row.action, row.note) == ("deactivate", "调离")


def test_a_stale_account_form_is_refused(world):
    services.account_update(actor=world.street_admin, account=world.worker_a1, title="网格长")
    with pytest.raises(StaleEdit):
        services.account_update(
            actor=world.street_admin, account=world.worker_a1, version=1, title="网格员"
        )
    world.worker_a1.refresh_from_db()
    assert world.worker_a1.title == "网格长"
    row = audit.timeline_of(world.worker_a1).get()
    assert row.changes == {"title": ["", "网格长"]}


def test_accounts_not_used_for_90_days_are_listed_on_their_own(world, client):
    User.objects.filter(pk=world.worker_a1.pk).update(last_login=timezone.now())
    User.objects.filter(pk=world.worker_a2.pk).update(
        last_login=timezone.now() - timedelta(days=120)
    )
    client.force_login(world.street_admin)
    page = client.get(reverse("administration:people"), {"idle": "on"}).content.decode()
    assert "worker_a2" in page
    assert "worker_a1" not in page
