import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit import diff, record, snapshot
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _change_name(world, resident, new_name, actor):
    before = snapshot(resident, ["name"])
    resident.name = new_name
    resident.save()
    return record(
        actor=actor, obj=resident, action=AuditEntry.Action.UPDATE, changes=diff(before, resident)
    )


def test_record_keeps_who_what_and_the_community(world):
    entry = _change_name(world, world.resident_a, "甲居民（改）", world.staff_a)

    entry.refresh_from_db()
    assert entry.actor == world.staff_a
    assert entry.community == world.community_a
    assert entry.changes == {"name": ["甲居民", "甲居民（改）"]}


def test_street_admin_reads_the_trail_with_field_labels(client, world):
    _change_name(world, world.resident_a, "王德福", world.staff_a)
    client.force_login(world.street_admin)

    response = client.get(reverse("audit"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "王德福" in body
    assert "甲居民" in body


def test_community_head_sees_only_their_community(client, world):
    _change_name(world, world.resident_a, "甲方记录", world.staff_a)
    _change_name(world, world.resident_b, "乙方记录", world.staff_b)
    client.force_login(world.head_a)

    body = client.get(reverse("audit")).content.decode()

    assert "甲方记录" in body
    assert "乙方记录" not in body


@pytest.mark.parametrize(
    "user", ["staff_a", "worker_a1", "resident_user_a", "org_contact"], ids=str
)
def test_other_roles_may_not_read_the_trail(client, world, user):
    client.force_login(getattr(world, user))
    assert client.get(reverse("audit")).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("audit"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_filter_by_text_and_a_bad_date_range_says_what_is_wrong(client, world):
    _change_name(world, world.resident_a, "张三", world.staff_a)
    _change_name(world, world.resident_b, "李四", world.staff_b)
    client.force_login(world.street_admin)

    body = client.get(reverse("audit"), {"q": "李四"}).content.decode()
    assert "李四" in body and "张三" not in body

    response = client.get(reverse("audit"), {"since": "2026-05-02", "until": "2026-05-01"})
    assert "结束日期早于开始日期" in response.content.decode()


def _queries_for(client, count, world):
    AuditEntry.objects.all().delete()
    for number in range(count):
        _change_name(world, world.resident_a, f"居民{number}", world.staff_a)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("audit")).status_code == 200
    return len(queries)


def test_the_trail_renders_in_constant_queries(client, world):
    client.force_login(world.street_admin)
    assert _queries_for(client, 10, world) == _queries_for(client, 100, world)
