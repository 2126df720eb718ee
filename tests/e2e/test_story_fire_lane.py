"""Story 2 of DOMAIN.md in the browser, as the people who live it, by clicking only.

澳海熙园 (枫林湾社区): resident Mr. Liu reports cars in the north-gate fire lane; community
staff accept it and send it to deliberation; an on-site meeting of the residents'
committee, the property company and residents agrees on three action items; the property
company reports progress with photos, a supervision-committee member and staff confirm on
site; the outcome is published on the public board; Mr. Liu rates it; the issue is closed
and the monthly report counts it.

Each person logs in on the login page and from then on only clicks what the screen offers
and types into fields. The only other addresses opened are the public board and the link
of the email that asks the supervisor to check the work.

Clicks from each person's home page (after logging in):
- Mr. Liu (resident, 我的议题): 反映问题 → form → 提交; 我的议题 → 请评价办理结果 → 提交.
- staff (今日工作): 打开工作台 → <title> → 受理 / 提交议事; 议事会议 ▸ 议事会议 → 召集会议 →
  召集 → 添加 (Mr. Liu) → 添加所选 → 发出邀请 → attendance → 开始会议 → 记录 (opinion) → 记录议定结果 →
  起草决议 → 再加一项 ×2 → 保存 → 通过决议 → 公示 → <issue> (meeting and resolution
  listed) → <resolution> → <item> → 提交进度 → 记录核验; <resolution> → <meeting> →
  会议纪要 → 决议：<title> → 打印协议; 议事 (home) → 月度报表 → 查看.
- property manager (我的整改事项): 🔔 → 会议邀请：<title> → 答复; 决议 ▸ 我的整改事项 → <item>
  → 提交进度 (with photo), twice.
- supervisor 赵监督 (我的议题 with 待我核查): <item> → 记录核验; the email's link → 记录核验.
- anyone: /resolutions/board/ → <resolution>.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from issues.models import Issue, Status
from meetings.models import Meeting
from resolutions.models import ActionItem, Resolution

from .places import build_places, photo_file
from .steps import open_details, sign_everyone_in

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "北门消防通道又被车辆占用"
MEETING = "澳海熙园北门消防通道现场议事会"
RESOLUTION = "澳海熙园北门消防通道整治决议"
ITEMS = [
    "在北门设置醒目的禁停标识和地面标线",
    "物业安排保安每晚巡查消防通道",
    "社区组建居民、物业联合巡逻队定期巡逻",
]


def click(page, target):
    """Click a link or a button that loads a new page, and wait for it."""
    with page.expect_navigation():
        target.click()


def menu(page, label, entry):
    """The main navigation: open a menu, click one of its entries."""
    bar = page.locator("nav.yishi-navbar")
    bar.get_by_role("button", name=label).click()
    click(page, bar.locator(".dropdown-menu").get_by_role("link", name=entry, exact=True))


def nav_link(page, label):
    click(page, page.locator("nav.yishi-navbar").get_by_role("link", name=label, exact=True))


def sent_path(url):
    """The path of a link the product sent (its emails carry the site's address)."""
    parts = urlsplit(url)
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


def test_fire_lane_from_report_to_monthly_report(journey, tmp_path):
    places = build_places()
    today = timezone.localdate()

    # 1. Mr. Liu reports the fire lane online, from his home page.
    liu = journey("liu")
    liu.login("liu")
    page = liu.page
    assert page.get_by_role("heading", name="我的议题").is_visible()
    liu.step("resident home")
    click(page, page.get_by_role("link", name="反映问题").first)
    liu.step("report form")
    page.get_by_label("类别").select_option(label="消防通道")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("描述").fill("北门消防通道晚上总停满私家车，消防车进不来，反映多次了。")
    page.get_by_label("地点").fill("澳海熙园北门")
    page.get_by_label("照片").set_input_files(photo_file(tmp_path))
    click(page, page.get_by_role("button", name="提交"))
    issue = Issue.objects.get(title=TITLE)
    assert issue.status == Status.REPORTED
    assert issue.reporter_resident == places.liu.resident
    assert page.get_by_text(TITLE).first.is_visible()
    liu.step("reported")
    nav_link(page, "我的议题")
    assert page.get_by_role("link", name=TITLE).is_visible()
    liu.step("my issues")

    # 2. Community staff accept it and send it to deliberation, from the work queue.
    staff = journey("staff")
    staff.login("lizhuren")
    page = staff.page
    staff.step("staff dashboard")
    click(page, page.get_by_role("link", name="打开工作台"))
    staff.step("work queue")
    click(page, page.get_by_role("link", name=TITLE))
    staff.step("issue as reported")
    open_details(page, "受理")
    click(page, page.locator("form[action$='/do/accept/'] button"))
    issue.refresh_from_db()
    assert issue.status == Status.ACCEPTED
    staff.step("accepted")
    open_details(page, "提交议事")
    form = page.locator("form[action$='/do/send_to_deliberation/']")
    form.locator("select[name=deliberation_level]").select_option(index=1)
    click(page, form.get_by_role("button"))
    issue.refresh_from_db()
    assert issue.status == Status.TO_DELIBERATE
    staff.step("sent to deliberation")

    # 3. Staff convene an on-site meeting with the issue on the agenda and invite.
    menu(page, "议事会议", "议事会议")
    click(page, page.get_by_role("link", name="召集会议").first)
    staff.step("convene form")
    page.locator("select[name=community]").select_option(label="枫林湾社区")
    page.locator("select[name=form]").select_option("courtyard_council")
    page.locator("input[name=title]").fill(MEETING)
    page.locator("input[name=venue]").fill("澳海熙园北门")
    starts = timezone.localtime() + timezone.timedelta(days=1)
    page.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT10:00"))
    page.locator("input[name=ends_at]").fill(starts.strftime("%Y-%m-%dT11:30"))
    page.locator("select[name=issues]").select_option(str(issue.pk))
    click(page, page.get_by_role("button", name="召集"))
    meeting = Meeting.objects.get()
    assert list(meeting.agenda_items.values_list("issue", flat=True)) == [issue.pk]
    staff.step("meeting convened")
    # Mr. Liu, who reported it, is asked too; then those the agenda proposes.
    add = page.locator("form[action$='/participants/']", has=page.locator("input[name=resident]"))
    add.locator("select[name=role]").select_option("resident")
    add.locator("input[name=resident]").fill("刘先生 · 澳海熙园 3号楼 1单元 302")
    click(page, add.get_by_role("button", name="添加"))
    assert meeting.participants.filter(resident=places.liu.resident).exists()
    click(page, page.get_by_role("button", name="添加所选"))
    staff.step("invitees added")
    click(page, page.get_by_role("button", name=re.compile("发出")))
    assert meeting.participants.filter(invited_at__isnull=False).count() >= 2
    staff.step("invitations sent")

    # 4. The property manager finds the invitation under the bell and answers it.
    manager = journey("manager")
    manager.login("wangjingli")
    page = manager.page
    manager.step("contact home")
    click(page, page.locator("#notification-bell"))
    manager.step("notifications")
    click(page, page.get_by_role("button", name=re.compile(f"会议邀请：{MEETING}")))
    manager.step("answer form")
    page.locator("input[name=response][value=yes]").check()
    click(page, page.locator("main form button[type=submit], main form button").last)
    assert meeting.participants.get(contact=places.manager.contact).response == "yes"
    manager.step("answered")

    # 5. The meeting: attendance signed, started, an opinion, a vote.
    page = staff.page
    sign_everyone_in(page)
    staff.step("attendance signed")
    click(page, page.get_by_role("button", name="开始"))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.IN_PROGRESS
    issue.refresh_from_db()
    assert issue.status == Status.IN_DELIBERATION
    staff.step("meeting started")
    opinion = page.locator("form.opinion-form").first
    opinion.locator("select[name=participant]").select_option(index=1)
    opinion.locator("textarea[name=text]").fill("晚上车多，建议加装标识、物业巡逻。")
    opinion.get_by_role("button", name="记录").click()
    page.get_by_text("晚上车多").wait_for()
    staff.step("opinion recorded")
    open_details(page, "记录议定结果")
    decide = page.locator(f"form[action$='/items/{meeting.agenda_items.get().pk}/decide/']")
    decide.locator("select[name=outcome]").select_option("vote")
    decide.locator("textarea[name=outcome_text]").fill("物业设置标识并巡逻，社区组建联合巡逻队。")
    present = meeting.participants.filter(attendance="present").count()
    assert present >= 3
    decide.locator("input[name=votes_for]").fill(str(present - 1))
    decide.locator("input[name=votes_against]").fill("0")
    decide.locator("input[name=votes_abstain]").fill("1")
    decide.get_by_role("button").click()
    draft = page.get_by_role("link", name="起草决议")
    draft.wait_for()
    # Agreed, but no resolution yet: the issue is not shown as 已形成决议.
    issue.refresh_from_db()
    assert issue.status == Status.IN_DELIBERATION
    staff.step("vote recorded")

    # 6. The resolution with three action items, drafted from the agreed agenda item.
    click(page, draft)
    staff.step("resolution form")
    page.locator("input[name=title]").fill(RESOLUTION)
    page.locator("textarea[name=text]").fill("北门消防通道禁止停车，物业与社区共同维护。")
    deadlines = [today + timezone.timedelta(days=n) for n in (10, 30, 30)]
    for index, (measure, deadline) in enumerate(zip(ITEMS, deadlines, strict=True)):
        if index:
            page.get_by_role("button", name="再加一项").click()
        page.locator(f"textarea[name='items-{index}-measure']").fill(measure)
        if index < 2:
            page.locator(f"select[name='items-{index}-responsible_organization']").select_option(
                label="熙园物业"
            )
        else:
            page.locator(f"select[name='items-{index}-responsible_user']").select_option(
                str(places.staff.pk)
            )
        page.locator(f"input[name='items-{index}-starts_on']").fill(today.isoformat())
        page.locator(f"input[name='items-{index}-deadline']").fill(deadline.isoformat())
    staff.step("resolution form with three items")
    click(page, page.get_by_role("button", name="保存"))
    resolution = Resolution.objects.get()
    assert list(resolution.items.order_by("order").values_list("measure", flat=True)) == ITEMS
    staff.step("draft resolution")
    click(page, page.get_by_role("button", name="通过决议"))
    issue.refresh_from_db()
    assert issue.status == Status.EXECUTING
    click(page, page.get_by_role("button", name="公示"))
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.PUBLISHED
    staff.step("published")
    click(page, page.get_by_role("link", name=TITLE))
    assert page.get_by_role("link", name=re.compile(MEETING)).count()
    assert page.get_by_role("link", name=re.compile(RESOLUTION)).count()
    staff.step("issue shows meeting and resolution")

    # 7. The property company reports progress with photos; staff on the community's item.
    page = manager.page
    menu(page, "决议", "我的整改事项")
    manager.step("my action items")
    for measure in ITEMS[:2]:
        click(page, page.get_by_role("link", name=re.compile(measure)))
        page.get_by_label("已完成的工作").fill("标识已安装，保安每晚 20:00 巡查。")
        page.locator("input[name=percent]").fill("100")
        page.locator("input[name=request_check]").check()
        page.locator("input[name=photos]").set_input_files(
            photo_file(tmp_path, f"done{ITEMS.index(measure)}.jpg")
        )
        click(page, page.get_by_role("button", name="提交进度"))
        manager.step(f"progress on item {ITEMS.index(measure) + 1}")
        menu(page, "决议", "我的整改事项")
    assert (
        ActionItem.objects.filter(
            responsible_organization=places.property_company,
            status=ActionItem.Status.AWAITING_CHECK,
            updates__photos__isnull=False,
        )
        .distinct()
        .count()
        == 2
    )
    page = staff.page
    click(page, page.get_by_role("link", name=RESOLUTION))
    click(page, page.get_by_role("link", name=ITEMS[2]))
    page.get_by_label("已完成的工作").fill("联合巡逻队已组建，每周巡逻两次。")
    page.locator("input[name=percent]").fill("100")
    page.locator("input[name=request_check]").check()
    click(page, page.get_by_role("button", name="提交进度"))
    staff.step("community item reported")

    # 8. On-site checks: the supervisor from the list on his home page and from the link
    # in the email that asked him; staff check the community's own item.
    zhao = journey("zhao")
    zhao.login("zhao")
    page = zhao.page
    waiting = page.locator("section", has=page.get_by_role("heading", name=re.compile("待我核查")))
    for measure in ITEMS:
        assert waiting.get_by_role("link", name=re.compile(measure)).count() == 1
    zhao.step("items awaiting my check")
    click(page, waiting.get_by_role("link", name=re.compile(ITEMS[0])))
    zhao.step("check form from home")
    page.get_by_label("通过：已落实").check()
    page.locator("textarea[name=text]").fill("现场看过，标识清楚，晚上没有车。")
    click(page, page.get_by_role("button", name="记录核验"))
    second = ActionItem.objects.get(measure=ITEMS[1])
    asked = [
        m
        for m in mail.outbox
        if m.to == [places.zhao.email] and f"/resolutions/items/{second.pk}/" in m.body
    ]
    assert asked and "请现场核查" in asked[-1].subject
    link = re.search(r"https?://\S+", asked[-1].body).group(0)
    zhao.go(sent_path(link), sent=True)
    zhao.step("check form from the email")
    page.get_by_label("通过：已落实").check()
    page.locator("textarea[name=text]").fill("晚上八点来看过，保安在巡查。")
    click(page, page.get_by_role("button", name="记录核验"))
    assert set(
        ActionItem.objects.filter(measure__in=ITEMS[:2]).values_list("confirmed_by", flat=True)
    ) == {places.zhao.pk}
    page = staff.page
    page.get_by_label("通过：已落实").check()
    page.locator("textarea[name=text]").fill("巡逻队名单和排班表已公布。")
    click(page, page.get_by_role("button", name="记录核验"))
    issue.refresh_from_db()
    assert issue.status == Status.AWAITING_EVALUATION
    staff.step("all items confirmed")

    # Printable documents: the minutes and the agreement, as they come out of a printer.
    click(page, page.get_by_role("link", name=RESOLUTION))
    click(page, page.get_by_role("link", name=MEETING))
    click(page, page.get_by_role("link", name="会议纪要").first)
    staff.step("minutes")
    page.emulate_media(media="print")
    staff.step("minutes print", audit=False)
    page.emulate_media(media="screen")
    click(page, page.get_by_role("link", name=f"决议：{RESOLUTION}"))
    click(page, page.get_by_role("link", name="打印协议").first)
    staff.step("agreement")
    page.emulate_media(media="print")
    staff.step("agreement print", audit=False)
    assert not page.locator("nav.yishi-navbar").is_visible()
    page.emulate_media(media="screen")

    # 9. The public board, anonymously.
    visitor = journey("visitor")
    visitor.go("/resolutions/board/")
    visitor.step("public board")
    click(visitor.page, visitor.page.get_by_role("link", name=re.compile(RESOLUTION)))
    visitor.step("public outcome")
    assert visitor.page.get_by_text(ITEMS[1]).is_visible()
    # Behind each progress bar, what was done and its photos.
    notes = visitor.page.locator(".progress-notes")
    assert notes.first.get_by_text("标识已安装，保安每晚 20:00 巡查。").is_visible()
    assert notes.locator("img").count() >= 2

    # 10. Mr. Liu evaluates; the issue closes.
    page = liu.page
    nav_link(page, "我的议题")
    liu.step("my issues awaiting evaluation")
    click(page, page.get_by_role("link", name=re.compile("请评价办理结果")).first)
    liu.step("evaluation form")
    # He rates what he can read was done, item by item.
    assert page.get_by_text(ITEMS[0]).first.is_visible()
    assert page.locator(".progress-notes").first.get_by_text("标识已安装").is_visible()
    page.get_by_label("满意", exact=True).check()
    page.locator("textarea[name=comment]").fill("现在晚上能走消防车了，谢谢。")
    click(page, page.get_by_role("button", name=re.compile("提交")))
    issue.refresh_from_db()
    assert issue.status == Status.CLOSED
    liu.step("evaluated and closed")

    # 11. The monthly report counts it.
    page = staff.page
    click(page, page.locator("a.navbar-brand"))
    click(page, page.get_by_role("link", name="月度报表").first)
    page.locator("input[name=month]").fill(f"{today:%Y-%m}")
    click(page, page.get_by_role("button", name="查看"))
    staff.step("monthly report")
    for label in ("收到议题", "结案议题", "召开会议", "通过决议"):
        row = page.locator("tr", has=page.locator("td, th", has_text=label)).first
        assert row.locator("td").nth(1).inner_text().strip() == "1", label
    page.emulate_media(media="print")
    staff.step("monthly report print", audit=False)
    page.emulate_media(media="screen")
