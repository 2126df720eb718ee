from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from api.hotline import hotline_import
from api.models import HotlineTicket
from core.audit import timeline_of
from issues.models import Issue
from issues.services import issue_report
from lib.errors import DomainError

from .conftest import ticket, xlsx

pytestmark = pytest.mark.django_db


def test_import_matches_flags_and_is_idempotent(world, category):
    data = xlsx(
        [
            ticket("GD001", "某路88号甲一小区3栋"),
            ticket("GD002", "乙一小区北门"),  # another community: not staff_a's
            ticket("GD003", "不知道哪里"),
            ticket("GD004", "甲社区居委会旁边"),
        ]
    )
    report = hotline_import(actor=world.staff_a, data=data, category=category)
    assert [t.ticket_number for t in report.created] == ["GD001", "GD002", "GD003", "GD004"]
    assert {t.ticket_number for t in report.left_for_staff} == {"GD002", "GD003"}
    first = Issue.objects.get(hotline_ticket="GD001")
    assert first.channel == "hotline" and first.compound == world.compound_a1
    assert first.grid == world.grid_a1
    assert first.hotline_type == "complaint"
    assert first.reporter_phone == "13800138000"
    assert first.hotline_answer_by is not None
    assert Issue.objects.get(hotline_ticket="GD004").compound is None
    assert not Issue.objects.filter(hotline_ticket__in=["GD002", "GD003"]).exists()

    again = hotline_import(actor=world.staff_a, data=data, category=category)
    assert again.created == [] and again.updated == [] and len(again.unchanged) == 4
    assert Issue.objects.filter(channel="hotline").count() == 2
    assert HotlineTicket.objects.count() == 4


def test_reimport_with_changes_updates(world, category):
    hotline_import(actor=world.staff_a, data=xlsx([ticket("GD010", "甲二小区")]), category=category)
    changed = xlsx([ticket("GD010", "甲二小区", answer=datetime(2026, 11, 25, 12, 0))])
    report = hotline_import(actor=world.staff_a, data=changed, category=category)
    assert [t.ticket_number for t in report.updated] == ["GD010"]
    issue = Issue.objects.get(hotline_ticket="GD010")
    assert timeline_of(issue).filter(action="comment").count() == 1
    assert Issue.objects.filter(hotline_ticket="GD010").count() == 1


def test_bad_row_imports_nothing(world, category):
    data = xlsx([ticket("GD020", "甲一小区"), ["GD021", "昨天", "", "内容", "", "", ""]])
    with pytest.raises(DomainError, match="3"):
        hotline_import(actor=world.staff_a, data=data, category=category)
    assert not HotlineTicket.objects.exists() and not Issue.objects.exists()


def test_missing_columns(world, category):
    with pytest.raises(DomainError):
        hotline_import(actor=world.staff_a, data=xlsx([["1"]], header=["编号"]), category=category)


def test_not_a_workbook(world, category):
    for data in (b"ticket,time\n1,2", b"PK\x03\x04 not really a zip"):
        with pytest.raises(DomainError):
            hotline_import(actor=world.staff_a, data=data, category=category)


def test_only_staff_import(world, category):
    with pytest.raises(DomainError):
        hotline_import(actor=world.resident_user_a, data=xlsx([]), category=category)


def test_page_access(client, world):
    url = reverse("api:hotline")
    assert client.get(url).status_code == 302
    for user, expected in (
        (world.resident_user_a, 403),
        (world.worker_a1, 403),
        (world.org_contact, 403),
        (world.staff_a, 200),
        (world.street_admin, 200),
    ):
        client.force_login(user)
        assert client.get(url).status_code == expected


def test_page_upload_and_file_pending(client, world, category):
    client.force_login(world.staff_a)
    upload = SimpleUploadedFile(
        "12345.xlsx", xlsx([ticket("GD030", "火车站"), ticket("GD031", "甲一小区")])
    )
    page = client.post(reverse("api:hotline"), {"file": upload, "category": category.pk})
    assert page.status_code == 200
    assert b'data-count="created">2<' in page.content
    assert b'data-count="left">1<' in page.content
    pending = HotlineTicket.objects.get(ticket_number="GD030")
    assert b"GD030" in page.content
    # The ticket filed at once leads to its issue from the report.
    filed = Issue.objects.get(hotline_ticket="GD031")
    assert f'href="{reverse("issues:detail", args=[filed.pk])}">GD031<'.encode() in page.content
    # Staff of the same street see the waiting ticket; a resident does not.
    client.force_login(world.staff_b)
    assert client.get(reverse("api:hotline_ticket", args=[pending.pk])).status_code == 200
    client.force_login(world.resident_user_a)
    assert client.get(reverse("api:hotline_ticket", args=[pending.pk])).status_code == 403
    client.force_login(world.staff_a)
    response = client.post(
        reverse("api:hotline_ticket", args=[pending.pk]),
        {"community": world.community_b.pk, "category": category.pk},
    )
    assert response.status_code == 200  # not one of staff_a's communities: error on the field
    response = client.post(
        reverse("api:hotline_ticket", args=[pending.pk]),
        {
            "community": world.community_a.pk,
            "compound": world.compound_a2.pk,
            "category": category.pk,
        },
    )
    pending.refresh_from_db()
    assert pending.state == "filed" and pending.issue.compound == world.compound_a2
    assert response.status_code == 302


def test_page_rejects_fake_xlsx(client, world, category):
    client.force_login(world.staff_a)
    upload = SimpleUploadedFile("12345.xlsx", b"not a workbook")
    page = client.post(reverse("api:hotline"), {"file": upload, "category": category.pk})
    assert page.status_code == 200
    assert b"is-invalid" in page.content
    assert not HotlineTicket.objects.exists()


def test_pending_list_query_count(client, world, category):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.staff_a)

    def count():
        with CaptureQueriesContext(connection) as context:
            client.get(reverse("api:hotline"))
        return len(context)

    hotline_import(
        actor=world.staff_a,
        data=xlsx([ticket(f"A{i}", "无") for i in range(10)]),
        category=category,
    )
    ten = count()
    hotline_import(
        actor=world.staff_a,
        data=xlsx([ticket(f"B{i}", "无") for i in range(90)]),
        category=category,
    )
    assert count() == ten


def test_command(world, category, tmp_path, capsys):
    path = tmp_path / "export.xlsx"
    path.write_bytes(xlsx([ticket("GD040", "甲一小区")]))
    call_command("import_12345", str(path), user="staff_a", category="sanitation")
    assert "created: 1 GD040" in capsys.readouterr().out
    call_command("import_12345", str(path), user="staff_a", category="sanitation")
    assert "unchanged: 1 GD040" in capsys.readouterr().out
    assert Issue.objects.filter(hotline_ticket="GD040").count() == 1


def test_ticket_logged_by_hand_is_linked_not_duplicated(world, category):
    logged = issue_report(
        actor=world.staff_a,
        community=world.community_a,
        category=category,
        title="来电反映垃圾",
        description="来电反映垃圾",
        channel="hotline",
        hotline_ticket="GD050",
    )
    report = hotline_import(
        actor=world.staff_a, data=xlsx([ticket("GD050", "甲一小区")]), category=category
    )
    assert report.left_for_staff == []
    assert HotlineTicket.objects.get(ticket_number="GD050").issue == logged
    assert Issue.objects.filter(hotline_ticket="GD050").count() == 1
