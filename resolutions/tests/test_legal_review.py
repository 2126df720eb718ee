"""The legal adviser (法律顾问: the contact of a law firm serving the community) writes his
own legal review of an agreement, from his own home page; staff send it to him and read
what he wrote, but cannot write it for him."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from communities.models import Organization
from communities.tests.factories import OrganizationContactFactory, OrganizationFactory
from issues.models import Kind
from lib.errors import DomainError
from resolutions import services
from resolutions.models import Resolution

from . import factories

pytestmark = pytest.mark.django_db


def _lawyer(communities, username="lawyer"):
    firm = OrganizationFactory(
        name=f"{username}律师事务所", kind=Organization.Kind.LEGAL, communities=communities
    )
    contact = OrganizationContactFactory(organization=firm, name="杜律师")
    return UserFactory(username=username, role=Role.ORG_CONTACT, organization=firm, contact=contact)


def _sent_for_review(world, title="楼上楼下漏水和解协议"):
    dispute = factories.issue(world, kind=Kind.DISPUTE)
    resolution = services.resolution_create(
        actor=world.staff_a,
        agenda_item=factories.agenda_item(world, dispute),
        title=title,
        text="双方自愿和解，费用按六四分担。",
        items=[factories.item_fields(world)],
    )
    return services.resolution_transition(
        actor=world.staff_a, resolution=resolution, action="submit_review"
    )


@pytest.fixture
def lawyer(world):
    return _lawyer([world.community_a])


def test_the_legal_adviser_approves_and_is_recorded_as_reviewer(world, lawyer):
    resolution = _sent_for_review(world)
    resolution = services.resolution_transition(
        actor=lawyer, resolution=resolution, action="approve_review", note="协议合法有效"
    )
    assert resolution.status == Resolution.Status.ADOPTED
    assert resolution.legal_reviewer == lawyer
    assert resolution.legal_review_note == "协议合法有效"
    assert resolution.legal_reviewed_at is not None


def test_sending_for_review_tells_the_lawyer_with_a_link(world, lawyer):
    from notifications.models import Notification

    other = _lawyer([world.community_b], username="other_lawyer")
    resolution = _sent_for_review(world)
    note = Notification.objects.get(recipient=lawyer)
    assert note.kind == "legal_review_requested"
    assert reverse("resolutions:detail", args=[resolution.pk]) in note.url
    assert not Notification.objects.filter(recipient=other).exists()


def test_staff_cannot_write_the_legal_review_for_him(world, lawyer):
    resolution = _sent_for_review(world)
    for action in ("approve_review", "return_review"):
        with pytest.raises(DomainError):
            services.resolution_transition(
                actor=world.staff_a, resolution=resolution, action=action, note="代写"
            )
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.AWAITING_REVIEW
    assert resolution.legal_reviewer is None


def test_a_lawyer_of_another_community_may_not_review(world, lawyer):
    other = _lawyer([world.community_b], username="other_lawyer")
    resolution = _sent_for_review(world)
    with pytest.raises(DomainError):
        services.resolution_transition(
            actor=other, resolution=resolution, action="approve_review", note="合法"
        )


def test_the_legal_adviser_returns_the_draft_with_his_reasons(world, lawyer):
    resolution = _sent_for_review(world)
    resolution = services.resolution_transition(
        actor=lawyer, resolution=resolution, action="return_review", note="请写明违约责任"
    )
    assert resolution.status == Resolution.Status.DRAFT
    assert resolution.legal_review_note == "请写明违约责任"


def test_awaiting_my_review_is_on_his_home_page(client, world, lawyer):
    resolution = _sent_for_review(world)
    client.force_login(lawyer)
    response = client.get(reverse("resolutions:my_items"))
    assert response.status_code == 200
    assert "Awaiting my review" in response.text
    assert reverse("resolutions:detail", args=[resolution.pk]) in response.text


def test_the_property_contact_has_nothing_to_review(client, world, lawyer):
    _sent_for_review(world)
    client.force_login(world.users["org_contact"])
    response = client.get(reverse("resolutions:my_items"))
    assert "Awaiting my review" not in response.text


def test_awaiting_my_review_reads_in_constant_queries(client, world, lawyer):
    _sent_for_review(world, "第一份协议")
    client.force_login(lawyer)
    url = reverse("resolutions:my_items")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _sent_for_review(world, "第二份协议")
    _sent_for_review(world, "第三份协议")
    # The requests for review notified him: his user and scope are read once again.
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert "第三份协议" in response.text
    # Session, user, scope (communities with the firm's kind), the items page and its
    # count, the resolutions to review with their communities.
    assert len(three) == len(one)


def test_he_writes_the_review_on_the_resolution_page(client, world, lawyer):
    resolution = _sent_for_review(world)
    client.force_login(lawyer)
    page = client.get(reverse("resolutions:detail", args=[resolution.pk]))
    assert page.status_code == 200
    assert "Your legal review" in page.text
    # He is not a party to the dispute: its private issue page is not linked.
    assert reverse("issues:detail", args=[resolution.issue_id]) not in page.text
    response = client.post(
        reverse("resolutions:legal_review", args=[resolution.pk]),
        {
            "note": "协议内容合法，系双方真实意思表示。",
            "version": resolution.version,
            "approve": "1",
        },
    )
    assert response.status_code == 302
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.ADOPTED
    assert resolution.legal_reviewer == lawyer


def test_an_empty_review_is_refused_by_the_field(client, world, lawyer):
    resolution = _sent_for_review(world)
    client.force_login(lawyer)
    response = client.post(
        reverse("resolutions:legal_review", args=[resolution.pk]),
        {"note": "", "version": resolution.version, "approve": "1"},
    )
    assert response.status_code == 200
    assert "This field is required" in response.text
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.AWAITING_REVIEW


def test_staff_read_the_review_page_but_cannot_post_it(client, world, lawyer):
    resolution = _sent_for_review(world)
    client.force_login(world.users["staff_a"])
    url = reverse("resolutions:legal_review", args=[resolution.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Approve: lawful and enforceable" not in page.text
    detail = client.get(reverse("resolutions:detail", args=[resolution.pk]))
    assert "Your legal review" not in detail.text
    assert "Approve after legal review" not in detail.text
    response = client.post(url, {"note": "代写", "version": resolution.version, "approve": "1"})
    assert response.status_code == 403
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.AWAITING_REVIEW


def test_he_sees_no_draft_before_it_is_sent_to_him(client, world, lawyer):
    draft = factories.resolution(world, legal_review_required=True)
    client.force_login(lawyer)
    response = client.get(reverse("resolutions:detail", args=[draft.pk]))
    assert response.status_code == 404


def test_he_reads_what_he_reviewed_after_adoption(client, world, lawyer):
    resolution = _sent_for_review(world)
    services.resolution_transition(
        actor=lawyer, resolution=resolution, action="approve_review", note="合法"
    )
    client.force_login(lawyer)
    response = client.get(reverse("resolutions:detail", args=[resolution.pk]))
    assert response.status_code == 200
    assert "Your legal review" not in response.text
