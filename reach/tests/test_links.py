"""Personal links (/s/…): random and short, one per person, purpose and record, refused with
a clear page when tampered with, expired, revoked, spent or another person's, and every
use written on the timeline of the record they point at."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from reach.models import ShortLink
from reach.services import (
    ALPHABET,
    TOKEN_LENGTH,
    VISIT_GAP,
    link_issue,
    link_revoke,
    link_url,
)
from reach.views import MISSES_PER_HOUR

pytestmark = pytest.mark.django_db


def _open(client, link_or_token, method="get"):
    token = getattr(link_or_token, "token", link_or_token)
    return getattr(client, method)(reverse("reach:open", args=[token]))


def test_a_link_is_short_random_and_fits_an_sms(make_link, settings):
    first, second = make_link(), make_link(purpose="test_public")
    for link in (first, second):
        assert len(link.token) == TOKEN_LENGTH
        assert set(link.token) <= set(ALPHABET)
        assert link_url(link) == f"{settings.SHORT_LINK_URL}/s/{link.token}"
    assert first.token != second.token


def test_issuing_again_returns_the_same_link_and_carries_its_expiry_forward(
    make_link, world, person
):
    first = make_link(days=1)
    again = make_link(days=5)
    assert again.pk == first.pk
    first.refresh_from_db()
    assert first.expires_at > timezone.now() + timedelta(days=4)
    # Another round of the same purpose is another link.
    assert make_link(step="round-1").pk != first.pk


def test_a_link_opens_its_page_without_a_login_and_is_counted(client, make_link):
    link = make_link()
    response = _open(client, link)
    assert response.status_code == 200
    assert response.content.decode() == "page of 王大爷"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    link.refresh_from_db()
    assert link.uses == 1


def test_every_visit_is_written_on_the_timeline_of_its_record_once_per_visit(
    client, make_link, world
):
    link = make_link()
    _open(client, link)
    _open(client, link)  # read again at once: the same visit
    rows = AuditEntry.objects.filter(action="link_open")
    assert rows.count() == 1
    row = rows.get()
    assert row.object_id == world.community_a.pk and row.community_id == world.community_a.pk
    assert "王大爷" in row.note and row.data["link"] == link.pk
    ShortLink.objects.filter(pk=link.pk).update(
        last_used_at=timezone.now() - VISIT_GAP - timedelta(seconds=1)
    )
    _open(client, link)
    assert AuditEntry.objects.filter(action="link_open").count() == 2
    link.refresh_from_db()
    assert link.uses == 3


def _refused(response, status, words):
    body = response.content.decode()
    assert response.status_code == status
    # A page of the product, in Chinese and large type, not a bare error.
    assert 'class="link-refused"' in body and "link-page" in body
    assert words in body
    return body


def test_a_tampered_or_damaged_token_gets_a_clear_page(client, make_link):
    link = make_link()
    tampered = link.token[:-1] + ("2" if link.token[-1] != "2" else "3")
    _refused(_open(client, tampered), 404, "这个链接打不开")
    _refused(_open(client, link.token[:6]), 404, "这个链接打不开")
    _refused(client.get("/s/%3Cscript%3Ex"), 404, "这个链接打不开")
    # Read case-blind: a link typed from a printed slip in capitals still opens.
    assert _open(client, link.token.upper()).status_code == 200


def test_an_expired_link_gets_a_clear_page(client, make_link):
    link = make_link()
    ShortLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    _refused(_open(client, link), 410, "链接已过期")


def test_a_revoked_link_gets_a_clear_page(client, make_link, world):
    link = make_link()
    link_revoke(link=link, actor=world.staff_a)
    _refused(_open(client, link), 410, "已停用")
    row = AuditEntry.objects.get(action="link_revoke")
    assert row.actor == world.staff_a and "王大爷" in row.note


def test_a_single_use_link_once_used_gets_a_clear_page(client, make_link):
    link = make_link()
    assert _open(client, link, "post").content == b"done"
    _refused(_open(client, link), 410, "已经办过了")
    _refused(_open(client, link, "post"), 410, "已经办过了")


def test_a_link_is_no_use_to_another_signed_in_resident(client, make_link, world):
    link = make_link()
    client.force_login(world.resident_user_a)
    _refused(_open(client, link), 403, "属于另一位")
    # Staff, who have no resident record, read what the resident reads.
    client.force_login(world.staff_a)
    assert _open(client, link).status_code == 200


def test_guessing_tokens_from_one_address_is_stopped(client, make_link):
    link = make_link()
    for n in range(MISSES_PER_HOUR):
        assert _open(client, f"{n:0>10}".replace("0", "a")).status_code == 404
    _refused(_open(client, link), 429, "尝试次数过多")


def test_only_the_communitys_staff_revoke_a_link(client, make_link, world):
    link = make_link()
    url = reverse("reach:revoke", args=[link.pk])
    client.force_login(world.staff_b)
    assert client.post(url).status_code == 404
    client.force_login(world.street_admin)
    assert client.post(url).status_code == 403
    client.force_login(world.staff_a)
    assert client.post(url, {"next": "/meetings/"})["Location"] == "/meetings/"
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == world.staff_a
    # Revoked, the same person's link may be issued anew.
    fresh = link_issue(
        purpose=link.purpose,
        target=world.community_a,
        person=link.resident,
        community=world.community_a,
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert fresh.pk != link.pk and fresh.token != link.token


def test_a_personal_purpose_needs_a_person_and_a_public_one_none(purposes, world, person):
    later = timezone.now() + timedelta(days=1)
    with pytest.raises(ValueError):
        link_issue(
            purpose="test_once",
            target=world.community_a,
            community=world.community_a,
            expires_at=later,
        )
    with pytest.raises(ValueError):
        link_issue(
            purpose="test_public",
            target=world.community_a,
            person=person,
            community=world.community_a,
            expires_at=later,
        )
    with pytest.raises(ValueError):
        link_issue(
            purpose="nobody_registered_this",
            target=world.community_a,
            community=world.community_a,
            expires_at=later,
        )
