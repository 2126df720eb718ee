"""Residents without an account in the demo: invitations by SMS and printed slips, online
opinion-taking (线上征求意见) closed before 永和's council (in its minutes) and open on
华雁湖畔A区 3号楼, and a meeting at 澳海熙园 whose invitations are still to be sent, so a
staff login presses 发出邀请 and reads what went out by channel. Idempotent: what exists
is left as it is."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from meetings import services as meetings
from meetings.models import Form, Meeting, OnlineOpinion, OpinionWindow
from meetings.models import ParticipantRole as R

from .clock import ahead
from .kit import head, worker

# Before 永和's speed-bump council: (stance, comment) of the households that answered.
SPEED_BUMP_OPINIONS = [
    ("for", "早晚接送孩子车太快，赞成装。"),
    ("for", "幼儿园门口一定要装。"),
    ("against", "骑三轮车过减速带太颠，老人容易摔。"),
    ("for", ""),
    ("other", "建议先装限速牌和测速提示，看效果再说。"),
    ("for", "两侧留出非机动车通道就好。"),
    ("against", "晚上减速带噪音影响休息，3号楼离路口太近。"),
    ("for", ""),
    ("for", "安全第一。"),
    ("against", ""),
    ("other", "减速带要刷反光漆，晚上看得清。"),
    ("for", "上个月差点出事，早该装了。"),
    ("against", "外卖电动车多，限速管理比减速带有用。"),
    ("for", ""),
]

# On 华雁湖畔A区 3号楼's charging piles, open now.
CHARGING_OPINIONS = [
    ("for", "楼道里充电太危险，早点装。"),
    ("for", ""),
    ("against", "充电桩离1单元窗户太近，担心着火。"),
    ("other", "建议装在东侧车棚，离住户远一点。"),
    ("for", "费用按次收费就行。"),
    ("for", ""),
]


def _in_households(residents, count):
    """One resident of each household, the first `count` households."""
    chosen, homes = [], set()
    for resident in residents:
        if resident.household_id in homes:
            continue
        homes.add(resident.household_id)
        chosen.append(resident)
        if len(chosen) == count:
            break
    return chosen


def speed_bump_opinions(world, clock, *, issue, staff, opens):
    """Opinion-taking on 永和家园's main road before the council: a week from `opens`,
    fourteen households answering (by SMS link, by phone code, two on paper); closed the
    day before the council, its counts go into the council's minutes."""
    compound = world.compounds[("yonghe", "永和家园")]
    clock.at(opens)
    window = meetings.opinion_window_open(
        actor=staff,
        issue=issue,
        question="是否在永和家园主干道幼儿园门口、3号楼路口安装减速带？",
        details="有居民提出主干道车速过快；也有骑车的居民担心减速带颠簸。议事会前先听听各户意见，"
        "结果将在议事会上通报。",
        compound=compound,
        closes_at=timezone.now() + timedelta(days=7),
    )
    residents = _in_households(
        meetings.residents_asked(window)
        .exclude(phone="")
        .filter(is_representative=False)
        .order_by("pk"),
        len(SPEED_BUMP_OPINIONS),
    )
    for n, (resident, (stance, comment)) in enumerate(
        zip(residents, SPEED_BUMP_OPINIONS, strict=False)
    ):
        clock.at(opens + timedelta(hours=5 + 9 * n))
        via = OnlineOpinion.Via.PAPER if n in (4, 10) else OnlineOpinion.Via.PHONE
        meetings.online_opinion_give(
            window=window,
            resident=resident,
            stance=stance,
            comment=comment,
            via=via,
            actor=staff if via == OnlineOpinion.Via.PAPER else None,
        )
    closes = opens + timedelta(days=6)
    clock.at(closes)
    meetings.opinion_window_close(actor=staff, window=window)
    # The times asked for, in the story's past (the service took the real clock's, and a
    # time in the real future would follow the build's last mark, not this one).
    OpinionWindow.objects.filter(pk=window.pk).update(opens_at=opens, closes_at=closes)


def after_clock(world):
    _open_window_on_charging_piles(world)
    _meeting_to_invite(world)


