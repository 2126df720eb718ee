"""The street heat map: issues received per compound, counted by the database, drawn as a
plan of the compounds on the monthly report's page and in its PDF."""

from decimal import Decimal

import pytest
from django.urls import reverse

from issues.models import Issue
from reports.charts import HEAT, heat_map
from reports.exports import pdf_bytes
from reports.metrics import compute_figures, issues_by_compound
from reports.models import ReportSnapshot
from reports.services import report_snapshot_compute
from tests.pdf_outline import pdf_headings

from .conftest import NOW
from .factories import IssueFactory, sh

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(world):
    for compound, lat in ((world.compound_a1, "38.45602"), (world.compound_a2, "38.45802")):
        compound.latitude, compound.longitude = Decimal(lat), Decimal("106.23301")
        compound.save()
    return world


def received(world, compound, n, *, community=None, day=10):
    for _ in range(n):
        IssueFactory(
            community=community or world.community_a,
            compound=compound,
            reported_at=sh(2026, 10, day),
        )


def test_issues_are_counted_per_compound_by_the_database(placed, django_assert_num_queries):
    world = placed
    received(world, world.compound_a1, 3)
    received(world, world.compound_a1, 2, day=2)
    received(world, None, 1)
    received(world, world.compound_b1, 4, community=world.community_b)
    # Reported in November: another month.
    IssueFactory(
        community=world.community_a, compound=world.compound_a2, reported_at=sh(2026, 11, 2)
    )
    month = Issue.objects.filter(
        community__in=[world.community_a.pk], reported_at__gte=sh(2026, 10, 1, 0)
    ).filter(reported_at__lt=sh(2026, 11, 1, 0))
    # Two queries: the counts grouped by compound, the compounds.
    with django_assert_num_queries(2):
        rows = issues_by_compound(month, [world.community_a.pk])
    # A compound with a position and no issue is drawn too; one without either is not.
    assert rows == [
        ["甲社区", "甲一小区", 38.45602, 106.23301, 5],
        ["甲社区", "甲二小区", 38.45802, 106.23301, 0],
    ]


def test_the_figures_carry_the_compounds_and_the_report_draws_them(client, placed):
    world = placed
    received(world, world.compound_a1, 3)
    figures = compute_figures([world.community_a.pk], 2026, 10, now=NOW)
    assert figures["issues"]["by_compound"][0][-1] == 3
    client.force_login(world.staff_a)
    url = f"{reverse('reports:monthly')}?target=community:{world.community_a.pk}&month=2026-10"
    page = client.get(url + "&fresh=1").content.decode()
    assert "热力图：各小区收到的议题" in page and 'class="report-chart report-heat-map"' in page
    # Its numbers are in a table beside it.
    assert "按小区统计议题" in page and '<title id="chart-heat-t">各小区收到的议题</title>' in page


def test_the_pdf_carries_the_heat_map(client, placed):
    world = placed
    received(world, world.compound_a1, 3)
    snapshot = report_snapshot_compute(
        actor=None, target=world.street, year=2026, month=10, now=NOW
    )
    content = pdf_bytes(snapshot.data, "测试街道 2026-10")
    assert content.startswith(b"%PDF")
    assert "热力图：各小区收到的议题" in pdf_headings(content)
    client.force_login(world.street_admin)
    url = f"{reverse('reports:monthly')}?target=street:{world.street.pk}&month=2026-10&format=pdf"
    assert client.get(url)["Content-Type"] == "application/pdf"


def test_figures_stored_before_the_heat_map_say_to_recompute(client, placed):
    world = placed
    snapshot = report_snapshot_compute(
        actor=None, target=world.community_a, year=2026, month=10, now=NOW
    )
    data = snapshot.data
    del data["issues"]["by_compound"]
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(data=data)
    client.force_login(world.staff_a)
    url = f"{reverse('reports:monthly')}?target=community:{world.community_a.pk}&month=2026-10"
    page = client.get(url).content.decode()
    assert "重新计算本月数据即可绘制热力图" in page


def test_without_positions_the_report_says_where_to_set_them(client, world):
    received(world, world.compound_a1, 2)
    client.force_login(world.staff_a)
    url = f"{reverse('reports:monthly')}?target=community:{world.community_a.pk}&month=2026-10"
    page = client.get(url + "&fresh=1").content.decode()
    assert "尚无小区标注位置" in page and "report-heat-map" not in page


def test_the_heat_map_colours_and_sizes_grow_with_the_issues():
    svg = heat_map(
        title="各小区收到的议题",
        places=[
            ("甲", 38.456, 106.233, 10),
            ("乙", 38.458, 106.236, 1),
            ("丙", 38.457, 106.231, 0),
            ("无位置", None, None, 7),
        ],
        uid="t",
        unit="个议题",
        nothing="无",
    )
    assert 'role="img"' in svg and '<desc id="t-d">甲 10; 乙 1; 丙 0</desc>' in svg
    assert svg.count("<circle") == 3 + 1  # three compounds and the legend's "none"
    assert f'fill="{HEAT[-1]}"' in svg and f'fill="{HEAT[0]}"' in svg
    # The busiest is named, the one without issues is not.
    assert ">甲</text>" in svg and ">丙</text>" not in svg
    assert (
        heat_map(title="", places=[("无位置", None, None, 3)], uid="t", unit="", nothing="") == ""
    )
