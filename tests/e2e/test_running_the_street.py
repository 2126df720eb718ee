"""Running a street and a community in the product, without Django admin.

A new street admin of 丰林街道, from their home page and by clicking only: opens an
account for a staff member of 枫林湾社区 and hands the one-time password link over in
person, opens a grid worker's account, gives 王大爷 (a resident on record) an account,
adds a category with its time limits (a contradictory limit refused next to its field,
the deadline preview following what is typed), sets 枫林湾's council day (the 31st: the
page says what happens in shorter months) and its presence rule for courtyard councils,
pauses a reminder schedule and sends a failed SMS again. Then the community head 李书记
manages her part: a grid worker's account, a resident's account, a presence rule; she
finds no button to add staff.
"""

import re

import pytest
from django_celery_beat.models import PeriodicTask

from accounts.models import Role, User
from accounts.tests.factories import UserFactory
from communities.tests.factories import HouseholdFactory, ResidentFactory
from core.schedules import sync
from issues.models import Category, TimeLimit
from meetings.models import FormRule
from notifications.models import Delivery, Notification

from .menus import click_and_wait, open_menu
from .places import build_places

pytestmark = pytest.mark.django_db(transaction=True)


def _street(places):
    """The places of story 2, with a resident without an account, the reminder schedules
    and an SMS the gateway refused last night."""
    unit = places.compound.buildings.get(name="3号楼").units.get()
    wang = ResidentFactory(
        household=HouseholdFactory(unit=unit, room="101"),
        grid=places.grid,
        name="王大爷",
        phone="13800138000",
    )
    sync()
    notification = Notification.objects.create(
        resident=wang,
        community=places.community,
        kind="e2e_failed",
        content_type_id=_content_type(places.community),
        object_id=places.community.pk,
        title="枫林湾社区：周六清理消防通道",
        body="",
        sms_text="【枫林湾社区】周六9点澳海熙园北门清理消防通道，请提前移车。",
    )
    Delivery.objects.create(
        notification=notification,
        channel="sms",
        status=Delivery.Status.FAILED,
        attempts=5,
        last_error="号码已停机（短信网关回执）",
    )
    return wang


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def test_a_new_street_admin_runs_the_street_by_clicking(journey):
    places = build_places()
    wang = _street(places)
    admin = journey("street-admin")
    admin.login("jiedao")
    page = admin.page

    # 管理, from the home page.
    open_menu(page, "管理")
    page.get_by_role("heading", name="管理", level=1).wait_for()
    admin.step("hub")

    # 1. A staff member of 枫林湾社区, and the one-time link handed over in person.
    click_and_wait(page, page.get_by_role("link", name="人员与账号").first)
    click_and_wait(page, page.get_by_role("link", name="新增工作人员"))
    form = page.locator("main form")
    form.get_by_label("用户名").fill("zhanghong")
    form.get_by_label("姓名").fill("张红")
    form.get_by_label("职务").fill("社区居委会委员")
    form.get_by_label("手机号").fill("13900001111")
    form.get_by_label("枫林湾社区").check()
    admin.step("new-staff")
    click_and_wait(page, form.get_by_role("button", name="保存"))
    page.get_by_text("张红的账号已开通").wait_for()
    staff = User.objects.get(username="zhanghong")
    assert (staff.role, list(staff.communities.all())) == (Role.STAFF, [places.community])
    page.get_by_label("只显示一次，由我当面交给本人").check()
    click_and_wait(page, page.get_by_role("button", name="重置密码"))
    link = page.locator(".password-link code").inner_text()
    assert "/accounts/password/set/" in link
    admin.step("password-link-in-person")

    # 2. A grid worker of 澳海熙园网格.
    open_menu(page, "管理")
    click_and_wait(page, page.get_by_role("link", name="人员与账号").first)
    click_and_wait(page, page.get_by_role("link", name="新增网格员"))
    form = page.locator("main form")
    form.get_by_label("用户名").fill("zhaolei")
    form.get_by_label("姓名").fill("赵磊")
    form.get_by_label("枫林湾社区 · 澳海熙园网格").check()
    form.get_by_label(re.compile("网格长")).check()
    click_and_wait(page, form.get_by_role("button", name="保存"))
    worker = User.objects.get(username="zhaolei")
    assert (worker.role, worker.is_head, list(worker.grids.all())) == (
        Role.GRID_WORKER,
        True,
        [places.grid],
    )
    admin.step("grid-worker")

    # 3. 王大爷 gets an account, from his record.
    open_menu(page, "社区", "居民")
    click_and_wait(page, page.get_by_role("link", name="王大爷"))
    click_and_wait(page, page.get_by_role("link", name="开通账号"))
    admin.step("resident-account")
    click_and_wait(page, page.get_by_role("button", name="开通账号"))
    page.get_by_text("王大爷的账号已开通").wait_for()
    assert User.objects.get(resident=wang).username == "13800138000"

    # 4. A category of the street with its time limits.
    open_menu(page, "管理")
    click_and_wait(page, page.get_by_role("link", name="分类与时限"))
    click_and_wait(page, page.get_by_role("link", name="新增分类"))
    form = page.locator("main form")
    form.get_by_label("名称").fill("电动车进楼入户")
    form.get_by_label(re.compile("公共事务")).check()
    form.get_by_label("一般：受理时限").fill("4")
    form.get_by_label("一般：办结时限").fill("16")
    form.get_by_label("紧急：受理时限").fill("2")
    form.get_by_label("紧急：办结时限").fill("24")
    page.locator("#deadline-preview").get_by_text("前办结").first.wait_for()
    click_and_wait(page, form.get_by_role("button", name="保存"))
    error = page.locator("#div_id_urgent_handle_within .invalid-feedback")
    assert "越紧急" in error.inner_text()
    admin.step("limits-refused")
    form = page.locator("main form")
    assert form.get_by_label("名称").input_value() == "电动车进楼入户"
    form.get_by_label("紧急：办结时限").fill("8")
    form.get_by_label("特急：受理时限").fill("1")
    form.get_by_label("特急：办结时限").fill("2")
    page.locator("#deadline-preview li", has_text="特急").get_by_text("前办结").wait_for()
    admin.step("deadline-preview")
    click_and_wait(page, form.get_by_role("button", name="保存"))
    category = Category.objects.get(name="电动车进楼入户")
    assert category.street == places.street
    assert TimeLimit.objects.filter(street=places.street, category=category).count() == 3
    page.get_by_role("cell", name="电动车进楼入户 本街道专用").wait_for()
    admin.step("categories")

    # 5. 枫林湾's council day and its presence rule for courtyard councils.
    open_menu(page, "管理")
    click_and_wait(page, page.get_by_role("link", name="枫林湾社区"))
    click_and_wait(page, page.get_by_role("link", name="修改日期"))
    page.get_by_label("月度议事日").select_option("31")
    click_and_wait(page, page.get_by_role("button", name="保存"))
    page.get_by_text("改在当月最后一天").first.wait_for()
    admin.step("council-day")
    click_and_wait(page, page.get_by_role("link", name="到会规则：小区庭院议事会"))
    form = page.locator("main form")
    form.get_by_label("物业公司").check()
    form.get_by_label("居民代表最少人数").fill("2")
    click_and_wait(page, form.get_by_role("button", name="保存"))
    rule = FormRule.objects.get(community=places.community, form="courtyard_council")
    assert (rule.required_roles, rule.min_representatives) == (["property"], 2)
    admin.step("presence-rule")

    # 6. A reminder schedule paused.
    open_menu(page, "管理")
    click_and_wait(page, page.get_by_role("link", name="提醒计划").last)
    page.get_by_role(
        "cell", name=re.compile("每天 07:00（北京时间）提醒到期和逾期的整改事项")
    ).wait_for()
    click_and_wait(
        page, page.get_by_role("link", name=re.compile("修改：提醒到期和逾期的整改事项"))
    )
    page.get_by_label("运行").uncheck()
    click_and_wait(page, page.get_by_role("button", name="保存"))
    assert not PeriodicTask.objects.get(name="Action item deadlines and overdue").enabled
    page.locator("tr", has_text="提醒到期和逾期的整改事项").get_by_text("已暂停").wait_for()
    admin.step("schedule-paused")

    # 7. The failed SMS, with its error, sent again.
    open_menu(page, "管理")
    click_and_wait(page, page.get_by_role("link", name=re.compile("1 条发送失败|1 failed")))
    page.get_by_text("号码已停机").wait_for()
    admin.step("failed-sms")
    click_and_wait(page, page.get_by_role("button", name="重发"))
    page.get_by_text("已重新排队").first.wait_for()
    assert Delivery.objects.get(notification__kind="e2e_failed").status != Delivery.Status.FAILED
    admin.step("sms-retried")


