"""The supervision committee (居监会) reaches the on-site check of work reported done:
asked by a notification (and its email) that links to the check, and from the list
"Awaiting my on-site check" on their home page."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from accounts.tests.factories import UserFactory
from communities.tests.factories import ResidentFactory
from issues.models import Kind
from notifications.models import Notification
from resolutions import services
from resolutions.models import ActionItem

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(world):
    world.resident_a.is_supervisor = True
    world.resident_a.save(update_fields=["is_supervisor"])
    return world.resident_user_a


def _report_done(world, item, text="已安装完毕。"):
    return services.progress_report(
        actor=world.org_contact, item=item, text=text, percent=100, request_check=True
    )


def test_work_reported_done_asks_the_committee_with_a_link_to_the_check(
    world, supervisor, published, django_capture_on_commit_callbacks
):
    # A supervisor of the other community is not asked.
    world.resident_b.is_supervisor = True
    world.resident_b.save(update_fields=["is_supervisor"])
    item = published.items.get()
    with django_capture_on_commit_callbacks(execute=True):
        _report_done(world, item)
    asked = Notification.objects.get(kind="check_requested")
    assert asked.recipient == supervisor
    assert asked.url == f"/resolutions/items/{item.pk}/#check"
    assert "已安装完毕" in asked.body
    assert not Notification.objects.filter(
        kind="check_requested", recipient=world.resident_user_b
    ).exists()
    (email,) = [m for m in mail.outbox if m.to == [supervisor.email]]
    assert f"/resolutions/items/{item.pk}/#check" in email.body


def test_each_round_of_work_asks_again(world, supervisor, published):
    item = published.items.get()
    _report_done(world, item)
    services.item_check(actor=world.staff_a, item=item, passed=False, text="标识歪了")
    _report_done(world, item, text="已重新安装。")
    steps = list(
        Notification.objects.filter(kind="check_requested", recipient=supervisor)
        .order_by("pk")
        .values_list("step", flat=True)
    )
    assert steps == ["check-0", "check-1"]


def test_a_dispute_is_not_sent_to_the_committee(world, supervisor):
    dispute = factories.issue(world, kind=Kind.DISPUTE)
    resolution = factories.resolution(
        world, the_issue=dispute, status="adopted", legal_review_required=False
    )
    _report_done(world, resolution.items.get())
    assert not Notification.objects.filter(kind="check_requested").exists()


def test_supervisor_home_lists_the_work_awaiting_their_check(world, supervisor, published, client):
    client.force_login(supervisor)
    page = client.get("/issues/mine/").content.decode()
    assert "Awaiting my on-site check" in page
    assert "Nothing waits for your check right now." in page
    item = published.items.get()
    _report_done(world, item)
    page = client.get("/issues/mine/").content.decode()
    assert f'href="/resolutions/items/{item.pk}/#check"' in page
    assert item.measure in page
    # The link leads to the check form.
    detail = client.get(f"/resolutions/items/{item.pk}/").content.decode()
    assert 'id="check"' in detail
    assert 'name="passed"' in detail


def test_supervisor_home_reads_the_same_number_of_queries_for_more_items(world, supervisor, client):
    client.force_login(supervisor)
    first = factories.resolution(world, status="published")
    _report_done(world, first.items.get())
    with CaptureQueriesContext(connection) as one:
        assert client.get("/issues/mine/").status_code == 200
    for _n in range(3):
        more = factories.resolution(world, status="published")
        _report_done(world, more.items.get())
    with CaptureQueriesContext(connection) as four:
        page = client.get("/issues/mine/").content.decode()
    assert page.count("#check") == 4
    # The panel's two queries (its rows, with resolution and responsible party) whatever
    # the number of items.
    assert len(four) == len(one)


def test_residents_not_on_the_committee_have_no_such_list(world, published, client):
    _report_done(world, published.items.get())
    client.force_login(world.resident_user_a)
    page = client.get("/issues/mine/").content.decode()
    assert "Awaiting my on-site check" not in page
    assert ActionItem.objects.filter(status=ActionItem.Status.AWAITING_CHECK).count() == 1


def test_supervisor_of_another_community_does_not_see_the_item(world, published, client):
    other = ResidentFactory(
        household=world.household_b1, grid=world.grid_b1, name="乙监督", is_supervisor=True
    )
    user = UserFactory(username="supervisor_b", role=Role.RESIDENT, resident=other)
    item = published.items.get()
    _report_done(world, item)
    client.force_login(user)
    page = client.get("/issues/mine/").content.decode()
    assert "Awaiting my on-site check" in page
    assert f"/resolutions/items/{item.pk}/" not in page
