"""Online opinion-taking (线上征求意见): staff ask a building about an issue or an agenda
item; residents answer from the poster's link after proving their number, from their
personal link, signed in, or on paper; one opinion per household or per person, held by
the database; the results go into the meeting's page, its minutes and, once closed, the
public board — never for a dispute."""

import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.tests.factories import HouseholdFactory, ResidentFactory
from core.models import AuditEntry
from issues.models import Kind
from lib.errors import DomainError
from meetings import services
from meetings.models import OnlineOpinion, OpinionWindow
from reach.models import ShortLink

from .conftest import make_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(world):
    return world.household_a1.unit.building


@pytest.fixture
def neighbours(world, building):
    """Two households of the building: 王 and his wife share a number; 张 lives next door;
    陈 lives in another compound."""
    unit = world.household_a1.unit
    wang_home = HouseholdFactory(unit=unit, room="201")
    zhang_home = HouseholdFactory(unit=unit, room="202")
    return {
        "wang": ResidentFactory(
            household=wang_home, grid=world.grid_a1, name="王大爷", phone="13800138000"
        ),
        "wang_wife": ResidentFactory(
            household=wang_home, grid=world.grid_a1, name="王大妈", phone="13800138000"
        ),
        "zhang": ResidentFactory(
            household=zhang_home, grid=world.grid_a1, name="张阿姨", phone="13800138001"
        ),
        "chen": ResidentFactory(
            household=HouseholdFactory(unit__building__compound=world.compound_a2),
            grid=world.grid_a2,
            name="陈先生",
            phone="13800138002",
        ),
    }


@pytest.fixture
def window(world, building):
    issue = make_issue(world, title="3号楼东侧加装电动车充电桩")
    return services.opinion_window_open(
        actor=world.staff_a,
        issue=issue,
        question="是否在1号楼东侧安装充电桩？",
        compound=world.compound_a1,
        building=building,
        closes_at=timezone.now() + timedelta(days=7),
    )


def test_staff_open_a_window_with_its_poster_link(window, world):
    link = ShortLink.objects.get(purpose=services.OPINIONS_PURPOSE)
    assert link.object_id == window.pk and link.resident_id is None and link.contact_id is None
    assert window.area_name == "甲一小区1号楼"
    row = AuditEntry.objects.get(action="open_opinions")
    assert row.object_id == window.issue_id and "甲一小区1号楼" in row.note


def test_a_dispute_or_a_private_mediation_is_not_put_to_the_building(world, building, make_meeting):
    dispute = make_issue(world, kind=Kind.DISPUTE, title="漏水纠纷")
    with pytest.raises(DomainError):
        services.opinion_window_open(
            actor=world.staff_a,
            issue=dispute,
            question="?",
            compound=world.compound_a1,
            closes_at=timezone.now() + timedelta(days=1),
        )
    meeting = make_meeting(is_private=True, issues=[make_issue(world)])
    with pytest.raises(DomainError):
        services.opinion_window_open(
            actor=world.staff_a,
            agenda_item=meeting.agenda_items.get(),
            question="?",
            compound=world.compound_a1,
            closes_at=timezone.now() + timedelta(days=1),
        )


def test_only_staff_and_the_grids_workers_open_one(world, building):
    issue = make_issue(world)
    for outsider in (world.worker_a2, world.staff_b, world.resident_user_a, world.street_admin):
        with pytest.raises(DomainError):
            services.opinion_window_open(
                actor=outsider,
                issue=issue,
                question="?",
                compound=world.compound_a1,
                closes_at=timezone.now() + timedelta(days=1),
            )
    services.opinion_window_open(
        actor=world.worker_a1,
        issue=issue,
        question="?",
        compound=world.compound_a1,
        closes_at=timezone.now() + timedelta(days=1),
    )


