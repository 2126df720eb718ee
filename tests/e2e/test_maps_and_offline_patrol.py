"""Places on a map and patrols that work without signal, in the browser.

- A grid worker on a 360×740 phone, her position granted, walks a patrol with the browser
  offline (a basement): starts it, records two findings (one with a photo, one opening an
  issue), reloads the page, records a household visit and ends the patrol — all kept on the
  phone — then the connection returns and everything arrives once, exactly as typed; her
  grid map then shows the route and the findings.
- The answer to a finding is lost on the way back (the server stored it): the phone sends
  it again and it is stored once.
- Without the position (permission denied), the page says so and findings take the place
  chosen; a resident's report takes the phone's position when she allows it.
- Staff reach the community map from their dashboard: markers by kind and urgency beside a
  list, reached by keyboard, a dispute only for those who may see it; with a tile source
  set the tiles are loaded, without one the places are drawn on a plain background.
- The street admin's monthly report carries the heat map of issues per compound.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from communities.models import Household
from issues.models import Category, Channel, Issue, Patrol, PositionSource, TrackPoint, Visit
from issues.services import finding_record, issue_report, patrol_end, patrol_start, track_record
from lib import geo

from .menus import click_and_wait, open_menu
from .places import BUILDING_AT, build_places, photo_file, put_on_the_map

pytestmark = pytest.mark.django_db(transaction=True)

# Where the worker's phone says she is: in the courtyard of 澳海熙园, by 3号楼.
HERE = {"latitude": 38.45486, "longitude": 106.21397, "accuracy": 8}
GRANTED = {"geolocation": HERE, "permissions": ["geolocation"]}

FIRST = "地下车库入口堆放纸箱和旧床垫，堵住消防通道。"
SECOND = "3号楼2单元门口电动车飞线充电。"
VISIT = "刘先生腿脚不便，希望有人帮忙取药。"


def _waiting(page, n):
    page.locator("[data-field-outbox-summary]", has_text=f"{n} 条待发送").wait_for()


def test_a_patrol_recorded_offline_arrives_once_when_back_online(journey, tmp_path):
    places = build_places()
    put_on_the_map(places)
    # The category a need found on a visit opens (seeded by a migration, which the tables
    # of browser tests lose between tests).
    Category.objects.get_or_create(
        code="special_need", defaults={"name": "特殊群体需求", "default_kind": "special_need"}
    )
    worker = journey("worker", phone=True, **GRANTED)
    worker.login("liuhongli")
    page = worker.page
    worker.step("grid home")

    # From her home (her grid's page): 开始巡查. The page installs itself for offline use.
    click_and_wait(page, page.get_by_role("link", name=re.compile("开始巡查")))
    page.get_by_text("无信号也能用").wait_for()
    page.locator("[data-field][data-offline-ready]").wait_for()
    worker.step("field page ready for offline use")

    # Down into the garage: no connection from here on.
    worker.context.set_offline(True)
    page.get_by_text("无网络").first.wait_for()
    page.locator("#start_route_notes").fill("北门—3号楼—地下车库")
    page.get_by_role("button", name=re.compile("开始巡查")).click()
    page.get_by_text("澳海熙园网格巡查中").wait_for()
    page.get_by_text("已定位，误差约 8 米").wait_for()

    finding = page.locator("form[data-field-form=finding]")
    finding.locator("textarea[name=text]").fill(FIRST)
    finding.locator("select[name=compound]").select_option(label="澳海熙园")
    finding.locator("select[name=building]").select_option(label="3号楼")
    finding.locator("input[name=place_text]").fill("地下车库入口")
    finding.locator("input[name=photo]").set_input_files(photo_file(tmp_path))
    finding.get_by_role("button", name=re.compile("保存发现")).click()
    _waiting(page, 2)
    finding.locator("textarea[name=text]").fill(SECOND)
    finding.locator("select[name=category]").select_option(label="楼道堆物")
    finding.locator("select[name=urgency]").select_option(label="紧急")
    finding.get_by_role("button", name=re.compile("保存发现")).click()
    _waiting(page, 3)
    assert page.locator("[data-field-findings] .badge", has_text="待发送").count() == 2
    worker.step("two findings kept on the phone")

    # The phone reloads the page in the basement: the kept copy opens with all of it.
    page.locator("form[data-field-form=finding] textarea[name=text]").fill("还没保存的半句话")
    page.wait_for_timeout(600)  # the draft is kept a moment after typing
    page.reload()
    page.locator("[data-field-ready]").wait_for()
    _waiting(page, 3)
    found = page.locator("[data-field-findings]")
    assert found.get_by_text(FIRST).is_visible() and found.get_by_text(SECOND).is_visible()
    # What waits to be sent is listed, one tap away.
    page.locator("summary", has_text="查看待发送的内容").click()
    assert page.locator("[data-field-outbox-list] li").count() == 3
    assert page.locator("form[data-field-form=finding] textarea[name=text]").input_value() == (
        "还没保存的半句话"
    )
    page.locator("form[data-field-form=finding] textarea[name=text]").fill("")
    worker.step("reloaded without signal nothing is lost")

    # A household visit on the way, and the end of the patrol, still offline.
    page.locator("summary", has_text="记录走访").click()
    visit = page.locator("form[data-field-form=visit]")
    visit.locator("select[name=household]").select_option(label="3号楼1单元302")
    visit.get_by_label("刘先生").check()
    visit.locator("textarea[name=findings]").fill(VISIT)
    visit.get_by_label(re.compile("发现需求")).check()
    visit.locator("input[name=need_title]").fill("每周帮刘先生取药")
    visit.get_by_role("button", name=re.compile("保存走访")).click()
    _waiting(page, 4)
    page.locator("#end_route_notes").fill("北门—3号楼—地下车库，已全部走完")
    page.get_by_role("button", name=re.compile("结束巡查")).click()
    page.get_by_text("巡查已结束").wait_for()
    _waiting(page, 5)
    assert not Patrol.objects.exists() and not Visit.objects.exists()
    worker.step("patrol ended without signal")

    # Back up the stairs: the connection returns and everything is sent, once.
    worker.context.set_offline(False)
    page.get_by_text("全部已发送").wait_for(timeout=60_000)
    worker.step("everything sent")
    patrol = Patrol.objects.get()
    assert patrol.ended_at is not None
    assert patrol.route_notes == "北门—3号楼—地下车库，已全部走完"
    findings = list(patrol.findings.order_by("found_at"))
    assert [f.text for f in findings] == [FIRST, SECOND]
    assert findings[0].photo and findings[0].building.name == "3号楼"
    assert findings[0].place_text == "地下车库入口"
    assert geo.haversine_m(findings[0].latitude, findings[0].longitude, 38.45486, 106.21397) < 1
    assert findings[0].position_accuracy == 8
    issue = findings[1].issue
    assert issue.category.name == "楼道堆物" and issue.urgency == "urgent"
    assert issue.channel == Channel.GRID_PATROL and issue.position_source == "device"
    assert Issue.objects.count() == 2  # the finding's and the visit's need
    visit = Visit.objects.get()
    assert visit.findings == VISIT and [r.name for r in visit.residents_seen.all()] == ["刘先生"]
    assert visit.issue.title == "每周帮刘先生取药" and visit.issue.category.code == "special_need"
    assert TrackPoint.objects.filter(patrol=patrol).exists()

    # From the patrol's page, its route and findings on the grid's map.
    click_and_wait(page, page.get_by_role("link", name=re.compile("打开巡查记录")))
    click_and_wait(page, page.get_by_role("link", name=re.compile("在地图上查看")))
    page.locator("[data-map-ready]").wait_for()
    assert page.locator(".map-marker--finding").count() == 2
    assert page.locator("path.leaflet-interactive, .leaflet-overlay-pane path").count() >= 1
    worker.step("grid map with the route and findings")


def test_a_finding_whose_answer_was_lost_is_sent_again_and_stored_once(journey):
    places = build_places()
    put_on_the_map(places)
    # Requests are intercepted here: the page's own, so no service worker in between.
    worker = journey("retry", phone=True, service_workers="block", **GRANTED)
    worker.login("liuhongli")
    page = worker.page
    click_and_wait(page, page.get_by_role("link", name=re.compile("开始巡查")))
    page.locator("[data-field-ready]").wait_for()
    page.get_by_role("button", name=re.compile("开始巡查")).click()
    page.get_by_role("link", name=re.compile("打开巡查记录")).wait_for()  # the start was sent

    lost = []

    def lose_the_answer(route):
        body = route.request.post_data_buffer or b""
        if b"\r\n\r\nfinding\r\n" in body and not lost:
            # The server stores the finding, but its answer never reaches the phone.
            lost.append(route.fetch().status)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/issues/patrols/field/sync/", lose_the_answer)
    form = page.locator("form[data-field-form=finding]")
    form.locator("textarea[name=text]").fill(FIRST)
    form.get_by_role("button", name=re.compile("保存发现")).click()
    for _ in range(100):
        if lost:
            break
        page.wait_for_timeout(100)
    _waiting(page, 1)
    assert lost == [200]
    assert Patrol.objects.get().findings.count() == 1  # stored, though the phone does not know
    worker.step("the answer was lost")

    page.unroute("**/issues/patrols/field/sync/")
    page.get_by_role("button", name="立即发送").click()
    page.get_by_text("全部已发送").wait_for()
    assert page.locator("[data-field-findings] .badge", has_text="已发送").count() == 1
    assert [f.text for f in Patrol.objects.get().findings.all()] == [FIRST]
    worker.step("sent again and stored once")

    # A visit recorded without signal to a household the office archives meanwhile: refused,
    # and the page says why; the worker discards it.
    worker.context.set_offline(True)
    page.locator("summary", has_text="记录走访").click()
    visit = page.locator("form[data-field-form=visit]")
    visit.locator("select[name=household]").select_option(label="3号楼1单元501")
    visit.locator("textarea[name=findings]").fill("赵监督不在家，邻居说去女儿家住了。")
    visit.get_by_role("button", name=re.compile("保存走访")).click()
    _waiting(page, 1)
    household = Household.objects.get(room="501")
    Household.objects.filter(pk=household.pk).update(archived_at=timezone.now())
    worker.context.set_offline(False)
    failed = page.locator("[data-field-failed-list] li")
    failed.wait_for()
    assert "1 条未能保存" in page.locator("[data-field-outbox-summary]").inner_text()
    assert f"住户 {household} 已被归档，本次走访未能记录" in failed.inner_text()
    worker.step("a visit refused with its reason")
    page.once("dialog", lambda dialog: dialog.accept())
    failed.get_by_role("button", name="放弃").click()
    page.get_by_text("全部已发送").wait_for()
    assert not Visit.objects.exists()


def test_without_the_phone_position_the_place_chosen_is_used(journey):
    places = build_places()
    building = put_on_the_map(places)
    worker = journey("denied", phone=True)  # the position is not allowed
    worker.login("liuhongli")
    page = worker.page
    click_and_wait(page, page.get_by_role("link", name=re.compile("开始巡查")))
    page.locator("[data-field-ready]").wait_for()
    page.get_by_role("button", name=re.compile("开始巡查")).click()
    page.get_by_text("未允许使用位置").wait_for()
    form = page.locator("form[data-field-form=finding]")
    form.locator("textarea[name=text]").fill(SECOND)
    form.locator("select[name=compound]").select_option(label="澳海熙园")
    form.locator("select[name=building]").select_option(label="3号楼")
    form.get_by_role("button", name=re.compile("保存发现")).click()
    page.locator("[data-field-findings] .badge", has_text="已发送").wait_for()
    worker.step("position not allowed")
    finding = Patrol.objects.get().findings.get()
    assert finding.latitude is None and finding.building == building

    # A resident reporting from her phone: denied, the page says so; allowed, it is kept.
    denied = journey("resident-denied", phone=True)
    denied.login("liu")
    click_and_wait(denied.page, denied.page.get_by_role("link", name=re.compile("反映问题")).first)
    denied.page.get_by_role("button", name="使用我的位置").click()
    denied.page.get_by_text("未允许使用位置：将使用所选小区或楼栋的位置").wait_for()
    denied.step("resident position not allowed")

    resident = journey("resident", phone=True, **GRANTED)
    resident.login("liu")
    page = resident.page
    click_and_wait(page, page.get_by_role("link", name=re.compile("反映问题")).first)
    page.locator("select[name=category]").select_option(label="消防通道")
    page.locator("input[name=title]").fill("北门消防通道停满了车")
    page.locator("textarea[name=description]").fill("晚上九点后北门消防通道停满私家车。")
    page.get_by_role("button", name="使用我的位置").click()
    page.get_by_text("已附上手机位置，误差约 8 米").wait_for()
    resident.step("resident position attached")
    click_and_wait(page, page.get_by_role("button", name="提交"))
    issue = Issue.objects.get(title="北门消防通道停满了车")
    assert issue.position_source == PositionSource.DEVICE and issue.position_accuracy == 8
    assert geo.haversine_m(issue.latitude, issue.longitude, 38.45486, 106.21397) < 1


def _issues_on_the_map(places, building):
    staff = places.staff
    public = issue_report(
        actor=staff,
        community=places.community,
        category=places.category,
        title="北门消防通道被占",
        description="晚上停满私家车。",
        channel=Channel.ONLINE,
        building=building,
        urgency="urgent",
    )
    dispute = issue_report(
        actor=staff,
        community=places.community,
        category=places.category,
        title="楼上漏水纠纷",
        description="302 与 202 因厨房漏水争执。",
        channel=Channel.WALK_IN,
        compound=places.compound,
        kind="dispute",
    )
    device = issue_report(
        actor=staff,
        community=places.community,
        category=places.category,
        title="东门路灯不亮",
        description="东门两盏路灯不亮。",
        channel=Channel.GRID_PATROL,
        compound=places.compound,
        latitude=38.4542,
        longitude=106.2120,
        position_accuracy=12,
        position_source=PositionSource.DEVICE,
    )
    return public, dispute, device


def test_staff_find_open_issues_on_the_community_map_by_keyboard(journey):
    places = build_places()
    building = put_on_the_map(places)
    public, dispute, device = _issues_on_the_map(places, building)

    staff = journey("staff")
    staff.login("lizhuren")
    page = staff.page
    click_and_wait(page, page.get_by_role("link", name="议题地图").first)
    page.locator("[data-map-ready]").wait_for()
    # Without a tile source the community's places are drawn on a plain background.
    assert page.locator(".yishi-map.map-plain").count() == 1
    assert page.get_by_text("未配置地图服务").is_visible()
    assert page.locator(".map-label--compound", has_text="澳海熙园").count() == 1
    markers = page.locator(".leaflet-marker-icon.map-marker")
    assert markers.count() == 3
    assert page.locator(".leaflet-marker-icon.map-marker--dispute").count() == 1
    assert page.locator(".leaflet-marker-icon.map-marker--urgent").count() == 1
    list_ = page.locator("#map-list")
    for issue in (public, dispute, device):
        assert list_.get_by_role("link", name=re.compile(issue.title)).is_visible()
    staff.step("community map with its list")

    # By keyboard: from the map, Tab reaches a marker; Enter opens it, Enter again follows it.
    page.locator(".yishi-map").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label') || ''")
    assert any(issue.title in focused for issue in (public, dispute, device)), focused
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup a.map-popup-title")
    link.wait_for()
    assert link.evaluate("a => a === document.activeElement")
    staff.step("a marker opened by keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/issues/\d+/$", page.url)
    page.go_back()
    page.locator("[data-map-ready]").wait_for()

    # The list beside the map shows each issue on it.
    page.get_by_role("button", name=re.compile(rf"在地图上显示\s*：{device.title}")).click()
    page.locator(".leaflet-popup", has_text=device.title).wait_for()
    assert page.locator(".leaflet-popup").get_by_text("位置来自手机定位").is_visible()
    staff.step("an issue of the list shown on the map")

    # Filtered as the queue is: urgent only.
    page.locator("select[name=urgency]").select_option(label="紧急")
    click_and_wait(page, page.get_by_role("button", name=re.compile("筛选")))
    page.locator("[data-map-ready]").wait_for()
    assert page.locator(".leaflet-marker-icon.map-marker").count() == 1

    # Another grid's worker of the community sees no private dispute on the map.
    from accounts.models import Role
    from accounts.tests.factories import UserFactory
    from communities.tests.factories import GridFactory

    UserFactory(
        username="zhangwei",
        name="张伟",
        role=Role.GRID_WORKER,
        grids=[GridFactory(community=places.community, name="东区网格")],
    )
    other = journey("other-grid")
    other.login("zhangwei")
    open_menu(other.page, "议题", "议题地图")
    other.page.locator("[data-map-ready]").wait_for()
    assert other.page.locator(".leaflet-marker-icon.map-marker--dispute").count() == 0
    assert other.page.get_by_text(dispute.title).count() == 0
    assert other.page.locator(".leaflet-marker-icon.map-marker").count() == 2
    other.step("another grid sees no dispute")


def _tile() -> bytes:
    """A map tile as a provider sends one: a pale ground with a road across it."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (256, 256), (238, 240, 228))
    ImageDraw.Draw(image).line([(0, 180), (256, 150)], fill=(255, 255, 255), width=14)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_community_map_loads_the_tiles_of_the_source_set(journey, settings):
    settings.MAP_TILE_URL = "https://tiles.example.test/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "测试底图"
    places = build_places()
    building = put_on_the_map(places)
    _issues_on_the_map(places, building)
    staff = journey("staff")
    asked = []
    body = _tile()

    def tile(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=body)

    staff.context.route("https://tiles.example.test/**", tile)
    staff.login("lizhuren")
    click_and_wait(staff.page, staff.page.get_by_role("link", name="议题地图").first)
    staff.page.locator("[data-map-ready]").wait_for()
    staff.page.locator("img.leaflet-tile-loaded").first.wait_for()
    assert asked and all(re.search(r"/1[5-7]/\d+/\d+\.png$", url) for url in asked)
    assert staff.page.locator(".yishi-map.map-plain").count() == 0
    assert staff.page.get_by_text("测试底图").is_visible()
    staff.step("community map on tiles")
    # The Content-Security-Policy let the tiles in: a blocked image is a console error,
    # which Journey.close() fails on.


