"""Everyday work around the ten stories: issues over the last thirteen months in every
community (all channels, categories and states, some overdue, some deferred), a monthly
council that deliberates some of them, meetings next week, and the stored monthly reports.
Built through the services; deterministic; idempotent per community."""

import random
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from issues import services as issues
from issues.models import (
    Channel,
    DeliberationLevel,
    EscalationMode,
    HotlineType,
    Issue,
    PositionSource,
)
from meetings import services as meetings
from meetings.models import Form, Meeting
from meetings.models import ParticipantRole as R
from notifications.models import Notification
from reports.services import snapshots_backfill

from . import geography, reaching
from .clock import ago, ahead, local
from .kit import (
    ANSWER,
    CONSENSUS,
    FOR,
    FREE,
    IN_TURN,
    OTHER,
    WRITTEN,
    adopt,
    agenda_item,
    category,
    close_after_period,
    finish_item,
    head,
    hold_meeting,
    transition,
    worker,
    worker_of,
)

# (category code, title, description, what was done: on the spot or as the agreed measure);
# {place} is a building of the community.
TEMPLATES = [
    (
        "drainage",
        "{place}门前雨水井堵塞",
        "下雨后单元门口积水，居民进出不便。",
        "物业疏通雨水井并清理井篦杂物，雨后复查无积水",
    ),
    (
        "tree_trimming",
        "{place}旁树枝遮挡路灯",
        "树枝过密挡住路灯，夜间通行不安全。",
        "物业绿化工修剪遮挡路灯的树枝，路灯照明恢复",
    ),
    (
        "fire_lane",
        "{place}消防通道停放车辆",
        "消防通道经常停车，存在安全隐患。",
        "物业施划消防通道标线、张贴禁停提示，联系车主挪车",
    ),
    (
        "parking",
        "{place}附近停车位不足",
        "晚上停车难，车辆乱停影响通行。",
        "物业利用边角空地增划临时停车位12个，夜间安排专人引导停车",
    ),
    (
        "ground_locks",
        "{place}前私装地锁",
        "有住户私装地锁占用公共车位。",
        "网格员入户劝导，住户自行拆除地锁，车位恢复公共使用",
    ),
    (
        "noise",
        "{place}楼上夜间装修噪音",
        "晚上十点后仍在装修，影响休息。",
        "网格员联系装修户，约定每天8:00—12:00、14:00—18:00施工，夜间不再施工",
    ),
    (
        "stairwell_clutter",
        "{place}楼道堆放杂物",
        "楼道堆放旧家具和纸箱，影响通行和消防安全。",
        "楼栋长和网格员逐户劝导，清理楼道旧家具、纸箱约2车",
    ),
    (
        "charging",
        "{place}飞线充电",
        "有住户从楼上拉电线给电动车充电，存在火灾隐患。",
        "拆除飞线，引导住户到小区集中充电桩充电，并开展消防安全宣传",
    ),
    (
        "elevator",
        "{place}加装电梯意见征集",
        "多户老人希望加装电梯，需征求全体住户意见。",
        "逐户征求意见，同意率达到三分之二以上，协助住户向住建部门提交加装电梯申请",
    ),
    (
        "renovation",
        "{place}外墙保温层脱落",
        "外墙保温层大面积脱落，担心砸伤行人。",
        "物业设置警戒区，申请维修资金修补脱落保温层",
    ),
    (
        "property_service",
        "{place}单元门禁损坏",
        "单元门禁坏了半个月，物业迟迟未修。",
        "物业更换门禁主板和电磁锁，门禁恢复使用",
    ),
    (
        "neighbour_dispute",
        "{place}邻里因漏水发生纠纷",
        "楼上漏水殃及楼下，双方协商不成。",
        "网格员和人民调解员上门调解，楼上住户维修防水层并赔偿楼下损失，双方签订调解协议",
    ),
    (
        "family_dispute",
        "{place}家庭赡养纠纷调解",
        "子女对老人赡养问题意见不一，请求社区调解。",
        "社区调解员召集子女协商，约定轮流照顾老人并按月分担生活费",
    ),
    (
        "special_need",
        "{place}独居老人需要助餐服务",
        "老人行动不便，希望社区协调助餐。",
        "为老人办理社区助餐卡，志愿者每天中午送餐上门",
    ),
    (
        "other",
        "{place}小广场健身器材损坏",
        "健身器材螺丝松动，存在安全隐患。",
        "物业紧固、更换损坏的健身器材部件，张贴安全使用提示",
    ),
    (
        "property_service",
        "{place}垃圾清运不及时",
        "垃圾桶满溢，夏天气味大。",
        "物业增加垃圾清运频次至每日两次，垃圾桶定期清洗消毒",
    ),
    (
        "drainage",
        "{place}化粪池外溢",
        "化粪池堵塞外溢，急需处理。",
        "物业联系吸污车清掏化粪池，疏通排污管道并消杀",
    ),
]

CHANNELS = [
    Channel.GRID_PATROL,
    Channel.VISIT,
    Channel.WALK_IN,
    Channel.PHONE,
    Channel.HOTLINE,
    Channel.ONLINE,
    Channel.ON_SITE,
    Channel.GRID_PATROL,
    Channel.HOTLINE,
    Channel.ONLINE,
]

PER_COMMUNITY = 34

