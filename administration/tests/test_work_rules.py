"""A street's categories and time limits, a community's presence rules and fixed days:
the services' rules, their messages next to the field, the timeline's before and after,
and what the work then does with them."""

from datetime import date, datetime

import pytest
from django.utils import translation

from communities.services import community_set_fixed_days, street_set_periods
from core import audit
from issues import services as issues_services
from issues.models import Category, LimitUnit, TimeLimit, Urgency
from issues.rules import Limit, category_save, time_limits_save
from lib.errors import DomainError, StaleEdit
from lib.worktime import TZ
from meetings.models import FormRule
from meetings.rules import presence_rule_for, presence_rule_save

pytestmark = pytest.mark.django_db

HOURS = LimitUnit.WORKING_HOURS


def limits(normal, urgent=None, very=None, unit=HOURS):
    return {
        Urgency.NORMAL: Limit(*normal, unit) if normal else None,
        Urgency.URGENT: Limit(*urgent, unit) if urgent else None,
        Urgency.VERY_URGENT: Limit(*very, unit) if very else None,
    }


def zh(call):
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        call()
    return refused.value


def test_a_street_admin_adds_a_category_with_its_limits_on_the_timeline(world):
    category = category_save(
        actor=world.street_admin, street=world.street, name="电动车进楼", default_kind="public"
    )
    time_limits_save(
        actor=world.street_admin,
        street=world.street,
        category=category,
        limits=limits((4, 16), (2, 8), (1, 2)),
        version=category.version,
    )
    assert category.street == world.street
    assert TimeLimit.objects.filter(street=world.street, category=category).count() == 3
    rows = list(audit.timeline_of(category))
    assert [row.action for row in rows] == ["create", "update"]
    assert rows[0].street_id == world.street.pk
    assert rows[0].changes["name"] == ["", "电动车进楼"]
    assert all(before == "" for before, _after in rows[1].changes.values())
    # Changed: the before and after of the urgency changed, nothing else.
    category.refresh_from_db()
    time_limits_save(
        actor=world.street_admin,
        street=world.street,
        category=category,
        limits=limits((4, 24), (2, 8), (1, 2)),
        version=category.version,
    )
    last = audit.timeline_of(category).last()
    assert len(last.changes) == 1
    ((before, after),) = last.changes.values()
    assert "16" in before and "24" in after


def test_a_more_urgent_limit_longer_than_a_less_urgent_one_is_refused_next_to_its_field(world):
    category = Category.objects.create(name="下水井盖", code="drainage-x")
    error = zh(
        lambda: time_limits_save(
            actor=world.street_admin,
            street=world.street,
            category=category,
            limits=limits((8, 40), (8, 48)),
        )
    )
    assert error.field == "urgent_handle_within"
    assert "越紧急" in str(error.message)
    assert not TimeLimit.objects.filter(street=world.street).exists()


def test_a_name_already_used_in_the_street_or_the_district_is_refused(world):
    Category.objects.create(name="下水井盖", code="drainage-y")
    error = zh(
        lambda: category_save(
            actor=world.street_admin, street=world.street, name="下水井盖", default_kind="public"
        )
    )
    assert error.field == "name"


def test_a_stale_form_does_not_overwrite_the_limits(world):
    category = Category.objects.create(name="雨水管", code="drainage-z")
    time_limits_save(
        actor=world.street_admin, street=world.street, category=category, limits=limits((8, 40))
    )
    with pytest.raises(StaleEdit):
        time_limits_save(
            actor=world.street_admin,
            street=world.street,
            category=category,
            limits=limits((4, 20)),
            version=1,
        )
    assert TimeLimit.objects.get(street=world.street, category=category).handle_within == 40


