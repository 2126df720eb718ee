"""Reaching residents who have no account, in the browser.

李主任 invites a courtyard council from her home page: the button reports what went out by
SMS and that one slip is to be printed; she prints it and the notice for the building's
board, reads the SMS on the list of messages sent and records an answer given on the
phone. 王大爷, who has no account, answers from the link in his SMS, follows the outcome of
what he reported and rates it, from links alone; 张阿姨 claims her account with a code sent
to her phone. On a phone, a resident of 3号楼 opens the poster's link, proves her number
and says where she stands; staff read the count.

The SMS gateway is the only thing mocked: the locmem backend's outbox is the phone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from communities.tests.factories import HouseholdFactory, ResidentFactory
from issues.models import Issue
from meetings import services as meetings
from meetings.models import OnlineOpinion, Participant
from resolutions import reminders
from resolutions import services as resolutions
from resolutions.models import Evaluation

from .places import build_places
from .places_speed_bumps import menu
from .steps import click

pytestmark = pytest.mark.django_db(transaction=True)

MEETING = "澳海熙园北门临时停车位议事会"


@pytest.fixture(autouse=True)
def _short_links_on_the_live_server(settings, live_server):
    """The SMS carry links to the server the browser reaches."""
    settings.SHORT_LINK_URL = live_server.url


def _link_in(outbox, phone):
    texts = [text for to, text in outbox if to == phone]
    assert texts, f"no SMS to {phone}: {outbox}"
    return re.search(r"(https?://\S+/s/\w+)", texts[-1]).group(1), texts[-1]


def _code_in(outbox, phone):
    texts = [text for to, text in outbox if to == phone]
    return re.search(r"验证码(\d{6})", texts[-1]).group(1)


def _neighbours(places):
    building = places.compound.buildings.get(name="3号楼")
    unit = building.units.get()
    return {
        "wang": ResidentFactory(
            household=HouseholdFactory(unit=unit, room="101"),
            grid=places.grid,
            name="王大爷",
            phone="13800138000",
        ),
        "zhang": ResidentFactory(
            household=HouseholdFactory(unit=unit, room="102"),
            grid=places.grid,
            name="张阿姨",
            phone="13800138001",
        ),
        "li": ResidentFactory(
            household=HouseholdFactory(unit=unit, room="201"),
            grid=places.grid,
            name="李奶奶",
            phone="",
        ),
    }


def _meeting(places, people):
    start = timezone.now() + timedelta(days=5)
    meeting = meetings.meeting_create(
        actor=places.users["staff"],
        community=places.community,
        grid=places.grid,
        compound=places.compound,
        form="courtyard_council",
        title=MEETING,
        venue="澳海熙园北门议事长廊",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    meetings.agenda_item_add(
        actor=places.users["staff"], meeting=meeting, title="北门外侧划定临时停车位"
    )
    for resident in people:
        meetings.participant_add(
            actor=places.users["staff"], meeting=meeting, role="resident", resident=resident
        )
    meetings.participant_add(
        actor=places.users["staff"],
        meeting=meeting,
        role="property",
        contact=places.users["manager"].contact,
    )
    return meeting


def test_staff_invite_everyone_print_the_slips_and_record_a_phone_answer(journey, sms_outbox):
    places = build_places()
    people = _neighbours(places)
    _meeting(places, people.values())

    staff = journey("staff")
    staff.login("lizhuren")
    page = staff.page
    click(page, page.get_by_role("link", name=MEETING))
    staff.step("meeting with participants to invite")
    click(page, page.get_by_role("button", name=re.compile("发出 4 份邀请")))
    report = page.locator(".alert", has_text="已发出")
    assert (
        report.inner_text().strip()
        == "已发出 3 份邀请：短信 2、邮件 1；另有 1 人无手机号，请打印通知单。"
    )
    staff.step("invitations sent by channel")
    # The phone received the two SMS, each naming the community, with a personal link.
    assert sorted(to for to, _ in sms_outbox) == ["13800138000", "13800138001"]
    assert all(text.startswith("【议事】枫林湾社区邀您") for _, text in sms_outbox)

    # The slip for 李奶奶, who has no mobile number, with her link as a QR code.
    click(page, page.get_by_role("link", name="打印 1 份通知单"))
    assert page.locator("article.slip").count() == 1
    assert page.locator("article.slip").get_by_text("李奶奶").count()
    assert page.locator("article.slip svg").count() == 1
    staff.step("slip to print")
    page.emulate_media(media="print")
    staff.step("slip print", audit=False)
    page.emulate_media(media="screen")
    page.go_back()

    # The notice for the building's board.
    click(page, page.get_by_role("link", name="楼栋公告栏通知"))
    assert page.locator("article.board-notice svg").count() == 1
    staff.step("notice for the board")
    page.emulate_media(media="print")
    staff.step("notice print", audit=False)
    page.emulate_media(media="screen")
    page.go_back()

    # The SMS as sent, with their status.
    click(page, page.get_by_role("link", name="发送记录"))
    for name in ("王大爷", "张阿姨"):
        row = page.locator("tr", has_text=name)
        assert row.get_by_text("【议事】枫林湾社区邀您").count()
        assert row.locator(".badge", has_text="已发送").count() == 1
    staff.step("messages sent")
    page.go_back()

    # 李奶奶 calls the office: she will come.
    row = page.locator("#participant-" + str(Participant.objects.get(resident=people["li"]).pk))
    row.locator("summary", has_text="记录答复").click()
    row.locator("select[name=response]").select_option(label="参加")
    row.locator("select[name=via]").select_option(label="电话答复")
    click(page, row.get_by_role("button", name="记录", exact=True))
    assert Participant.objects.get(resident=people["li"]).response == "yes"
    staff.step("answer given on the phone recorded")


def test_a_resident_without_an_account_answers_follows_and_evaluates_from_links(
    journey, sms_outbox
):
    places = build_places()
    people = _neighbours(places)
    wang = people["wang"]
    staff_user = places.users["staff"]
    meeting = _meeting(places, [wang])
    meetings.meeting_invite(actor=staff_user, meeting=meeting)

    # The invitation, from the SMS on his phone.
    resident = journey("wang", phone=True)
    link, text = _link_in(sms_outbox, "13800138000")
    assert text.startswith("【议事】枫林湾社区邀您") and len(text) <= 70
    page = resident.go(link, sent=True)
    page.get_by_text("王大爷，您好").wait_for()
    resident.step("invitation from the SMS")
    page.locator(".link-choice label", has_text="参加").first.click()
    click(page, page.get_by_role("button", name="提交答复"))
    page.get_by_text("您的答复：参加").wait_for()
    resident.step("invitation answered")
    assert Participant.objects.get(resident=wang).response == "yes"

    # What he reported is agreed and published: the outcome reaches him by SMS.
    issue = Issue.objects.create(
        community=places.community,
        grid=places.grid,
        compound=places.compound,
        category=places.category,
        title="北门消防通道被占",
        description="北门消防通道长期停放私家车",
        channel="phone",
        status="in_deliberation",
        reporter_resident=wang,
        reported_at=timezone.now(),
    )
    resolution = resolutions.resolution_create(
        actor=staff_user,
        issue=issue,
        text="物业在北门设置隔离桩，每日巡查消防通道。",
        items=[
            {
                "responsible_organization": places.property_company,
                "measure": "北门设置隔离桩",
                "starts_on": timezone.localdate(),
                "deadline": timezone.localdate() + timedelta(days=7),
            }
        ],
        legal_review_required=False,
    )
    for action in ("adopt", "publish"):
        resolution = resolutions.resolution_transition(
            actor=staff_user, resolution=resolution, action=action
        )
    link, text = _link_in(sms_outbox, "13800138000")
    assert "议事结果" in text
    page = resident.go(link, sent=True)
    page.get_by_text("北门设置隔离桩", exact=True).wait_for()
    resident.step("outcome from the SMS")

    # The work is done and confirmed: he is asked to rate it.
    item = resolution.items.get()
    resolutions.progress_report(
        actor=places.users["manager"],
        item=item,
        text="隔离桩已安装",
        percent=100,
        request_check=True,
    )
    resolutions.item_check(actor=staff_user, item=item, passed=True, text="现场核查，已落实。")
    reminders.evaluation_requests()
    link, text = _link_in(sms_outbox, "13800138000")
    assert "评价" in text
    page = resident.go(link, sent=True)
    resident.step("evaluation from the SMS")
    page.locator("label", has_text="满意").first.click()
    page.get_by_label("您的意见").fill("通道畅通了，谢谢社区。")
    click(page, page.get_by_role("button", name="提交评议"))
    page.get_by_text("您的评价：满意").wait_for()
    resident.step("evaluated, back on the outcome")
    assert Evaluation.objects.get(issue=issue).resident == wang

    # The evaluation link is spent: opened again, it says so clearly.
    resident.go(link, sent=True)
    assert resident.response.status == 410
    page.get_by_role("heading", name="这件事已经办过了").wait_for()
    resident.step("evaluation link used")


def test_a_resident_claims_her_account_with_a_code_from_her_phone(journey, sms_outbox):
    places = build_places()
    zhang = _neighbours(places)["zhang"]
    meeting = _meeting(places, [zhang])
    meetings.meeting_invite(actor=places.users["staff"], meeting=meeting)
    sms_outbox.clear()

    resident = journey("zhang", phone=True)
    page = resident.go("/accounts/login/")
    click(page, page.get_by_role("link", name="用手机号和验证码登录"))
    resident.step("sign in with the phone")
    page.get_by_label("手机号").fill("138 0013 8001")
    click(page, page.get_by_role("button", name="获取验证码"))
    resident.step("code sent")
    page.get_by_label("短信验证码").fill(_code_in(sms_outbox, "13800138001"))
    click(page, page.get_by_role("button", name="登录"))
    page.get_by_role("heading", name="您是张阿姨吗？").wait_for()
    resident.step("is it you")
    click(page, page.get_by_role("button", name="是我，继续"))
    page.get_by_role("heading", name="我的议题").wait_for()
    # Her home: her issues, her invitation, waiting for her answer.
    assert page.get_by_text("账号已开通").count()
    invitations = page.locator("section", has=page.get_by_role("heading", name="我的会议邀请"))
    assert invitations.get_by_text(MEETING).count()
    resident.step("resident home after claiming")
    click(page, invitations.get_by_role("link", name="答复邀请"))
    resident.step("invitation answered signed in")


def test_opinion_taking_from_the_poster_on_a_phone(journey, sms_outbox):
    places = build_places()
    people = _neighbours(places)
    Issue.objects.create(
        community=places.community,
        grid=places.grid,
        compound=places.compound,
        category=places.category,
        title="3号楼东侧加装电动车充电桩",
        description="楼道里充电危险，居民希望加装充电桩",
        channel="walk_in",
        status="to_deliberate",
        reported_at=timezone.now(),
    )

    # Staff open it from the issue's page, for 3号楼.
    staff = journey("staff")
    staff.login("lizhuren")
    page = staff.page
    menu(page, "议题")
    click(page, page.get_by_role("link", name="3号楼东侧加装电动车充电桩"))
    click(page, page.get_by_role("link", name="线上征求意见"))
    page.get_by_label("征求范围").select_option(label="澳海熙园3号楼")
    page.get_by_label("征求意见事项").fill("是否在3号楼东侧车棚加装电动车充电桩？")
    staff.step("opinion window form")
    click(page, page.get_by_role("button", name="发起征求意见"))
    staff.step("opinion window open")
    share = page.locator("#share-text").inner_text()
    poster_link = re.search(r"(https?://\S+/s/\w+)", share).group(1)
    click(page, page.get_by_role("link", name="二维码海报"))
    staff.step("poster")
    page.emulate_media(media="print")
    staff.step("poster print", audit=False)
    page.emulate_media(media="screen")
    page.go_back()

    # 张阿姨 scans the poster on her phone and proves her number.
    resident = journey("zhang", phone=True)
    page_r = resident.go(poster_link, sent=True)
    page_r.get_by_role("heading", name="是否在3号楼东侧车棚加装电动车充电桩？").wait_for()
    resident.step("poster link on the phone")
    page_r.get_by_label("手机号").fill("13800138001")
    click(page_r, page_r.get_by_role("button", name="获取验证码"))
    page_r.get_by_label("短信验证码").fill(_code_in(sms_outbox, "13800138001"))
    click(page_r, page_r.get_by_role("button", name="验证"))
    page_r.get_by_text("您以张阿姨的身份表态").wait_for()
    resident.step("stance form")
    page_r.locator("label", has_text="赞成").click()
    page_r.get_by_label("想说的话（选填）").fill("楼道充电太危险，早点装。")
    click(page_r, page_r.get_by_role("button", name="提交意见"))
    page_r.get_by_text("您的意见已计入：赞成").wait_for()
    resident.step("opinion counted")
    opinion = OnlineOpinion.objects.get()
    assert (opinion.resident, opinion.stance, opinion.via) == (people["zhang"], "for", "phone")
    # Large targets on the phone: every button of the page.
    for box in (page_r.locator(".link-sheet button"), page_r.locator(".link-sheet a.btn")):
        for n in range(box.count()):
            if box.nth(n).is_visible():
                assert box.nth(n).bounding_box()["height"] >= 44

    # Staff read the count on the window's page.
    page.reload()
    assert page.locator(".opinion-results").first.get_by_text("1").count()
    assert page.get_by_text("楼道充电太危险，早点装。").count()
    staff.step("opinion counted on the window page")