# Ratings the reporters give at the revisit after closure (回访): mostly satisfied.
RATINGS = ["satisfied"] * 7 + ["basic"] * 2
RATING_WORDS = {
    "satisfied": "回访报告人，问题已解决，表示满意。",
    "basic": "回访报告人，问题基本解决，希望物业日常多巡查。",
}


def _plan(key, buildings):
    """The background issues of one community: (days ago, template, channel, fate)."""
    rng = random.Random(f"yishi-demo-{key}")
    plan = []
    for n in range(PER_COMMUNITY):
        days = int(395 * (1 - n / PER_COMMUNITY)) - rng.randint(0, 8)
        days = max(days, 2)
        template = TEMPLATES[rng.randrange(len(TEMPLATES))]
        channel = CHANNELS[rng.randrange(len(CHANNELS))]
        place = buildings[rng.randrange(len(buildings))]
        roll = rng.random()
        if days <= 3:
            fate = "reported" if roll < 0.6 else "accepted"
        elif days <= 6:
            # Accepted within the handling limit (five working days).
            fate = rng.choice(["accepted", "on_spot"])
        elif days <= 25:
            # The few deliberately overdue cases are recent: a week or two past the limit.
            fate = "overdue" if roll < 0.12 else rng.choice(["on_spot", "on_spot", "deliberate"])
        elif days <= 70:
            fate = rng.choice(
                [
                    "on_spot",
                    "on_spot",
                    "on_spot",
                    "deferred",
                    "escalated",
                    "deliberate",
                    "rejected",
                    "merged",
                ]
            )
        else:
            fate = rng.choice(
                [
                    "on_spot",
                    "on_spot",
                    "on_spot",
                    "deliberate",
                    "deliberate",
                    "rejected",
                    "merged",
                    "escalated_closed",
                ]
            )
        if fate == "escalated" and days > 40:
            fate = "escalated_closed"
        plan.append((days, template, channel, place, fate, rng.randint(8, 17)))
    # Last evening's and this morning's reports, still waiting for triage (within the
    # acceptance limit of eight working hours).
    for days, hour in ((1, 19), (0, 7)):
        template = TEMPLATES[rng.randrange(len(TEMPLATES))]
        place = buildings[rng.randrange(len(buildings))]
        plan.append((days, template, rng.choice(CHANNELS), place, "reported", hour))
    return plan


def build(world, clock):
    from communities.models import Building

    for key, community in world.communities.items():
        buildings = list(
            Building.objects.filter(compound__community=community)
            .select_related("compound")
            .order_by("pk")
        )
        plan = _plan(key, [f"{b.compound.name}{b.name}" for b in buildings])
        first = plan[0]
        if Issue.objects.filter(
            community=community, title=first[1][1].format(place=first[3])
        ).exists():
            continue
        by_name = {f"{b.compound.name}{b.name}": b for b in buildings}
        to_council = []
        closed = []
        previous = None
        for n, (days, (code, title, text, done), channel, place, fate, hour) in enumerate(plan):
            issue = _one(
                world,
                clock,
                key,
                community,
                n,
                days,
                code,
                title.format(place=place),
                text,
                done,
                channel,
                by_name[place],
                fate,
                hour,
                previous,
            )
            if fate == "deliberate":
                to_council.append((days, issue, done))
            if issue.status == "closed":
                closed.append(issue)
            if issue.status not in ("merged", "rejected", "closed"):
                previous = issue
        closed += _councils(world, clock, key, community, to_council)
        _revisits(world, clock, key, closed)
        _visits(world, clock, key, community)
    extra(world, clock)
    practice(world, clock)