def test_one_opinion_per_household_held_by_the_database(window, neighbours):
    services.online_opinion_give(
        window=window, resident=neighbours["wang"], stance="for", via="phone"
    )
    with pytest.raises(DomainError, match="您家已经发表过意见"):
        services.online_opinion_give(
            window=window, resident=neighbours["wang_wife"], stance="against", via="phone"
        )
    services.online_opinion_give(
        window=window,
        resident=neighbours["zhang"],
        stance="other",
        comment="建议装在西侧",
        via="phone",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        OnlineOpinion.objects.create(
            window=window,
            resident=neighbours["wang_wife"],
            voter=f"h{neighbours['wang'].household_id}",
            stance="for",
            via="phone",
        )


def test_one_opinion_per_person_when_staff_chose_so(window, neighbours):
    OpinionWindow.objects.filter(pk=window.pk).update(per=OpinionWindow.Per.PERSON)
    window.refresh_from_db()
    services.online_opinion_give(
        window=window, resident=neighbours["wang"], stance="for", via="phone"
    )
    services.online_opinion_give(
        window=window, resident=neighbours["wang_wife"], stance="against", via="phone"
    )
    with pytest.raises(DomainError, match="您已经发表过意见"):
        services.online_opinion_give(
            window=window, resident=neighbours["wang"], stance="for", via="phone"
        )


def test_only_the_residents_asked_and_only_while_open(window, neighbours):
    with pytest.raises(DomainError, match="只征求"):
        services.online_opinion_give(
            window=window, resident=neighbours["chen"], stance="for", via="phone"
        )
    with pytest.raises(DomainError, match="请写下"):
        services.online_opinion_give(
            window=window, resident=neighbours["zhang"], stance="other", via="phone"
        )
    OpinionWindow.objects.filter(pk=window.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1), opens_at=timezone.now() - timedelta(days=1)
    )
    window.refresh_from_db()
    with pytest.raises(DomainError, match="截止"):
        services.online_opinion_give(
            window=window, resident=neighbours["zhang"], stance="for", via="phone"
        )


def _poster_path(window):
    return reverse(
        "reach:open",
        args=[ShortLink.objects.get(purpose=services.OPINIONS_PURPOSE, object_id=window.pk).token],
    )


def test_a_resident_answers_from_the_poster_after_proving_the_number(
    client, window, neighbours, sms_outbox, django_capture_on_commit_callbacks
):
    path = _poster_path(window)
    first = client.get(path).content.decode()
    assert "是否在1号楼东侧安装充电桩" in first and "获取验证码" in first
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"step": "send_code", "phone": "13800138001"})
    code = re.search(r"\d{6}", sms_outbox[-1][1]).group()
    response = client.post(path, {"step": "check_code", "phone": "13800138001", "code": code})
    assert response.status_code == 302
    form = client.get(path).content.decode()
    assert "您以张阿姨的身份表态" in form
    client.post(path, {"step": "opinion", "stance": "against", "comment": "太吵了"})
    opinion = OnlineOpinion.objects.get()
    assert (opinion.resident, opinion.stance, opinion.via) == (
        neighbours["zhang"],
        "against",
        "phone",
    )
    assert "您的意见已计入" in client.get(path).content.decode()


def test_a_number_shared_by_a_household_chooses_who_answers(
    client, window, neighbours, sms_outbox, django_capture_on_commit_callbacks
):
    path = _poster_path(window)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"step": "send_code", "phone": "13800138000"})
    code = re.search(r"\d{6}", sms_outbox[-1][1]).group()
    client.post(path, {"step": "check_code", "phone": "13800138000", "code": code})
    body = client.get(path).content.decode()
    assert "王大爷" in body and "王大妈" in body
    client.post(path, {"step": "opinion", "resident": neighbours["wang_wife"].pk, "stance": "for"})
    assert OnlineOpinion.objects.get().resident == neighbours["wang_wife"]


def test_a_number_of_another_compound_is_told_it_is_not_asked(
    client, window, neighbours, sms_outbox, django_capture_on_commit_callbacks
):
    path = _poster_path(window)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"step": "send_code", "phone": "13800138002"})
    code = re.search(r"\d{6}", sms_outbox[-1][1]).group()
    client.post(path, {"step": "check_code", "phone": "13800138002", "code": code})
    assert "没有登记为甲一小区1号楼的居民" in client.get(path).content.decode()


def test_a_signed_in_resident_of_the_building_answers_at_once(client, window, world):
    client.force_login(world.resident_user_a)
    path = _poster_path(window)
    assert "提交意见" in client.get(path).content.decode()
    client.post(path, {"step": "opinion", "stance": "for"})
    assert OnlineOpinion.objects.get().via == "account"