def test_the_community_head_runs_her_part(journey):
    places = build_places()
    wang = _street(places)
    UserFactory(
        username="lishuji",
        name="李书记",
        role=Role.STAFF,
        is_head=True,
        communities=[places.community],
    )
    head = journey("head")
    head.login("lishuji")
    page = head.page

    open_menu(page, "管理")
    click_and_wait(page, page.get_by_role("link", name="人员与账号").first)
    assert page.get_by_role("link", name="新增工作人员").count() == 0
    click_and_wait(page, page.get_by_role("link", name="新增网格员"))
    form = page.locator("main form")
    form.get_by_label("用户名").fill("zhaolei")
    form.get_by_label("姓名").fill("赵磊")
    form.get_by_label("澳海熙园网格").check()
    click_and_wait(page, form.get_by_role("button", name="保存"))
    assert User.objects.get(username="zhaolei").grids.get() == places.grid
    head.step("grid-worker")

    # The staff member 李主任: seen, not changed.
    open_menu(page, "管理")
    click_and_wait(page, page.get_by_role("link", name="人员与账号").first)
    click_and_wait(page, page.get_by_role("link", name="李主任"))
    assert page.get_by_role("button", name="重置密码").count() == 0
    head.step("staff-read-only")

    open_menu(page, "社区", "居民")
    click_and_wait(page, page.get_by_role("link", name="王大爷"))
    click_and_wait(page, page.get_by_role("link", name="记录短信同意"))
    page.get_by_label("已撤回同意：不发短信").check()
    page.get_by_label("书面").check()
    click_and_wait(page, page.get_by_role("button", name="保存"))
    page.get_by_text("短信同意已记录").wait_for()
    click_and_wait(page, page.get_by_role("link", name="开通账号"))
    click_and_wait(page, page.get_by_role("button", name="开通账号"))
    assert User.objects.filter(resident=wang).exists()
    head.step("resident-account")

    open_menu(page, "管理")
    click_and_wait(page, page.get_by_role("link", name="枫林湾社区"))
    click_and_wait(page, page.get_by_role("link", name="到会规则：现场调解会"))
    form = page.locator("main form")
    form.get_by_label("纠纷各方当事人都必须到场").check()
    form.get_by_label("民警", exact=True).check()
    click_and_wait(page, form.get_by_role("button", name="保存"))
    rule = FormRule.objects.get(community=places.community, form="onsite_mediation")
    assert (rule.all_parties_required, rule.required_roles) == (True, ["police"])
    head.step("presence-rule")
