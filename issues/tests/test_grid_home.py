"""The grid page as the grid worker's home: the grid's work (patrol, work queue, visits
due) first, in a constant number of queries, and only what the viewer may see."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.tests.factories import HouseholdFactory, ResidentFactory
from issues.services import finding_record, patrol_end, patrol_start, visit_record


def _grid_page(client, user, grid):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("communities:grid_detail", args=[grid.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _add_work(world, make_issue, n, first=0):
    for k in range(first, first + n):
        make_issue(title=f"甲一小区第{k}件事")
        household = HouseholdFactory(community=world.community_a)
        resident = ResidentFactory(household=household, grid=world.grid_a1, is_elderly_alone=True)
        visit_record(
            actor=world.worker_a1,
            household=household,
            residents_seen=[resident],
            findings=f"第{k}户老人身体平稳",
        )
        patrol = patrol_start(actor=world.worker_a1, grid=world.grid_a1, route_notes="日常巡查")
        finding_record(actor=world.worker_a1, patrol=patrol, text="井盖松动")
        patrol_end(actor=world.worker_a1, patrol=patrol)


def test_worker_home_shows_the_grids_work_in_constant_queries(client, world, make_issue):
    _add_work(world, make_issue, 1)
    _content, few = _grid_page(client, world.worker_a1, world.grid_a1)
    _add_work(world, make_issue, 4, first=1)
    patrol_start(actor=world.worker_a1, grid=world.grid_a1, route_notes="晚间巡查")
    content, many = _grid_page(client, world.worker_a1, world.grid_a1)
    # Each panel reads a fixed number of rows: the patrol (1 query), the work queue's
    # counts and rows (2), the visits due and the latest visits (2).
    assert many == few
    assert "甲一小区第4件事" in content  # the work queue
    assert "晚间巡查" in content and "继续巡查" in content  # the running patrol
    assert "第4户老人身体平稳" in content  # the latest visits
    # Its own grid is the worker's home, not a directory of its residents.
    assert "甲居民" not in content


def test_panels_show_only_what_the_viewer_may_see(client, world, make_issue):
    _add_work(world, make_issue, 1)
    # Staff of the community see the work and the visits but no patrol to continue.
    content, _ = _grid_page(client, world.staff_a, world.grid_a1)
    assert "甲一小区第0件事" in content and "第0户老人身体平稳" in content
    assert "继续巡查" not in content and "上次巡查" not in content
    # A worker of the neighbouring grid reads the page but not its households' visits,
    # and has no patrol of it.
    content, _ = _grid_page(client, world.worker_a2, world.grid_a1)
    assert "第0户老人身体平稳" not in content and "上次巡查" not in content
