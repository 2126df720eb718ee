"""A grid worker's patrol on a phone, by taps only, and a resident of another community who
reaches nothing of 澳海熙园's fire-lane case (that part types URLs on purpose: it tests the
boundaries)."""

import re

import pytest
from django.utils import timezone

from issues.models import Channel, Issue, Patrol, Status
from issues.services import issue_report, issue_transition
from meetings.services import agenda_item_add, meeting_create
from resolutions.services import resolution_create

from .menus import click_and_wait, open_menu
from .places import build_places, photo_file

pytestmark = pytest.mark.django_db(transaction=True)


def test_grid_worker_patrols_on_a_phone_and_turns_a_finding_into_an_issue(journey, tmp_path):
    """Only taps from the worker's home page: 议题 → 巡查 → 开始或继续巡查 → 开始巡查 → 保存发现 →
    打开巡查记录 → 转为议题 → 生成议题 → 返回巡查 → 继续巡查 → 结束巡查."""
    build_places()
    worker = journey("worker", phone=True)
    worker.login("liuhongli")
    worker.step("worker home")
    page = worker.page

    open_menu(page, "议题", "巡查")
    worker.step("patrol list")
    click_and_wait(page, page.get_by_role("link", name=re.compile("开始或继续巡查")))
    page.locator("[data-field-ready]").wait_for()
    page.locator("#start_route_notes").fill("北门—3号楼—地下车库入口")
    page.get_by_role("button", name=re.compile("开始巡查")).click()
    page.get_by_text("澳海熙园网格巡查中").wait_for()
    page.get_by_text("全部已发送").wait_for()
    patrol = Patrol.objects.get()
    assert patrol.ended_at is None and patrol.route_notes == "北门—3号楼—地下车库入口"
    worker.step("patrol started")

    form = page.locator("form[data-field-form=finding]")
    form.locator("textarea[name=text]").fill("3号楼1单元楼道堆放纸箱和旧家具，堵住通道。")
    form.locator("select[name=compound]").select_option(label="澳海熙园")
    form.locator("input[name=place_text]").fill("3号楼1单元一楼")
    form.locator("input[name=photo]").set_input_files(photo_file(tmp_path))
    form.get_by_role("button", name=re.compile("保存发现")).click()
    page.locator("[data-field-findings] .badge", has_text="已发送").wait_for()
    finding = patrol.findings.get()
    assert finding.photo and finding.place_text == "3号楼1单元一楼"
    assert page.get_by_text("3号楼1单元楼道堆放纸箱").is_visible()
    worker.step("finding recorded")

    # Everything a worker taps on the phone is at least 44 px high.
    small = page.evaluate(
        """() => [...document.querySelectorAll('main .btn, main .form-control, main .form-select')]
            .filter(e => e.offsetParent && e.getBoundingClientRect().height < 44)
            .map(e => e.outerHTML.slice(0, 80))"""
    )
    assert small == []

    click_and_wait(page, page.get_by_role("link", name=re.compile("打开巡查记录")))
    page.locator("summary", has_text="转为议题").click()
    worker.step("turn into an issue")
    form = page.locator(f"form[action$='/findings/{finding.pk}/issue/']")
    form.locator("select[name=category]").select_option(label="楼道堆物")
    form.locator("input[name=title]").fill("3号楼1单元楼道堆物")
    click_and_wait(page, form.get_by_role("button", name="生成议题"))
    issue = Issue.objects.get()
    assert issue.channel == Channel.GRID_PATROL
    assert issue.grid.name == "澳海熙园网格"
    assert page.get_by_role("heading", name=re.compile("3号楼1单元楼道堆物")).is_visible()
    back = page.get_by_role("link", name="返回巡查")
    assert back.is_visible()
    assert back.bounding_box()["height"] >= 44
    worker.step("finding became an issue")

    # One tap back to the patrol, which is still running and shows the new issue.
    click_and_wait(page, back)
    assert page.get_by_role("link", name=re.compile(f"#{issue.pk}")).is_visible()
    worker.step("back on the patrol")
    click_and_wait(page, page.get_by_role("link", name=re.compile("继续巡查")))
    page.locator("[data-field-ready]").wait_for()
    page.get_by_role("button", name=re.compile("结束巡查")).click()
    page.get_by_text("巡查已结束").wait_for()
    page.get_by_text("全部已发送").wait_for()
    patrol.refresh_from_db()
    assert patrol.ended_at is not None
    assert page.get_by_role("button", name=re.compile("结束巡查")).is_hidden()
    worker.step("patrol ended")


def test_a_resident_of_another_community_reaches_none_of_it(journey, live_server):
    places = build_places()
    staff = places.staff
    issue = issue_report(
        actor=staff,
        community=places.community,
        category=places.category,
        title="北门消防通道又被车辆占用",
        description="晚上停满私家车。",
        channel=Channel.ONLINE,
        compound=places.compound,
    )
    issue_transition(issue=issue, action="accept", actor=staff)
    start = timezone.now() + timezone.timedelta(days=1)
    meeting = meeting_create(
        actor=staff,
        community=places.community,
        form="courtyard_council",
        title="北门消防通道现场议事会",
        venue="北门",
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=1),
    )
    item = agenda_item_add(actor=staff, meeting=meeting, issue=issue)
    resolution = resolution_create(
        actor=staff,
        agenda_item=item,
        issue=issue,
        title="北门消防通道整治决议",
        text="禁止停车。",
        items=[
            {
                "measure": "设置禁停标识",
                "responsible_organization": places.property_company,
                "starts_on": timezone.localdate(),
                "deadline": timezone.localdate() + timezone.timedelta(days=10),
            }
        ],
    )
    dispute = issue_report(
        actor=staff,
        community=places.community,
        category=places.category,
        title="楼上楼下漏水纠纷",
        description="302 刘某与 202 陈某因厨房漏水争执，电话 13800001111。",
        channel=Channel.WALK_IN,
        compound=places.compound,
        kind="dispute",
    )
    assert dispute.is_private

    sun = journey("outsider")
    sun.login("sun")
    sun.step("outsider home")
    for path in (
        f"/issues/{issue.pk}/",
        f"/issues/{dispute.pk}/",
        f"/meetings/{meeting.pk}/",
        f"/resolutions/{resolution.pk}/",
        f"/resolutions/items/{resolution.items.get().pk}/",
        f"/resolutions/issues/{issue.pk}/evaluate/",
    ):
        # Typed on purpose (a boundary test): the status of each answer is what is tested.
        sun.go(path, boundary=True)
        assert sun.response.status in (403, 404), path
    sun.step("not found page")

    # Home again by the brand link: a resident's home is their own issues.
    click_and_wait(sun.page, sun.page.locator("a.navbar-brand"))
    assert sun.page.url.endswith("/issues/mine/")
    assert sun.page.get_by_text("北门消防通道").count() == 0
    sun.step("own issues only")

    sun.go("/resolutions/board/")
    sun.step("public board")
    body = sun.page.locator("main").inner_text()
    for private in ("漏水纠纷", "陈某", "13800001111", "刘某"):
        assert private not in body
    assert Issue.objects.filter(status=Status.ACCEPTED).exists()