def test_staff_ask_each_resident_by_sms_with_a_personal_link_used_once(
    client, window, neighbours, world, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.opinion_window_request(actor=world.staff_a, window=window)
    # 王大爷, 王大妈 and 张阿姨 by SMS; 甲居民 has an account.
    assert (report.sms, report.in_app) == (3, 1)
    text = dict(sms_outbox)["13800138001"]
    assert text.startswith("【议事】甲社区征求您的意见") and len(text) <= 70
    path = re.search(r"(/s/\w+)", text).group(1)
    assert "您以张阿姨的身份表态" in client.get(path).content.decode()
    client.post(path, {"step": "opinion", "stance": "for"})
    assert OnlineOpinion.objects.get().via == "link"
    assert client.get(path).status_code == 410
    again = services.opinion_window_request(actor=world.staff_a, window=window)
    assert (again.sms, again.in_app) == (0, 0)


def test_staff_enter_an_opinion_given_on_paper(client, window, neighbours, world):
    client.force_login(world.staff_a)
    url = reverse("meetings:opinion_window_paper", args=[window.pk])
    response = client.post(
        url, {"resident": neighbours["zhang"].pk, "stance": "for", "comment": ""}
    )
    assert response.status_code == 302
    opinion = OnlineOpinion.objects.get()
    assert opinion.via == "paper" and opinion.recorded_by == world.staff_a


def _give_some(window, neighbours):
    services.online_opinion_give(
        window=window, resident=neighbours["wang"], stance="for", comment="方便充电", via="phone"
    )
    services.online_opinion_give(
        window=window,
        resident=neighbours["zhang"],
        stance="against",
        comment="担心火灾",
        via="phone",
    )


def test_results_go_into_the_meeting_page_and_the_minutes(
    client, world, neighbours, make_meeting, building
):
    issue = make_issue(world, title="1号楼充电桩")
    meeting = make_meeting(issues=[issue])
    window = services.opinion_window_open(
        actor=world.staff_a,
        agenda_item=meeting.agenda_items.get(),
        question="是否安装充电桩？",
        compound=world.compound_a1,
        building=building,
        closes_at=timezone.now() + timedelta(days=1),
    )
    _give_some(window, neighbours)
    services.opinion_window_close(actor=world.staff_a, window=window)
    client.force_login(world.staff_a)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "是否安装充电桩" in page and "担心火灾" in page
    minutes = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert "线上征求意见" in minutes and "共收到 2 份意见" in minutes
    assert "方便充电" in minutes and "王大爷" not in minutes


def test_results_are_public_only_once_closed_and_never_for_a_dispute(
    client, window, neighbours, world
):
    _give_some(window, neighbours)
    results = reverse("meetings:opinion_results", args=[window.pk])
    assert client.get(results).status_code == 404
    assert (
        "是否在1号楼东侧安装充电桩" not in client.get(reverse("resolutions:board")).content.decode()
    )
    services.opinion_window_close(actor=world.staff_a, window=window)
    assert client.get(results).status_code == 200
    board = client.get(reverse("resolutions:board")).content.decode()
    assert "是否在1号楼东侧安装充电桩" in board
    # Made a dispute later (or opened on one some other way), it leaves the board.
    window.issue.kind = Kind.DISPUTE
    window.issue.save(update_fields=["kind"])
    assert client.get(results).status_code == 404
    assert (
        "是否在1号楼东侧安装充电桩" not in client.get(reverse("resolutions:board")).content.decode()
    )


def test_the_list_of_windows_reads_in_constant_queries(client, world, building):
    def count(n):
        issue = make_issue(world)
        for k in range(n):
            services.opinion_window_open(
                actor=world.staff_a,
                issue=issue,
                question=f"问题{n}-{k}",
                compound=world.compound_a1,
                building=building if k % 2 else None,
                closes_at=timezone.now() + timedelta(days=1),
            )
        client.force_login(world.staff_a)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("meetings:opinion_windows")).status_code == 200
        return len(ctx.captured_queries)

    assert count(10) == count(100)


def test_the_window_page_offers_poster_share_text_and_counts(client, window, neighbours, world):
    _give_some(window, neighbours)
    client.force_login(world.staff_a)
    body = client.get(reverse("meetings:opinion_window", args=[window.pk])).content.decode()
    assert (
        "转发到微信群" in body
        and "甲社区就“是否在1号楼东侧安装充电桩？”征求甲一小区1号楼居民意见" in body
    )
    poster = client.get(
        reverse("meetings:opinion_window_poster", args=[window.pk])
    ).content.decode()
    assert "<svg" in poster and _poster_path(window) in poster


def test_the_window_page_reads_in_constant_queries_however_many_answered(client, world, building):
    unit = world.household_a1.unit

    def count(n):
        window = services.opinion_window_open(
            actor=world.staff_a,
            issue=make_issue(world),
            question=f"问题{n}",
            compound=world.compound_a1,
            closes_at=timezone.now() + timedelta(days=1),
        )
        for k in range(n):
            resident = ResidentFactory(
                household=HouseholdFactory(unit=unit, room=f"{n}-{k}"), grid=world.grid_a1
            )
            services.online_opinion_give(
                window=window, resident=resident, stance="for", comment=f"意见{k}", via="phone"
            )
        client.force_login(world.staff_a)
        with CaptureQueriesContext(connection) as ctx:
            assert (
                client.get(reverse("meetings:opinion_window", args=[window.pk])).status_code == 200
            )
        return len(ctx.captured_queries)

    assert count(10) == count(100)
