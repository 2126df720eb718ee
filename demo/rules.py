"""The rules the demo's streets and communities run by, set as on the 管理 pages (through
the same services), after the stories so that the deadlines already running stay as they
were: the district's limits by category, 长城中路街道's own category and limits, the
communities' own presence rules and fixed days, the State Council's 2027 days entered by
hand, SMS consent on record, and two SMS that failed for the street admin to send again.
Idempotent: each part is skipped once it is there."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from communities.services import community_set_fixed_days, street_set_periods
from core.calendar import calendar_day_save
from core.models import CalendarDay
from issues import rules as limit_rules
from issues.models import Category, LimitUnit, TimeLimit, Urgency
from meetings.models import FormRule
from meetings.models import ParticipantRole as R
from meetings.rules import presence_rule_save
from notifications.models import Delivery, Notification, SmsConsent
from notifications.services import sms_budget_set, sms_consent_record

# The district's limits of the categories that cannot wait (working hours, or calendar
# days for work that needs a contractor): (accept, handle, unit) by urgency.
DISTRICT_LIMITS = {
    "drainage": {
        Urgency.NORMAL: (8, 24, LimitUnit.WORKING_HOURS),
        Urgency.URGENT: (2, 8, LimitUnit.WORKING_HOURS),
        Urgency.VERY_URGENT: (1, 4, LimitUnit.WORKING_HOURS),
    },
    "fire_lane": {
        Urgency.NORMAL: (4, 16, LimitUnit.WORKING_HOURS),
        Urgency.URGENT: (2, 8, LimitUnit.WORKING_HOURS),
        Urgency.VERY_URGENT: (1, 2, LimitUnit.WORKING_HOURS),
    },
    "special_need": {
        Urgency.NORMAL: (8, 16, LimitUnit.WORKING_HOURS),
        Urgency.URGENT: (2, 8, LimitUnit.WORKING_HOURS),
        Urgency.VERY_URGENT: (1, 2, LimitUnit.WORKING_HOURS),
    },
    "elevator": {
        Urgency.NORMAL: (3, 90, LimitUnit.CALENDAR_DAYS),
        Urgency.URGENT: (2, 60, LimitUnit.CALENDAR_DAYS),
        Urgency.VERY_URGENT: (1, 30, LimitUnit.CALENDAR_DAYS),
    },
    "renovation": {
        Urgency.NORMAL: (5, 120, LimitUnit.CALENDAR_DAYS),
        Urgency.URGENT: (3, 90, LimitUnit.CALENDAR_DAYS),
        Urgency.VERY_URGENT: (2, 60, LimitUnit.CALENDAR_DAYS),
    },
}

# The days of 2027 fixed by the national holidays' regulation (全国年节及纪念日放假办法):
# New Year's Day and the Spring Festival's eve and first three days. The State Council's
# notice adds the 调休 of 2027; a street admin enters them when it is published.
DAYS_2027 = [
    (date(2027, 1, 1), "元旦"),
    (date(2027, 2, 5), "春节（除夕）"),
    (date(2027, 2, 6), "春节"),
    (date(2027, 2, 7), "春节"),
    (date(2027, 2, 8), "春节"),
]


def build(world):
    with transaction.atomic():
        _district_limits()
        _street_rules(world)
        _community_rules(world)
        _calendar(world)
        _consents(world)
        _failed_sms(world)
        _sms_budgets(world)


def _district_limits():
    for code, limits in DISTRICT_LIMITS.items():
        category = Category.objects.get(code=code)
        for urgency, (accept, handle, unit) in limits.items():
            TimeLimit.objects.get_or_create(
                street=None,
                category=category,
                urgency=urgency,
                defaults={"accept_within": accept, "handle_within": handle, "unit": unit},
            )


def _street_rules(world):
    """长城中路街道 keeps fire lanes faster than the district, and has a category of its
    own for electric bikes parked and charged in stairwells."""
    street = world.streets["长城中路街道"]
    admin = world.users["changcheng"]
    if Category.objects.filter(street=street).exists():
        return
    L = limit_rules.Limit
    limit_rules.time_limits_save(
        actor=admin,
        street=street,
        category=Category.objects.get(code="fire_lane"),
        limits={
            Urgency.NORMAL: L(2, 8, LimitUnit.WORKING_HOURS),
            Urgency.URGENT: L(1, 4, LimitUnit.WORKING_HOURS),
            Urgency.VERY_URGENT: L(1, 2, LimitUnit.WORKING_HOURS),
        },
    )
    ebikes = limit_rules.category_save(
        actor=admin,
        street=street,
        name="电动车进楼入户",
        default_kind="public",
        order=75,
        code="changcheng-ebikes",
    )
    limit_rules.time_limits_save(
        actor=admin,
        street=street,
        category=ebikes,
        limits={
            Urgency.NORMAL: L(4, 16, LimitUnit.WORKING_HOURS),
            Urgency.URGENT: L(2, 8, LimitUnit.WORKING_HOURS),
            Urgency.VERY_URGENT: L(1, 2, LimitUnit.WORKING_HOURS),
        },
        version=ebikes.version,
    )
    street_set_periods(actor=admin, street=street, publication_days=10, evaluation_days=7)


def _community_rules(world):
    """中强巷's monthly council (左邻右舍, on the 15th) needs the grid worker and three
    representatives; 金宇名庭's mediations need both parties and the area police officer;
    西湖 holds its party-building joint meeting on the 10th of each quarter's first month."""
    admin = world.users["changcheng"]
    zhongqiang = world.communities["zhongqiangxiang"]
    if not FormRule.objects.filter(community=zhongqiang).exists():
        presence_rule_save(
            actor=world.users["xulili"],
            community=zhongqiang,
            form="monthly_council",
            required_roles=[R.GRID_WORKER],
            min_representatives=3,
            all_parties_required=False,
        )
    jinyu = world.communities["jinyu"]
    if not FormRule.objects.filter(community=jinyu).exists():
        presence_rule_save(
            actor=admin,
            community=jinyu,
            form="onsite_mediation",
            required_roles=[R.POLICE],
            min_representatives=0,
            all_parties_required=True,
        )
    xihu = world.communities["xihu"]
    if xihu.joint_meeting_day is None:
        community_set_fixed_days(
            actor=world.users["luoyin"],
            community=xihu,
            monthly_council_day=xihu.monthly_council_day,
            visit_day=xihu.visit_day,
            joint_meeting_day=10,
        )