def _one(
    world,
    clock,
    key,
    community,
    n,
    days,
    code,
    title,
    text,
    done,
    channel,
    building,
    fate,
    hour,
    previous,
):
    staff = head(world, key)
    grid_worker = worker(world, key)
    when = ago(days, hour, (n * 7) % 60)
    clock.at(when)
    resident = community.residents.filter(household__unit__building=building).order_by("pk").first()
    extra = {}
    if channel == Channel.HOTLINE:
        extra = {
            "hotline_type": [
                HotlineType.COMPLAINT,
                HotlineType.HELP,
                HotlineType.SUGGESTION,
                HotlineType.INQUIRY,
                HotlineType.REPORT,
            ][n % 5],
            "hotline_ticket": f"YC{timezone.localtime(when):%Y%m%d}{community.pk:02d}{n:03d}",
            "hotline_answer_by": when + timedelta(days=2),
        }
    actor = grid_worker if channel in (Channel.GRID_PATROL, Channel.VISIT) else staff
    if channel in (Channel.GRID_PATROL, Channel.ONLINE) and building.latitude is not None:
        # Reported from a phone in the courtyard: its own position, near the building.
        rng = random.Random(f"yishi-demo-position-{key}-{n}")
        lat, lng = geography.jitter(building.latitude, building.longitude, 25, rng)
        extra.update(
            latitude=lat,
            longitude=lng,
            position_accuracy=rng.randint(5, 30),
            position_source=PositionSource.DEVICE,
        )
    issue = issues.issue_report(
        actor=actor,
        community=community,
        category=category(code),
        title=title,
        description=text,
        channel=channel,
        building=building,
        urgency="urgent" if code == "drainage" and n % 3 == 0 else "normal",
        # The 12345 work order names the caller, a resident of the building.
        reporter_resident=resident,
        reported_at=when,
        **extra,
    )
    if fate == "reported":
        return issue
    if fate == "rejected":
        transition(
            clock,
            when + timedelta(hours=3),
            issue,
            "reject",
            staff,
            note="经核实不属于社区职责范围，已告知反映人向相关部门反映。",
        )
        return issue
    if fate == "merged":
        if previous is not None:
            clock.at(when + timedelta(hours=2))
            issues.issue_merge(issue=issue, into=previous, actor=staff, note="重复反映，合并办理")
            return Issue.objects.get(pk=issue.pk)
        # Nothing open to merge into: handled like most, on the spot.
        fate = "on_spot"
    issue = transition(clock, when + timedelta(hours=2), issue, "accept", staff)
    if fate in ("accepted", "overdue"):
        if fate == "overdue":
            clock.at(when + timedelta(days=2))
            issues.issue_comment(
                issue=issue,
                actor=worker_of(issue, grid_worker),
                text="已现场查看，正在联系产权单位，尚未答复。",
            )
        return issue
    if fate == "on_spot":
        return transition(
            clock,
            when + timedelta(days=1 + n % 2, hours=3),
            issue,
            "handle_on_spot",
            worker_of(issue, staff) if n % 2 else staff,
            note=f"现场直办：{done}。",
        )
    if fate == "deferred":
        return transition(
            clock,
            when + timedelta(days=3),
            issue,
            "defer",
            staff,
            note="需等待老旧小区改造项目统一实施，经书记批准缓办。",
        )
    if fate in ("escalated", "escalated_closed"):
        clock.at(when + timedelta(days=1))
        issue = issues.issue_escalate(
            issue=issue,
            actor=staff,
            note="涉及多个产权单位，社区无法单独解决，书记领办。",
            escalation_mode=EscalationMode.CADRE,
            lead_cadre=staff,
        )
        if fate == "escalated_closed":
            transition(clock, when + timedelta(days=12), issue, "complete", staff, note=f"{done}。")
            issue = Issue.objects.get(pk=issue.pk)
            issue = transition(clock, when + timedelta(days=20), issue, "close", staff)
        return issue
    # deliberate: goes to the next council.
    return transition(
        clock,
        when + timedelta(hours=4),
        issue,
        "send_to_deliberation",
        staff,
        deliberation_level=DeliberationLevel.COMMUNITY,
    )


def _council_days(community, first_days_ago):
    """The days the community's council met: its fixed monthly day (月度议事会) in every
    past month of the year shown; otherwise a council a week or two after issues wait."""
    today = timezone.localdate()
    day = community.monthly_council_day
    if not day:
        return None
    dates = []
    year, month = today.year, today.month
    while True:
        held = today.replace(year=year, month=month, day=day)
        if held < today:
            if (today - held).days > first_days_ago:
                break
            dates.append(held)
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return sorted(dates)


def _councils(world, clock, key, community, to_council):
    """Take the issues waiting for deliberation to the community's councils: on its fixed
    day every month where it has one, else a week or two after they wait. Returns the
    issues the councils' work closed."""
    staff = head(world, key)
    grid_worker = worker(world, key)
    reps = list(community.residents.filter(is_representative=True).order_by("pk")[:4])
    if len(reps) < 4:
        reps += list(
            community.residents.filter(is_representative=False).order_by("pk")[: 4 - len(reps)]
        )
    fixed = _council_days(community, 395)
    batches = []
    if fixed:
        # Every month's council, with the issues that waited for it (reported at least
        # four days before) and the standing report on last month's matters.
        today = timezone.localdate()
        ago_days = [(today - held).days for held in fixed]  # oldest council first
        waiting = {days: [] for days in ago_days}
        for reported, issue, done in to_council:
            # The first council at least four days after the report takes it up.
            later = [days for days in ago_days if reported - days >= 4]
            if later:
                waiting[later[0]].append((issue, done))
        batches = [(days, waiting[days]) for days in ago_days]
        form = Form.MONTHLY_COUNCIL
    else:
        for days, issue, done in sorted(to_council, key=lambda triple: -triple[0]):
            if batches and batches[-1][0] - days < 20 and len(batches[-1][1]) < 3:
                batches[-1][1].append((issue, done))
            else:
                batches.append((days + 10, [(issue, done)]))
        batches = [(days - 10, batch) for days, batch in batches]
        form = Form.PARTY_MASS_COUNCIL
    closed = []
    for held, batch in batches:
        if held < (1 if fixed else 2):
            continue  # still waiting for the next council
        start = ago(held, 15)
        held_on = timezone.localdate(start)
        title = (
            f"{community.name}{held_on.month}月“左邻右舍”议事会"
            if key == "zhongqiangxiang"
            else f"{community.name}{held_on.month}月议事会"
            if fixed
            # Councils called when matters wait: named by their day (two in a month occur).
            else f"{community.name}{held_on.month}月{held_on.day}日党群议事会"
        )
        agenda = []
        if fixed:
            agenda.append(
                {
                    "title": "通报上月议定事项落实情况",
                    "opinions": [
                        (
                            0,
                            "",
                            ANSWER,
                            OTHER,
                            "上月议定事项已全部落实，整改照片已在公示栏公示。",
                            120,
                        ),
                        (1, "", FREE, OTHER, "整改效果不错，希望常态化保持。", 40),
                    ],
                    "outcome": CONSENSUS,
                    "outcome_text": "与会居民代表对上月事项落实情况无异议。",
                }
            )
        agenda += [
            {
                "issue": issue,
                "opinions": [
                    (1, "", IN_TURN, OTHER, f"{issue.description}楼里不少邻居都在问。", 90),
                    (2, "", IN_TURN, OTHER, "建议先摸清情况，分步实施，费用要公开。", 60),
                    (3, "", FREE, OTHER, "同意，整改时请居民代表一起去看看。", 40),
                    (0, "", ANSWER, OTHER, f"社区协调责任单位：{done}，明确完成时限。", 60),
                ],
                "outcome": CONSENSUS,
                "outcome_text": f"{done}；社区跟踪督办，居民代表监督。",
            }
            for issue, done in batch
        ]
        meeting = hold_meeting(
            clock,
            actor=staff,
            community=community,
            form=form,
            title=title,
            venue=f"{community.name}党群服务中心议事室",
            start=start,
            participants=[{"role": R.REPRESENTATIVE, "resident": r} for r in reps]
            + [{"role": R.GRID_WORKER, "user": grid_worker}],
            agenda=agenda,
            # Yesterday's council: its minutes are still a draft.
            close=held >= 2,
            summary=f"本月议事会共议定{len(batch)}项居民关心的问题，整改责任和时限已明确，欢迎居民监督。"
            if batch
            else "本月议事会通报了上月议定事项的落实情况，居民代表无异议。",
        )
        for issue, done in batch:
            organization = community.organizations.filter(kind="property").first()
            responsible = (
                {"responsible_organization": organization}
                if organization
                else {"responsible_user": grid_worker}
            )
            day = timezone.localdate(start)
            resolution = adopt(
                clock,
                start + timedelta(hours=3),
                actor=staff,
                agenda_item=agenda_item(meeting, issue),
                text=f"关于“{issue.title}”：{done}。由责任单位限期整改，社区跟踪督办，居民代表监督。",
                legal=False,
                items=[
                    {
                        **responsible,
                        "measure": done,
                        "starts_on": day + timedelta(days=1),
                        "deadline": day + timedelta(days=10),
                    }
                ],
            )
            item = resolution.items.get()
            if held > 20:
                finish_item(
                    clock,
                    start + timedelta(days=6 + issue.pk % 4),
                    item,
                    reporter=staff,
                    checker=staff,
                    text=f"整改完成：{done}，现场照片已存档。",
                    check_text="居民代表随同社区现场查看，已整改到位。",
                )
                close_after_period(clock, start + timedelta(days=20), issue, actor=staff)
                closed.append(issue)
            elif held > 8:
                clock.at(start + timedelta(days=4))
                from resolutions import services as resolutions

                resolutions.progress_report(
                    actor=staff, item=item, text="已进场施工，完成约一半。", percent=50
                )
    return closed


