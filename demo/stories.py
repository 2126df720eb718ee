"""The ten stories of DOMAIN.md, each built through the apps' services and left at its
stage of life relative to today. Idempotent: a story whose issue exists is skipped."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from issues import services as issues
from issues.models import Channel, HotlineType, Issue, IssueParty
from meetings.models import Form
from meetings.models import ParticipantRole as R
from notifications.models import Delivery
from resolutions import services as resolutions
from resolutions.models import ActionItem, Evaluation, Revisit

from . import reaching
from .clock import Clock, ago
from .kit import (
    AGAINST,
    ANSWER,
    CONSENSUS,
    FOR,
    FREE,
    IN_TURN,
    NO_AGREEMENT,
    OTHER,
    VOTE,
    WRITTEN,
    adopt,
    agenda_item,
    category,
    close_after_period,
    exists,
    finish_item,
    head,
    hold_meeting,
    tell_the_reporter,
    transition,
    whistle,
    worker,
    worker_of,
)

TITLES = {
    1: "3号楼2单元厨房下水管渗漏，楼上楼下协商维修",
    2: "澳海熙园北门消防通道长期被占用",
    3: "永和家园主干道是否安装减速带",
    4: "水岸世家、龙海花园树木过密遮挡采光，需集中修剪",
    5: "金域蓝湾楼道堆放纸箱、绿地种菜养鸡问题",
    6: "双福巷餐饮油污堵塞排水管，居民卫生间返水",
    7: "鑫源火锅店排风扇噪音扰民",
    8: "明园小区私装地锁占用公共车位",
    9: "朝阳小区33号楼5单元厨房下水堵塞，需改道",
    10: "丁万福老人行动不便，请求定期送药上门",
}


def build(world):
    clock = Clock()
    with transaction.atomic():
        for number, story in enumerate(
            [
                story_1,
                story_2,
                story_3,
                story_4,
                story_5,
                story_6,
                story_7,
                story_8,
                story_9,
                story_10,
            ],
            start=1,
        ):
            community = world.communities[STORY_COMMUNITY[number]]
            if not exists(community, TITLES[number]):
                story(world, clock)
        from . import background

        background.build(world, clock)
        clock.apply()
        # The notices of the past were delivered at the time: only what happens from now
        # on (next week's invitations) goes out by email.
        Delivery.objects.filter(
            pk__gte=clock.first_delivery, status=Delivery.Status.PENDING
        ).update(status=Delivery.Status.SENT, sent_at=F("created_at"))
        background.after_clock(world, clock)


STORY_COMMUNITY = {
    1: "jinyu",
    2: "fenglinwan",
    3: "yonghe",
    4: "huanghelou",
    5: "jinyulanwan",
    6: "yayuan",
    7: "shuofang",
    8: "zhongqiangxiang",
    9: "zhonghua",
    10: "minsheng",
}


def _people(world, *keys):
    return [world.people[k] for k in keys]


def _representative(community, besides, world):
    """Another resident representative of the community (the generated ones)."""
    return (
        community.residents.filter(is_representative=True)
        .exclude(pk=world.people[besides].pk)
        .order_by("pk")
        .first()
    )


# ------------------------------------------------------------------ 1 金宇名庭: mediation


def story_1(world, clock):
    key = "jinyu"
    community = world.communities[key]
    staff = head(world, key)
    grid_worker = worker(world, key)
    upstairs, downstairs = _people(world, "zhang_guoqiang", "zhao_liping")
    start = ago(46, 9)
    clock.at(start)
    patrol = issues.patrol_start(
        actor=grid_worker,
        grid=world.grids[(key, 1)],
        route_notes="华雁湖畔A区1—6号楼日常巡查",
        started_at=start,
    )
    clock.at(start + timedelta(minutes=50))
    finding = issues.finding_record(
        actor=grid_worker,
        patrol=patrol,
        text="3号楼2单元1102住户赵丽萍反映厨房顶部持续渗水，疑为楼上1202厨房下水管破裂。"
        "两户均不愿承担开墙费用，已多次争吵。",
        compound=world.compounds[(key, "华雁湖畔A区")],
        building=world.building(key, "华雁湖畔A区", "3号楼"),
    )
    issue = issues.finding_to_issue(
        actor=grid_worker,
        finding=finding,
        category=category("neighbour_dispute"),
        title=TITLES[1],
    )
    issues.patrol_end(actor=grid_worker, patrol=patrol)
    Issue.objects.filter(pk=issue.pk).update(
        unit=world.unit(key, "华雁湖畔A区", "3号楼", "2单元"),
        reporter_resident=downstairs,
    )
    for resident in (upstairs, downstairs):
        IssueParty.objects.get_or_create(
            issue=issue, resident=resident, defaults={"role": IssueParty.Role.PARTY}
        )
    issue = transition(clock, start + timedelta(hours=3), issue, "accept", staff)
    issue = transition(
        clock,
        start + timedelta(hours=4),
        issue,
        "send_to_deliberation",
        staff,
        deliberation_level="community",
    )
    meeting_day = ago(42, 15)
    meeting = hold_meeting(
        clock,
        actor=staff,
        community=community,
        form=Form.ONSITE_MEDIATION,
        title="华雁湖畔A区3号楼厨房渗漏调解会",
        venue="社区职工之家",
        start=meeting_day,
        private=True,
        participants=[
            {"role": R.PARTY, "resident": upstairs},
            {"role": R.PARTY, "resident": downstairs},
            {"role": R.POLICE, "contact": world.contact("police_changcheng", "王建军")},
            {"role": R.PROPERTY, "contact": world.contact("property_huayan", "何志强")},
            {"role": R.LEGAL, "contact": world.contact("legal_zhenghe", "杜明远")},
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
                        "我家厨房没漏，渗水是楼下自己的管子问题，开墙的钱不该我出。",
                        180,
                    ),
                    (
                        2,
                        "",
                        IN_TURN,
                        OTHER,
                        "天花板已经发霉，橱柜泡坏了，楼上必须修，还要赔偿。",
                        200,
                    ),
                    (
                        4,
                        "",
                        ANSWER,
                        OTHER,
                        "物业上门检测：1202厨房下水支管接口老化开裂，需开墙更换约1.5米管道。",
                        120,
                    ),
                    (3, "", ANSWER, OTHER, "邻里之间以和为贵，双方各退一步，按责任比例分担。", 90),
                    (1, "", FREE, OTHER, "我同意承担换管费用，但开墙后的墙面恢复请楼下自理。", 90),
                    (
                        5,
                        "",
                        ANSWER,
                        OTHER,
                        "建议签订书面和解协议，明确费用和完工时间，避免再起争议。",
                        60,
                    ),
                ],
                "outcome": CONSENSUS,
                "outcome_text": "1202承担换管及开墙费用的60%，1102承担40%并自行恢复吊顶；物业一周内施工。",
            }
        ],
    )
    day = timezone.localdate(meeting_day)
    clock.at(meeting_day + timedelta(hours=3))
    resolution = resolutions.resolution_create(
        actor=staff,
        agenda_item=agenda_item(meeting, issue),
        text="经社区书记、社区民警、物业、法律顾问主持调解，双方自愿达成和解：由物业开墙更换"
        "1202厨房下水支管，费用共计1200元，1202张国强承担60%，1102赵丽萍承担40%；"
        "1102吊顶由其自行恢复。双方签字后不再就此事追究。",
        items=[
            {
                "responsible_organization": world.organizations["property_huayan"],
                "measure": "开墙更换1202厨房下水支管并做闭水试验",
                "starts_on": day + timedelta(days=1),
                "deadline": day + timedelta(days=7),
            },
            {
                "responsible_organization": world.organizations["legal_zhenghe"],
                "measure": "起草和解协议书，见证双方签字并存档",
                "starts_on": day,
                "deadline": day + timedelta(days=2),
            },
        ],
    )
    item, agreement = resolution.items.order_by("order")
    resolutions.cost_split_set(
        actor=staff,
        item=item,
        total=1200,
        shares=[
            {"household": upstairs.household, "share_percent": 60},
            {"household": downstairs.household, "share_percent": 40},
        ],
        note="按调解协议分担",
    )
    resolution = resolutions.resolution_transition(
        actor=staff, resolution=resolution, action="submit_review"
    )
    clock.at(meeting_day + timedelta(hours=20))
    resolution = resolutions.resolution_transition(
        actor=world.users["lawyer_du"],
        resolution=resolution,
        action="approve_review",
        note="法律顾问杜明远审核：协议内容合法，系双方真实意思表示。",
    )
    for party, resident in (("1202户", upstairs), ("1102户", downstairs)):
        resolutions.confirmation_record(
            actor=staff,
            resolution=resolution,
            party_name=party,
            signed_by=resident.name,
            resident=resident,
            confirmed_at=meeting_day + timedelta(hours=2),
        )
    finish_item(
        clock,
        meeting_day + timedelta(days=1, hours=2),
        agreement,
        reporter=world.users["lawyer_du"],
        checker=staff,
        text="和解协议书一式三份，双方已签字，社区、双方各执一份。",
    )
    finish_item(
        clock,
        meeting_day + timedelta(days=4, hours=2),
        item,
        reporter=staff,
        checker=staff,
        text="已开墙更换下水支管，闭水试验24小时无渗漏，墙面已封堵。",
        check_text="书记与网格员上门查看，楼下吊顶干燥，双方满意。",
    )
    close_after_period(clock, meeting_day + timedelta(days=13), issue, actor=staff)
    clock.at(meeting_day + timedelta(days=40))
    resolutions.revisit_record(
        actor=grid_worker,
        issue=issue,
        method=Revisit.Method.VISIT,
        findings="回访两户，下水管无渗漏，邻里关系已缓和。",
        visited_at=meeting_day + timedelta(days=40),
    )


# ------------------------------------------------------------------ 2 澳海熙园: fire lane


def story_2(world, clock):
    key = "fenglinwan"
    community = world.communities[key]
    staff = head(world, key)
    vice = world.users["tanyanhong"]
    grid_worker = worker(world, key)
    liu = world.people["liu_jianhua"]
    compound = world.compounds[(key, "澳海熙园")]
    first = ago(98, 19, 30)
    clock.at(first)
    issue = issues.issue_report(
        actor=vice,
        community=community,
        category=category("fire_lane"),
        title=TITLES[2],
        description="北门消防通道每晚停满私家车，消防车无法进入，刘先生已多次电话反映。",
        channel=Channel.PHONE,
        compound=compound,
        # The north gate stands by the first building: its grid's worker patrols it.
        building=compound.buildings.order_by("pk").first(),
        place_text="澳海熙园北门消防通道",
        reporter_resident=liu,
        reported_at=first,
    )
    issue = transition(clock, ago(97, 9), issue, "accept", vice)
    clock.at(ago(96, 21))
    issues.issue_comment(
        issue=issue,
        actor=worker_of(issue, grid_worker),
        text="夜间蹲点排查：21:00后北门通道停车8辆，其中6辆为本小区业主车辆，"
        "地面标线已模糊，警示牌被挪走。",
    )
    for days, text in (
        (91, "北门又停了五六辆车，晚上救护车都进不来。"),
        (85, "消防通道问题还没解决，请尽快处理。"),
    ):
        clock.at(ago(days, 20))
        duplicate = issues.issue_report(
            actor=vice,
            community=community,
            category=category("fire_lane"),
            title="北门消防通道又被车辆堵塞",
            description=text,
            channel=Channel.ONLINE,
            compound=compound,
            reporter_resident=liu,
            reported_at=ago(days, 20),
        )
        clock.at(ago(days - 1, 9))
        issues.issue_merge(issue=duplicate, into=issue, actor=vice, note="同一问题，合并办理")
    issue = Issue.objects.get(pk=issue.pk)
    issue = transition(
        clock, ago(84, 10), issue, "send_to_deliberation", vice, deliberation_level="compound"
    )
    meeting_day = ago(80, 16)
    meeting = hold_meeting(
        clock,
        actor=vice,
        community=community,
        form=Form.COURTYARD_COUNCIL,
        title="澳海熙园北门消防通道现场议事会",
        venue="澳海熙园北门议事亭",
        start=meeting_day,
        compound=compound,
        participants=[
            {"role": R.RESIDENTS_COMMITTEE, "user": staff},
            {"role": R.PROPERTY, "contact": world.contact("property_aohai", "孙丽")},
            {"role": R.PROPERTY, "contact": world.contact("property_aohai", "白建国")},
            {"role": R.OWNERS_COMMITTEE, "contact": world.contact("owners_aohai", "韩志刚")},
            {"role": R.REPRESENTATIVE, "resident": liu},
            {"role": R.REPRESENTATIVE, "resident": world.people["gao_wenjun"]},
            {"role": R.SUPERVISOR, "resident": world.people["sun_hongmei"]},
            {"role": R.GRID_WORKER, "user": grid_worker},
        ],
        agenda=[
            {
                "issue": issue,
                "opinions": [
                    (
                        5,
                        "",
                        IN_TURN,
                        OTHER,
                        "我反映了不下十次，一到晚上就堵死，真出了火情后果不堪设想。",
                        150,
                    ),
                    (
                        8,
                        "",
                        IN_TURN,
                        OTHER,
                        "连续三晚排查，平均每晚7辆车占道，标识不清是主要原因。",
                        90,
                    ),
                    (
                        2,
                        "",
                        ANSWER,
                        OTHER,
                        "物业负责重新施划黄色网格线、增设禁停牌，两周内完成。",
                        80,
                    ),
                    (3, "", ANSWER, OTHER, "秩序部每晚20点至23点安排专人巡查劝离。", 60),
                    (4, "", FREE, OTHER, "业委会在业主群发倡议书，对屡次占道的车主上门沟通。", 60),
                    (
                        1,
                        "",
                        ANSWER,
                        OTHER,
                        "社区牵头组建党员、楼栋长和物业的联合巡逻队，每周巡查两次。",
                        70,
                    ),
                    (7, "", WRITTEN, FOR, "同意以上措施，居监会全程监督。", 30),
                ],
                "outcome": CONSENSUS,
                "outcome_text": "三项措施：物业两周内完善标识；物业每晚专人巡查；社区组建联合巡逻队定期巡查。",
            }
        ],
        summary="北门消防通道议事会商定：物业两周内重新施划标线并增设禁停牌，每晚专人巡查；"
        "社区组建联合巡逻队每周巡查两次。欢迎居民监督。",
    )
    day = timezone.localdate(meeting_day)
    resolution = adopt(
        clock,
        meeting_day + timedelta(hours=3),
        actor=vice,
        agenda_item=agenda_item(meeting, issue),
        text="澳海熙园北门消防通道整治：明确整改责任主体、整改措施及时限，由居监会监督落实。",
        items=[
            {
                "responsible_organization": world.organizations["property_aohai"],
                "measure": "重新施划消防通道黄色网格线，增设“消防通道 禁止停车”标识牌4块",
                "starts_on": day + timedelta(days=1),
                "deadline": day + timedelta(days=14),
            },
            {
                "responsible_organization": world.organizations["property_aohai"],
                "measure": "秩序部每晚20:00—23:00专人巡查北门通道并劝离占道车辆",
                "starts_on": day + timedelta(days=1),
                "deadline": day + timedelta(days=30),
            },
            {
                "responsible_user": staff,
                "measure": "组建党员、楼栋长、物业联合巡逻队，每周二、五巡查消防通道",
                "starts_on": day + timedelta(days=3),
                "deadline": day + timedelta(days=30),
            },
        ],
    )
    sun_li = world.users["aohai_sunli"]
    signs, patrol, team = resolution.items.order_by("order")
    clock.at(meeting_day + timedelta(days=5))
    resolutions.progress_report(
        actor=sun_li, item=signs, text="旧标线已清除，新标线施划完成一半。", percent=50
    )
    finish_item(
        clock,
        meeting_day + timedelta(days=11),
        signs,
        reporter=sun_li,
        checker=staff,
        text="黄色网格线施划完成，4块禁停标识牌已安装。",
    )
    clock.at(meeting_day + timedelta(days=10))
    resolutions.progress_report(
        actor=sun_li, item=patrol, text="秩序部已排班，每晚两人巡查，累计劝离车辆23辆。", percent=40
    )
    finish_item(
        clock,
        meeting_day + timedelta(days=29),
        patrol,
        reporter=sun_li,
        checker=staff,
        text="一个月巡查期满，夜间占道车辆由每晚7辆降至0—1辆，已纳入日常巡查。",
    )
    finish_item(
        clock,
        meeting_day + timedelta(days=28),
        team,
        reporter=staff,
        checker=world.users["lixin"],
        text="联合巡逻队12人已组建，完成8次巡查，巡查记录已存档。",
    )
    clock.at(meeting_day + timedelta(days=31))
    resolutions.evaluation_submit(
        actor=world.users["liujianhua"],
        issue=issue,
        rating=Evaluation.Rating.SATISFIED,
        comment="现在北门通道畅通了，感谢社区和物业！",
    )


# ------------------------------------------------------------------ 3 永和: speed bumps


def story_3(world, clock):
    key = "yonghe"
    community = world.communities[key]
    staff = head(world, key)
    when = ago(30, 10)
    clock.at(when)
    issue = issues.issue_report(
        actor=staff,
        community=community,
        category=category("parking"),
        title=TITLES[3],
        description="居民代表马骏提出：主干道车速过快，接送孩子不安全，建议加装减速带；"
        "也有骑行的居民担心减速带颠簸。",
        channel=Channel.ON_SITE,
        compound=world.compounds[(key, "永和家园")],
        reporter_resident=world.people["ma_jun"],
        reported_at=when,
    )
    issue = transition(clock, when + timedelta(hours=2), issue, "accept", staff)
    issue = transition(
        clock,
        when + timedelta(hours=3),
        issue,
        "send_to_deliberation",
        staff,
        deliberation_level="community",
    )
    # Before the council, the households of 永和家园 are asked online (线上征求意见).
    reaching.speed_bump_opinions(
        world, clock, issue=issue, staff=staff, opens=when + timedelta(days=4)
    )
    meeting_day = ago(16, 15)
    reps = [
        {"role": R.REPRESENTATIVE, "resident": world.people["ma_jun"]},
        {"role": R.REPRESENTATIVE, "resident": world.people["li_xiaofeng"]},
        {"role": R.REPRESENTATIVE, "resident": world.people["tian_guirong"]},
        {"role": R.PROPERTY, "contact": world.contact("property_yonghe", "蒋伟")},
        {"role": R.OWNERS_COMMITTEE, "contact": world.contact("owners_yonghe", "沙玉琴")},
        {"role": R.GRID_WORKER, "user": worker(world, key)},
    ]
    others = community.residents.filter(is_representative=False).order_by("pk")[:20]
    reps += [{"role": R.RESIDENT, "resident": r} for r in others]
    meeting = hold_meeting(
        clock,
        actor=staff,
        community=community,
        form=Form.PARTY_MASS_COUNCIL,
        title="永和家园主干道减速带议事会",
        venue="永和社区议事室",
        start=meeting_day,
        participants=reps,
        agenda=[
            {
                "issue": issue,
                "opinions": [
                    (
                        1,
                        "",
                        IN_TURN,
                        FOR,
                        "早晚高峰车速太快，上月差点撞到孩子，必须装减速带。",
                        150,
                    ),
                    (
                        2,
                        "",
                        IN_TURN,
                        AGAINST,
                        "骑车经过减速带很颠，老人骑三轮车容易摔，建议改用限速标志。",
                        160,
                    ),
                    (3, "", IN_TURN, FOR, "安全第一，可以在减速带两侧留出非机动车通道。", 90),
                    (
                        4,
                        "",
                        ANSWER,
                        OTHER,
                        "物业可安装橡胶减速带并在两侧各留60厘米非机动车通道，费用由公共收益列支。",
                        90,
                    ),
                    (7, "", FREE, FOR, "同意两侧留通道的方案。", 40),
                    (8, "", FREE, AGAINST, "只装限速牌就够了。", 30),
                ],
                "outcome": VOTE,
                "outcome_text": "表决通过：在主干道幼儿园门口、3号楼路口安装橡胶减速带，两侧预留非机动车通道。",
                "votes": (19, 6, 2),
            }
        ],
        summary="减速带议事会表决通过（赞成19票、反对6票、弃权2票）：在主干道两处安装橡胶减速带，"
        "两侧预留非机动车通道，公示期内可提出异议。",
    )
    resolution = adopt(
        clock,
        meeting_day + timedelta(days=2),
        actor=staff,
        agenda_item=agenda_item(meeting, issue),
        text="永和家园主干道幼儿园门口、3号楼路口各安装橡胶减速带一处，两侧各预留60厘米非机动车"
        "通道，并增设限速5公里标志；费用由小区公共收益列支。",
        items=[
            {
                "responsible_organization": world.organizations["property_yonghe"],
                "measure": "采购安装橡胶减速带2处并预留非机动车通道",
                "starts_on": timezone.localdate(meeting_day) + timedelta(days=10),
                "deadline": timezone.localdate() + timedelta(days=12),
            },
            {
                "responsible_organization": world.organizations["property_yonghe"],
                "measure": "增设限速5公里标志牌",
                "starts_on": timezone.localdate(meeting_day) + timedelta(days=10),
                "deadline": timezone.localdate() + timedelta(days=12),
            },
        ],
        publish_days=10,
    )
    clock.at(ago(2, 16))
    resolutions.progress_report(
        actor=staff,
        item=resolution.items.order_by("order").first(),
        text="公示期间收到居民意见2条已答复；减速带已到货，待公示期满后施工。",
        percent=20,
    )


# ------------------------------------------------------------------ 4 黄河楼: CPPCC referral


def story_4(world, clock):
    key = "huanghelou"
    community = world.communities[key]
    staff = head(world, key)
    when = ago(150, 10)
    clock.at(when)
    issue = issues.issue_report(
        actor=staff,
        community=community,
        category=category("tree_trimming"),
        title=TITLES[4],
        description="政协委员走访时居民反映：小区树木多年未修剪，遮挡低层住户采光，枝条伸入窗户，"
        "物业缺少专业修剪人员，剪下的枝条无处堆放。",
        channel=Channel.CPPCC_NPC,
        reporter_organization=world.organizations["cppcc_qingtongxia"],
        reporter_name="杨立新（政协委员）",
        reported_at=when,
    )
    issue = transition(clock, when + timedelta(hours=1), issue, "accept", staff)
    issue = transition(
        clock,
        when + timedelta(hours=2),
        issue,
        "send_to_deliberation",
        staff,
        deliberation_level="community",
    )
    meeting_day = ago(143, 9)
    meeting = hold_meeting(
        clock,
        actor=staff,
        community=community,
        form=Form.CPPCC_CONSULTATION,
        title="小区树木修剪政协协商议事会",
        venue="黄河楼社区议事室",
        start=meeting_day,
        participants=[
            {"role": R.CPPCC_NPC, "contact": world.contact("cppcc_qingtongxia", "杨立新")},
            {"role": R.CPPCC_NPC, "contact": world.contact("cppcc_qingtongxia", "马晓红")},
            {"role": R.GOVERNMENT, "contact": world.contact("housing_qingtongxia", "王海")},
            {"role": R.GOVERNMENT, "contact": world.contact("forest_shuxin", "周建林")},
            {"role": R.PROPERTY, "contact": world.contact("property_shuian", "许丽娟")},
            {"role": R.REPRESENTATIVE, "resident": world.people["wang_jianping"]},
            {"role": R.REPRESENTATIVE, "resident": world.people["liu_shufen"]},
        ],
        agenda=[
            {
                "issue": issue,
                "opinions": [
                    (6, "", IN_TURN, OTHER, "我家一楼白天也要开灯，树枝都伸进窗户了。", 100),
                    (5, "", IN_TURN, OTHER, "物业想修但没有专业人员，剪下的枝条也没地方放。", 90),
                    (4, "", ANSWER, OTHER, "林场可派技术员为物业绿化人员集中培训修剪技术。", 70),
                    (
                        3,
                        "",
                        ANSWER,
                        OTHER,
                        "住建局协调在龙海花园东侧设置临时枝条堆放点，统一清运。",
                        60,
                    ),
                    (1, "", FREE, OTHER, "建议明天就开展培训，趁春季修剪期。", 40),
                ],
                "outcome": CONSENSUS,
                "outcome_text": "林场技术员次日培训物业绿化人员；住建局设置临时枝条堆放点。",
            }
        ],
        summary="政协协商议事会商定：树新林场技术员培训物业人员修剪技术，住建局设置临时枝条堆放点，"
        "次日即落实。",
    )
    day = timezone.localdate(meeting_day)
    resolution = adopt(
        clock,
        meeting_day + timedelta(hours=3),
        actor=staff,
        agenda_item=agenda_item(meeting, issue),
        text="树新林场技术员对辖区物业绿化人员开展修剪技术培训；住建局在龙海花园东侧设置临时"
        "枝条堆放点并统一清运。",
        items=[
            {
                "responsible_organization": world.organizations["forest_shuxin"],
                "measure": "为物业绿化人员开展树木修剪技术现场培训",
                "starts_on": day + timedelta(days=1),
                "deadline": day + timedelta(days=1),
            },
            {
                "responsible_organization": world.organizations["housing_qingtongxia"],
                "measure": "在龙海花园东侧设置临时枝条堆放点并安排清运",
                "starts_on": day + timedelta(days=1),
                "deadline": day + timedelta(days=2),
            },
        ],
    )
    training, pile = resolution.items.order_by("order")
    finish_item(
        clock,
        meeting_day + timedelta(days=1, hours=6),
        training,
        reporter=staff,
        checker=staff,
        text="周建林、金鹏两名技术员现场培训物业人员52人，当天修剪树木40余棵。",
    )
    finish_item(
        clock,
        meeting_day + timedelta(days=1, hours=8),
        pile,
        reporter=staff,
        checker=staff,
        text="临时堆放点已设置，清运车每两天清运一次。",
    )
    close_after_period(clock, meeting_day + timedelta(days=10), issue, actor=staff)


# ------------------------------------------------------------------ 5 金域蓝湾: staged measures


def story_5(world, clock):
    key = "jinyulanwan"
    community = world.communities[key]
    staff = head(world, key)
    grid_worker = worker(world, key)
    when = ago(35, 10)
    clock.at(when)
    issue = issues.issue_report(
        actor=grid_worker,
        community=community,
        category=category("stairwell_clutter"),
        title=TITLES[5],
        description="一期约170户老人收集纸箱堆放在楼道，存在火灾隐患；部分居民在绿地种菜、散养鸡。",
        channel=Channel.GRID_PATROL,
        compound=world.compounds[(key, "金域蓝湾一期")],
        reporter_resident=world.people["chen_jingfang"],
        reported_at=when,
    )
    issue = transition(clock, when + timedelta(hours=2), issue, "accept", staff)
    issue = transition(
        clock,
        when + timedelta(hours=3),
        issue,
        "send_to_deliberation",
        staff,
        deliberation_level="community",
    )
    meeting_day = ago(28, 15)
    meeting = hold_meeting(
        clock,
        actor=staff,
        community=community,
        form=Form.PARTY_MASS_COUNCIL,
        title="楼道堆物及绿地种菜养鸡整治议事会",
        venue="金域蓝湾社区议事室",
        start=meeting_day,
        participants=[
            {"role": R.SUPERVISOR, "resident": world.people["chen_jingfang"]},
            {"role": R.REPRESENTATIVE, "resident": world.people["yang_fuqiang"]},
            {"role": R.POLICE, "contact": world.contact("police_changcheng", "冯磊")},
            {"role": R.LAW_ENFORCEMENT, "contact": world.contact("enforcement_jinfeng", "张涛")},
            {"role": R.PROPERTY, "contact": world.contact("property_lanwan", "罗海燕")},
            {"role": R.GRID_WORKER, "user": grid_worker},
            {
                "role": R.REPRESENTATIVE,
                "resident": _representative(community, "yang_fuqiang", world),
            },
        ],
        agenda=[
            {
                "issue": issue,
                "opinions": [
                    (1, "", IN_TURN, OTHER, "楼道纸箱堆到二楼，一根烟头就能出大事。", 120),
                    (2, "", IN_TURN, OTHER, "老人卖纸箱补贴家用，不能一刀切，要给出路。", 110),
                    (
                        5,
                        "",
                        ANSWER,
                        OTHER,
                        "物业可在地下室设集中存放点；养的鸡由物业高于市场价收购。",
                        90,
                    ),
                    (4, "", ANSWER, OTHER, "先劝导，逾期不清理的依法联合执法。", 60),
                    (3, "", ANSWER, OTHER, "网格警配合入户宣传消防安全。", 40),
                ],
                "outcome": CONSENSUS,
                "outcome_text": "分阶段整治：先入户劝导并设集中存放点；物业收购鸡只；逾期不改的联合执法。",
            }
        ],
        summary="议事会商定分阶段整治楼道堆物和绿地种菜养鸡：先劝导，后联合执法；物业高于市场价收购鸡只。",
    )
    day = timezone.localdate(meeting_day)
    resolution = adopt(
        clock,
        meeting_day + timedelta(hours=3),
        actor=staff,
        agenda_item=agenda_item(meeting, issue),
        text="第一阶段入户劝导、设置纸箱集中存放点；第二阶段对逾期不清理者联合执法；物业高于市场价"
        "收购散养鸡只，绿地恢复种植。",
        items=[
            {
                "responsible_user": grid_worker,
                "measure": "第一阶段：网格员、党员入户劝导170户，楼道纸箱一周内清理",
                "starts_on": day + timedelta(days=1),
                "deadline": day + timedelta(days=8),
            },
            {
                "responsible_organization": world.organizations["property_lanwan"],
                "measure": "高于市场价收购散养鸡只，恢复绿地",
                "starts_on": day + timedelta(days=1),
                "deadline": day + timedelta(days=10),
            },
            {
                "responsible_organization": world.organizations["enforcement_jinfeng"],
                "measure": "第二阶段：对劝导后仍不清理的住户联合执法",
                "starts_on": day + timedelta(days=9),
                "deadline": timezone.localdate() + timedelta(days=6),
            },
            {
                "responsible_organization": world.organizations["police_changcheng"],
                "measure": "网格警每周随网格员入户开展楼道消防安全宣传",
                "starts_on": day + timedelta(days=1),
                "deadline": timezone.localdate() + timedelta(days=30),
                "repeat": "weekly",
                "repeat_until": timezone.localdate() + timedelta(days=30),
            },
            {
                "responsible_organization": world.organizations["legal_zhenghe"],
                "measure": "为第二阶段联合执法出具法律意见，并为拒不整改户提供法律宣讲",
                "starts_on": day + timedelta(days=9),
                "deadline": timezone.localdate() + timedelta(days=5),
            },
        ],
    )
    persuade, chickens, enforce, fire_talks, legal = resolution.items.order_by("order")
    clock.at(meeting_day + timedelta(days=3))
    resolutions.progress_report(
        actor=grid_worker, item=persuade, text="已入户劝导96户，清理纸箱约3吨。", percent=55
    )
    clock.at(meeting_day + timedelta(days=7))
    resolutions.progress_report(
        actor=grid_worker,
        item=persuade,
        text="170户全部入户，158户已清理。",
        percent=100,
        request_check=True,
    )
    clock.at(meeting_day + timedelta(days=7, hours=4))
    resolutions.item_check(
        actor=world.users["chenjingfang"],
        item=persuade,
        passed=True,
        text="居监会逐楼查看，楼道基本清爽，12户待第二阶段处理。",
    )
    finish_item(
        clock,
        meeting_day + timedelta(days=9),
        chickens,
        reporter=staff,
        checker=world.users["chenjingfang"],
        text="物业以每只高于市场价20元收购鸡只37只，绿地已翻整补种草坪。",
    )
    for days, percent, text in (
        (20, 25, "王建军、冯磊随网格员入户宣传1—4号楼，发放消防安全告知书210份。"),
        (6, 50, "5—8号楼宣传完成，楼道纸箱复堆2处已当场劝导清理。"),
    ):
        clock.at(ago(days, 16))
        resolutions.progress_report(
            actor=world.users["police_wangjianjun"], item=fire_talks, text=text, percent=percent
        )
    clock.at(ago(4, 15))
    resolutions.progress_report(
        actor=world.users["lawyer_du"],
        item=legal,
        text="已审阅整改通知书文本，法律意见书初稿完成，待与执法局核对。",
        percent=40,
    )
    clock.at(ago(3, 11))
    resolutions.progress_report(
        actor=staff,
        item=enforce,
        text="执法队员张涛已对8户下达整改通知，4户已自行清理。",
        percent=60,
    )


# ------------------------------------------------------------------ 6 雅苑: grease trap


def story_6(world, clock):
    key = "yayuan"
    community = world.communities[key]
    staff = head(world, key)
    member = world.users["mayan_yayuan"]
    wang = world.people["wang_defu"]
    when = ago(27, 8, 30)
    clock.at(when)
    issue = issues.issue_report(
        actor=member,
        community=community,
        category=category("drainage"),
        title=TITLES[6],
        description="景墨家园B区2号楼王大叔家卫生间多次返水，经查为双福巷餐饮店油污进入与居民共用的"
        "排水管造成堵塞。",
        channel=Channel.WALK_IN,
        compound=world.compounds[(key, "景墨家园B区")],
        building=world.building(key, "景墨家园B区", "2号楼"),
        reporter_resident=wang,
        reported_at=when,
    )
    issue = transition(clock, when + timedelta(hours=1), issue, "accept", staff)
    issue = transition(
        clock,
        when + timedelta(hours=2),
        issue,
        "send_to_deliberation",
        staff,
        deliberation_level="community",
    )
    merchants = [
        ("merchant_majia", "马福贵"),
        ("merchant_chuanwei", "唐小军"),
        ("merchant_huiwei", "马兰花"),
        ("merchant_liji", "李强"),
        ("merchant_jufu", "王聚福"),
    ]
    participants = [
        {"role": R.MERCHANT, "contact": world.contact(org, name)} for org, name in merchants
    ] + [
        {"role": R.RESIDENT, "resident": wang},
        {"role": R.REPRESENTATIVE, "resident": world.people["zhou_lan"]},
        {"role": R.PROPERTY, "contact": world.contact("property_lijing", "刘志刚")},
        {"role": R.GOVERNMENT, "contact": world.contact("housing_xingqing", "陈刚")},
    ]
    first_day = ago(22, 15)
    first = hold_meeting(
        clock,
        actor=staff,
        community=community,
        form=Form.MERCHANT_ALLIANCE,
        title="双福巷排水管堵塞商居联盟会",
        venue="雅苑社区商居联盟议事室",
        start=first_day,
        participants=participants,
        agenda=[
            {
                "issue": issue,
                "opinions": [
                    (6, "", IN_TURN, OTHER, "卫生间一个月返水三次，污水都漫到客厅了。", 120),
                    (1, "", IN_TURN, AGAINST, "管子是小区的，凭什么让我们出钱？", 60),
                    (2, "", IN_TURN, AGAINST, "生意不好做，拿不出这笔钱。", 50),
                    (
                        8,
                        "",
                        ANSWER,
                        OTHER,
                        "经疏通检查，管道内主要是餐饮油污，需在商户排水口前加装隔油池。",
                        80,
                    ),
                ],
                "outcome": NO_AGREEMENT,
            }
        ],
        adjourn="商户不同意分担隔油池费用，会议暂停，社区逐户上门做工作后再议。",
    )
    for days, text in (
        (19, "书记韩瑞丽、委员马艳逐户走访5家餐馆，讲解油污对居民的影响和相关规定。"),
        (15, "老马家、回味牛肉面同意分担；川味小厨、李记、聚福源表示愿意再谈。"),
    ):
        clock.at(ago(days, 16))
        issues.issue_comment(issue=issue, actor=member, text=text)
    second_day = ago(8, 15)
    second = hold_meeting(
        clock,
        actor=staff,
        community=community,
        form=Form.MERCHANT_ALLIANCE,
        title="",
        venue="雅苑社区商居联盟议事室",
        start=second_day,
        participants=[],
        continues=first,
        agenda=[
            {
                "issue": issue,
                "opinions": [
                    (
                        "马福贵",
                        R.MERCHANT,
                        IN_TURN,
                        FOR,
                        "邻里邻居的，我们愿意一起出钱装隔油池。",
                        60,
                    ),
                    ("王德福", R.RESIDENT, IN_TURN, FOR, "感谢各位老板，只要不再返水就好。", 40),
                    (
                        "刘志刚",
                        R.PROPERTY,
                        ANSWER,
                        OTHER,
                        "物业负责施工，两天内完工，费用5家平摊。",
                        50,
                    ),
                ],
                "outcome": CONSENSUS,
                "outcome_text": "5家商户平均分担隔油池费用共5000元，物业两天内施工完成。",
            }
        ],
        summary="商居联盟第二次会议达成一致：5家餐饮商户平均分担隔油池费用，物业两天内完成施工。",
    )
    day = timezone.localdate(second_day)
    clock.at(second_day + timedelta(hours=2))
    resolution = resolutions.resolution_create(
        actor=staff,
        agenda_item=agenda_item(second, issue),
        text="双福巷5家餐饮商户共同出资加装隔油池，费用5000元平均分担；物业负责施工和日常清掏监督。",
        legal_review_required=False,
        items=[
            {
                "responsible_organization": world.organizations["property_lijing"],
                "measure": "在商户排水口前加装隔油池并疏通共用排水管",
                "starts_on": day + timedelta(days=1),
                "deadline": day + timedelta(days=2),
            }
        ],
    )
    item = resolution.items.get()
    resolutions.cost_split_set(
        actor=staff,
        item=item,
        total=5000,
        shares=[
            {"organization": world.organizations[org], "share_percent": 20} for org, _ in merchants
        ],
        note="5家商户平均分担",
    )
    for org, name in merchants:
        resolutions.confirmation_record(
            actor=staff,
            resolution=resolution,
            party_name=world.organizations[org].name,
            signed_by=name,
            organization=world.organizations[org],
            confirmed_at=second_day + timedelta(hours=1),
        )
    resolution = resolutions.resolution_transition(
        actor=staff, resolution=resolution, action="adopt"
    )
    resolution = resolutions.resolution_transition(
        actor=staff, resolution=resolution, action="publish"
    )
    tell_the_reporter(resolution)
    finish_item(
        clock,
        second_day + timedelta(days=2, hours=3),
        item,
        reporter=staff,
        checker=staff,
        text="隔油池已安装，共用排水管疏通完毕，王大叔家卫生间排水正常。",
    )


# ------------------------------------------------------------------ 7 朔方: fan noise


def story_7(world, clock):
    key = "shuofang"
    community = world.communities[key]
    staff = head(world, key)
    grid_worker = worker(world, key)
    mai = world.people["mai_hongmei"]
    when = ago(75, 21)
    clock.at(when)
    issue = issues.issue_report(
        actor=staff,
        community=community,
        category=category("noise"),
        title=TITLES[7],
        description="紫御府小区3号楼底商鑫源火锅店的排风扇正对住户窗户，营业到深夜，噪音和油烟影响休息。",
        channel=Channel.PHONE,
        compound=world.compounds[(key, "紫御府小区")],
        building=world.building(key, "紫御府小区", "3号楼"),
        reporter_resident=mai,
        reported_at=when,
    )
    issue = transition(clock, ago(74, 9), issue, "accept", staff)
    issue = transition(
        clock, ago(74, 10), issue, "send_to_deliberation", staff, deliberation_level="building"
    )
    meeting_day = ago(74, 15)
    meeting = hold_meeting(
        clock,
        actor=staff,
        community=community,
        form=Form.ONSITE_MEDIATION,
        title="鑫源火锅店排风扇噪音现场调解",
        venue="紫御府小区3号楼下",
        start=meeting_day,
        hours=1,
        participants=[
            {"role": R.RESIDENT, "resident": mai},
            {"role": R.MERCHANT, "contact": world.contact("merchant_xinyuan", "丁鑫")},
            {"role": R.PROPERTY, "contact": world.contact("property_kaiyuan", "田野")},
            {"role": R.GRID_WORKER, "user": grid_worker},
        ],
        agenda=[
            {
                "issue": issue,
                "opinions": [
                    (1, "", IN_TURN, OTHER, "每天晚上到十二点，窗户都不敢开。", 80),
                    (2, "", IN_TURN, OTHER, "我们加装减震垫和消音罩，晚上十点后关小风量。", 60),
                ],
                "outcome": CONSENSUS,
                "outcome_text": "商户次日加装减震垫和消音罩，22点后降低风量。",
            }
        ],
    )
    resolution = adopt(
        clock,
        meeting_day + timedelta(hours=1),
        actor=staff,
        agenda_item=agenda_item(meeting, issue),
        text="鑫源火锅店次日为排风扇加装减震垫和消音罩，每晚22点后降低风量运行。",
        legal=False,
        items=[
            {
                "responsible_organization": world.organizations["merchant_xinyuan"],
                "measure": "排风扇加装减震垫和消音罩",
                "starts_on": timezone.localdate(meeting_day) + timedelta(days=1),
                "deadline": timezone.localdate(meeting_day) + timedelta(days=1),
            }
        ],
    )
    finish_item(
        clock,
        meeting_day + timedelta(days=1, hours=2),
        resolution.items.get(),
        reporter=staff,
        checker=staff,
        text="减震垫、消音罩已装，夜间实测噪音明显下降。",
    )
    clock.at(meeting_day + timedelta(days=2))
    resolutions.evaluation_submit(
        actor=world.users["maihongmei"],
        issue=issue,
        rating=Evaluation.Rating.BASIC,
        comment="声音小多了，希望能坚持。",
    )
    # Two months later the noise is back: the revisit reopens the case, which escalates.
    back = ago(12, 10)
    clock.at(back)
    resolutions.revisit_record(
        actor=grid_worker,
        issue=issue,
        method=Revisit.Method.VISIT,
        findings="买老师反映消音罩已拆除，噪音比以前更大，夜间无法入睡。",
        problem_recurred=True,
        visited_at=back,
    )
    issue = Issue.objects.get(pk=issue.pk)
    issue = whistle(
        clock,
        back + timedelta(hours=2),
        issue,
        actor=staff,
        note="商户拆除降噪设施，问题复发，社区吹哨，请镇综合执法队和物业报到。",
        organizations=[
            world.organizations["enforcement_gucheng"],
            world.organizations["property_kaiyuan"],
        ],
    )
    enforcement, property_ = issue.summonses.order_by("pk")
    clock.at(back + timedelta(days=1))
    issues.summons_report(
        summons=enforcement,
        actor=staff,
        # Summoned at noon, both arrive the same afternoon (office hours, local time).
        arrived_at=back + timedelta(hours=5),
        action_taken="执法队长马志军当天下午到场核查，当晚22时复测夜间噪音超标，"
        "责令商户10日内将排风扇移至楼顶。",
    )
    issues.summons_report(
        summons=property_,
        actor=staff,
        arrived_at=back + timedelta(hours=5, minutes=30),
        action_taken="物业同意开放楼顶安装位置并配合施工。",
    )


# ------------------------------------------------------------------ 8 中强巷: ground locks


def story_8(world, clock):
    key = "zhongqiangxiang"
    community = world.communities[key]
    staff = head(world, key)
    compound = world.compounds[(key, "明园小区")]
    when = ago(62, 9)
    clock.at(when)
    issue = issues.issue_report(
        actor=staff,
        community=community,
        category=category("ground_locks"),
        title=TITLES[8],
        description="12345热线转来投诉：明园小区多名住户私自安装地锁，占用公共车位，其他居民无处停车。",
        channel=Channel.HOTLINE,
        hotline_type=HotlineType.COMPLAINT,
        hotline_ticket="YC2026" + f"{when:%m%d}" + "00871",
        hotline_answer_by=when + timedelta(days=3),
        compound=compound,
        reporter_resident=world.people["quan_zhanzhong"],
        reported_at=when,
    )
    issue = transition(clock, when + timedelta(hours=1), issue, "accept", staff)
    complaints = [
        "5号楼前公共车位被装了三个地锁，晚上回来没地方停车。",
        "小区地锁越来越多，消防车都进不来。",
        "有人用地锁占车位还出租，请管一管。",
        "2号楼门口地锁绊倒老人。",
        "地锁问题反映多次没人管。",
        "明园小区9号楼旁私装地锁。",
        "公共车位被私人地锁占用。",
        "物业不管地锁，请社区处理。",
        "明园小区东门地锁堵住通道。",
        "地锁把盲道都占了。",
        "多处地锁锁扣生锈伤人。",
    ]
    for n, text in enumerate(complaints):
        at = when + timedelta(days=1 + n * 2, hours=n % 5)
        clock.at(at)
        duplicate = issues.issue_report(
            actor=staff,
            community=community,
            category=category("ground_locks"),
            title="明园小区私装地锁投诉",
            description=text,
            channel=Channel.HOTLINE,
            hotline_type=HotlineType.COMPLAINT,
            hotline_ticket=f"YC2026{at:%m%d}{n + 1:05d}",
            hotline_answer_by=at + timedelta(days=3),
            compound=compound,
            reporter_name=f"{'王李张刘陈杨黄赵周吴徐'[n]}先生"
            if n % 2
            else f"{'王李张刘陈杨黄赵周吴徐'[n]}女士",
            reported_at=at,
        )
        clock.at(at + timedelta(hours=2))
        issues.issue_merge(issue=duplicate, into=issue, actor=staff, note="同一地锁问题，合并办理")
    escalated_at = when + timedelta(days=24)
    issue = whistle(
        clock,
        escalated_at,
        Issue.objects.get(pk=issue.pk),
        actor=staff,
        note="12345投诉反复出现，社区无执法权，吹哨请执法中队、派出所、物业报到。",
        organizations=[
            world.organizations["enforcement_mancheng"],
            world.organizations["police_mancheng"],
            world.organizations["property_fengjie"],
        ],
    )
    reports = [
        "执法队员马华东带队现场勘查，登记私装地锁43个，张贴限期自拆通知。",
        "社区民警李卫东入户做工作，对拒不配合的住户进行法治宣传。",
        "物业安排人员配合拆除，并重新施划公共停车位。",
    ]
    for n, (summons, text) in enumerate(zip(issue.summonses.order_by("pk"), reports, strict=True)):
        clock.at(escalated_at + timedelta(days=1, hours=n))
        issues.summons_report(
            summons=summons,
            actor=staff,
            # Whistle blown at 09:00; the departments report in that afternoon.
            arrived_at=escalated_at + timedelta(hours=5 + n),
            action_taken=text,
        )
    day = timezone.localdate(escalated_at)
    resolution = adopt(
        clock,
        escalated_at + timedelta(days=2),
        actor=staff,
        issue=issue,
        text="吹哨报到联合处置：限期7日住户自行拆除私装地锁，逾期由执法中队依法拆除；物业重新施划"
        "公共车位并实行先到先停。",
        items=[
            {
                "responsible_organization": world.organizations["enforcement_mancheng"],
                "measure": "逾期未自拆的地锁依法拆除",
                "starts_on": day + timedelta(days=8),
                "deadline": day + timedelta(days=12),
            },
            {
                "responsible_organization": world.organizations["property_fengjie"],
                "measure": "重新施划公共停车位43个",
                "starts_on": day + timedelta(days=8),
                "deadline": day + timedelta(days=15),
            },
        ],
    )
    locks, lines = resolution.items.order_by("order")
    finish_item(
        clock,
        escalated_at + timedelta(days=11),
        locks,
        reporter=world.users["mahuadong"],
        checker=staff,
        text="住户自拆31个，执法中队拆除12个，明园小区地锁全部清除。",
    )
    finish_item(
        clock,
        escalated_at + timedelta(days=14),
        lines,
        reporter=staff,
        checker=staff,
        text="公共车位施划完成，张贴停车公约。",
    )
    clock.at(escalated_at + timedelta(days=16))
    resolutions.evaluation_submit(
        actor=world.users["quanzhanzhong"],
        issue=issue,
        rating=Evaluation.Rating.SATISFIED,
        comment="地锁全拆了，停车方便多了。",
    )


# ------------------------------------------------------------------ 9 中华: cost split


def story_9(world, clock):
    key = "zhonghua"
    community = world.communities[key]
    staff = head(world, key)
    households = _people(world, "wu_haitao", "zheng_yumei", "han_zhiyong", "bai_xiulan")
    unit = world.unit(key, "朝阳小区", "33号楼", "5单元")
    when = ago(20, 9)
    clock.at(when)
    issue = issues.issue_report(
        actor=worker(world, key),
        community=community,
        category=category("drainage"),
        title=TITLES[9],
        description="33号楼5单元一楼吴海涛家厨房下水反复堵塞返水，原排水立管老化变形，需改道重新铺设，"
        "涉及1—4楼四户。",
        channel=Channel.VISIT,
        unit=unit,
        reporter_resident=households[0],
        reported_at=when,
    )
    issue = transition(clock, when + timedelta(hours=2), issue, "accept", staff)
    issue = transition(
        clock,
        when + timedelta(hours=3),
        issue,
        "send_to_deliberation",
        staff,
        deliberation_level="building",
    )
    meeting_day = ago(14, 19)
    meeting = hold_meeting(
        clock,
        actor=staff,
        community=community,
        form=Form.BUILDING_COUNCIL,
        title="33号楼5单元下水改道楼栋议事会",
        venue="33号楼5单元楼道议事角",
        start=meeting_day,
        hours=1,
        participants=[{"role": R.RESIDENT, "resident": r} for r in households]
        + [
            {"role": R.PROPERTY, "contact": world.contact("property_chaoyang", "马成")},
            {"role": R.OTHER, "contact": world.contact("repair_shunda", "冯顺达")},
        ],
        agenda=[
            {
                "issue": issue,
                "opinions": [
                    (1, "", IN_TURN, OTHER, "一楼天天返水，实在没法做饭了。", 60),
                    (3, "", IN_TURN, OTHER, "管子是大家共用的，我们楼上也该出一份。", 50),
                    (6, "", ANSWER, OTHER, "改道材料加人工共2400元，三天可完工。", 40),
                    (4, "", FREE, FOR, "一楼受影响最大，按使用情况分摊比较公平。", 40),
                ],
                "outcome": CONSENSUS,
                "outcome_text": "四户按一楼30%、其余三户各约23.33%分摊2400元改道费用，顺达维修部施工。",
            }
        ],
        summary="33号楼5单元四户商定分摊下水改道费用，由顺达管道维修部施工，物业监督。",
    )
    day = timezone.localdate(meeting_day)
    clock.at(meeting_day + timedelta(hours=1))
    resolution = resolutions.resolution_create(
        actor=staff,
        agenda_item=agenda_item(meeting, issue),
        text="33号楼5单元厨房下水改道，费用2400元由101、201、301、401四户分担，顺达管道维修部施工，"
        "物业和居民代表白秀兰监督。",
        items=[
            {
                "responsible_organization": world.organizations["repair_shunda"],
                "measure": "拆除老化立管，改道重新铺设厨房排水管并做通水试验",
                "starts_on": day + timedelta(days=2),
                "deadline": timezone.localdate() + timedelta(days=4),
            }
        ],
    )
    item = resolution.items.get()
    resolutions.cost_split_set(
        actor=staff,
        item=item,
        total=2400,
        shares=[
            {"household": households[0].household, "amount": 720},
            {"household": households[1].household, "amount": 560},
            {"household": households[2].household, "amount": 560},
            {"household": households[3].household, "amount": 560},
        ],
        note="一楼受影响最大多承担",
    )
    for resident in households:
        resolutions.confirmation_record(
            actor=staff,
            resolution=resolution,
            party_name=f"{resident.household}",
            signed_by=resident.name,
            resident=resident,
            confirmed_at=meeting_day + timedelta(minutes=50),
        )
    resolution = resolutions.resolution_transition(
        actor=staff, resolution=resolution, action="adopt"
    )
    resolution = resolutions.resolution_transition(
        actor=staff, resolution=resolution, action="publish"
    )
    tell_the_reporter(resolution)
    shunda = world.users["shunda"]
    for days, percent, text in (
        (8, 30, "材料已进场，四户费用已收齐。"),
        (3, 65, "老化立管已拆除，新管道铺设至三楼。"),
    ):
        clock.at(ago(days, 17))
        resolutions.progress_report(actor=shunda, item=item, text=text, percent=percent)


# ------------------------------------------------------------------ 10 民生: monthly visits


def story_10(world, clock):
    key = "minsheng"
    community = world.communities[key]
    staff = head(world, key)
    grid_worker = worker(world, key)
    ding, su = _people(world, "ding_wanfu", "su_guilan")
    today = timezone.localdate()
    fifths = []
    year, month = today.year, today.month
    for _ in range(12):
        day = today.replace(year=year, month=month, day=5)
        if day < today:
            fifths.append(day)
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    fifths.sort()
    from .clock import local

    # The need is found at the last visit at least two weeks back, so that the delivery
    # and the revisit a fortnight later have happened whatever today's date.
    last = max(day for day in fifths if day <= today - timedelta(days=15))
    for day in fifths:
        for n, resident in enumerate((ding, su)):
            visited = local(day, 9 + n, 30)
            clock.at(visited)
            need = resident is ding and day == last
            issues.visit_record(
                actor=grid_worker,
                household=resident.household,
                residents_seen=[resident],
                visited_at=visited,
                findings=(
                    "丁大爷腿脚不便，降压药快吃完了，子女在外地，请求定期送药上门。"
                    if need
                    else f"{resident.name}身体状况平稳，家中水电燃气安全，已测血压。"
                ),
                need_found=need,
                need_title=TITLES[10] if need else "",
            )
    issue = Issue.objects.get(community=community, title=TITLES[10])
    issue = transition(clock, local(last, 14), issue, "accept", staff)
    clock.at(local(last, 15))
    assignee = (issue.grid and issue.grid.workers.first()) or world.users["mahong"]
    issues.issue_assign(issue=issue, actor=staff, assignee=assignee)
    issues.issue_comment(
        issue=issue,
        actor=worker_of(issue, grid_worker),
        text="已联系民生大药房王芳药剂师，每周二上午送药上门；招商银行志愿者每月5号随访。",
    )
    # The first delivery made, the need is met on the spot; a week later the grid worker
    # asks 丁大爷 how it goes (回访) and records his answer.
    issue = transition(
        clock,
        local(last + timedelta(days=7), 11),
        Issue.objects.get(pk=issue.pk),
        "handle_on_spot",
        grid_worker,
        note="民生大药房每周二上午送药上门，首次送药已完成，药费由丁大爷子女按月结算。",
    )
    revisit = local(last + timedelta(days=14), 10)
    clock.at(revisit)
    resolutions.revisit_record(
        actor=grid_worker,
        issue=issue,
        method=Revisit.Method.PHONE,
        findings="丁大爷说药每周二按时送到，药剂师还帮他量血压，很满意。",
        rating=Evaluation.Rating.SATISFIED,
        visited_at=revisit,
    )


# Kept for the tests: which action item states a story leaves.
ITEM_DONE = ActionItem.Status.DONE