def test_the_grid_map_shows_the_last_patrol_from_the_workers_home(journey):
    places = build_places()
    building = put_on_the_map(places)
    worker_user = places.worker
    started = timezone.now() - timedelta(hours=2)
    patrol = patrol_start(actor=worker_user, grid=places.grid, started_at=started)
    lat, lng = BUILDING_AT
    track_record(
        actor=worker_user,
        patrol=patrol,
        points=[
            {
                "recorded_at": started + timedelta(minutes=n),
                "latitude": lat - 0.0008 + n * 0.0001,
                "longitude": lng - 0.001 + n * 0.0002,
                "accuracy": 9,
            }
            for n in range(10)
        ],
    )
    finding_record(
        actor=worker_user,
        patrol=patrol,
        text="单元门口电动车乱停",
        building=building,
        found_at=started + timedelta(minutes=4),
        latitude=Decimal("38.4546"),
        longitude=Decimal("106.2131"),
    )
    patrol_end(actor=worker_user, patrol=patrol)
    worker = journey("worker", phone=True)
    worker.login("liuhongli")
    page = worker.page
    click_and_wait(page, page.get_by_role("link", name=re.compile("在地图上查看")).first)
    page.locator("[data-map-ready]").wait_for()
    assert page.locator(".map-marker--finding").count() == 1
    assert page.get_by_text("手机记录了 10 个路线点").is_visible()
    assert page.locator("#map-list").get_by_text("单元门口电动车乱停", exact=True).is_visible()
    worker.step("grid map")