def _calendar(world):
    admin = world.users["changcheng"]
    for day, name in DAYS_2027:
        if not CalendarDay.objects.filter(date=day, archived_at__isnull=True).exists():
            calendar_day_save(actor=admin, date=day, kind=CalendarDay.Kind.HOLIDAY, name=name)


def _consents(world):
    """A resident of 澳海熙园 who asked for no more text messages (in writing), and one who
    agreed at the door."""
    staff = world.users["lixin"]
    community = world.communities["fenglinwan"]
    residents = list(
        community.residents.filter(archived_at__isnull=True, user__isnull=True)
        .exclude(phone="")
        .order_by("pk")[:2]
    )
    if len(residents) < 2 or SmsConsent.objects.filter(resident__in=residents).exists():
        return
    sms_consent_record(
        actor=staff,
        resident=residents[0],
        consent=SmsConsent.Consent.WITHDRAWN,
        via=SmsConsent.Via.WRITTEN,
        note="本人书面申请不再接收短信，通知改为网格员送达通知单",
    )
    sms_consent_record(
        actor=staff,
        resident=residents[1],
        consent=SmsConsent.Consent.GIVEN,
        via=SmsConsent.Via.ORAL,
        note="入户走访时当面同意",
    )


def _failed_sms(world):
    """Two SMS the gateway refused last night (a number no longer in service, a timeout
    after the retries), for 发送记录's 重发."""
    from django.contrib.contenttypes.models import ContentType

    community = world.communities["fenglinwan"]
    if Notification.objects.filter(kind="demo_failed_sms").exists():
        return
    people = list(
        community.residents.filter(
            archived_at__isnull=True, user__isnull=True, sms_consent__isnull=True
        )
        .exclude(phone="")
        .order_by("-pk")[:2]
    )
    errors = [
        "短信网关超时，已重试 5 次",
        "号码已停机（短信网关回执）",
    ]
    sent_at = timezone.now() - timedelta(hours=10)
    for resident, error in zip(people, errors, strict=False):
        notification = Notification.objects.create(
            resident=resident,
            community=community,
            kind="demo_failed_sms",
            content_type=ContentType.objects.get_for_model(community),
            object_id=community.pk,
            title="枫林湾社区：本周六上午在澳海熙园北门开展消防通道清理，请将车辆移出",
            body="",
            sms_text="【枫林湾社区】本周六9点澳海熙园北门消防通道清理，请提前移车。",
        )
        Delivery.objects.create(
            notification=notification,
            channel="sms",
            status=Delivery.Status.FAILED,
            attempts=5,
            last_error=error,
        )
        Notification.objects.filter(pk=notification.pk).update(created_at=sent_at)


def _sms_budgets(world):
    """长城中路街道 pays for its communities' text messages: 300 a month for 枫林湾 (the
    busiest), 150 for the others; 管理 ▸ 短信额度 shows each against what it sent."""
    from communities.models import Community
    from notifications.models import SmsBudget

    admin = world.users["changcheng"]
    fenglinwan = world.communities["fenglinwan"]
    for community in Community.objects.filter(street=fenglinwan.street, archived_at__isnull=True):
        if SmsBudget.objects.filter(community=community).exists():
            continue
        sms_budget_set(
            actor=admin,
            community=community,
            monthly_limit=300 if community.pk == fenglinwan.pk else 150,
        )
