import re
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.tests.factories import ResidentFactory
from core.audit import timeline_of
from issues.models import Issue, IssueParty, Kind, Patrol, Status, Visit
from issues.services import (
    finding_record,
    issue_merge,
    issue_transition,
    patrol_start,
    visit_record,
)
from tests.html import links

from .conftest import image_bytes


def parties(*rows):
    """The intake form's other-parties rows, as the browser posts them."""
    data = {"parties-TOTAL_FORMS": str(len(rows)), "parties-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"parties-{index}-{key}": value for key, value in row.items()})
    return data


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("staff_a", 200),
        ("worker_a1", 200),
        ("street_admin", 200),
        ("resident_user_a", 403),
        ("org_contact", 403),
    ],
)
def test_work_queue_access(client, world, username, expected):
    login(client, getattr(world, username))
    assert client.get(reverse("issues:list")).status_code == expected


def test_work_queue_needs_login(client, db):
    response = client.get(reverse("issues:list"))
    assert response.status_code == 302 and "login" in response.url


def test_queue_shows_only_own_community_and_filters(client, world, make_issue, category):
    make_issue(title="甲社区的议题")
    make_issue(
        title="乙社区的议题",
        community=world.community_b,
        compound=world.compound_b1,
        actor=world.staff_b,
    )
    login(client, world.staff_a)
    body = client.get(reverse("issues:list")).content.decode()
    assert "甲社区的议题" in body and "乙社区的议题" not in body
    body = client.get(reverse("issues:list"), {"q": "不存在"}).content.decode()
    assert "甲社区的议题" not in body
    body = client.get(
        reverse("issues:list"), {"category": category.pk, "overdue": "on"}
    ).content.decode()
    assert "甲社区的议题" not in body


def test_queue_filters_are_styled_selects_that_keep_the_choice(client, world, make_issue, category):
    make_issue(title="甲社区的议题")
    login(client, world.staff_a)
    body = client.get(
        reverse("issues:list"), {"compound": world.compound_a1.pk, "category": category.pk}
    ).content.decode()
    for name in ("kind", "category", "channel", "urgency", "sort", "grid", "compound"):
        assert f'<select name="{name}" class="form-select" id="id_{name}">' in body
    assert (
        f'<option value="{world.compound_a1.pk}" selected>{world.compound_a1.name}</option>' in body
    )
    assert f'<option value="{category.pk}" selected>{category.name}</option>' in body
    # Only the user's own community's compounds are offered.
    assert world.compound_b1.name not in body
    # A grid that is no longer offered (archived since the link was kept) narrows the
    # list to nothing but leaves the other filters standing.
    body = client.get(reverse("issues:list"), {"grid": 999999, "q": "甲社区"}).content.decode()
    assert "甲社区的议题" not in body
    assert 'value="甲社区"' in body


def test_queue_rows_name_their_category_places_and_assignee(client, world, make_issue, category):
    """The rows take these names from the filter choices and a subquery, not from joins;
    a grid archived since the issue was logged is no longer a choice but still named."""
    from communities.models import Grid
    from issues.services import issue_assign

    issue = make_issue(title="甲社区的议题", grid=world.grid_a2, place_text="3号楼北侧")
    issue_assign(issue=issue, actor=world.staff_a, assignee=world.head_a)
    Grid.objects.filter(pk=world.grid_a2.pk).update(archived_at=timezone.now())
    login(client, world.staff_a)
    body = client.get(reverse("issues:list")).content.decode()
    row = body[body.index(f"#{issue.pk}</td>") :].split("</tr>")[0]
    for name in (category.name, world.compound_a1.name, world.grid_a2.name, str(world.head_a)):
        assert name in row
    assert "3号楼北侧" in row
    # The archived grid is not offered as a filter.
    grids = body[body.index('<select name="grid"') :].split("</select>")[0]
    assert world.grid_a2.name not in grids
    assert f'<option value="{world.grid_a1.pk}">{world.grid_a1.name}</option>' in grids