def test_the_street_report_carries_the_heat_map(journey):
    places = build_places()
    building = put_on_the_map(places)
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=10)
    reported = timezone.make_aware(
        timezone.datetime.combine(last_month, timezone.datetime.min.time().replace(hour=10))
    )
    for n in range(3):
        issue_report(
            actor=places.staff,
            community=places.community,
            category=places.category,
            title=f"北门消防通道被占{n}",
            description="停满私家车。",
            channel=Channel.ONLINE,
            building=building,
            reported_at=reported + timedelta(hours=n),
        )
    admin = journey("street-admin")
    admin.login("jiedao")
    open_menu(admin.page, "统计报表", "月度报表")
    heat = admin.page.locator("svg.report-heat-map")
    heat.wait_for()
    assert heat.locator("title").text_content() == "各小区收到的议题"
    assert "澳海熙园 3" in heat.locator("desc").text_content()
    assert admin.page.get_by_role("img", name="各小区收到的议题").is_visible()
    heat.scroll_into_view_if_needed()
    admin.step("street report with its heat map")


def test_staff_place_a_compound_and_draw_its_outline_on_the_map(journey, settings):
    # A community none of whose places is on the map yet: the picker opens on the city.
    settings.MAP_CENTRE = "38.4545,106.2130"
    settings.MAP_ZOOM = 17
    places = build_places()
    staff = journey("staff")
    staff.login("lizhuren")
    page = staff.page
    open_menu(page, "社区", "社区")
    row = page.locator("tr", has_text="澳海熙园")
    assert row.get_by_text("尚未标注").is_visible()
    click_and_wait(page, row.get_by_role("link", name="修改"))
    page.locator("[data-map-ready]").wait_for()
    staff.step("compound form with its map")

    box = page.locator(".yishi-map").bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(*middle)
    assert page.locator("input[name=latitude]").input_value()
    assert page.get_by_text("已设定位置").is_visible()
    page.get_by_role("button", name="描绘轮廓").click()
    for dx, dy in ((-80, -60), (80, -60), (80, 60), (-80, 60)):
        page.mouse.click(middle[0] + dx, middle[1] + dy)
    page.get_by_text("轮廓：4 个角点").wait_for()
    page.get_by_role("button", name="撤销上一个角点").click()
    page.get_by_text("轮廓：3 个角点").wait_for()
    page.mouse.click(middle[0] - 80, middle[1] + 60)
    staff.step("position and outline drawn")
    click_and_wait(page, page.get_by_role("button", name="保存"))
    compound = type(places.compound).objects.get(pk=places.compound.pk)
    assert compound.latitude is not None and len(compound.outline["coordinates"][0]) == 5
    assert geo.point_in_polygon(compound.latitude, compound.longitude, compound.outline)
    assert geo.haversine_m(compound.latitude, compound.longitude, 38.4545, 106.2130) < 50
    assert page.locator("tr", has_text="澳海熙园").get_by_text("已标位置和轮廓").is_visible()
    staff.step("compound placed")
