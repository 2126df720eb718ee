"""The demo end to end: the world, the ten stories at their stage, a second run that
creates nothing, and every demo login landing on pages that answer."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from accounts.models import Role, User
from accounts.navigation import flat_items_for
from communities.models import (
    AgreementEntry,
    Building,
    Community,
    Compound,
    Grid,
    Household,
    Organization,
    Resident,
)
from communities.services import grid_for_household
from core.models import AuditEntry
from demo.stories import TITLES
from issues.models import (
    OPEN_STATUSES,
    Issue,
    Patrol,
    PatrolFinding,
    Summons,
    TrackPoint,
    Visit,
    overdue_q,
)
from issues.selectors import with_position
from meetings.models import AgendaItem, Form, FormRule, Meeting
from meetings.services import presence_problems
from notifications.models import Notification
from reports.models import ReportSnapshot
from resolutions.models import (
    ActionItem,
    Confirmation,
    CostShare,
    Evaluation,
    ProgressUpdate,
    Resolution,
)

pytestmark = pytest.mark.django_db

# The logins README.md and bin/run-demo list.
DEMO_LOGINS = [
    "changcheng",
    "shengli",
    "admin",
    "tanyanhong",
    "wangyangyang",
    "huangyaru",
    "zhaojing",
    "lixin",
    "xulili",
    "liuhongli",
    "naxiaomei",
    "chenxia",
    "wangpeng",
    "liujianhua",
    "maihongmei",
    "chenjingfang",
    "wangdefu",
    "aohai_sunli",
    "police_wangjianjun",
    "lawyer_du",
    "luoyin",
    "mahaiyan",
    "yangxiulan",
]

MODELS = (
    Community,
    Compound,
    Building,
    Grid,
    Household,
    Resident,
    Organization,
    User,
    Issue,
    Summons,
    Visit,
    Patrol,
    PatrolFinding,
    TrackPoint,
    Meeting,
    AgendaItem,
    Resolution,
    ActionItem,
    ProgressUpdate,
    Evaluation,
    Notification,
    ReportSnapshot,
    AuditEntry,
)


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def _story(number) -> Issue:
    return Issue.objects.get(title=TITLES[number])


def _check_world():
    names = set(Community.objects.values_list("name", flat=True))
    assert {"金宇名庭社区", "枫林湾社区", "中华社区", "民生社区", "雅苑社区", "朔方社区"} <= names
    assert Grid.objects.filter(community__name="民生社区").count() == 13
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    liu = User.objects.get(username="liujianhua")
    assert liu.resident.household.unit.building.compound.name == "澳海熙园"
    assert (
        Household.objects.filter(
            unit__building__compound__name="朝阳小区",
            unit__building__name="33号楼",
            unit__name="5单元",
            room__in=["101", "201", "301", "401"],
        ).count()
        == 4
    )


def _check_stories():
    today = timezone.localdate()
    # 1: a private mediation ending in a settlement both households signed.
    one = _story(1)
    assert one.status == "closed" and one.kind == "dispute"
    settlement = Resolution.objects.get(issue=one)
    assert settlement.legal_reviewed_at is not None
    assert Confirmation.objects.filter(resolution=settlement).count() == 2
    assert Meeting.objects.get(agenda_items__issue=one).is_private
    # 2: closed with three action items done and the reporter's evaluation.
    two = _story(2)
    assert two.status == "closed"
    assert ActionItem.objects.filter(resolution__issue=two, status="done").count() == 3
    assert Evaluation.objects.filter(issue=two, rating="satisfied").exists()
    assert Issue.objects.filter(merged_into=two).count() == 2
    # 3: decided by vote for and against; the outcome is on the public board now.
    vote = AgendaItem.objects.get(issue=_story(3))
    assert vote.outcome == "vote" and vote.votes_for > vote.votes_against > 0
    three = Resolution.objects.get(issue=_story(3))
    assert three.status == "published"
    assert three.publication_starts <= today <= three.publication_ends
    # 4: a CPPCC referral, done the day after the meeting.
    four = _story(4)
    assert four.channel == "cppcc_npc" and four.status == "closed"
    meeting = Meeting.objects.get(agenda_items__issue=four)
    for item in ActionItem.objects.filter(resolution__issue=four):
        assert item.status == "done" and item.done_on_time
        assert (
            timezone.localdate(item.confirmed_at) - timezone.localdate(meeting.starts_at)
        ).days == 1
    # 5: staged measures, the first stages done, enforcement under way.
    five = ActionItem.objects.filter(resolution__issue=_story(5)).order_by("order")
    assert [i.status for i in five] == ["done", "done"] + ["in_progress"] * 3
    assert _story(5).status == "executing"
    # 6: a first meeting adjourned, a second one agreeing the five merchants' split.
    six = _story(6)
    first, second = Meeting.objects.filter(agenda_items__issue=six).order_by("starts_at")
    assert first.adjourn_reason and second.continues_id == first.pk
    assert (
        CostShare.objects.filter(item__resolution__issue=six, organization__isnull=False).count()
        == 5
    )
    assert six.status == "awaiting_evaluation"
    # 7: closed, reopened by a revisit two months later, escalated; departments reported in.
    seven = _story(7)
    assert seven.status == "escalated" and seven.reopen_count == 1
    assert seven.summonses.filter(arrived_at__isnull=False).count() == 2
    # 8: a dozen 12345 tickets merged, the whistle blown, three departments reporting in.
    eight = _story(8)
    assert Issue.objects.filter(merged_into=eight, channel="hotline").count() >= 10
    assert eight.summonses.filter(arrived_at__isnull=False).count() == 3
    assert eight.status == "closed"
    # 9: four households share the cost; the work is under way.
    nine = ActionItem.objects.get(resolution__issue=_story(9))
    assert nine.cost_shares.filter(household__isnull=False).count() == 4
    assert nine.status == "in_progress" and 0 < nine.percent < 100
    # 10: a visit every month; the last one found the medicine-delivery need.
    ten = _story(10)
    assert ten.channel == "visit" and ten.kind == "special_need" and ten.status == "closed"
    assert Evaluation.objects.filter(issue=ten, rating="satisfied").exists()
    assert Visit.objects.filter(visited_at__day=5).count() >= 20
    # Around them: every state, upcoming meetings, stored reports.
    statuses = set(Issue.objects.values_list("status", flat=True))
    assert {"reported", "accepted", "rejected", "merged", "deferred", "closed"} <= statuses
    assert Meeting.objects.filter(starts_at__gt=timezone.now(), status="planned").count() >= 5
    assert ReportSnapshot.objects.count() >= 12 * 10
    assert Notification.objects.filter(recipient__username="liujianhua").exists()
    # Nothing was stamped in the future by the clock.
    assert not AuditEntry.objects.filter(created_at__gt=timezone.now()).exists()


def _check_pages(client):
    for username in DEMO_LOGINS:
        user = User.objects.get(username=username)
        client.force_login(user)
        landing = client.get("/", follow=True)
        assert landing.status_code == 200, username
        assert landing.content.strip(), username
        for item in flat_items_for(user, "/"):
            response = client.get(item["url"], follow=True)
            assert response.status_code == 200, (username, item["url"], response.status_code)
        client.logout()
    assert client.get("/resolutions/board/").status_code == 200


def _check_deadlines_follow_reports():
    # No demo issue is overdue before it was reported: every limit runs from the report.
    assert not Issue.objects.filter(accept_deadline__lt=F("reported_at")).exists()
    assert not Issue.objects.filter(handle_deadline__lt=F("reported_at")).exists()
    assert not Issue.objects.filter(accepted_at__lt=F("reported_at")).exists()


def _check_no_issue_forgotten():
    # Nothing waits 已受理 for months; only a few cases per community are overdue on
    # purpose (the stories' and one or two of the background's).
    month_ago = timezone.now() - timedelta(days=30)
    assert not Issue.objects.filter(status="accepted", accepted_at__lt=month_ago).exists()
    overdue = (
        Issue.objects.filter(overdue_q(timezone.now()), status="accepted")
        .values("community")
        .annotate(n=Count("pk"))
    )
    assert all(row["n"] <= 2 for row in overdue), list(overdue)


def _check_summonses_in_office_hours():
    # 吹哨报到: the departments arrive after the whistle, in office hours, local time, and
    # before their report is written into the timeline.
    summonses = list(Summons.objects.filter(arrived_at__isnull=False))
    assert len(summonses) >= 5
    for summons in summonses:
        arrived = timezone.localtime(summons.arrived_at)
        assert 8 <= arrived.hour < 18, arrived
        assert summons.summoned_at <= summons.arrived_at
        report = AuditEntry.objects.get(action="summons", data__summons=summons.pk)
        assert summons.arrived_at <= report.created_at


def _check_visits_in_own_grid(client):
    # Each grid worker visits households of their own grid, and the visits show on the
    # grid page, their home.
    visits = list(Visit.objects.select_related("household__unit", "worker"))
    assert len(visits) >= 60
    grids_of = {}
    for visit in visits:
        if visit.worker_id not in grids_of:
            grids_of[visit.worker_id] = set(visit.worker.grids.values_list("pk", flat=True))
        grid = grid_for_household(visit.household)
        assert grid is not None and grid.pk in grids_of[visit.worker_id], visit
    workers = User.objects.filter(role=Role.GRID_WORKER, visits__isnull=False).distinct()
    assert workers.count() >= 8
    for user in workers:
        client.force_login(user)
        content = client.get("/", follow=True).content.decode()
        latest = Visit.objects.filter(worker=user).order_by("-visited_at", "-pk").first()
        assert latest.findings[:20] in content, user.username
        # Their grid page opens with their last patrol: every worker patrolled this week.
        week = timezone.now() - timedelta(days=7)
        assert Patrol.objects.filter(worker=user, started_at__gte=week).exists(), user.username
        client.logout()


def _check_satisfaction_is_a_figure():
    closed = Issue.objects.filter(status="closed")
    rated = closed.filter(evaluations__isnull=False).distinct().count()
    assert closed.count() >= 100
    assert rated / closed.count() >= 0.8, (rated, closed.count())


def _check_monthly_councils_on_their_day():
    today = timezone.localdate()
    communities = Community.objects.exclude(monthly_council_day=None)
    assert communities.count() >= 2
    for community in communities:
        held = {
            timezone.localdate(start)
            for start in Meeting.objects.filter(
                community=community, form="monthly_council", status__in=["ended", "closed"]
            ).values_list("starts_at", flat=True)
        }
        day = community.monthly_council_day
        year, month = today.year, today.month
        for _ in range(12):
            council_day = date(year, month, day)
            if council_day < today:
                assert council_day in held, (community.name, council_day)
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        assert all(d.day == day for d in held), community.name
        # The next one is convened for its day too.
        upcoming = Meeting.objects.get(
            community=community, status="planned", form="monthly_council"
        )
        assert timezone.localdate(upcoming.starts_at).day == day


def _check_presence_rules():
    # Every form that needs a presence rule has one, and every demo meeting that started
    # met it without the convener overriding it.
    ruled = set(FormRule.objects.values_list("form", flat=True))
    assert set(Form.values) - ruled == {Form.HEART_TO_HEART}
    started = Meeting.objects.filter(started_at__isnull=False)
    assert started.count() >= 30
    for meeting in started:
        assert presence_problems(meeting) == [], meeting.title


def _check_xihu_practice():
    xihu = Community.objects.get(name="西湖社区")
    today = timezone.localdate()
    # The quarterly party-building joint meeting, on an agenda, with the co-building units.
    joint = Meeting.objects.filter(community=xihu, form=Form.PARTY_BUILDING_JOINT)
    held = joint.filter(status="closed", starts_at__gte=timezone.now() - timedelta(days=380))
    assert held.count() >= 4
    assert len({(timezone.localdate(m.starts_at).month - 1) // 3 for m in held}) >= 4
    for meeting in held:
        assert meeting.agenda_items.count() >= 1
        assert meeting.participants.filter(role="co_building", attendance="present").exists()
    upcoming = joint.get(status="planned")
    assert timezone.localdate(upcoming.starts_at) > today
    assert upcoming.agenda_items.count() >= 2
    # Speak in turn, then freely, then the written opinion forms (意见征求表).
    items = AgendaItem.objects.filter(meeting__community=xihu, meeting__status="closed")
    assert items.filter(opinions__kind="written").distinct().count() >= 5
    for item in items.prefetch_related("opinions"):
        kinds = [o.kind for o in item.opinions.all() if o.kind != "answer"]
        assert kinds == sorted(kinds, key=["in_turn", "free", "written"].index), item
    # 一书三单 with entries under way and done.
    entries = AgreementEntry.objects.filter(agreement__community=xihu)
    assert {"resource", "need", "project"} <= set(entries.values_list("list_kind", flat=True))
    assert {"in_progress", "done"} <= set(entries.values_list("status", flat=True))


def test_load_demo_builds_the_stories_once_and_every_login_works(client):
    call_command("load_demo", stdout=StringIO())
    first = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first

    _check_world()
    _check_stories()
    _check_pages(client)
    _check_deadlines_follow_reports()
    _check_no_issue_forgotten()
    _check_summonses_in_office_hours()
    _check_visits_in_own_grid(client)
    _check_satisfaction_is_a_figure()
    _check_monthly_councils_on_their_day()
    _check_presence_rules()
    _check_xihu_practice()
    _check_the_map()
    _check_the_mornings_digests(client)


def _check_the_map():
    """The stories' compounds and buildings are on the map, the open issues with them, and
    every grid worker's last patrol left a route and findings where they were found."""
    assert not Compound.objects.filter(latitude__isnull=True).exists()
    assert not Compound.objects.filter(outline__isnull=True).exists()
    assert not Building.objects.filter(latitude__isnull=True).exists()
    open_issues = with_position(Issue.objects.filter(status__in=OPEN_STATUSES))
    assert open_issues.count() >= 20
    assert not open_issues.filter(at_latitude__isnull=True).exists()
    assert open_issues.filter(position_source="device").exists()
    for worker in User.objects.filter(role=Role.GRID_WORKER, patrols__isnull=False).distinct():
        last = Patrol.objects.filter(worker=worker).order_by("-started_at").first()
        assert last.ended_at is not None, worker.username
        assert last.track.count() >= 4, worker.username
        assert last.findings.filter(latitude__isnull=False).exists(), worker.username


def _check_the_mornings_digests(client):
    """This morning's reminders reached staff, grid workers and contacts as one digest per
    kind, each opening on its reader's page; nothing is left waiting; 枫林湾's SMS budget."""
    from notifications.kinds import DIGEST_KIND
    from notifications.models import Notification, SmsBudget

    digests = Notification.objects.filter(kind=DIGEST_KIND).select_related("recipient")
    roles = set(digests.values_list("recipient__role", flat=True))
    assert {Role.STAFF, Role.GRID_WORKER, Role.ORG_CONTACT} <= roles, roles
    assert not Notification.objects.filter(held=True).exists()
    digest = digests.filter(recipient__role=Role.GRID_WORKER).first()
    client.force_login(digest.recipient)
    page = client.get(digest.url)
    assert page.status_code == 200 and "每日汇总" in page.content.decode()
    assert SmsBudget.objects.get(community__name="枫林湾社区").monthly_limit == 300
