"""The work queue exported as the district's ledger (台账): the rows the queue shows, in
the ledger's columns, phones masked for those who may not read them, in constant queries."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from issues.models import Category, Channel
from issues.services import issue_report

pytestmark = pytest.mark.django_db


def _issue(world, **fields):
    values = {
        "actor": world.staff_a,
        "community": world.community_a,
        "category": Category.objects.get(code="ground_locks"),
        "title": "私装地锁",
        "description": "9号楼旁私装地锁",
        "channel": Channel.HOTLINE,
        "hotline_ticket": "YC2026120100001",
        "compound": world.compound_a1,
        "reporter_name": "王女士",
        "reporter_phone": "13912345678",
    }
    values.update(fields)
    return issue_report(**values)


def _sheet(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content)).active


def test_the_ledger_has_the_queues_rows_in_the_ledgers_columns(client, world):
    issue = _issue(world)
    _issue(world, title="广场舞噪音", description="晚上音乐太响", hotline_ticket="YC2026120100002")
    _issue(world, actor=world.staff_b, community=world.community_b, compound=world.compound_b1)
    client.force_login(world.staff_a)
    response = client.get(reverse("reports:issue_ledger"), {"q": "地锁"})
    assert response["Content-Disposition"].startswith("attachment")
    sheet = _sheet(response)
    headers = [cell.value for cell in sheet[2]]
    assert headers[:7] == [
        "序号",
        "受理编号",
        "工单号",
        "反映时间",
        "反映渠道",
        "反映人",
        "联系电话",
    ]
    assert "满意度" in headers and "责任单位" in headers and "办结时间" in headers
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 1
    assert rows[0][1] == issue.pk and rows[0][2] == "YC2026120100001"
    assert rows[0][6] == "13912345678"
    assert rows[0][9] == "甲一小区"


def test_phones_are_masked_for_those_who_may_not_read_them(client, world):
    _issue(world)
    client.force_login(world.street_admin)
    rows = list(_sheet(client.get(reverse("reports:issue_ledger"))).iter_rows(min_row=3))
    assert rows[0][6].value == "139****5678"


def test_residents_may_not_export(client, world):
    client.force_login(world.resident_user_a)
    assert client.get(reverse("reports:issue_ledger")).status_code == 403


@pytest.mark.parametrize("rows", [10, 100])
def test_the_ledger_is_read_in_constant_queries(client, world, rows, django_assert_num_queries):
    for n in range(rows):
        _issue(world, hotline_ticket=f"YC20261201{n:05d}")
    client.force_login(world.staff_a)
    client.get(reverse("reports:issue_ledger"))
    # (The session, the user and their scope come from the cache.) The queue's filter
    # choices (categories, grids, compounds); the issues with their names and latest
    # rating; the departments summoned; the organizations responsible for their items.
    with django_assert_num_queries(6):
        response = client.get(reverse("reports:issue_ledger"))
    assert _sheet(response).max_row == rows + 2
