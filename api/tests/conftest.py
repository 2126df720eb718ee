import io
from datetime import datetime

import pytest
from openpyxl import Workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from issues.models import Category
from issues.services import issue_report


@pytest.fixture
def category(db):
    return Category.objects.create(name="环境卫生", code="sanitation")


@pytest.fixture
def api_for():
    def make(user):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def make_issue(world, category):
    def make(community=None, compound=None, title="楼道堆物", actor=None, **extra):
        return issue_report(
            actor=actor or world.staff_a,
            community=community or world.community_a,
            compound=compound,
            category=category,
            title=title,
            description="楼道里堆了很多杂物。",
            channel="walk_in",
            **extra,
        )

    return make


def xlsx(rows, header=None):
    book = Workbook()
    sheet = book.active
    sheet.append(
        header
        or ["工单编号", "受理时间", "来电号码", "诉求内容", "诉求地址", "诉求类型", "答复时限"]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ticket(number, address, content="小区门口垃圾没人清运", kind="投诉", answer=None):
    return [
        number,
        datetime(2026, 11, 20, 9, 30),
        "13800138000",
        content,
        address,
        kind,
        answer or datetime(2026, 11, 23, 17, 0),
    ]


@pytest.fixture
def make_meeting(world):
    """A meeting of community A / grid A1 through the meetings services."""
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Form
    from meetings.services import meeting_create

    def make(*, issues=(), is_private=False, title="一号楼议事会", days=1):
        start = timezone.now() + timedelta(days=days)
        return meeting_create(
            actor=world.staff_a,
            community=world.community_a,
            grid=world.grid_a1,
            compound=world.compound_a1,
            form=Form.BUILDING_COUNCIL,
            title=title,
            venue="社区活动室",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            issues=issues,
            is_private=is_private,
        )

    return make


@pytest.fixture
def published(world):
    """A published resolution of community A with one item, for the organization."""
    from meetings.models import Form, Meeting
    from resolutions.tests import factories

    resolution = factories.resolution(world, status="published")
    # The resolutions factory's meeting has a form outside the choices; the API's schema
    # holds answers to the choices.
    Meeting.objects.filter(pk=resolution.agenda_item.meeting_id).update(form=Form.MONTHLY_COUNCIL)
    return resolution
