"""Two staff changing the same issue or the same action item at once (issue 9): no update is
lost; the second writer gets a clear message and keeps what they typed. Through the views."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.audit import timeline_of
from issues.models import Issue
from resolutions.models import ActionItem, ProgressUpdate


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _as(user):
    client = _english(Client())
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_second_staff_changing_an_issue_keeps_their_note_and_loses_nothing(objects):
    world, issue = objects["world"], objects["issue"]
    loaded_version = issue.version  # both open the issue page at this version
    first, second = _as(world.staff_a), _as(world.head_a)

    assigned = first.post(
        reverse("issues:assign", args=[issue.pk]),
        {"version": loaded_version, "assignee": world.worker_a1.pk},
    )
    assert assigned.status_code == 302

    rejected = second.post(
        reverse("issues:transition", args=[issue.pk, "reject"]),
        {"version": loaded_version, "note": "不属于社区管辖范围的说明"},
    )
    assert rejected.status_code == 400
    page = rejected.content.decode()
    assert "Someone else changed this issue" in page
    assert "不属于社区管辖范围的说明" in page  # what the second writer typed is kept

    issue.refresh_from_db()
    assert issue.assignee == world.worker_a1  # the first change stands
    assert issue.status == "reported"  # the second did not silently overwrite it
    assert issue.version == loaded_version + 1


@pytest.mark.django_db
def test_second_staff_reporting_progress_on_an_item_keeps_their_text(objects):
    world, item = objects["world"], objects["action_item"]
    url = reverse("resolutions:item_detail", args=[item.pk])
    loaded_version = item.version
    first, second = _as(world.staff_a), _as(world.head_a)

    saved = first.post(
        url, {"form": "progress", "version": loaded_version, "text": "已采购灯具", "percent": "30"}
    )
    assert saved.status_code == 302

    stale = second.post(
        url,
        {"form": "progress", "version": loaded_version, "text": "师傅明天安装", "percent": "50"},
    )
    assert stale.status_code == 200
    page = stale.content.decode()
    assert "Someone else updated this item" in page
    assert "师傅明天安装" in page

    item.refresh_from_db()
    assert item.percent == 30
    assert list(ProgressUpdate.objects.filter(item=item).values_list("text", flat=True)) == [
        "已采购灯具"
    ]


def _race(posts):
    """Send the POSTs from two threads released together; return their status codes."""
    barrier = threading.Barrier(len(posts))
    answers = [None] * len(posts)

    def run(index, client, url, data):
        try:
            barrier.wait(timeout=10)
            answers[index] = client.post(url, data).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.django_db(transaction=True)
def test_two_staff_accepting_and_rejecting_an_issue_at_the_same_moment(objects):
    """Real concurrency on PostgreSQL: the row lock serialises the two transitions and the
    version check turns the loser away; exactly one timeline entry is written."""
    world, issue = objects["world"], objects["issue"]
    version = issue.version
    events_before = timeline_of(issue).count()
    answers = _race(
        [
            (
                _as(world.staff_a),
                reverse("issues:transition", args=[issue.pk, "accept"]),
                {"version": version, "note": ""},
            ),
            (
                _as(world.head_a),
                reverse("issues:transition", args=[issue.pk, "reject"]),
                {"version": version, "note": "重复反映"},
            ),
        ]
    )
    assert sorted(answers) == [302, 400]
    issue = Issue.objects.get(pk=issue.pk)
    assert issue.status in ("accepted", "rejected")
    assert issue.version == version + 1
    assert timeline_of(issue).count() == events_before + 1


@pytest.mark.django_db(transaction=True)
def test_two_people_reporting_progress_on_an_item_at_the_same_moment(objects):
    world, item = objects["world"], objects["action_item"]
    url = reverse("resolutions:item_detail", args=[item.pk])
    version = item.version
    answers = _race(
        [
            (
                _as(world.staff_a),
                url,
                {"form": "progress", "version": version, "text": "甲", "percent": "20"},
            ),
            (
                _as(world.org_contact),
                url,
                {"form": "progress", "version": version, "text": "乙", "percent": "40"},
            ),
        ]
    )
    assert sorted(answers) == [200, 302]  # the loser sees the form again with the message
    item = ActionItem.objects.get(pk=item.pk)
    assert ProgressUpdate.objects.filter(item=item).count() == 1
    assert item.version == version + 1