def test_queue_rows_mark_what_is_overdue_or_urgent_and_escape_what_was_typed(
    client, world, make_issue
):
    late = make_issue(title="<b>井盖</b>缺失", urgency="urgent")
    on_time = make_issue(title="路灯不亮")
    Issue.objects.filter(pk=late.pk).update(accept_deadline=timezone.now() - timedelta(hours=5))
    login(client, world.staff_a)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("issues:list")).content.decode()
    # Staff see a checkbox first in each row, to tick it for a bulk action.
    late_row = body[body.index('<tr class="table-danger">') :].split("</tr>")[0]
    assert f"<td>#{late.pk}</td>" in late_row and f'name="issue" value="{late.pk}"' in late_row
    assert "&lt;b&gt;井盖&lt;/b&gt;缺失" in late_row and "<b>" not in late_row
    assert '<span class="badge text-bg-danger">Urgent</span>' in late_row
    assert "5 hours overdue" in late_row
    assert '<span class="badge text-bg-danger">Overdue</span>' in late_row
    assert '<span class="badge status-reported text-bg-warning">Reported</span>' in late_row
    on_time_row = body[body.index(f'value="{on_time.pk}"') :].split("</tr>")[0]
    # Its deadline is counted in working time: a day or more ahead, whatever today is.
    assert "Overdue" not in on_time_row and re.search(r"<td>\d+ days? left</td>", on_time_row)


def test_issue_page_names_its_category_places_and_reporter(client, world, make_issue, category):
    issue = make_issue(grid=world.grid_a1, reporter_resident=world.resident_a)
    login(client, world.staff_a)
    body = client.get(reverse("issues:detail", args=[issue.pk])).content.decode()
    place = body[body.index("issue-description") :]
    for name in (category.name, world.compound_a1.name, world.grid_a1.name, "甲居民"):
        assert name in place
    # The timeline names who logged it.
    assert f" · {world.staff_a} · " in body[body.index('class="list-unstyled timeline"') :]


def test_queue_query_count_is_constant(client, world, make_issue):
    login(client, world.staff_a)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("issues:list")).status_code == 200
        return len(ctx)

    for _ in range(10):
        make_issue()
    ten = count()
    for _ in range(90):
        make_issue()
    assert count() == ten


def test_staff_intake_with_photo(client, world, category):
    login(client, world.staff_a)
    photo = SimpleUploadedFile("p.jpg", image_bytes(), content_type="image/jpeg")
    response = client.post(
        reverse("issues:create"),
        {
            "channel": "hotline",
            "hotline_type": "complaint",
            "hotline_ticket": "12345-001",
            "category": category.pk,
            "urgency": "normal",
            "title": "积水",
            "description": "路口积水",
            "compound": world.compound_a1.pk,
            "reporter_name": "王先生",
            "reporter_phone": "13800000000",
            **parties(
                {"role": "party", "resident": "甲居民"},
                {"role": "affected", "name": "底商张老板", "phone": "13900000000"},
                {"role": "party"},  # an empty row is left out
            ),
            "photos": [photo],
        },
    )
    issue = Issue.objects.get(title="积水")
    assert response.status_code == 302
    assert issue.grid == world.grid_a1 and issue.hotline_ticket == "12345-001"
    assert issue.photos.count() == 1
    assert sorted((p.role, p.resident_id, p.name, p.phone) for p in issue.parties.all()) == [
        ("affected", None, "底商张老板", "13900000000"),
        ("party", world.resident_a.pk, "", ""),
    ]


def test_intake_party_errors_are_shown_by_the_row_and_nothing_is_saved(client, world, category):
    login(client, world.staff_a)
    response = client.post(
        reverse("issues:create"),
        {
            "channel": "walk_in",
            "category": category.pk,
            "urgency": "normal",
            "title": "邻里纠纷",
            "description": "楼上漏水",
            "compound": world.compound_a1.pk,
            **parties(
                {"role": "party", "phone": "13900000000"}, {"role": "party", "resident": "乙居民"}
            ),
        },
    )
    assert response.status_code == 200 and not Issue.objects.exists()
    rows = response.context["party_forms"].forms
    assert "name" in rows[0].errors  # a phone alone does not say who
    assert "resident" in rows[1].errors  # a resident of another community
    assert 'value="13900000000"' in response.content.decode()


