"""Find anything, act on many, keep the documents — by clicking from the home page, as
staff of 中强巷社区 with a year of work behind them: a year-old case found from the top
bar's search by a fragment of its address and by its 12345 ticket number; a dozen
duplicate 12345 tickets about ground locks at 明园小区 accepted and merged in one bulk
action; the queue exported as the ledger (.xlsx, read back); the signed sign-in sheet
attached to the meeting (a real image) and a program renamed .pdf refused next to the
field with what was typed kept; the blank opinion form printed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image, ImageDraw

from core.models import Attachment
from issues.models import Channel, HotlineType, Issue, Status
from issues.services import issue_report, issue_transition
from meetings.services import agenda_item_add, meeting_create, participant_add

from .conftest import SCREENSHOTS
from .menus import click_and_wait, open_menu
from .places_ground_locks import build_zhongqiangxiang

pytestmark = pytest.mark.django_db(transaction=True)

OLD_TICKET = "YC20251102000417"
DUPLICATES = "明园小区南门私装地锁"


def _history(places):
    """A case closed a year ago, and a dozen tickets of the last days about the same
    ground locks."""
    from issues.models import Category

    roof, _ = Category.objects.get_or_create(
        code="property_service", defaults={"name": "物业服务", "default_kind": "public"}
    )
    old = issue_report(
        actor=places.staff,
        community=places.community,
        category=roof,
        title="车棚顶棚破损漏雨",
        description="9号楼东侧车棚顶棚破了，下雨时电动车被淋。",
        channel=Channel.HOTLINE,
        hotline_type=HotlineType.HELP,
        hotline_ticket=OLD_TICKET,
        compound=places.compound,
        place_text="9号楼东侧车棚",
        reporter_name="赵先生",
        reported_at=timezone.now() - timedelta(days=380),
    )
    old = issue_transition(issue=old, action="accept", actor=places.staff)
    issue_transition(
        issue=old, action="handle_on_spot", actor=places.staff, note="物业更换顶棚彩钢板"
    )
    locks = Category.objects.get(code="ground_locks")
    tickets = []
    for n in range(12):
        tickets.append(
            issue_report(
                actor=places.staff,
                community=places.community,
                category=locks,
                title=DUPLICATES,
                description=f"南门第{n + 1}个车位被私人地锁占用。",
                channel=Channel.HOTLINE,
                hotline_type=HotlineType.COMPLAINT,
                hotline_ticket=f"YC2026120{n // 4 + 1}{n + 1:05d}",
                compound=places.compound,
                place_text="南门",
                reporter_name=f"{'王李张刘陈杨黄赵周吴徐孙'[n]}女士",
                reported_at=timezone.now() - timedelta(days=3, hours=-n * 5),
            )
        )
    return old, tickets


def _meeting(places):
    start = timezone.now() - timedelta(days=1)
    meeting = meeting_create(
        actor=places.staff,
        community=places.community,
        form="courtyard_council",
        title="明园小区停车秩序议事会",
        venue="社区议事室",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    agenda_item_add(actor=places.staff, meeting=meeting, title="南门公共车位私装地锁怎么办")
    agenda_item_add(actor=places.staff, meeting=meeting, title="夜间外来车辆停放管理")
    for name in ("王秀兰", "李建国", "张桂芳"):
        participant_add(actor=places.staff, meeting=meeting, role="representative", name=name)
    return meeting


def _scan(path):
    page = Image.new("RGB", (900, 1270), (250, 250, 246))
    draw = ImageDraw.Draw(page)
    for y in range(200, 1100, 80):
        draw.line((80, y, 820, y), fill=(60, 60, 60), width=2)
    page.save(path, format="JPEG", quality=80)
    return path


def _top_bar_search(page, text):
    """The top bar's box; on a laptop the bar has room for its icon, which opens the
    search page with the cursor in its box."""
    box = page.locator("#navbar-search-q")
    if not box.is_visible():
        click_and_wait(page, page.locator("#navbar-search-link"))
        box = page.locator("#search-page-q")
        assert box.evaluate("element => element === document.activeElement")
    box.fill(text)
    with page.expect_navigation():
        box.press("Enter")


def test_find_act_on_many_and_keep_the_documents(journey, tmp_path):
    places = build_zhongqiangxiang()
    old, tickets = _history(places)
    meeting = _meeting(places)
    staff = journey("quanshuji")
    staff.login("quanshuji")
    page = staff.page
    staff.step("home")

    # 1. A year-old case, by a fragment of its address, from the top bar.
    _top_bar_search(page, "9号楼东侧")
    results = page.locator("#kind-issues")
    assert results.get_by_role("link", name=re.compile("车棚顶棚破损漏雨")).is_visible()
    assert results.locator("mark", has_text="9号楼东侧").first.is_visible()
    staff.step("found by address")
    click_and_wait(page, results.get_by_role("link", name=re.compile("车棚顶棚破损漏雨")))
    assert page.get_by_role("heading", name=re.compile("车棚顶棚破损漏雨")).is_visible()

    # … and by its 12345 ticket number.
    _top_bar_search(page, OLD_TICKET)
    results = page.locator("#kind-issues")
    assert results.locator("mark", has_text=OLD_TICKET).first.is_visible()
    staff.step("found by ticket")
    click_and_wait(page, results.get_by_role("link", name=re.compile("车棚顶棚破损漏雨")))
    assert page.get_by_text(OLD_TICKET).first.is_visible()

    # 2. A dozen duplicate tickets accepted and merged in one action.
    open_menu(page, "议题", "议题")
    rows = page.locator("#results tbody tr")
    assert rows.count() == 12
    page.get_by_label("本页全选").check()
    page.get_by_label("对所选议题").select_option(label="合并为一件…")
    staff.step("twelve ticked")
    click_and_wait(page, page.get_by_role("button", name="下一步：核对"))
    first = min(tickets, key=lambda issue: issue.reported_at)
    assert page.locator(f"#keep-{first.pk}").is_checked()
    assert page.get_by_label("若尚未受理，一并受理").is_checked()
    staff.step("merge reviewed")
    click_and_wait(page, page.get_by_role("button", name=re.compile("办理12件")))
    assert page.locator("[data-count=done]").inner_text() == "12"
    assert page.locator("[data-count=refused]").inner_text() == "0"
    staff.step("merge summary")
    first.refresh_from_db()
    assert first.status == Status.ACCEPTED
    merged = Issue.objects.filter(merged_into=first)
    assert merged.count() == 11 and {i.status for i in merged} == {Status.MERGED}

    # 3. The queue's selection as the ledger.
    click_and_wait(page, page.get_by_role("link", name="返回工作台").first)
    search = page.get_by_label("搜索")
    search.fill("明园小区")
    with page.expect_navigation():
        search.press("Enter")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出台账（Excel）").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    sheet = load_workbook(saved).active
    headers = [cell.value for cell in sheet[2]]
    assert headers[:3] == ["序号", "受理编号", "工单号"] and "满意度" in headers
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 13
    by_number = {row[1]: row for row in rows}
    assert by_number[old.pk][2] == OLD_TICKET
    assert by_number[old.pk][headers.index("地址")] == "明园小区 9号楼东侧车棚"
    assert by_number[first.pk][headers.index("状态")] == "已受理"
    staff.step("ledger exported")

    # 4. The signed sign-in sheet kept with the meeting; a forged file refused.
    open_menu(page, "议事会议", "议事会议")
    click_and_wait(page, page.get_by_role("link", name="明园小区停车秩序议事会").first)
    click_and_wait(page, page.get_by_role("link", name="添加文件或照片"))
    staff.step("attachment form")
    page.get_by_label("附件类型").select_option(label="签到表（签字）")
    page.get_by_label("标题").fill("签到表（已签字）")
    page.get_by_label("文件").set_input_files(str(_scan(tmp_path / "签到表.jpg")))
    click_and_wait(page, page.get_by_role("button", name="添加"))
    listed = page.locator("#attachments")
    assert listed.get_by_role("link", name="签到表（已签字）", exact=True).is_visible()
    thumbnail = listed.locator("img").first
    thumbnail.scroll_into_view_if_needed()
    thumbnail.evaluate(
        "img => img.complete && img.naturalWidth ? 0 : new Promise(done => img.onload = done)"
    )
    assert thumbnail.evaluate("img => img.naturalWidth") > 0
    staff.step("sign-in sheet attached")
    kept = Attachment.objects.get(object_id=meeting.pk, kind="sign_in_sheet")
    assert kept.is_image and kept.thumbnail

    click_and_wait(page, page.get_by_role("link", name="添加文件或照片"))
    page.get_by_label("标题").fill("签到表第二页")
    forged = tmp_path / "签到表第二页.pdf"
    forged.write_bytes(
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00 This program cannot be run in DOS mode."
    )
    page.get_by_label("文件").set_input_files(str(forged))
    click_and_wait(page, page.get_by_role("button", name="添加"))
    error = page.locator(".invalid-feedback", has_text="签到表第二页.pdf")
    assert error.is_visible() and "不是 PDF" in error.inner_text()
    assert page.get_by_label("标题").input_value() == "签到表第二页"
    staff.step("forged file refused")
    assert Attachment.objects.filter(object_id=meeting.pk).count() == 1

    # 5. The blank opinion form, printed.
    click_and_wait(page, page.get_by_role("link", name="明园小区停车秩序议事会").first)
    click_and_wait(page, page.get_by_role("link", name="意见征求表"))
    form = page.locator("article.opinion-form")
    assert form.get_by_role("heading", name="意见征求表").is_visible()
    assert form.get_by_text("南门公共车位私装地锁怎么办").is_visible()
    staff.step("opinion form")
    page.emulate_media(media="print")
    staff.step("opinion form print", audit=False)
    page.emulate_media(media="screen")
    SCREENSHOTS.mkdir(exist_ok=True)