def test_the_street_limit_comes_first_for_its_issues_only(world, other_street):
    category = Category.objects.create(name="消防车道", code="fire-x")
    TimeLimit.objects.create(
        category=category, urgency=Urgency.NORMAL, accept_within=8, handle_within=40
    )
    time_limits_save(
        actor=world.street_admin, street=world.street, category=category, limits=limits((2, 8))
    )
    here = issues_services.time_limit_for(
        category=category, urgency=Urgency.NORMAL, street_id=world.street.pk
    )
    elsewhere = issues_services.time_limit_for(
        category=category, urgency=Urgency.NORMAL, street_id=other_street["street"].pk
    )
    assert (here.accept_within, here.street_id) == (2, world.street.pk)
    assert (elsewhere.accept_within, elsewhere.street_id) == (8, None)
    issue = issues_services.issue_report(
        actor=world.staff_a,
        community=world.community_a,
        category=category,
        title="消防通道被占",
        description="北门",
        channel="walk_in",
        reported_at=datetime(2026, 9, 30, 16, 0, tzinfo=TZ),
    )
    # Two working hours from 16:00 on 30 September 2026: 8 October at 9:00, after National Day.
    assert issue.accept_deadline == datetime(2026, 10, 8, 9, 0, tzinfo=TZ)


def test_a_street_category_is_not_used_in_another_street(world, other_street):
    category = category_save(
        actor=other_street["admin"],
        street=other_street["street"],
        name="丙街道专用",
        default_kind="public",
    )
    with pytest.raises(DomainError) as refused:
        issues_services.issue_report(
            actor=world.staff_a,
            community=world.community_a,
            category=category,
            title="t",
            description="d",
            channel="walk_in",
        )
    assert refused.value.field == "category"
    from access.issues import categories_offered_to

    assert category not in categories_offered_to(world.staff_a)
    assert category in categories_offered_to(other_street["head"])


def test_a_street_admin_of_another_street_sets_nothing_here(world, other_street):
    with pytest.raises(DomainError):
        category_save(
            actor=other_street["admin"], street=world.street, name="x", default_kind="public"
        )
    with pytest.raises(DomainError):
        street_set_periods(
            actor=other_street["admin"], street=world.street, publication_days=3, evaluation_days=3
        )


def test_periods_of_the_street_are_audited_and_used(world):
    street_set_periods(
        actor=world.street_admin, street=world.street, publication_days=10, evaluation_days=5
    )
    from communities.services import evaluation_days_of, publication_days_of

    assert publication_days_of(world.street.pk) == 10
    assert evaluation_days_of(world.street.pk) == 5
    row = audit.timeline_of(world.street).get()
    assert row.changes == {"publication_days": ["", "10"], "evaluation_days": ["", "5"]}
    assert row.street_id == world.street.pk


# ---------------------------------------------------------------- presence rules


def test_the_head_sets_the_community_rule_which_comes_before_the_district_one(world):
    FormRule.objects.create(form="building_council", min_representatives=1)
    rule = presence_rule_save(
        actor=world.head_a,
        community=world.community_a,
        form="building_council",
        required_roles=["property"],
        min_representatives=2,
        all_parties_required=False,
    )
    assert presence_rule_for(community_id=world.community_a.pk, form="building_council") == rule
    assert (
        presence_rule_for(community_id=world.community_b.pk, form="building_council").community
        is None
    )
    row = audit.timeline_of(rule).get()
    assert row.community_id == world.community_a.pk
    assert row.changes["min_representatives"] == ["", "2"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"required_roles": ["representative"], "min_representatives": 2}, "required_roles"),
        ({"form": "party_building_joint", "all_parties_required": True}, "all_parties_required"),
        ({"min_representatives": 99}, "min_representatives"),
    ],
)
def test_a_contradictory_presence_rule_is_refused_next_to_its_field(world, values, field):
    arguments = {
        "form": "building_council",
        "required_roles": [],
        "min_representatives": 0,
        "all_parties_required": False,
        **values,
    }
    error = zh(
        lambda: presence_rule_save(actor=world.head_a, community=world.community_a, **arguments)
    )
    assert error.field == field
    assert not FormRule.objects.exists()