def test_intake_keeps_input_and_explains_bad_photo(client, world, category):
    login(client, world.staff_a)
    fake = SimpleUploadedFile("p.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(
        reverse("issues:create"),
        {
            "channel": "walk_in",
            "category": category.pk,
            "urgency": "normal",
            "title": "保留的标题",
            "description": "保留的描述",
            "compound": world.compound_a1.pk,
            **parties(),
            "photos": [fake],
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "保留的标题" in body and "保留的描述" in body
    assert "p.jpg" in body
    assert not Issue.objects.exists()


def test_hotline_needs_ticket(client, world, category):
    login(client, world.staff_a)
    response = client.post(
        reverse("issues:create"),
        {
            "channel": "hotline",
            "category": category.pk,
            "urgency": "normal",
            "title": "热线",
            "description": "内容",
            "compound": world.compound_a1.pk,
            **parties(),
        },
    )
    assert response.status_code == 200
    assert "hotline_ticket" in response.context["form"].errors


def test_resident_reports_online_and_sees_it_in_mine(client, world, category):
    login(client, world.resident_user_a)
    response = client.post(
        reverse("issues:create"),
        {"category": category.pk, "title": "楼道灯坏了", "description": "三楼灯不亮"},
    )
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert issue.reporter_resident == world.resident_a and issue.channel == "online"
    body = client.get(reverse("issues:mine")).content.decode()
    assert "楼道灯坏了" in body
    login(client, world.resident_user_b)
    assert client.get(reverse("issues:detail", args=[issue.pk])).status_code == 404
    assert "楼道灯坏了" not in client.get(reverse("issues:mine")).content.decode()


def test_disputes_are_private(client, world, make_issue):
    dispute = make_issue(kind=Kind.DISPUTE, compound=world.compound_a1, title="邻里噪音纠纷")
    url = reverse("issues:detail", args=[dispute.pk])
    for username, expected in [
        ("staff_a", 200),
        ("worker_a1", 200),
        ("worker_a2", 404),
        ("street_admin", 404),
        ("resident_user_a", 404),
        ("staff_b", 404),
    ]:
        login(client, getattr(world, username))
        assert client.get(url).status_code == expected, username
    IssueParty.objects.create(issue=dispute, resident=world.resident_a)
    login(client, world.resident_user_a)
    assert client.get(url).status_code == 200


def test_detail_shows_only_allowed_buttons(client, world, make_issue):
    issue = make_issue()
    login(client, world.staff_a)
    body = client.get(reverse("issues:detail", args=[issue.pk])).content.decode()
    assert reverse("issues:transition_form", args=[issue.pk, "accept"]) in body
    login(client, world.worker_a1)
    body = client.get(reverse("issues:detail", args=[issue.pk])).content.decode()
    assert reverse("issues:transition_form", args=[issue.pk, "accept"]) not in body
    assert (
        client.get(reverse("issues:transition_form", args=[issue.pk, "accept"])).status_code == 403
    )
    response = client.post(reverse("issues:transition", args=[issue.pk, "accept"]), {"version": 1})
    assert response.status_code == 403


def test_a_steps_form_loads_when_opened(client, world, make_issue):
    issue = make_issue()
    login(client, world.staff_a)
    detail = client.get(reverse("issues:detail", args=[issue.pk])).content.decode()
    form_url = reverse("issues:transition_form", args=[issue.pk, "reject"])
    assert f'hx-get="{form_url}"' in detail
    assert 'name="note"' not in detail  # no step's form is rendered until it is opened
    fragment = client.get(form_url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith("<form")
    assert f'action="{reverse("issues:transition", args=[issue.pk, "reject"])}"' in fragment
    assert 'name="note"' in fragment and 'name="version" value="1"' in fragment
    page = client.get(form_url).content.decode()  # without script: a page of its own
    assert "<nav" in page and issue.title in page and 'name="note"' in page
    issue_transition(issue=issue, action="accept", actor=world.staff_a)
    accept_form = reverse("issues:transition_form", args=[issue.pk, "accept"])
    assert client.get(accept_form).status_code == 404  # no longer a step of this issue


def test_transition_form_errors_keep_input(client, world, make_issue):
    issue = make_issue()
    login(client, world.staff_a)
    response = client.post(
        reverse("issues:transition", args=[issue.pk, "reject"]), {"version": 1, "note": ""}
    )
    assert response.status_code == 400
    assert Issue.objects.get(pk=issue.pk).status == Status.REPORTED
    page = response.content.decode()  # the refused step comes back open, with its error
    assert f'action="{reverse("issues:transition", args=[issue.pk, "reject"])}"' in page
    assert "is-invalid" in page or "invalid-feedback" in page
    response = client.post(
        reverse("issues:transition", args=[issue.pk, "reject"]),
        {"version": 1, "note": "不属于社区"},
    )
    assert response.status_code == 302
    assert Issue.objects.get(pk=issue.pk).status == Status.REJECTED


def test_stale_transition_in_the_page(client, world, make_issue):
    issue = make_issue()
    issue_transition(issue=issue, action="accept", actor=world.staff_a)
    login(client, world.staff_a)
    response = client.post(
        reverse("issues:transition", args=[issue.pk, "handle_on_spot"]),
        {"version": 1, "note": "已处理"},
    )
    assert response.status_code == 400
    assert "已处理" in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).status == Status.ACCEPTED


def test_merge_through_page(client, world, make_issue):
    keep = make_issue(title="下水道堵塞")
    dup = make_issue(title="下水道又堵了", reporter_name="李女士")
    login(client, world.staff_a)
    response = client.post(
        reverse("issues:transition", args=[dup.pk, "merge"]), {"version": 1, "into": keep.pk}
    )
    assert response.status_code == 302
    dup.refresh_from_db()
    assert dup.status == Status.MERGED and dup.merged_into == keep
    assert keep.parties.filter(name="李女士", role=IssueParty.Role.CO_REPORTER).exists()
    assert timeline_of(keep).filter(action="absorb").exists()


def test_merge_refuses_other_community(world, make_issue):
    from lib.errors import DomainError

    other = make_issue(community=world.community_b, compound=world.compound_b1, actor=world.staff_b)
    with pytest.raises(DomainError):
        issue_merge(issue=make_issue(), into=other, actor=world.staff_a)


def test_duplicate_suggestions(client, world, make_issue, category):
    make_issue(title="3号楼下水道堵塞")
    login(client, world.staff_a)
    response = client.get(
        reverse("issues:duplicates"),
        {"title": "3号楼下水道堵了", "compound": world.compound_a1.pk, "category": category.pk},
    )
    assert "3号楼下水道堵塞" in response.content.decode()
    response = client.get(
        reverse("issues:duplicates"),
        {"title": "广场舞噪音", "compound": world.compound_a1.pk, "category": category.pk},
    )
    assert "3号楼下水道堵塞" not in response.content.decode()


def test_escalation_summons_and_report(client, world, make_issue):
    issue = issue_transition(issue=make_issue(), action="accept", actor=world.staff_a)
    login(client, world.staff_a)
    response = client.post(
        reverse("issues:transition", args=[issue.pk, "escalate"]),
        {
            "version": issue.version,
            "note": "需要物业和城管",
            "escalation_mode": "whistle",
            "organizations": [world.organization.pk],
        },
    )
    assert response.status_code == 302
    summons = issue.summonses.get()
    page = client.get(reverse("issues:detail", args=[issue.pk])).content.decode()
    assert f'id="summons{summons.pk}_arrived_at"' in page  # each department's form its own
    response = client.post(
        reverse("issues:summons_report", args=[summons.pk]),
        {"arrived_at": "2099-01-01T10:00", "action_taken": "清理了管道"},
    )
    summons.refresh_from_db()
    assert summons.action_taken == "清理了管道"


def test_patrol_finding_becomes_issue(client, world, category):
    login(client, world.worker_a1)
    patrol_id, finding_id = uuid.uuid4(), uuid.uuid4()
    response = client.post(
        reverse("issues:field_sync"),
        {
            "op": "patrol_start",
            "client_id": patrol_id,
            "grid": world.grid_a1.pk,
            "route_notes": "东门→北门",
        },
    )
    assert response.status_code == 200, response.content
    patrol = Patrol.objects.get()
    assert patrol.client_id == patrol_id and patrol.route_notes == "东门→北门"
    photo = SimpleUploadedFile("f.jpg", image_bytes(), content_type="image/jpeg")
    response = client.post(
        reverse("issues:field_sync"),
        {
            "op": "finding",
            "client_id": finding_id,
            "patrol": patrol_id,
            "text": "消防通道被电动车堵住",
            "compound": world.compound_a1.pk,
            "photo": photo,
            "urgency": "normal",
        },
    )
    assert response.status_code == 200, response.content
    finding = patrol.findings.get()
    assert finding.photo and finding.client_id == finding_id
    response = client.post(
        reverse("issues:finding_to_issue", args=[patrol.pk, finding.pk]),
        {"category": category.pk, "urgency": "urgent", "title": ""},
    )
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert issue.channel == "grid_patrol" and issue.grid == world.grid_a1
    assert issue.photos.count() == 1
    body = client.get(reverse("issues:patrol_detail", args=[patrol.pk])).content.decode()
    assert reverse("issues:detail", args=[issue.pk]) in links(body)  # the finding links it
    login(client, world.worker_a2)
    assert client.get(reverse("issues:patrol_detail", args=[patrol.pk])).status_code == 404
    login(client, world.staff_a)
    assert client.get(reverse("issues:patrol_detail", args=[patrol.pk])).status_code == 200
    # Staff read patrols; they do not walk them.
    ending = {"op": "patrol_end", "client_id": uuid.uuid4(), "patrol": patrol_id}
    assert client.post(reverse("issues:field_sync"), ending).status_code == 403


def test_issue_from_a_finding_leads_back_to_the_running_patrol(client, world, category):
    patrol = patrol_start(actor=world.worker_a1, grid=world.grid_a1)
    finding = finding_record(actor=world.worker_a1, patrol=patrol, text="楼道堆放纸箱")
    login(client, world.worker_a1)
    response = client.post(
        reverse("issues:finding_to_issue", args=[patrol.pk, finding.pk]),
        {"category": category.pk, "urgency": "normal", "title": "楼道堆物"},
        follow=True,
    )
    back = f'href="{reverse("issues:patrol_detail", args=[patrol.pk])}"'
    assert back in response.content.decode()
    issue = Issue.objects.get()
    # Staff open the same issue without a patrol to go back to.
    login(client, world.staff_a)
    assert back not in client.get(reverse("issues:detail", args=[issue.pk])).content.decode()
    # Once the patrol has ended there is nothing running to go back to.
    login(client, world.worker_a1)
    client.post(
        reverse("issues:field_sync"),
        {"op": "patrol_end", "client_id": uuid.uuid4(), "patrol": patrol.client_id},
    )
    assert back not in client.get(reverse("issues:detail", args=[issue.pk])).content.decode()


def test_patrol_list_query_count(client, world):
    login(client, world.worker_a1)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("issues:patrol_list"))
        return len(ctx)

    for _ in range(3):
        finding_record(
            actor=world.worker_a1,
            patrol=patrol_start(actor=world.worker_a1, grid=world.grid_a1),
            text="x",
        )
    first = count()
    for _ in range(20):
        patrol_start(actor=world.worker_a1, grid=world.grid_a1)
    assert count() == first


def test_visit_with_need_becomes_special_need_issue(client, world):
    elder = ResidentFactory(
        household=world.household_a1, grid=world.grid_a1, name="独居老人", is_elderly_alone=True
    )
    login(client, world.worker_a1)
    body = client.get(reverse("issues:visit_list")).content.decode()
    assert "独居老人" in body
    response = client.post(
        reverse("issues:visit_create", args=[world.household_a1.pk]),
        {
            "household": world.household_a1.pk,
            "visited_at": "2020-01-01T10:00",
            "residents_seen": [elder.pk],
            "findings": "需要助浴服务",
            "need_found": "on",
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert visit.issue.kind == Kind.SPECIAL_NEED and visit.issue.channel == "visit"
    assert visit.issue.reporter_resident == elder
    login(client, world.worker_a2)
    assert (
        client.get(reverse("issues:visit_create", args=[world.household_a1.pk])).status_code == 404
    )


def test_visit_this_month_is_marked(client, world):
    ResidentFactory(household=world.household_a1, grid=world.grid_a1, is_disabled=True)
    visit_record(actor=world.worker_a1, household=world.household_a1, findings="一切正常")
    login(client, world.worker_a1)
    body = client.get(reverse("issues:visit_list")).content.decode()
    assert "一切正常" in body


def test_visit_list_offers_recording_only_to_those_who_visit(client, world):
    from tests.html import links

    ResidentFactory(household=world.household_a1, grid=world.grid_a1, is_elderly_alone=True)
    record = reverse("issues:visit_create", args=[world.household_a1.pk])
    url = reverse("issues:visit_list") + f"?grid={world.grid_a1.pk}"
    for user, offered in (
        (world.worker_a1, True),
        (world.staff_a, True),
        (world.street_admin, False),
    ):
        login(client, user)
        response = client.get(url)
        assert response.status_code == 200
        assert (record in links(response.content.decode())) is offered, user.username
        assert (client.get(record).status_code == 200) is offered, user.username


def test_assign_and_filter_by_assignee(client, world, make_issue):
    issue = make_issue(title="分派给网格员")
    make_issue(title="没有分派")
    login(client, world.staff_a)
    response = client.post(
        reverse("issues:assign", args=[issue.pk]),
        {"version": issue.version, "assignee": world.worker_a1.pk},
    )
    assert response.status_code == 302
    assert Issue.objects.get(pk=issue.pk).assignee == world.worker_a1
    login(client, world.worker_a1)
    body = client.get(reverse("issues:list"), {"assignee": world.worker_a1.pk}).content.decode()
    assert "分派给网格员" in body and "没有分派" not in body


def test_assign_refuses_someone_outside(world, make_issue):
    from issues.forms import AssignForm
    from issues.services import issue_assign
    from lib.errors import DomainError

    issue = make_issue()
    with pytest.raises(DomainError):
        issue_assign(issue=issue, actor=world.staff_a, assignee=world.staff_b)
    # The form offers exactly those the service accepts.
    offered = AssignForm(issue=issue).fields["assignee"].queryset
    assert {world.staff_a, world.worker_a1} <= set(offered) and world.staff_b not in offered
    # SQLite (`make run`) refuses ORDER BY inside the UNION of the two lookups.
    assert "ORDER BY" not in str(offered.order_by().query)


def test_grid_panel_shows_the_grids_open_issues(rf, world, make_issue):
    from issues.panels import grid_open_issues_panel

    make_issue(title="网格里的议题")
    make_issue(title="另一个网格", compound=world.compound_a2)
    request = rf.get("/")
    request.user = world.staff_a
    panel = grid_open_issues_panel(request, world.grid_a1)
    assert panel["open_count"] == 1
    assert "网格里的议题" in panel["html"] and "另一个网格" not in panel["html"]


def test_visit_list_and_mine_query_counts_are_constant(client, world, make_issue):
    from communities.tests.factories import HouseholdFactory

    def add_households(n):
        for _ in range(n):
            household = HouseholdFactory(community=world.community_a)
            ResidentFactory(household=household, grid=world.grid_a1, is_elderly_alone=True)
            visit_record(actor=world.worker_a1, household=household, findings="正常")

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    login(client, world.worker_a1)
    add_households(3)
    first = count(reverse("issues:visit_list"))
    add_households(12)
    assert count(reverse("issues:visit_list")) == first

    login(client, world.resident_user_a)
    for _ in range(3):
        make_issue(reporter_resident=world.resident_a)
    first = count(reverse("issues:mine"))
    for _ in range(20):
        make_issue(reporter_resident=world.resident_a)
    assert count(reverse("issues:mine")) == first


def test_lead_cadre_choices_are_the_issues_community_staff_and_street_admins(world, make_issue):
    from issues.forms import TransitionForm

    issue = make_issue()
    cadres = set(TransitionForm(issue=issue).fields["lead_cadre"].queryset)

    assert world.staff_a in cadres
    assert world.street_admin in cadres
    assert world.staff_b not in cadres  # staff of another community
    assert len(cadres) == len({c.pk for c in cadres})


def test_queue_pages_by_the_counts_it_shows(client, world, make_issue):
    issues = [make_issue(title=f"路灯不亮{n}") for n in range(4)]
    issue_transition(issue=issues[0], action="accept", actor=world.staff_a)
    issue_transition(issue=issues[1], action="reject", actor=world.staff_a, note="不属实")
    login(client, world.staff_a)
    url = reverse("issues:list")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).context["page_obj"]
    assert page.paginator.count == len(page.object_list) == 3  # open ones: the rejected left out
    counted = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]
    assert not [sql for sql in counted if "issues_issue" in sql]
    page = client.get(url, {"status": "reported"}).context["page_obj"]
    assert page.paginator.count == len(page.object_list) == 2
    page = client.get(url, {"q": "路灯"}).context["page_obj"]  # a search spans every status
    assert page.paginator.count == len(page.object_list) == 4


def test_issue_page_reads_only_the_sections_that_have_rows(client, world, make_issue):
    issue = make_issue(title="楼道堆物")
    login(client, world.staff_a)
    url = reverse("issues:detail", args=[issue.pk])

    def tables_read():
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url).content.decode()
        # The table each query reads rows of: its first selected column's.
        return body, [q["sql"].split(".", 1)[0].split()[-1] for q in ctx.captured_queries]

    body, tables = tables_read()
    assert '"issues_issueparty"' not in tables and '"issues_issuephoto"' not in tables
    IssueParty.objects.create(
        issue=issue, name="对门王阿姨", role=IssueParty.Role.CO_REPORTER, phone="13800000000"
    )
    body, tables = tables_read()
    assert '"issues_issueparty"' in tables
    assert "对门王阿姨" in body