def _revisits(world, clock, key, closed):
    """The revisit after closure (事后回访): the grid worker asks the reporter how
    satisfied they are, a few days after closing (most cases; some reporters cannot be
    reached)."""
    from resolutions import services as resolutions
    from resolutions.models import Revisit

    staff = head(world, key)
    for n, issue in enumerate(closed):
        issue = Issue.objects.select_related("grid").get(pk=issue.pk)
        if issue.reporter_resident_id is None or n % 10 == 9:
            continue
        # closed_at is still the real moment: the clock says when it is meant to be.
        closed_on = timezone.localdate(clock.moved(issue.closed_at))
        when = local(closed_on + timedelta(days=3), 10)
        if when > timezone.now() - timedelta(hours=2):
            continue
        clock.at(when)
        rating = RATINGS[(issue.pk + n) % len(RATINGS)]
        resolutions.revisit_record(
            actor=worker_of(issue, staff),
            issue=issue,
            method=Revisit.Method.PHONE if n % 3 else Revisit.Method.VISIT,
            findings=RATING_WORDS[rating],
            rating=rating,
            visited_at=when,
        )


# What grid workers find when they visit the special groups of their grid each month.
VISIT_NOTES = [
    "老人身体状况平稳，家中水电燃气安全，已测血压。",
    "老人精神状态良好，提醒冬季取暖注意通风防煤气中毒。",
    "帮助老人更换了厨房灯泡，留下网格员联系电话。",
    "老人反映腿疼，已联系社区卫生服务站医生上门随访。",
    "家中安全，子女每周回来看望，老人无其他需求。",
]


def _visits(world, clock, key, community):
    """Each grid worker's monthly visits (入户走访) to the special-group households of
    their own grid over the last three months (民生社区's visits on the 5th are story 10)."""
    from accounts.models import Role
    from communities.models import Resident

    today = timezone.localdate()
    workers = community_workers(community)
    for worker_user in workers:
        grids = list(worker_user.grids.order_by("pk"))
        if worker_user.username == "naxiaomei":
            # Her visits on the 5th are story 10's; her patrols are like everyone's.
            _patrol(clock, worker_user, grids[0])
            continue
        people = list(
            Resident.objects.filter(grid__in=grids, archived_at__isnull=True)
            .filter(
                Q(is_elderly_alone=True)
                | Q(is_disabled=True)
                | Q(is_low_income=True)
                | Q(is_very_old=True)
            )
            .exclude(household__isnull=True)
            # The elderly first: the monthly visits are above all theirs.
            .order_by("-is_elderly_alone", "-is_very_old", "pk")[:3]
        )
        assert worker_user.role == Role.GRID_WORKER
        _patrol(clock, worker_user, grids[0])
        for months in (3, 2, 1):
            first = (today.replace(day=1) - timedelta(days=28 * months - 1)).replace(day=1)
            for n, resident in enumerate(people):
                visited = local(first + timedelta(days=5 + n), 9 + n, 30)
                if visited > timezone.now():
                    continue
                clock.at(visited)
                issues.visit_record(
                    actor=worker_user,
                    household=resident.household,
                    residents_seen=[resident],
                    visited_at=visited,
                    findings=f"{resident.name}：{VISIT_NOTES[(resident.pk + months) % len(VISIT_NOTES)]}",
                )


