"""The present counts of a running meeting follow the sign-in, without a reload: staff
sign people in row by row (htmx), and the participants' heading ("到会 N 人") and the
count above the outcome form ("到会表决人 N 人。") change with each row."""

import pytest
from django.utils import timezone

from issues.models import Issue
from meetings import services
from meetings.models import Meeting

from .places import build_places

pytestmark = pytest.mark.django_db(transaction=True)


def test_present_counts_follow_the_sign_in(journey):
    places = build_places()
    staff_user = places.users["staff"]
    issue = Issue.objects.create(
        community=places.community,
        grid=places.grid,
        compound=places.compound,
        category=places.category,
        title="北门消防通道被占",
        description="车辆占道",
        channel="walk_in",
        status="to_deliberate",
        reported_at=timezone.now(),
    )
    starts = timezone.now() + timezone.timedelta(hours=2)
    meeting = services.meeting_create(
        actor=staff_user,
        community=places.community,
        grid=places.grid,
        compound=places.compound,
        form="courtyard_council",
        title="澳海熙园现场议事会",
        venue="澳海熙园北门",
        starts_at=starts,
        ends_at=starts + timezone.timedelta(hours=1),
        issues=[issue],
    )
    for name in ("刘先生", "赵监督", "物业王经理"):
        services.participant_add(actor=staff_user, meeting=meeting, role="resident", name=name)

    staff = journey("staff")
    staff.login("lizhuren")
    page = staff.page
    page.get_by_role("link", name="澳海熙园现场议事会").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="开始").click()
    page.wait_for_load_state()
    assert Meeting.objects.get().status == Meeting.Status.IN_PROGRESS
    page.locator("summary", has_text="记录议定结果").first.click()
    heading, voters = page.locator("#present-count"), page.locator(".voters-present")
    assert heading.inner_text().strip() == "到会 0 人"

    rows = page.locator("form.attendance-form")
    for signed in (1, 2):
        row = rows.nth(signed - 1)
        row.locator("select[name=attendance]").select_option("present")
        row.get_by_role("button").click()
        page.locator("#present-count", has_text=f"到会 {signed} 人").wait_for()
        assert voters.inner_text().strip() == f"到会表决人 {signed} 人。"
    staff.step("two of three signed in")
