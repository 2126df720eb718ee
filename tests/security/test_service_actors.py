"""Every service that takes an actor checks it through the access package: an actor out of
scope is refused with the services' usual DomainError and the database is left as it was,
whoever calls (a view that forgot its check, a task, a script)."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from accounts import services as account_services
from communities import services as communities_services
from communities.models import AgreementEntry
from core.calendar import calendar_day_save
from issues import rules as limit_rules
from issues import services as issues_services
from issues.models import Category, Channel
from lib.errors import DomainError
from meetings.rules import presence_rule_save
from notifications.services import sms_consent_record

pytestmark = pytest.mark.django_db

# The apps these services write to, the timeline and audit trail (core) and the
# notifications they send included.
WRITTEN_APPS = ("communities", "issues", "core", "notifications", "accounts", "meetings")


def _database():
    """Every row of every table the services write, as plain values."""
    return {
        model._meta.label: sorted(model.objects.values_list(), key=lambda row: row[0])
        for label in WRITTEN_APPS
        for model in apps.get_app_config(label).get_models()
    }


@pytest.fixture
def records(world):
    """An issue with a summons, a patrol with a finding, an agreement and a shop, all in
    community A / grid A1, made by the people who may make them."""
    category, _ = Category.objects.get_or_create(code="drainage", defaults={"name": "下水道"})
    issue = issues_services.issue_report(
        actor=world.staff_a,
        community=world.community_a,
        compound=world.compound_a1,
        category=category,
        title="3号楼下水道堵塞",
        description="雨后积水",
        channel=Channel.WALK_IN,
    )
    summons = issues_services.summons_create(
        issue=issue, actor=world.staff_a, organization=world.organization
    )
    patrol = issues_services.patrol_start(actor=world.worker_a1, grid=world.grid_a1)
    finding = issues_services.finding_record(
        actor=world.worker_a1, patrol=patrol, text="楼道堆放纸箱", compound=world.compound_a1
    )
    agreement = communities_services.agreement_save(
        actor=world.staff_a,
        community=world.community_a,
        organization=world.organization,
        title="共建协议书",
        signed_on=timezone.localdate(),
    )
    shop = communities_services.shop_save(
        actor=world.staff_a, community=world.community_a, name="小饭馆"
    )
    building = world.compound_a1.buildings.get()
    return {
        "category": category,
        "issue": issue,
        "summons": summons,
        "patrol": patrol,
        "finding": finding,
        "agreement": agreement,
        "shop": shop,
        "building": building,
        "unit": building.units.get(),
        "contact": world.organization.contacts.get(),
    }


# (actor, the call) for each service. The actors are just outside the rule: staff of the
# other community, the worker of the other grid of the same community, a resident, the
# organization's own contact.
CALLS = {
    # issues
    "issue_assign by staff of another community": (
        "staff_b",
        lambda w, r, actor: issues_services.issue_assign(
            issue=r["issue"], actor=actor, assignee=w.staff_a
        ),
    ),
    "issue_comment by staff of another community": (
        "staff_b",
        lambda w, r, actor: issues_services.issue_comment(
            issue=r["issue"], actor=actor, text="这不是我们社区的事"
        ),
    ),
    "issue_add_photos by the worker of another grid": (
        "worker_a2",
        lambda w, r, actor: issues_services.issue_add_photos(
            issue=r["issue"], actor=actor, photos=["issues/photo.jpg"]
        ),
    ),
    "summons_create by a grid worker, who does not escalate": (
        "worker_a1",
        lambda w, r, actor: issues_services.summons_create(
            issue=r["issue"], actor=actor, organization=w.organization
        ),
    ),
    "summons_report by the summoned organization itself": (
        "org_contact",
        lambda w, r, actor: issues_services.summons_report(
            summons=r["summons"],
            actor=actor,
            arrived_at=timezone.now(),
            action_taken="已到场",
        ),
    ),
    "summons_report by staff of another community": (
        "staff_b",
        lambda w, r, actor: issues_services.summons_report(
            summons=r["summons"],
            actor=actor,
            arrived_at=timezone.now(),
            action_taken="已到场",
        ),
    ),
    "patrol_start by the worker of another grid": (
        "worker_a2",
        lambda w, r, actor: issues_services.patrol_start(actor=actor, grid=w.grid_a1),
    ),
    "patrol_start by staff, who do not patrol": (
        "staff_a",
        lambda w, r, actor: issues_services.patrol_start(actor=actor, grid=w.grid_a1),
    ),
    "patrol_end by the worker of another grid": (
        "worker_a2",
        lambda w, r, actor: issues_services.patrol_end(actor=actor, patrol=r["patrol"]),
    ),
    "finding_record by the worker of another grid": (
        "worker_a2",
        lambda w, r, actor: issues_services.finding_record(
            actor=actor, patrol=r["patrol"], text="井盖松动"
        ),
    ),
    "finding_to_issue by the worker of another grid": (
        "worker_a2",
        lambda w, r, actor: issues_services.finding_to_issue(
            actor=actor, finding=r["finding"], category=r["category"]
        ),
    ),
    "visit_record by the worker of another grid": (
        "worker_a2",
        lambda w, r, actor: issues_services.visit_record(
            actor=actor,
            household=w.household_a1,
            findings="老人身体尚好",
            need_found=True,
            need_category=r["category"],
        ),
    ),
    "visit_record by staff of another community": (
        "staff_b",
        lambda w, r, actor: issues_services.visit_record(actor=actor, household=w.household_a1),
    ),
    # communities: residents
    "resident_create by staff of another community": (
        "staff_b",
        lambda w, r, actor: communities_services.resident_create(
            actor=actor, community=w.community_a, household=w.household_a1, name="新居民"
        ),
    ),
    "resident_create by the worker of another grid": (
        "worker_a2",
        lambda w, r, actor: communities_services.resident_create(
            actor=actor, community=w.community_a, household=w.household_a1, name="新居民"
        ),
    ),
    "resident_update by the worker of another grid": (
        "worker_a2",
        lambda w, r, actor: communities_services.resident_update(
            actor=actor, resident=w.resident_a, notes="改了"
        ),
    ),
    "resident_archive by staff of another community": (
        "staff_b",
        lambda w, r, actor: communities_services.resident_archive(
            actor=actor, resident=w.resident_a
        ),
    ),
    "resident_restore by the worker of another grid": (
        "worker_a2",
        lambda w, r, actor: communities_services.resident_restore(
            actor=actor, resident=w.resident_a
        ),
    ),
    # communities: organizations
    "organization_create for another community": (
        "staff_b",
        lambda w, r, actor: communities_services.organization_create(
            actor=actor, communities=[w.community_a], kind="property", name="乙物业"
        ),
    ),
    "organization_create by a grid worker": (
        "worker_a1",
        lambda w, r, actor: communities_services.organization_create(
            actor=actor, communities=[w.community_a], kind="property", name="乙物业"
        ),
    ),
    "organization_update by staff of another community": (
        "staff_b",
        lambda w, r, actor: communities_services.organization_update(
            actor=actor, organization=w.organization, name="改名物业"
        ),
    ),
    "organization_archive by the organization's own contact": (
        "org_contact",
        lambda w, r, actor: communities_services.organization_archive(
            actor=actor, organization=w.organization
        ),
    ),
    "organization_restore by staff of another community": (
        "staff_b",
        lambda w, r, actor: communities_services.organization_restore(
            actor=actor, organization=w.organization
        ),
    ),
    "contact_save by staff of another community": (
        "staff_b",
        lambda w, r, actor: communities_services.contact_save(
            actor=actor, organization=w.organization, name="新联系人"
        ),
    ),
    "contact_archive by staff of another community": (
        "staff_b",
        lambda w, r, actor: communities_services.contact_archive(actor=actor, contact=r["contact"]),
    ),
    # communities: places, grids, shops and agreements
    "compound_save by staff of another community": (
        "staff_b",
        lambda w, r, actor: communities_services.compound_save(
            actor=actor, community=w.community_a, name="甲三小区"
        ),
    ),
    "building_save by a grid worker": (
        "worker_a1",
        lambda w, r, actor: communities_services.building_save(
            actor=actor, compound=w.compound_a1, name="9号楼"
        ),
    ),
    "unit_save by staff of another community": (
        "staff_b",
        lambda w, r, actor: communities_services.unit_save(
            actor=actor, building=r["building"], name="9单元"
        ),
    ),
    "household_save by staff of another community": (
        "staff_b",
        lambda w, r, actor: communities_services.household_save(
            actor=actor, community=w.community_a, unit=r["unit"], room="909"
        ),
    ),
    "grid_save by the street admin, who oversees": (
        "street_admin",
        lambda w, r, actor: communities_services.grid_save(
            actor=actor,
            community=w.community_a,
            name="楼栋网格",
            code=w.community_a.area_code + "099",
            buildings=[r["building"]],
        ),
    ),
    "grid_archive by a grid worker": (
        "worker_a1",
        lambda w, r, actor: communities_services.grid_archive(actor=actor, grid=w.grid_a1),
    ),
    "shop_save by staff of another community": (
        "staff_b",
        lambda w, r, actor: communities_services.shop_save(
            actor=actor, community=w.community_a, shop=r["shop"], name="大饭店"
        ),
    ),
    "shop_archive by staff of another community": (
        "staff_b",
        lambda w, r, actor: communities_services.shop_archive(actor=actor, shop=r["shop"]),
    ),
    "agreement_save by staff of another community": (
        "staff_b",
        lambda w, r, actor: communities_services.agreement_save(
            actor=actor,
            community=w.community_a,
            organization=w.organization,
            title="乙方协议",
            signed_on=timezone.localdate() - timedelta(days=1),
        ),
    ),
    "agreement_entry_save by a resident": (
        "resident_user_a",
        lambda w, r, actor: communities_services.agreement_entry_save(
            actor=actor,
            agreement=r["agreement"],
            list_kind=AgreementEntry.ListKind.RESOURCE,
            description="会议室",
        ),
    ),
    "agreement_archive by staff of another community": (
        "staff_b",
        lambda w, r, actor: communities_services.agreement_archive(
            actor=actor, agreement=r["agreement"]
        ),
    ),
    # 管理 (access.administration): accounts, rules, the calendar, consent.
    "account_create of a grid worker by staff who are not the head": (
        "staff_a",
        lambda w, r, actor: account_services.account_create(
            actor=actor, role="grid_worker", username="x1", name="某", grids=[w.grid_a1]
        ),
    ),
    "account_create of staff by the community head": (
        "head_a",
        lambda w, r, actor: account_services.account_create(
            actor=actor, role="staff", username="x2", name="某", communities=[w.community_a]
        ),
    ),
    "account_set_active of staff by the community head": (
        "head_a",
        lambda w, r, actor: account_services.account_set_active(
            actor=actor, account=w.staff_a, active=False, reason="调离"
        ),
    ),
    "account_password_link by staff of another community": (
        "staff_b",
        lambda w, r, actor: account_services.account_password_link(
            actor=actor, account=w.worker_a1, via="in_person"
        ),
    ),
    "account_give_resident by a grid worker": (
        "worker_a1",
        lambda w, r, actor: account_services.account_give_resident(
            actor=actor, resident=w.resident_a
        ),
    ),
    "category_save by the community head": (
        "head_a",
        lambda w, r, actor: limit_rules.category_save(
            actor=actor, street=w.street, name="某类", default_kind="public"
        ),
    ),
    "time_limits_save by staff": (
        "staff_a",
        lambda w, r, actor: limit_rules.time_limits_save(
            actor=actor, street=w.street, category=r["category"], limits={}
        ),
    ),
    "presence_rule_save by staff who are not the head": (
        "staff_a",
        lambda w, r, actor: presence_rule_save(
            actor=actor,
            community=w.community_a,
            form="building_council",
            required_roles=[],
            min_representatives=1,
            all_parties_required=False,
        ),
    ),
    "community_set_fixed_days by staff of another community": (
        "staff_b",
        lambda w, r, actor: communities_services.community_set_fixed_days(
            actor=actor,
            community=w.community_a,
            monthly_council_day=5,
            visit_day=5,
            joint_meeting_day=None,
        ),
    ),
    "street_set_periods by the community head": (
        "head_a",
        lambda w, r, actor: communities_services.street_set_periods(
            actor=actor, street=w.street, publication_days=3, evaluation_days=3
        ),
    ),
    "calendar_day_save by the community head": (
        "head_a",
        lambda w, r, actor: calendar_day_save(
            actor=actor, date=date(2030, 1, 1), kind="holiday", name="元旦"
        ),
    ),
    "sms_consent_record by the worker of another grid": (
        "worker_a2",
        lambda w, r, actor: sms_consent_record(
            actor=actor, resident=w.resident_a, consent="withdrawn", via="oral"
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(CALLS))
def test_service_refuses_an_actor_out_of_scope_and_changes_nothing(world, records, case):
    who, call = CALLS[case]
    before = _database()

    with pytest.raises(DomainError):
        call(world, records, getattr(world, who))

    assert _database() == before


def test_the_archived_resident_stays_archived_when_another_grid_restores(world):
    communities_services.resident_archive(actor=world.worker_a1, resident=world.resident_a)
    world.resident_a.refresh_from_db()

    with pytest.raises(DomainError):
        communities_services.resident_restore(actor=world.worker_a2, resident=world.resident_a)

    world.resident_a.refresh_from_db()
    assert world.resident_a.archived_at is not None


def test_escalating_street_admin_summons_departments(world, records):
    """The street admin escalates too (吹哨报到): the summons rule follows the escalate rule."""
    issue = issues_services.issue_transition(
        issue=records["issue"], action="accept", actor=world.staff_a
    )

    escalated = issues_services.issue_escalate(
        issue=issue,
        actor=world.street_admin,
        note="需要执法部门",
        escalation_mode="whistle",
        organizations=[world.organization],
    )

    assert escalated.summonses.count() == 2
