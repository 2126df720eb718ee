"""Reminders people read: a morning's overdue action items reach the property manager as one
daily digest, not one message each.

The morning sweep (the beat's work, run here as the worker would) finds six action items of
熙园物业 overdue. 物业王经理 logs in, opens the bell: the six reminders are one group, and
the day's digest lists them under 枫林湾社区 and the resolution, most urgent first; a line
opens the item. The grid worker 刘红丽, on her phone, chooses to have her action items at
once and meeting reminders in the app only. The street admin sets 枫林湾社区's SMS budget;
the community head 李书记 sees what her community sent against it, and cannot change it.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from issues.models import Issue
from notifications import digests
from notifications.kinds import DIGEST_KIND
from notifications.models import Notification, Preference, SmsBudget
from resolutions import reminders
from resolutions.models import ActionItem, Resolution

from .menus import click_and_wait, open_menu
from .places import build_places

pytestmark = pytest.mark.django_db(transaction=True)


def _morning(places):
    """Six items of 熙园物业 overdue, on the published resolution of a fire-lane issue."""
    issue = Issue.objects.create(
        community=places.community,
        grid=places.grid,
        compound=places.compound,
        channel="visit",
        category=places.category,
        title="消防通道被私家车占用",
        description="澳海熙园北门消防通道长期停车",
        status="in_progress",
        reported_at=timezone.now() - dt.timedelta(days=30),
    )
    resolution = Resolution.objects.create(
        issue=issue,
        community=places.community,
        title="澳海熙园消防通道整治方案",
        text="物业划线、安装挡车桩，业委会发倡议书",
        status=Resolution.Status.PUBLISHED,
        created_by=places.staff,
    )
    today = timezone.localdate()
    for measure, late in (
        ("北门消防通道施划黄色禁停网格线", 6),
        ("安装可移动挡车桩 4 个", 2),
        ("张贴禁停告示并逐户告知", 1),
        ("清理通道内共享单车", 1),
        ("更换损坏的消防通道指示牌", 2),
        ("夜间巡查并记录违停车辆", 1),
    ):
        ActionItem.objects.create(
            resolution=resolution,
            community=places.community,
            responsible_organization=places.property_company,
            measure=measure,
            starts_on=today - dt.timedelta(days=20),
            deadline=today - dt.timedelta(days=late),
        )
    reminders.action_item_overdue()
    digests.send_digests()


def _bell(page):
    """The bell; on a phone it sits in the folded bar, under 通知."""
    toggler = page.locator("button.navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        page.locator("#main-nav.show").wait_for()
    click_and_wait(page, page.locator("#notification-bell"))
    page.get_by_role("heading", name="通知", level=1).wait_for()


def test_a_mornings_reminders_arrive_as_one_digest_and_each_chooses_how(journey):
    places = build_places()
    head = UserFactory(
        username="lishuji",
        name="李书记",
        role=Role.STAFF,
        is_head=True,
        communities=[places.community],
    )
    _morning(places)
    manager = places.manager
    digest = Notification.objects.get(kind=DIGEST_KIND, recipient=manager)
    assert digest.carried.count() == 6
    # Not one email per item: the digest's alone (the manager chose email, the default).
    assert not manager.notifications.exclude(kind=DIGEST_KIND).filter(deliveries__isnull=False)

    # The property manager: the bell, the digest, a line of it.
    wang = journey("manager")
    wang.login("wangjingli")
    page = wang.page
    _bell(page)
    group = page.locator(".notification-run summary").first
    assert "6 条消息" in " ".join(group.inner_text().split())
    wang.step("bell-grouped")
    click_and_wait(page, page.get_by_role("button", name=re.compile("每日汇总 · 我的整改事项")))
    page.get_by_role("heading", name=re.compile("每日汇总")).wait_for()
    text = " ".join(page.locator("main").inner_text().split())
    assert "枫林湾社区" in text and "澳海熙园消防通道整治方案" in text
    # Most urgent first: the item six days overdue (escalated? no: the manager is not the
    # head) leads the overdue ones, all marked 逾期.
    assert page.locator(".badge", has_text="逾期").count() == 6
    wang.step("digest")
    click_and_wait(
        page, page.get_by_role("button", name=re.compile("北门消防通道施划黄色禁停网格线"))
    )
    page.get_by_text("北门消防通道施划黄色禁停网格线").first.wait_for()
    assert "/resolutions/items/" in page.url
    wang.step("item-from-digest")

    # The grid worker on her phone: at once for her action items, meetings in the app only.
    liu = journey("worker", phone=True)
    liu.login("liuhongli")
    page = liu.page
    _bell(page)
    click_and_wait(page, page.get_by_role("link", name="提醒方式"))
    page.get_by_role("heading", name="提醒方式", level=1).wait_for()
    assert page.get_by_label("我的整改事项：每日汇总").is_checked()  # her role's default
    liu.step("modes-default")
    page.get_by_label("我的整改事项：立即").check()
    page.get_by_label("会议提醒：仅站内").check()
    click_and_wait(page, page.get_by_role("button", name="保存"))
    page.get_by_text("提醒方式已保存").wait_for()
    assert page.get_by_label("我的整改事项：立即").is_checked()
    liu.step("modes-saved")
    assert Preference.objects.get(user=places.worker).modes == {
        "items": "immediate",
        "follow_up": "digest",
        "issues": "digest",
        "meetings": "in_app",
        "work": "immediate",
        "invitations": "immediate",
    }

    # The street admin sets 枫林湾社区's SMS budget from 管理.
    admin = journey("street-admin")
    admin.login("jiedao")
    page = admin.page
    open_menu(page, "管理")
    click_and_wait(page, page.get_by_role("link", name=re.compile(r"^短信额度")))
    page.get_by_role("heading", name="短信额度", level=1).wait_for()
    admin.step("budgets")
    row = page.locator("tr", has_text="枫林湾社区")
    click_and_wait(page, row.get_by_role("link", name="设定"))
    page.get_by_label("每月短信条数").fill("-5")
    click_and_wait(page, page.get_by_role("button", name="保存"))
    page.locator(".invalid-feedback", has_text="请填写 0 到 10,000,000 之间的条数").wait_for()
    assert page.get_by_label("每月短信条数").input_value() == "-5"  # kept as typed
    admin.step("budget-refused")
    page.get_by_label("每月短信条数").fill("200")
    click_and_wait(page, page.get_by_role("button", name="保存"))
    page.get_by_text("已保存枫林湾社区的短信额度").wait_for()
    admin.step("budget-saved")
    assert SmsBudget.objects.get(community=places.community).monthly_limit == 200

    # The head sees it, and what her community sent, but has no form.
    li = journey("head")
    li.login(head.username)
    page = li.page
    open_menu(page, "管理")
    card = page.locator("section", has=page.get_by_role("heading", name="短信额度"))
    assert "枫林湾社区" in card.inner_text()
    click_and_wait(page, card.get_by_role("link", name=re.compile("短信额度")))
    click_and_wait(page, page.locator("tr", has_text="枫林湾社区").get_by_role("link", name="详情"))
    page.get_by_text("额度由街道设定").wait_for()
    assert page.get_by_label("每月短信条数").count() == 0
    li.step("budget-head")
