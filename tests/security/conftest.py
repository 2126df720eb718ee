"""The records the access matrix points at, built through the apps' services in community A /
grid A1 of the `world` fixture, so that every URL with a pk has a real object behind it."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from api.models import HotlineTicket
from communities import services as communities_services
from communities.models import AgreementEntry
from core.attachments import attachment_add
from issues import services as issues_services
from issues.models import Category, Channel, IssueParty, Kind
from meetings import services as meetings_services
from meetings.models import Form, Participant
from notifications.models import Delivery
from notifications.services import notify
from reach.services import link_issue
from resolutions import services as resolutions_services


def _category():
    category, _ = Category.objects.get_or_create(code="drainage", defaults={"name": "下水道"})
    return category


def _resolution(world, *, issue, agenda_item, status):
    staff = world.staff_a
    today = timezone.localdate()
    resolution = resolutions_services.resolution_create(
        actor=staff,
        agenda_item=agenda_item,
        text="物业更换路灯，居民分摊费用",
        legal_review_required=False,
        items=[
            {
                "responsible_organization": world.organization,
                "measure": "更换路灯",
                "starts_on": today,
                "deadline": today + timedelta(days=10),
            }
        ],
    )
    item = resolution.items.get()
    resolutions_services.cost_split_set(
        actor=staff,
        item=item,
        total=400,
        shares=[{"household": world.household_a1, "amount": 400}],
    )
    if status in ("adopted", "published"):
        resolution = resolutions_services.resolution_transition(
            actor=staff, resolution=resolution, action="adopt"
        )
    if status == "published":
        resolution = resolutions_services.resolution_transition(
            actor=staff, resolution=resolution, action="publish"
        )
    return resolution


@pytest.fixture
def objects(world):
    """One record of every kind a URL points at, all in community A / grid A1 (the
    `worker_here` grid); the hotline ticket of the street and a finding of the A1 patrol."""
    staff, worker = world.staff_a, world.worker_a1
    category = _category()
    notification = notify(
        recipient=staff,
        kind="matrix",
        title="测试通知",
        body="",
        target=world.community_a,
        url="/",
    )

    # Issues: a public issue reported by resident A, a dispute with resident A as a party,
    # an issue of grid A2 (not the worker's grid) and an issue ready for evaluation.
    issue = issues_services.issue_report(
        actor=staff,
        community=world.community_a,
        compound=world.compound_a1,
        category=category,
        title="3号楼下水道堵塞",
        description="雨后积水",
        channel=Channel.WALK_IN,
        kind=Kind.PUBLIC,
        reporter_resident=world.resident_a,
    )
    dispute = issues_services.issue_report(
        actor=staff,
        community=world.community_a,
        compound=world.compound_a1,
        category=category,
        title="楼上漏水纠纷",
        description="厨房漏水，双方不愿出钱",
        channel=Channel.GRID_PATROL,
        kind=Kind.DISPUTE,
    )
    IssueParty.objects.create(issue=dispute, resident=world.resident_a, name=world.resident_a.name)
    # An issue awaiting evaluation (escalated, then confirmed complete) and one closed on
    # the spot, both reported by resident A: the evaluation and revisit pages need them.
    awaiting = issues_services.issue_report(
        actor=staff,
        community=world.community_a,
        compound=world.compound_a1,
        category=category,
        title="路灯不亮",
        description="晚上很黑",
        channel=Channel.PHONE,
        reporter_resident=world.resident_a,
    )
    for action in ("accept", "escalate", "complete"):
        awaiting = issues_services.issue_transition(
            issue=awaiting, action=action, actor=staff, note="已处理"
        )
    closed = issues_services.issue_report(
        actor=staff,
        community=world.community_a,
        compound=world.compound_a1,
        category=category,
        title="楼道灯坏了",
        description="已换灯泡",
        channel=Channel.WALK_IN,
        reporter_resident=world.resident_a,
    )
    for action in ("accept", "handle_on_spot"):
        closed = issues_services.issue_transition(
            issue=closed, action=action, actor=staff, note="现场更换"
        )
    summons = issues_services.summons_create(
        issue=issue, actor=staff, organization=world.organization
    )

    # Patrol and visit by the grid worker of A1.
    patrol = issues_services.patrol_start(actor=worker, grid=world.grid_a1)
    finding = issues_services.finding_record(
        actor=worker, patrol=patrol, text="楼道堆放纸箱", compound=world.compound_a1
    )
    visit = issues_services.visit_record(
        actor=worker, household=world.household_a1, findings="老人身体尚好"
    )

    # A meeting on the public issue and a private mediation on the dispute.
    start = timezone.now() + timedelta(days=1)
    meeting = meetings_services.meeting_create(
        actor=staff,
        community=world.community_a,
        grid=world.grid_a1,
        compound=world.compound_a1,
        form=Form.BUILDING_COUNCIL,
        title="一号楼议事会",
        venue="社区活动室",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        issues=[issue],
    )
    meetings_services.participant_add(
        actor=staff, meeting=meeting, role="resident", resident=world.resident_a
    )
    mediation = meetings_services.meeting_create(
        actor=staff,
        community=world.community_a,
        grid=world.grid_a1,
        form=Form.ONSITE_MEDIATION,
        title="漏水调解会",
        venue="职工之家",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        issues=[dispute],
        is_private=True,
    )
    mediation_participant = meetings_services.participant_add(
        actor=staff, meeting=mediation, role="party", resident=world.resident_a
    )
    agenda_item = meeting.agenda_items.get()
    mediation_item = mediation.agenda_items.get()

    # A published resolution (with an action item, a cost split and an objection), and a
    # draft for the dispute. The published one's issue is then ready for evaluation.
    resolution = _resolution(world, issue=issue, agenda_item=agenda_item, status="published")
    action_item = resolution.items.get()
    objection = resolutions_services.objection_lodge(
        actor=world.resident_user_a, resolution=resolution, reason="分摊比例不公平"
    )
    draft = _resolution(world, issue=dispute, agenda_item=mediation_item, status="draft")

    # A co-building agreement with an entry, and a hotline ticket of the street.
    agreement = communities_services.agreement_save(
        actor=staff,
        community=world.community_a,
        organization=world.organization,
        title="共建协议书",
        signed_on=timezone.localdate(),
    )
    entry = communities_services.agreement_entry_save(
        actor=staff,
        agreement=agreement,
        list_kind=AgreementEntry.ListKind.RESOURCE,
        description="会议室",
    )
    ticket = HotlineTicket.objects.create(
        ticket_number="20261120001",
        received_at=timezone.now(),
        content="小区门口垃圾没人清运",
        address="甲一小区",
        street=world.street,
        imported_by=world.street_admin,
    )
    contact = world.organization.contacts.get()
    compound = world.compound_a1
    building = compound.buildings.get()
    unit = building.units.get()
    shop = communities_services.shop_save(
        actor=staff, community=world.community_a, compound=compound, name="小饭馆"
    )
    venue = communities_services.venue_save(
        actor=staff, community=world.community_a, name="社区议事室", kind="council_room"
    )
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(photo, format="PNG")
    attachment = attachment_add(
        actor=staff,
        target=meeting,
        upload=SimpleUploadedFile("签到表.png", photo.getvalue()),
        kind="sign_in_sheet",
    )
    (issue_photo,) = issues_services.issue_add_photos(
        issue=issue,
        actor=staff,
        photos=[SimpleUploadedFile("现场.png", photo.getvalue(), content_type="image/png")],
    )

    # Reaching people without accounts: resident A's personal link to answer the meeting's
    # invitation, opinion-taking on the public issue (open, and one closed), and an SMS to
    # resident A that failed.
    resident_participant = Participant.objects.get(meeting=meeting, resident=world.resident_a)
    invitation_link = link_issue(
        purpose=meetings_services.INVITATION_PURPOSE,
        target=resident_participant,
        person=world.resident_a,
        community=world.community_a,
        expires_at=meeting.ends_at,
    )
    opinion_window = meetings_services.opinion_window_open(
        actor=staff,
        issue=issue,
        question="是否安装充电桩？",
        compound=world.compound_a1,
        closes_at=timezone.now() + timedelta(days=7),
    )
    closed_window = meetings_services.opinion_window_open(
        actor=staff,
        issue=issue,
        question="是否划定停车位？",
        compound=world.compound_a1,
        closes_at=timezone.now() + timedelta(days=7),
    )
    meetings_services.opinion_window_close(actor=staff, window=closed_window)
    failed_sms = notify(
        recipient=world.resident_a,
        kind="matrix_sms",
        title="测试短信",
        body="",
        target=world.community_a,
        sms_text="【议事】甲社区：测试",
    ).deliveries.get()
    Delivery.objects.filter(pk=failed_sms.pk).update(status=Delivery.Status.FAILED)

    # The 管理 pages: a resident of A without an account, a day of the working calendar, a
    # category of the street and the reminder schedules.
    from django_celery_beat.models import PeriodicTask

    from communities.tests.factories import ResidentFactory
    from core.calendar import calendar_day_save
    from core.schedules import sync

    no_account = ResidentFactory(
        household=world.household_a1, grid=world.grid_a1, name="甲无账号", phone="13900000001"
    )
    calendar_day = calendar_day_save(
        actor=world.street_admin,
        date=timezone.localdate().replace(year=2030, month=1, day=1),
        kind="holiday",
        name="元旦",
    )
    sync()

    return {
        "world": world,
        "resident_without_account": no_account,
        "calendar_day": calendar_day,
        "schedule": PeriodicTask.objects.get(name="Meeting reminders"),
        "notification_for_staff_here": notification,
        "resident_participant": resident_participant,
        "invitation_link": invitation_link,
        "opinion_window": opinion_window,
        "closed_window": closed_window,
        "failed_sms": failed_sms,
        "issue": issue,
        "dispute": dispute,
        "summons": summons,
        "awaiting_evaluation": awaiting,
        "closed_issue": closed,
        "patrol": patrol,
        "finding": finding,
        "visit": visit,
        "meeting": meeting,
        "mediation": mediation,
        "mediation_participant": mediation_participant,
        "agenda_item": agenda_item,
        "mediation_item": mediation_item,
        "resolution": resolution,
        "draft_resolution": draft,
        "action_item": action_item,
        "objection": objection,
        "agreement": agreement,
        "agreement_entry": entry,
        "ticket": ticket,
        "contact": contact,
        "compound": compound,
        "building": building,
        "unit": unit,
        "household": world.household_a1,
        "shop": shop,
        "venue": venue,
        "attachment": attachment,
        "issue_photo": issue_photo,
        "participant": Participant.objects.filter(meeting=meeting).first(),
    }