PATROL_FINDINGS = [
    "单元门口电动车乱停，已现场劝导挪走。",
    "消防栓箱门损坏，已告知物业维修。",
    "绿化带内有建筑垃圾，已联系物业清运。",
]


def _patrol(clock, worker_user, grid):
    """The worker's last patrol of their grid, two days ago (日常巡查): the route their
    phone recorded past the grid's buildings, and what they found on the way, each where
    the phone was."""
    from communities.models import Building

    started = ago(2, 9, 30)
    clock.at(started)
    patrol = issues.patrol_start(
        actor=worker_user, grid=grid, route_notes=f"{grid.name}日常巡查", started_at=started
    )
    stops = list(
        Building.objects.filter(Q(grids=grid) | Q(compound__grids=grid), latitude__isnull=False)
        .distinct()
        .select_related("compound")
        .order_by("compound__name", "pk")[:8]
    )
    rng = random.Random(f"yishi-demo-patrol-{grid.code}")
    points, minute = [], 0
    for stop, following in zip(stops, stops[1:] + stops[-1:], strict=True):
        # Walking from one building to the next, a point every minute or so.
        for step in range(4):
            lat = (
                float(stop.latitude) + (float(following.latitude) - float(stop.latitude)) * step / 4
            )
            lng = (
                float(stop.longitude)
                + (float(following.longitude) - float(stop.longitude)) * step / 4
            )
            lat, lng = geography.jitter(lat, lng, 6, rng)
            points.append(
                {
                    "recorded_at": started + timedelta(minutes=minute, seconds=rng.randint(0, 40)),
                    "latitude": lat,
                    "longitude": lng,
                    "accuracy": rng.randint(5, 18),
                }
            )
            minute += 2
    if points:
        issues.track_record(actor=worker_user, patrol=patrol, points=points)
    for number, stop in enumerate(stops[1:][:: max(1, len(stops) // 3)][:3] or [None]):
        text = PATROL_FINDINGS[(worker_user.pk + number) % len(PATROL_FINDINGS)]
        found = started + timedelta(minutes=15 + 20 * number)
        position = {}
        if stop is not None:
            lat, lng = geography.jitter(stop.latitude, stop.longitude, 12, rng)
            position = {"latitude": lat, "longitude": lng, "position_accuracy": rng.randint(6, 15)}
        issues.finding_record(
            actor=worker_user,
            patrol=patrol,
            text=text,
            compound=stop.compound if stop is not None else None,
            building=stop,
            found_at=found,
            **position,
        )
    clock.at(started + timedelta(minutes=max(minute, 90)))
    issues.patrol_end(actor=worker_user, patrol=patrol)


def community_workers(community):
    from accounts.models import User

    return list(
        User.objects.filter(role="grid_worker", grids__community=community, is_active=True)
        .distinct()
        .order_by("username")
    )


EXTRA_TITLE = "澳海熙园地下车库照明损坏、积水"


def extra(world, clock):
    """An item the property company (aohai_sunli) is working on this week."""
    key = "fenglinwan"
    community = world.communities[key]
    if Issue.objects.filter(community=community, title=EXTRA_TITLE).exists():
        return
    staff = world.users["tanyanhong"]
    when = ago(9, 10)
    clock.at(when)
    issue = issues.issue_report(
        actor=staff,
        community=community,
        category=category("property_service"),
        title=EXTRA_TITLE,
        description="地下车库B区十余盏灯不亮，雨后坡道积水，业主多次在群里反映。",
        channel=Channel.ONLINE,
        compound=world.compounds[(key, "澳海熙园")],
        reporter_resident=world.people["gao_wenjun"],
        reported_at=when,
    )
    issue = transition(clock, when + timedelta(hours=1), issue, "accept", staff)
    clock.at(when + timedelta(hours=3))
    issue = issues.issue_escalate(
        issue=issue,
        actor=staff,
        note="物业长期未整改，社区副主任领办督促。",
        escalation_mode=EscalationMode.CADRE,
        lead_cadre=staff,
    )
    day = timezone.localdate(when)
    resolution = adopt(
        clock,
        when + timedelta(days=1),
        actor=staff,
        issue=issue,
        legal=False,
        text="物业限期更换地下车库损坏灯具，疏通坡道排水沟，社区跟踪督办。",
        items=[
            {
                "responsible_organization": world.organizations["property_aohai"],
                "measure": "更换B区损坏灯具14盏，疏通坡道截水沟",
                "starts_on": day + timedelta(days=1),
                "deadline": timezone.localdate() + timedelta(days=3),
            }
        ],
    )
    from resolutions import services as resolutions

    clock.at(ago(2, 17))
    resolutions.progress_report(
        actor=world.users["aohai_sunli"],
        item=resolution.items.get(),
        text="已更换灯具9盏，截水沟清淤完成一半。",
        percent=60,
    )


def after_clock(world, clock):
    """What happens 'now': meetings next week, the monthly reports, older notices read."""
    _upcoming(world)
    _upcoming_joint_meeting(world)
    reaching.after_clock(world)
    _snapshots(world)
    _reminders()
    Notification.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=10), read_at__isnull=True
    ).update(read_at=timezone.now())


def _upcoming(world):
    plans = [
        (
            "fenglinwan",
            Form.PROPERTY_JOINT,
            "澳海熙园物业联席会：停车管理与消防通道巡查回头看",
            "枫林湾社区议事室",
            3,
            15,
            [
                ("contact", "property_aohai", "孙丽", R.PROPERTY),
                ("user", "liujianhua", "", R.REPRESENTATIVE),
                # Residents without an account: SMS with a personal link, or a slip.
                *(
                    ("resident", resident, "", R.RESIDENT)
                    for resident in reaching.residents_for_the_property_meeting(world)
                ),
            ],
        ),
        (
            "zhonghua",
            Form.PARTY_BUILDING_JOINT,
            "第四季度党建联席会议",
            "中华社区党群服务中心",
            5,
            9,
            [
                ("contact", "cobuild_cmb_wuzhong", "李晓雯", R.CO_BUILDING),
                ("user", "wuhaitao", "", R.RESIDENT),
            ],
        ),
        (
            "jinyu",
            Form.BUILDING_COUNCIL,
            "华雁湖畔A区3号楼电动车充电桩议事会",
            "3号楼楼下议事长廊",
            4,
            19,
            [("user", "lawyer_du", "", R.LEGAL)],
        ),
        (
            "shuofang",
            Form.PARTY_MASS_COUNCIL,
            "鑫源火锅店排风扇移位方案协调会",
            "朔方社区议事室",
            2,
            15,
            [
                ("user", "maihongmei", "", R.RESIDENT),
                ("contact", "merchant_xinyuan", "丁鑫", R.MERCHANT),
            ],
        ),
        (
            "zhongqiangxiang",
            Form.MONTHLY_COUNCIL,
            "左邻右舍月度议事会",
            "中强巷社区议事室",
            _days_to_council_day(world.communities["zhongqiangxiang"]),
            15,
            [
                ("user", "quanzhanzhong", "", R.REPRESENTATIVE),
                ("user", "mahuadong", "", R.LAW_ENFORCEMENT),
            ],
        ),
    ]
    plans.append(
        (
            "minsheng",
            Form.MONTHLY_COUNCIL,
            "民生社区月度党群议事会（每月5号）",
            "民生社区议事室",
            _days_to_council_day(world.communities["minsheng"]),
            15,
            [("user", "dingwanfu", "", R.RESIDENT)],
        )
    )
    for key, form, title, venue, days, hour, people in plans:
        community = world.communities[key]
        if Meeting.objects.filter(community=community, title=title).exists():
            continue
        staff = head(world, key)
        start = ahead(days, hour)
        meeting = meetings.meeting_create(
            actor=staff,
            community=community,
            form=form,
            title=title,
            venue=venue,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        )
        meetings.participant_add(
            actor=staff, meeting=meeting, role=R.GRID_WORKER, user=worker(world, key)
        )
        for kind, ref, name, role in people:
            if kind == "user":
                meetings.participant_add(
                    actor=staff, meeting=meeting, role=role, user=world.users[ref]
                )
            elif kind == "resident":
                meetings.participant_add(actor=staff, meeting=meeting, role=role, resident=ref)
            else:
                meetings.participant_add(
                    actor=staff, meeting=meeting, role=role, contact=world.contact(ref, name)
                )
        meetings.meeting_invite(actor=staff, meeting=meeting)


def _days_to_council_day(community):
    """Days from today to the community's next fixed monthly council (today counts when
    the council is still ahead)."""
    today = timezone.localdate()
    day = community.monthly_council_day
    upcoming = today.replace(day=day)
    if upcoming <= today:
        upcoming = (today.replace(day=1) + timedelta(days=32)).replace(day=day)
    return (upcoming - today).days


def _upcoming_joint_meeting(world):
    """西湖社区's next quarterly party-building joint meeting, its agenda set."""
    community = world.communities["xihu"]
    today = timezone.localdate()
    day = next(
        today.replace(year=year, month=month, day=16)
        for year in (today.year, today.year + 1)
        for month in (2, 5, 8, 11)
        if today.replace(year=year, month=month, day=16) > today
    )
    title = f"{day.year}年第{(day.month - 1) // 3 + 1}季度党建联席会议"
    if Meeting.objects.filter(community=community, title=title).exists():
        return
    staff = head(world, "xihu")
    start = local(day, 9, 30)
    meeting = meetings.meeting_create(
        actor=staff,
        community=community,
        form=Form.PARTY_BUILDING_JOINT,
        title=title,
        venue="西湖社区党群服务中心会议室",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    for agenda_title in (
        "通报上季度共建清单落实情况",
        "确定下一年度“一书三单”：资源清单、需求清单、项目清单",
        "老年人防范电信诈骗讲座安排",
    ):
        meetings.agenda_item_add(actor=staff, meeting=meeting, title=agenda_title)
    for org, name in (
        ("cobuild_housing_yinchuan", "马晓东"),
        ("cobuild_huanghe_bank", "王丽"),
        ("cobuild_ningxia_bank", "李娜"),
        ("cobuild_szs_bank", "杨帆"),
    ):
        meetings.participant_add(
            actor=staff, meeting=meeting, role=R.CO_BUILDING, contact=world.contact(org, name)
        )
    meetings.participant_add(
        actor=staff, meeting=meeting, role=R.REPRESENTATIVE, resident=world.people["na_hongming"]
    )
    meetings.participant_add(
        actor=staff, meeting=meeting, role=R.GRID_WORKER, user=worker(world, "xihu")
    )
    meetings.meeting_invite(actor=staff, meeting=meeting)


def _reminders():
    """Today's reminders, as the beat would send them within the hour: deadlines and
    overdue items, evaluation requests, publications ending, revisits due, tomorrow's
    meetings. Each is sent once, so running the demo again sends nothing new."""
    from issues import reminders as issue_reminders
    from meetings import reminders as meeting_reminders
    from resolutions import reminders as resolution_reminders

    issue_reminders.issue_deadlines()
    resolution_reminders.action_item_deadlines()
    resolution_reminders.action_item_overdue()
    resolution_reminders.evaluation_requests()
    resolution_reminders.publication_ending()
    resolution_reminders.revisits_due()
    meeting_reminders.meeting_reminders()


def _snapshots(world):
    snapshots_backfill(months=12, actor=world.users["admin"])


# ------------------------------------------------------------------ 西湖社区's practice

XIHU_ISSUE = "西湖苑小区楼道和绿地乱堆乱放"

# The quarterly party-building joint meeting (党建联席会议): (month of the quarter's
# meeting, its agenda: title, what the co-building units said, the written forms, outcome).
JOINT_AGENDAS = {
    2: [
        (
            "年度共建清单：各共建单位认领资源和项目",
            "住房保障中心今年继续派政策宣讲员进社区，协助西湖苑二期公共设施维修。",
            "建议把低保户的需求单独列出来，方便银行对接。",
            "形成个性化共建清单：住房保障中心认领政策宣讲和设施维修，黄河农商行认领绿色信用贷款和爱心包裹。",
        ),
        (
            "为外卖、快递、网约车等新就业群体打造微型党建服务角",
            "黄河农商行可以捐赠饮水机和微波炉，提供饮水、歇脚、餐食加热。",
            "服务角放在社区一楼东边，再增设党建书刊。",
            "在社区一楼东侧打造微型党建服务角，3月底前投入使用。",
        ),
    ],
    5: [
        (
            "绿色信用贷款进社区",
            "失地农民和想创业的青年、妇女缺启动资金，银行可以上门受理绿色信用贷款。",
            "希望每月固定一天在社区受理，方便上班的人。",
            "每月第二个周三，黄河农商行在社区现场受理绿色信用贷款。",
        ),
    ],
    8: [
        (
            "西湖苑拆迁安置居民户籍迁移",
            "原丰登镇西湖村、新联村安置在西湖苑的居民户籍还没迁过来，办事不方便。",
            "请派出所集中来社区办理，老人行动不便的上门办理。",
            "协调派出所9月集中为安置居民办理户籍迁移，行动不便的上门办理。",
        ),
    ],
    11: [
        (
            "共建清单落实情况回头看",
            "服务角已投入使用，每天有二三十名外卖小哥歇脚。",
            "防诈骗讲座还没开，年底前要补上。",
            "已完成项目5项，在办3项；防诈骗讲座列入下季度首项。",
        ),
        (
            "冬季低保户、独居老人走访慰问",
            "宁夏银行、石嘴山银行准备了米面油爱心包裹60份。",
            "网格员提供名单，和共建单位一起入户发放。",
            "12月中旬前由网格员带共建单位党员入户发放爱心包裹。",
        ),
    ],
}


def practice(world, clock):
    """西湖社区 follows the practice of the source article: every council speaks in turn,
    then freely, then hands in written opinion forms (意见征求表); the co-building units
    meet every quarter (党建联席会议), on an agenda, to work on the 一书三单."""
    key = "xihu"
    community = world.communities[key]
    if Meeting.objects.filter(community=community, form=Form.PARTY_BUILDING_JOINT).exists():
        return
    staff = head(world, key)
    grid_worker = worker(world, key)
    units = [
        ("cobuild_housing_yinchuan", "马晓东"),
        ("cobuild_huanghe_bank", "王丽"),
        ("cobuild_ningxia_bank", "李娜"),
        ("cobuild_szs_bank", "杨帆"),
    ]
    participants = [
        {"role": R.CO_BUILDING, "contact": world.contact(org, name)} for org, name in units
    ] + [
        {"role": R.PROPERTY, "contact": world.contact("property_yuehai", "郝建军")},
        {"role": R.REPRESENTATIVE, "resident": world.people["na_hongming"]},
        {"role": R.REPRESENTATIVE, "resident": world.people["zhang_zhiyuan"]},
        {"role": R.GRID_WORKER, "user": grid_worker},
    ]
    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        for month, items in JOINT_AGENDAS.items():
            day = today.replace(year=year, month=month, day=16)
            if not (timedelta(days=2) < today - day < timedelta(days=380)):
                continue
            quarter = (month - 1) // 3 + 1
            hold_meeting(
                clock,
                actor=staff,
                community=community,
                form=Form.PARTY_BUILDING_JOINT,
                title=f"{year}年第{quarter}季度党建联席会议",
                venue="西湖社区党群服务中心会议室",
                start=local(day, 9, 30),
                participants=participants,
                agenda=[
                    {
                        "title": title,
                        "opinions": [
                            (1 + n % 4, "", IN_TURN, OTHER, unit_says, 120),
                            (6, "", IN_TURN, OTHER, "居民最盼的是实事落地，请各单位定人定时。", 90),
                            (7, "", FREE, OTHER, residents_say, 60),
                            (
                                5,
                                "",
                                WRITTEN,
                                OTHER,
                                "意见征求表：物业可提供场地并负责日常保洁。",
                                0,
                            ),
                            (
                                0,
                                "",
                                WRITTEN,
                                OTHER,
                                f"收回意见征求表{12 + n * 4}份，梳理意见建议{20 + n}条。",
                                0,
                            ),
                        ],
                        "outcome": CONSENSUS,
                        "outcome_text": outcome,
                    }
                    for n, (title, unit_says, residents_say, outcome) in enumerate(items)
                ],
                summary="党建联席会议按依次发言、自由发言、填写意见征求表三个环节进行，"
                "议定事项已列入共建清单。",
            )
    _xihu_council(world, clock, community, staff, grid_worker)


def _xihu_council(world, clock, community, staff, grid_worker):
    """A party-mass council on the clutter of 西湖苑, raised by the old party member."""
    na = world.people["na_hongming"]
    when = ago(24, 10)
    clock.at(when)
    issue = issues.issue_report(
        actor=staff,
        community=community,
        category=category("stairwell_clutter"),
        title=XIHU_ISSUE,
        description="老党员纳洪明提出：西湖苑是村改居小区，楼道堆放杂物、绿地种菜堆柴的现象严重，"
        "需要做好宣传，让大家逐步接受村改居的生活理念。",
        channel=Channel.ON_SITE,
        compound=world.compounds[("xihu", "西湖苑")],
        reporter_resident=na,
        reported_at=when,
    )
    issue = transition(clock, when + timedelta(hours=1), issue, "accept", staff)
    issue = transition(
        clock,
        when + timedelta(hours=2),
        issue,
        "send_to_deliberation",
        staff,
        deliberation_level=DeliberationLevel.COMMUNITY,
    )
    start = ago(17, 15)
    meeting = hold_meeting(
        clock,
        actor=staff,
        community=community,
        form=Form.PARTY_MASS_COUNCIL,
        title="西湖苑环境整治党群协商议事会",
        venue="西湖社区议事室",
        start=start,
        participants=[
            {"role": R.REPRESENTATIVE, "resident": na},
            {"role": R.REPRESENTATIVE, "resident": world.people["ma_guihua"]},
            {"role": R.REPRESENTATIVE, "resident": world.people["zhang_zhiyuan"]},
            {"role": R.PROPERTY, "contact": world.contact("property_yuehai", "郝建军")},
            {"role": R.GRID_WORKER, "user": grid_worker},
        ],
        agenda=[
            {
                "issue": issue,
                "opinions": [
                    (
                        1,
                        "",
                        IN_TURN,
                        OTHER,
                        "我在西湖苑住了8年，小区越来越好，但乱堆乱放严重，要多做宣传。",
                        150,
                    ),
                    (
                        2,
                        "",
                        IN_TURN,
                        OTHER,
                        "老人习惯在绿地种菜，硬拔会有意见，要给个过渡期。",
                        100,
                    ),
                    (3, "", IN_TURN, OTHER, "建议每栋楼评一评，做得好的表扬。", 80),
                    (4, "", ANSWER, OTHER, "物业每周清理一次楼道，杂物先通知后清理。", 60),
                    (2, "", FREE, OTHER, "种菜的地方可以统一规划一小块“共享菜园”。", 50),
                    (5, "", FREE, OTHER, "网格员可以带党员中心户先从自家做起。", 40),
                    (
                        "居民代表（书面）",
                        R.RESIDENT,
                        WRITTEN,
                        FOR,
                        "同意设共享菜园，绿地其余部分恢复草坪。",
                        0,
                    ),
                    (
                        "居民代表（书面）",
                        R.RESIDENT,
                        WRITTEN,
                        OTHER,
                        "希望楼道里放一个旧物回收箱。",
                        0,
                    ),
                ],
                "outcome": CONSENSUS,
                "outcome_text": "先宣传劝导一个月；物业每周清理楼道；划出共享菜园，其余绿地恢复草坪。",
            }
        ],
        summary="西湖苑环境整治议事会按依次发言、自由发言、填写意见征求表进行，"
        "商定先宣传劝导、物业每周清理楼道、划出共享菜园。",
    )
    day = timezone.localdate(start)
    resolution = adopt(
        clock,
        start + timedelta(hours=3),
        actor=staff,
        agenda_item=agenda_item(meeting, issue),
        legal=False,
        text="西湖苑环境整治：网格员和党员中心户入户宣传劝导一个月；物业每周清理一次楼道；"
        "在小区西侧划出共享菜园，其余绿地恢复草坪。",
        items=[
            {
                "responsible_user": grid_worker,
                "measure": "网格员带党员中心户入户宣传村改居生活理念，劝导清理楼道杂物",
                "starts_on": day + timedelta(days=1),
                "deadline": timezone.localdate() + timedelta(days=14),
            },
            {
                "responsible_organization": world.organizations["property_yuehai"],
                "measure": "物业每周清理一次楼道，划出共享菜园并恢复其余绿地草坪",
                "starts_on": day + timedelta(days=1),
                "deadline": timezone.localdate() + timedelta(days=20),
            },
        ],
    )
    persuade, _garden = resolution.items.order_by("order")
    from resolutions import services as resolutions

    clock.at(ago(6, 17))
    resolutions.progress_report(
        actor=grid_worker,
        item=persuade,
        text="已入户宣传西湖苑1—6号楼，清理楼道杂物14处，党员中心户带头。",
        percent=50,
    )
