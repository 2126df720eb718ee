"""Everyday work around the ten stories: issues over the last thirteen months in every
community (all channels, categories and states, some overdue, some deferred), a monthly
council that deliberates some of them, meetings next week, and the stored monthly reports.
Built through the services; deterministic; idempotent per community."""

import random
from datetime import timedelta

from django.utils import timezone

from issues import services as issues
from issues.models import Channel, DeliberationLevel, EscalationMode, HotlineType, Issue
from meetings import services as meetings
from meetings.models import Form, Meeting
from meetings.models import ParticipantRole as R
from notifications.models import Notification
from reports.services import snapshots_backfill

from .clock import ago, ahead
from .kit import (
    ANSWER,
    CONSENSUS,
    FREE,
    IN_TURN,
    OTHER,
    adopt,
    agenda_item,
    category,
    close_after_period,
    finish_item,
    head,
    hold_meeting,
    transition,
    worker,
)

# (category code, title, description); {place} is a building of the community.
TEMPLATES = [
    ("drainage", "{place}门前雨水井堵塞", "下雨后单元门口积水，居民进出不便。"),
    ("tree_trimming", "{place}旁树枝遮挡路灯", "树枝过密挡住路灯，夜间通行不安全。"),
    ("fire_lane", "{place}消防通道停放车辆", "消防通道经常停车，存在安全隐患。"),
    ("parking", "{place}附近停车位不足", "晚上停车难，车辆乱停影响通行。"),
    ("ground_locks", "{place}前私装地锁", "有住户私装地锁占用公共车位。"),
    ("noise", "{place}楼上夜间装修噪音", "晚上十点后仍在装修，影响休息。"),
    ("stairwell_clutter", "{place}楼道堆放杂物", "楼道堆放旧家具和纸箱，影响通行和消防安全。"),
    ("charging", "{place}飞线充电", "有住户从楼上拉电线给电动车充电，存在火灾隐患。"),
    ("elevator", "{place}加装电梯意见征集", "多户老人希望加装电梯，需征求全体住户意见。"),
    ("renovation", "{place}外墙保温层脱落", "外墙保温层大面积脱落，担心砸伤行人。"),
    ("property_service", "{place}单元门禁损坏", "单元门禁坏了半个月，物业迟迟未修。"),
    ("neighbour_dispute", "{place}邻里因漏水发生纠纷", "楼上漏水殃及楼下，双方协商不成。"),
    ("family_dispute", "{place}家庭赡养纠纷调解", "子女对老人赡养问题意见不一，请求社区调解。"),
    ("special_need", "{place}独居老人需要助餐服务", "老人行动不便，希望社区协调助餐。"),
    ("other", "{place}小广场健身器材损坏", "健身器材螺丝松动，存在安全隐患。"),
    ("property_service", "{place}垃圾清运不及时", "垃圾桶满溢，夏天气味大。"),
    ("drainage", "{place}化粪池外溢", "化粪池堵塞外溢，急需处理。"),
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
        elif days <= 25:
            fate = rng.choice(["accepted", "on_spot", "on_spot", "deliberate", "overdue"])
        elif days <= 70:
            fate = rng.choice(
                [
                    "on_spot",
                    "on_spot",
                    "overdue",
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
        plan.append((days, template, channel, place, fate, rng.randint(8, 18)))
    # This morning's and yesterday's reports, still waiting for triage.
    for days in (1, 0):
        template = TEMPLATES[rng.randrange(len(TEMPLATES))]
        place = buildings[rng.randrange(len(buildings))]
        plan.append((days, template, rng.choice(CHANNELS), place, "reported", 7))
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
        previous = None
        for n, (days, (code, title, text), channel, place, fate, hour) in enumerate(plan):
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
                channel,
                by_name[place],
                fate,
                hour,
                previous,
            )
            if fate == "deliberate":
                to_council.append((days, issue))
            if fate not in ("merged", "rejected"):
                previous = issue
        _councils(world, clock, key, community, to_council)
    extra(world, clock)


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
            "hotline_ticket": f"YC{when:%Y%m%d}{community.pk:02d}{n:03d}",
            "hotline_answer_by": when + timedelta(days=2),
        }
    actor = grid_worker if channel in (Channel.GRID_PATROL, Channel.VISIT) else staff
    issue = issues.issue_report(
        actor=actor,
        community=community,
        category=category(code),
        title=title,
        description=text,
        channel=channel,
        building=building,
        urgency="urgent" if code == "drainage" and n % 3 == 0 else "normal",
        reporter_resident=resident if channel != Channel.HOTLINE else None,
        reporter_name="" if channel != Channel.HOTLINE else "热线来电人",
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
            note="经核实不属于社区职责范围，已告知来电人向相关部门反映。",
        )
        return issue
    if (
        fate == "merged"
        and previous is not None
        and previous.status not in ("closed", "merged", "rejected")
    ):
        clock.at(when + timedelta(hours=2))
        issues.issue_merge(issue=issue, into=previous, actor=staff, note="重复反映，合并办理")
        return issue
    issue = transition(clock, when + timedelta(hours=2), issue, "accept", staff)
    if fate in ("accepted", "overdue", "merged"):
        if fate == "overdue":
            clock.at(when + timedelta(days=2))
            issues.issue_comment(
                issue=issue,
                actor=_worker_of(issue, grid_worker),
                text="已现场查看，正在联系产权单位，尚未答复。",
            )
        return issue
    if fate == "on_spot":
        return transition(
            clock,
            when + timedelta(days=1 + n % 2, hours=3),
            issue,
            "handle_on_spot",
            _worker_of(issue, staff) if n % 2 else staff,
            note="网格员现场协调，已当场处理完毕，居民认可。",
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
            transition(clock, when + timedelta(days=12), issue, "complete", staff)
            issue = Issue.objects.get(pk=issue.pk)
            transition(clock, when + timedelta(days=20), issue, "close", staff)
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


def _worker_of(issue, fallback):
    """The grid worker of the issue's grid (else the fallback)."""
    return (issue.grid and issue.grid.workers.first()) or fallback


def _councils(world, clock, key, community, to_council):
    """Group the issues waiting for deliberation into councils a week or two later."""
    staff = head(world, key)
    grid_worker = worker(world, key)
    reps = list(community.residents.filter(is_representative=True).order_by("pk")[:4])
    if len(reps) < 2:
        reps += list(community.residents.order_by("pk")[: 2 - len(reps)])
    batches = []
    for days, issue in sorted(to_council, key=lambda pair: -pair[0]):
        if batches and batches[-1][0] - days < 20 and len(batches[-1][1]) < 3:
            batches[-1][1].append(issue)
        else:
            batches.append((days, [issue]))
    form = (
        Form.MONTHLY_COUNCIL if key in ("zhongqiangxiang", "minsheng") else Form.PARTY_MASS_COUNCIL
    )
    for days, batch in batches:
        held = days - 10
        if held < 2:
            continue  # still waiting for the next council
        start = ago(held, 15)
        meeting = hold_meeting(
            clock,
            actor=staff,
            community=community,
            form=form,
            title=f"{community.name}{timezone.localdate(start):%-m}月议事会",
            venue=f"{community.name}党群服务中心议事室",
            start=start,
            participants=[{"role": R.REPRESENTATIVE, "resident": r} for r in reps]
            + [{"role": R.GRID_WORKER, "user": grid_worker}],
            agenda=[
                {
                    "issue": issue,
                    "opinions": [
                        (1, "", IN_TURN, OTHER, "居民反映强烈，希望尽快解决。", 90),
                        (2, "", FREE, OTHER, "建议先摸清情况，分步实施。", 60),
                        (0, "", ANSWER, OTHER, "社区协调物业和相关单位，明确责任和时限。", 60),
                    ],
                    "outcome": CONSENSUS,
                    "outcome_text": "明确由物业牵头整改，社区跟踪督办，居民代表监督。",
                }
                for issue in batch
            ],
            summary="本月议事会共议定"
            + str(len(batch))
            + "项居民关心的问题，整改责任和时限已明确，欢迎居民监督。",
        )
        for issue in batch:
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
                text=f"关于“{issue.title}”：由责任单位限期整改，社区跟踪督办，居民代表监督。",
                legal=False,
                items=[
                    {
                        **responsible,
                        "measure": "按议事会商定的方案整改到位",
                        "starts_on": day + timedelta(days=1),
                        "deadline": day + timedelta(days=10),
                    }
                ],
            )
            item = resolution.items.get()
            if held > 20:
                finish_item(
                    clock,
                    start + timedelta(days=6 + issue.pk % 8),
                    item,
                    reporter=staff,
                    checker=staff,
                    text="整改完成，附现场照片。",
                )
                close_after_period(clock, start + timedelta(days=20), issue, actor=staff)
            elif held > 8:
                clock.at(start + timedelta(days=4))
                from resolutions import services as resolutions

                resolutions.progress_report(
                    actor=staff, item=item, text="已进场施工，完成约一半。", percent=50
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
            6,
            15,
            [
                ("user", "quanzhanzhong", "", R.REPRESENTATIVE),
                ("user", "mahuadong", "", R.LAW_ENFORCEMENT),
            ],
        ),
    ]
    today = timezone.localdate()
    next_fifth = (today.replace(day=1) + timedelta(days=32)).replace(day=5)
    plans.append(
        (
            "minsheng",
            Form.MONTHLY_COUNCIL,
            "民生社区月度党群议事会（每月5号）",
            "民生社区议事室",
            (next_fifth - today).days,
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
            else:
                meetings.participant_add(
                    actor=staff, meeting=meeting, role=role, contact=world.contact(ref, name)
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
