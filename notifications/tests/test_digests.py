"""Reminders people read: one digest a day per person and kind of duty, quiet hours for
SMS, each user's choice per kind, and a community's SMS budget."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from notifications import delivery, digests, routing
from notifications.kinds import DIGEST_KIND, Category, Mode, default_mode, quiet_hours_end
from notifications.models import Channel, Delivery, Notification, Preference, SmsBudget
from notifications.services import notify
from resolutions import reminders
from resolutions.models import ActionItem

from .builders import make_item, make_resolution

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def at(hour, minute=0, days=0):
    today = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(today, dt.time(hour, minute), tzinfo=BEIJING)


def overdue_items(world, count, resolution=None):
    resolution = resolution or make_resolution(world)
    first = make_item(
        world, resolution=resolution, deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            resolution=resolution,
            community=resolution.community,
            responsible_organization=world.organization,
            measure=f"第{n}项整改",
            starts_on=first.starts_on,
            deadline=timezone.localdate() - dt.timedelta(days=1 + n % 2),
        )
        for n in range(count - 1)
    )
    return resolution


def outside(user):
    """The emails and SMS queued for a user, by channel."""
    rows = Delivery.objects.filter(notification__recipient=user).values_list(
        "channel", "notification__kind"
    )
    return sorted(rows)


def test_a_morning_of_overdue_items_reaches_each_person_as_one_digest(world):
    contact, worker = world.users["org_contact"], world.users["worker_a1"]
    contact.phone = "13800000001"
    contact.save()
    Preference.objects.create(user=contact, email=True, sms=True)
    overdue_items(world, 12)

    sent = reminders.action_item_overdue()

    # One in-app notification per item and person, none of them an email or SMS of its own.
    assert sent == 24
    assert Notification.objects.filter(recipient=contact, held=True).count() == 12
    assert outside(contact) == []

    assert digests.send_digests(now=at(8)) == 2  # the contact's and the worker's
    assert outside(contact) == [("email", DIGEST_KIND), ("sms", DIGEST_KIND)]
    assert outside(worker) == ([("email", DIGEST_KIND)] if worker.email else [])
    digest = Notification.objects.get(kind=DIGEST_KIND, recipient=contact)
    assert digest.carried.count() == 12
    assert not Notification.objects.filter(recipient=contact, held=True).exists()
    # Grouped by community and resolution; the SMS names the community in one segment.
    assert "【甲社区】" in digest.body and "  清理楼道" in digest.body
    assert digest.body.count("· ") == 12
    assert digest.sms_text.startswith("【议事】甲社区：") and len(digest.sms_text) <= 70
    assert "12" in digest.title

    # A rerun, a late run the same day: nothing more.
    assert digests.send_digests(now=at(8, 5)) == 0
    assert digests.send_digests(now=at(15)) == 0
    assert Notification.objects.filter(kind=DIGEST_KIND).count() == 2


def test_what_became_due_after_the_digest_waits_for_tomorrow_unless_urgent(world, settings):
    settings.YISHI = {**settings.YISHI, "ESCALATE_AFTER_DAYS_OVERDUE": 3}
    contact, head = world.users["org_contact"], world.users["head_a"]
    overdue_items(world, 2)
    reminders.action_item_overdue()
    assert digests.send_digests(now=at(8)) >= 1

    # Later that day a new overdue item: it waits.
    late = make_item(
        world, deadline=timezone.localdate() - dt.timedelta(days=1), measure="新逾期事项"
    )
    reminders.action_item_overdue()
    waiting = Notification.objects.get(recipient=contact, object_id=late.pk)
    assert waiting.held and not waiting.deliveries.exists()
    assert digests.send_digests(now=at(15)) == 0
    # Tomorrow's digest carries it.
    assert digests.send_digests(now=at(8, days=1)) >= 1
    waiting.refresh_from_db()
    assert not waiting.held and waiting.digest.step == f"items:{at(8, days=1).date()}"

    # An escalation to the head once the head's digest went: at once.
    Notification.objects.create(
        recipient=head,
        kind=DIGEST_KIND,
        content_type_id=waiting.content_type_id,
        object_id=head.pk,
        step=routing.digest_step(Category.ITEMS, timezone.localdate()),
        title="每日汇总",
        body="",
    )
    escalated = make_item(
        world, deadline=timezone.localdate() - dt.timedelta(days=5), measure="拖了五天的事项"
    )
    reminders.action_item_overdue()
    urgent = Notification.objects.get(
        recipient=head, object_id=escalated.pk, kind=reminders.KIND_ITEM_ESCALATED
    )
    assert not urgent.held
    assert list(urgent.deliveries.values_list("channel", flat=True)) == (
        [Channel.EMAIL] if head.email else []
    )


def test_each_user_chooses_per_kind(world):
    contact, worker = world.users["org_contact"], world.users["worker_a1"]
    contact.phone = "13800000001"
    contact.save()
    Preference.objects.create(user=contact, email=True, sms=True, modes={"items": "immediate"})
    Preference.objects.create(user=worker, email=True, sms=False, modes={"items": "in_app"})
    overdue_items(world, 3)

    reminders.action_item_overdue()

    assert outside(contact).count(("email", "action_item_overdue")) == 3
    assert outside(contact).count(("sms", "action_item_overdue")) == 3
    assert outside(worker) == []
    assert not Notification.objects.filter(recipient=worker, held=True).exists()
    assert Notification.objects.filter(recipient=worker).count() == 3  # in the app
    assert digests.send_digests(now=at(8)) == 0


def test_defaults_by_role():
    assert default_mode(Role.GRID_WORKER, Category.ITEMS) == Mode.DIGEST
    assert default_mode(Role.ORG_CONTACT, Category.ITEMS) == Mode.DIGEST
    assert default_mode(Role.RESIDENT, Category.FOLLOW_UP) == Mode.DIGEST
    assert default_mode(Role.RESIDENT, Category.MEETINGS) == Mode.IMMEDIATE
    assert default_mode(Role.STREET_ADMIN, Category.ISSUES) == Mode.IN_APP
    assert default_mode(Role.STAFF, Category.INVITATIONS) == Mode.IMMEDIATE
    assert default_mode(Role.STAFF, Category.WORK) == Mode.IMMEDIATE


def test_no_sms_in_quiet_hours(world, settings):
    settings.SMS_QUIET_HOURS = (21, 8)
    contact = world.users["org_contact"]
    contact.phone = "13800000001"
    contact.save()
    Preference.objects.create(user=contact, email=True, sms=True, modes={"items": "immediate"})
    item = make_item(world, deadline=timezone.localdate() - dt.timedelta(days=1))
    night = at(22)

    # An overdue reminder at 22:00 to someone who wants it at once: it waits for the
    # morning digest, SMS and all; the digest does not go at night.
    routed = routing.route(
        category=Category.ITEMS,
        mode=Mode.IMMEDIATE,
        channels=[Channel.EMAIL, Channel.SMS],
        now=night,
    )
    assert routed.held and not routed.channels
    assert digests.send_digests(now=night) == 0

    # An invitation at 22:00: the email goes, the SMS waits until 08:00.
    from communities.tests.factories import ResidentFactory

    resident = ResidentFactory(household=world.household_a1, name="王大爷", phone="13800138000")
    with mock.patch("django.utils.timezone.now", return_value=night):
        message = notify(
            recipient=resident, kind="meeting_invitation", title="议事会邀请", body="", target=item
        )
    waiting = message.deliveries.get()
    assert waiting.not_before == quiet_hours_end(night) == at(8, days=1)
    assert delivery.claim(waiting.pk) is False  # not before 08:00
    # A code the person asked for goes at any hour.
    assert routing.person_sms_not_before(Category.SYSTEM, night) is None


def test_an_sms_budget_once_spent_turns_sms_into_the_digest_but_not_invitations(world):
    contact = world.users["org_contact"]
    contact.phone = "13800000001"
    contact.save()
    Preference.objects.create(user=contact, email=True, sms=True, modes={"items": "immediate"})
    SmsBudget.objects.create(
        community=world.community_a, monthly_limit=2, updated_by=world.users["street_admin"]
    )
    overdue_items(world, 3)
    reminders.action_item_overdue()
    # Nothing sent yet this month: the three go at once by email and SMS.
    assert outside(contact).count(("sms", "action_item_overdue")) == 3
    assert routing.budgets_spent([world.community_a.pk]) == {world.community_a.pk}

    item = make_item(world, deadline=timezone.localdate() - dt.timedelta(days=2), measure="又一项")
    reminders.action_item_overdue()
    beyond = Notification.objects.get(recipient=contact, object_id=item.pk)
    assert beyond.held and not beyond.deliveries.exists()

    from communities.tests.factories import ResidentFactory

    resident = ResidentFactory(household=world.household_a1, name="张阿姨", phone="13800138001")
    invitation = notify(
        recipient=resident, kind="meeting_invitation", title="议事会邀请", body="", target=item
    )
    assert list(invitation.deliveries.values_list("channel", flat=True)) == [Channel.SMS]


def test_the_digest_page_lists_its_lines_and_each_opens_what_the_reader_may_see(client, world):
    contact = world.users["org_contact"]
    overdue_items(world, 4)
    reminders.action_item_overdue()
    digests.send_digests(now=at(8))
    digest = Notification.objects.get(kind=DIGEST_KIND, recipient=contact)

    client.force_login(contact)
    page = client.get(digest.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "每日汇总" in html and "甲社区" in html and "清理楼道" in html
    for line in digest.carried.all():
        assert line.title in html
        assert client.get(line.url).status_code == 200, line.url
    # Someone else's digest does not exist for them.
    client.force_login(world.users["staff_b"])
    assert client.get(digest.url).status_code == 404


def test_sending_digests_takes_the_same_queries_for_10_or_100_people(world):
    def people(count):
        resolution = make_resolution(world)
        users = UserFactory.create_batch(count, role=Role.STAFF, communities=[world.community_a])
        ActionItem.objects.bulk_create(
            ActionItem(
                resolution=resolution,
                community=resolution.community,
                responsible_user=user,
                measure=f"整改{n}",
                starts_on=timezone.localdate() - dt.timedelta(days=20),
                deadline=timezone.localdate() - dt.timedelta(days=1),
            )
            for n, user in enumerate(users)
        )
        reminders.action_item_overdue()
        with CaptureQueriesContext(connection) as queries:
            sent = digests.send_digests(now=at(8))
        Notification.objects.filter(kind=DIGEST_KIND).delete()
        return sent, len(queries)

    few, few_queries = people(10)
    many, many_queries = people(100)
    assert few >= 10 and many >= 100
    assert few_queries == many_queries


def test_a_user_chooses_digest_or_at_once_per_kind_in_their_settings(client, world):
    worker = world.users["worker_a1"]
    client.force_login(worker)
    page = client.get(reverse("notifications:channels")).content.decode()
    assert "提醒方式" in page and "每日汇总" in page and "我的整改事项" in page
    # The role's default is checked.
    assert 'name="mode_items" value="digest" id="id_mode_items_1" checked' in page

    response = client.post(
        reverse("notifications:channels"),
        {"email": "on", "mode_items": "immediate", "mode_meetings": "in_app"},
    )
    assert response.status_code == 302
    modes = Preference.objects.get(user=worker).modes
    assert modes == {"items": "immediate", "meetings": "in_app"}
    # An invitation cannot be put off to a digest.
    response = client.post(reverse("notifications:channels"), {"mode_invitations": "digest"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert Preference.objects.get(user=worker).modes == modes


def test_a_person_without_an_account_gets_one_sms_of_a_kind_a_day(world):
    from communities.tests.factories import ResidentFactory

    resident = ResidentFactory(household=world.household_a1, name="李奶奶", phone="13800138002")
    first, second, third = (
        make_item(world, deadline=timezone.localdate(), measure=f"事项{n}") for n in range(3)
    )

    def ask(item):
        message = notify(
            recipient=resident, kind="revisit_asked", title="回访", body="", target=item
        )
        return message.deliveries.get().not_before

    assert ask(first) is None  # at once
    tomorrow = at(8, days=1)
    assert ask(second) == tomorrow  # one a day: the next morning
    assert ask(third) == at(8, days=2)
    # An invitation is not put off.
    invitation = notify(
        recipient=resident, kind="meeting_invitation", title="邀请", body="", target=first
    )
    assert invitation.deliveries.get().not_before is None


def test_quiet_hours_across_midnight_and_within_a_day(settings):
    from notifications.kinds import in_quiet_hours

    settings.SMS_QUIET_HOURS = (21, 8)
    assert in_quiet_hours(at(22)) and in_quiet_hours(at(7, 59)) and not in_quiet_hours(at(8))
    assert not in_quiet_hours(at(20, 59))
    settings.SMS_QUIET_HOURS = (12, 14)
    assert in_quiet_hours(at(13)) and not in_quiet_hours(at(15)) and not in_quiet_hours(at(11))
    assert quiet_hours_end(at(13)) == at(14)