def _open_window_on_charging_piles(world):
    """华雁湖畔A区 3号楼 is asked about charging piles before its building council."""
    meeting = Meeting.objects.filter(
        community=world.communities["jinyu"], title="华雁湖畔A区3号楼电动车充电桩议事会"
    ).first()
    if meeting is None or OpinionWindow.objects.filter(agenda_item__meeting=meeting).exists():
        return
    staff = head(world, "jinyu")
    item = meeting.agenda_items.first() or meetings.agenda_item_add(
        actor=staff, meeting=meeting, title="3号楼东侧加装电动车充电桩"
    )
    compound = world.compounds[("jinyu", "华雁湖畔A区")]
    building = compound.buildings.get(name="3号楼")
    window = meetings.opinion_window_open(
        actor=staff,
        agenda_item=item,
        question="是否在3号楼东侧车棚加装电动车充电桩？",
        details="物业提出在东侧车棚安装10个充电接口，按次收费，不向住户分摊安装费用。"
        "请每户选一位代表表态，议事会上通报结果。",
        compound=compound,
        building=building,
        closes_at=meeting.starts_at - timedelta(hours=2),
    )
    residents = _in_households(
        meetings.residents_asked(window).exclude(phone="").order_by("pk"), len(CHARGING_OPINIONS)
    )
    for resident, (stance, comment) in zip(residents, CHARGING_OPINIONS, strict=False):
        meetings.online_opinion_give(
            window=window,
            resident=resident,
            stance=stance,
            comment=comment,
            via=OnlineOpinion.Via.PHONE,
        )


MEETING_TO_INVITE = "澳海熙园北门临时停车位议事会"


def _meeting_to_invite(world):
    """A courtyard council at 澳海熙园 next week with its participants added and not yet
    invited: residents with a mobile number and without an account (SMS with a personal
    link), two without any number (a printed slip), the property company's contact and a
    resident with an account."""
    community = world.communities["fenglinwan"]
    if Meeting.objects.filter(community=community, title=MEETING_TO_INVITE).exists():
        return
    staff = world.users["tanyanhong"]
    compound = world.compounds[("fenglinwan", "澳海熙园")]
    start = ahead(6, 19)
    meeting = meetings.meeting_create(
        actor=staff,
        community=community,
        compound=compound,
        form=Form.COURTYARD_COUNCIL,
        title=MEETING_TO_INVITE,
        venue="澳海熙园北门议事长廊",
        starts_at=start,
        ends_at=start + timedelta(hours=1, minutes=30),
    )
    meetings.agenda_item_add(
        actor=staff, meeting=meeting, title="北门外侧划定临时停车位，消防通道保持畅通"
    )
    without_account = (
        community.residents.filter(
            Q(household__compound=compound) | Q(household__unit__building__compound=compound),
            user__isnull=True,
            archived_at__isnull=True,
            is_representative=False,
        )
        .select_related("household")
        .order_by("pk")
    )
    people = [
        *_in_households(without_account.exclude(phone=""), 6),
        *_in_households(without_account.filter(phone=""), 2),
    ]
    for resident in people:
        meetings.participant_add(actor=staff, meeting=meeting, role=R.RESIDENT, resident=resident)
    meetings.participant_add(
        actor=staff,
        meeting=meeting,
        role=R.PROPERTY,
        contact=world.contact("property_aohai", "孙丽"),
    )
    meetings.participant_add(
        actor=staff, meeting=meeting, role=R.REPRESENTATIVE, user=world.users["liujianhua"]
    )
    meetings.participant_add(
        actor=staff, meeting=meeting, role=R.GRID_WORKER, user=worker(world, "fenglinwan")
    )


def residents_for_the_property_meeting(world):
    """Three residents of 澳海熙园 without an account (two with a mobile number, one
    without) invited to next week's property joint meeting with the others."""
    community = world.communities["fenglinwan"]
    compound = world.compounds[("fenglinwan", "澳海熙园")]
    without_account = community.residents.filter(
        Q(household__compound=compound) | Q(household__unit__building__compound=compound),
        user__isnull=True,
        archived_at__isnull=True,
        is_representative=False,
    ).order_by("-pk")
    return [
        *_in_households(without_account.exclude(phone=""), 2),
        *_in_households(without_account.filter(phone=""), 1),
    ]