def test_a_second_rule_for_the_same_form_is_refused(world):
    arguments = {
        "form": "building_council",
        "required_roles": [],
        "min_representatives": 1,
        "all_parties_required": False,
    }
    presence_rule_save(actor=world.head_a, community=world.community_a, **arguments)
    error = zh(
        lambda: presence_rule_save(
            actor=world.street_admin, community=world.community_a, **arguments
        )
    )
    assert error.field == "form"
    assert FormRule.objects.filter(community=world.community_a).count() == 1


def test_staff_who_are_not_the_head_and_heads_of_other_communities_set_no_rule(world):
    arguments = {
        "form": "building_council",
        "required_roles": [],
        "min_representatives": 1,
        "all_parties_required": False,
    }
    with pytest.raises(DomainError):
        presence_rule_save(actor=world.staff_a, community=world.community_a, **arguments)
    with pytest.raises(DomainError):
        presence_rule_save(actor=world.head_a, community=world.community_b, **arguments)


# ---------------------------------------------------------------- fixed days


def test_a_council_day_31_falls_on_the_last_day_of_a_shorter_month(world):
    from meetings import reminders
    from notifications.models import Notification

    community_set_fixed_days(
        actor=world.head_a,
        community=world.community_a,
        monthly_council_day=31,
        visit_day=5,
        joint_meeting_day=None,
    )
    # April has 30 days: three days before the 30th, and on it.
    assert reminders.monthly_council(today=date(2027, 4, 27)) >= 1
    assert reminders.monthly_council(today=date(2027, 4, 30)) >= 1
    steps = set(
        Notification.objects.filter(kind=reminders.KIND_MONTHLY_COUNCIL).values_list(
            "step", flat=True
        )
    )
    assert steps == {"2027-04-3d", "2027-04-day"}
    # February 2027 has 28 days.
    assert reminders.monthly_council(today=date(2027, 2, 28)) >= 1


def test_a_joint_meeting_on_the_council_day_is_refused(world):
    error = zh(
        lambda: community_set_fixed_days(
            actor=world.head_a,
            community=world.community_a,
            monthly_council_day=10,
            visit_day=5,
            joint_meeting_day=10,
        )
    )
    assert error.field == "joint_meeting_day"
    world.community_a.refresh_from_db()
    assert world.community_a.joint_meeting_day is None


def test_fixed_days_are_audited_and_a_stale_form_is_refused(world):
    saved = community_set_fixed_days(
        actor=world.street_admin,
        community=world.community_a,
        monthly_council_day=15,
        visit_day=6,
        joint_meeting_day=12,
        version=world.community_a.version,
    )
    row = audit.timeline_of(saved).get()
    assert row.changes["monthly_council_day"] == ["", "15"]
    assert row.changes["visit_day"] == ["5", "6"]
    with pytest.raises(StaleEdit):
        community_set_fixed_days(
            actor=world.head_a,
            community=world.community_a,
            monthly_council_day=16,
            visit_day=6,
            joint_meeting_day=12,
            version=1,
        )


def test_special_group_visits_go_out_on_each_communitys_own_day(world):
    from communities.tests.factories import ResidentFactory
    from issues import reminders

    ResidentFactory(
        household=world.household_a1, grid=world.grid_a1, name="独居老人", is_elderly_alone=True
    )
    community_set_fixed_days(
        actor=world.head_a,
        community=world.community_a,
        monthly_council_day=None,
        visit_day=8,
        joint_meeting_day=None,
    )
    assert reminders.special_group_visits(today=date(2027, 3, 5)) == 0
    assert reminders.special_group_visits(today=date(2027, 3, 8)) == 1


def test_a_refused_limit_leaves_no_new_category_behind(world):
    from issues.rules import category_with_limits_save

    with pytest.raises(DomainError):
        category_with_limits_save(
            actor=world.street_admin,
            street=world.street,
            category=None,
            own=True,
            limits=limits((4, 16), (2, 24)),
            name="电动车进楼",
            default_kind="public",
        )
    assert not Category.objects.filter(name="电动车进楼").exists()
