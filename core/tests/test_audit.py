import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit import diff, record, snapshot
from core.models import AuditEntry
from tests.visible_text import visible_texts

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


def test_every_action_a_service_writes_has_a_label():
    """Each code of the meetings' and resolutions' lifecycles is an action the trail names."""
    from meetings.workflow import TRANSITIONS
    from resolutions.workflow import ITEM_TRANSITIONS, RESOLUTION_TRANSITIONS

    codes = {*TRANSITIONS, *RESOLUTION_TRANSITIONS, *ITEM_TRANSITIONS}

    assert codes <= set(AuditEntry.Action.values)


def test_an_unknown_action_is_refused(world):
    with pytest.raises(ValueError):
        record(actor=world.staff_a, obj=world.resident_a, action="frobnicate")


def test_the_trail_names_a_meeting_adjourned_with_its_status_from_and_to(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from meetings import services as meetings

    start = timezone.now() + timedelta(days=1)
    meeting = meetings.meeting_create(
        actor=world.staff_a,
        community=world.community_a,
        grid=world.grid_a1,
        compound=world.compound_a1,
        form="building_council",
        title="一号楼议事会",
        venue="社区活动室",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    party = meetings.participant_add(
        actor=world.staff_a, meeting=meeting, role="party", name="当事人甲"
    )
    meetings.participant_respond(actor=world.staff_a, participant=party, response="yes")
    meetings.attendance_record(actor=world.staff_a, participant=party, attendance="present")
    meetings.meeting_transition(actor=world.staff_a, meeting=meeting, action="start")
    meetings.meeting_transition(
        actor=world.staff_a, meeting=meeting, action="adjourn", note="商户不同意分摊费用"
    )
    client.force_login(world.street_admin)

    response = client.get(reverse("audit"))

    body = response.content.decode()
    row = body[body.index("休会") :]
    assert "进行中</del> → <ins>已休会" in row
    assert "商户不同意分摊费用" in row
    for label in [
        "添加参会人员",
        "当事人甲（纠纷当事人）",
        "答复会议邀请",
        "当事人甲：参加",
        "登记签到",
    ]:
        assert label in body
    # No code of the services shows: only words.
    visible = " ".join(visible_texts(body))
    for code in ["adjourn", "in_progress", "adjourned", "participant", "party", "respond", "yes"]:
        assert code not in visible


def test_the_action_filter_offers_every_action_by_its_label(client, world):
    client.force_login(world.street_admin)

    body = client.get(reverse("audit"), {"action": "adjourn"}).content.decode()

    assert '<option value="adjourn" selected>休会</option>' in body
    assert '<option value="pass_check">现场核验通过</option>' in body


@pytest.mark.parametrize(
    ("action", "note", "recoded"),
    [
        ("transition", "adopt: 同意", ("adopt", "同意")),
        ("transition", "pass_check: 现场核查，已落实。", ("pass_check", "现场核查，已落实。")),
        ("transition", "cancel", ("cancel", "")),
        ("update", "progress 40%", ("progress", "40%")),
        ("update", "evaluation: satisfied", ("evaluate", "满意")),
        ("update", "revisit: 无渗漏", ("revisit", "无渗漏")),
        ("update", "objection lodged", ("object", "")),
        ("publish", "summary", ("publish_summary", "")),
        ("participant", "刘建华 (representative)", ("participant", "刘建华（居民代表）")),
        ("respond", "赵云: yes", ("respond", "赵云：参加")),
        ("decide", "减速带: vote", ("decide", "减速带：表决通过")),
        ("update", "", None),
        ("publish", "", None),
    ],
)
def test_old_rows_get_the_codes_and_words_the_trail_shows(action, note, recoded):
    import importlib

    migration = importlib.import_module("core.migrations.0005_audit_action_codes")

    assert migration._recode(action, note) == recoded
