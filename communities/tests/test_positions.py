"""Where compounds and buildings are: set by clicking on the map of the place form (a
position, and a compound's outline), or imported from a spreadsheet in WGS-84 or GCJ-02;
stored in WGS-84, checked, and imported again without change."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from communities import spreadsheets
from communities.models import Building, Compound
from core.models import AuditEntry
from lib import geo

pytestmark = pytest.mark.django_db

OUTLINE = {
    "type": "Polygon",
    "coordinates": [
        [[106.2315, 38.455], [106.2345, 38.455], [106.2345, 38.4571], [106.2315, 38.4571]]
    ],
}


def test_a_compound_gets_its_position_and_outline_from_the_map(client, world):
    import json

    client.force_login(world.staff_a)
    url = reverse("communities:compound_edit", args=[world.community_a.pk, world.compound_a1.pk])
    page = client.get(url).content.decode()
    assert "data-map-picker" in page and "描绘轮廓" in page
    response = client.post(
        url,
        {
            "name": "甲一小区",
            "address": "长城中路18号",
            "latitude": "",
            "longitude": "",
            "outline": json.dumps(OUTLINE),
        },
    )
    assert response.status_code == 302
    compound = Compound.objects.get(pk=world.compound_a1.pk)
    # Closed, and without a point the compound stands at its outline's centre.
    assert compound.outline["coordinates"][0][-1] == [106.2315, 38.455]
    assert geo.haversine_m(compound.latitude, compound.longitude, 38.45605, 106.233) < 0.2
    assert (
        "已标位置和轮廓"
        in client.get(
            reverse("communities:community_detail", args=[world.community_a.pk])
        ).content.decode()
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"latitude": "38.4"}, "longitude", "同时填写"),
        ({"latitude": "91", "longitude": "106"}, "latitude", ""),
        (
            {"outline": '{"type": "Polygon", "coordinates": [[[106, 38], [106.1, 38]]]}'},
            "outline",
            "三个",
        ),
        ({"outline": "{not json"}, "outline", ""),
    ],
)
def test_a_bad_position_or_outline_is_named_next_to_its_field(
    client, world, fields, field, message
):
    client.force_login(world.staff_a)
    url = reverse("communities:compound_edit", args=[world.community_a.pk, world.compound_a1.pk])
    response = client.post(url, {"name": "甲一小区", **fields})
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert Compound.objects.get(pk=world.compound_a1.pk).latitude is None


HEADERS = [h for _k, h in spreadsheets.PLACE_COLUMNS]


def upload(rows, name="places.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def run(world, rows, commit=True):
    read = spreadsheets.read_rows(upload(rows), spreadsheets.PLACE_COLUMNS)
    return spreadsheets.import_places(
        actor=world.staff_a, community=world.community_a, rows=read, commit=commit
    )


ROWS = [
    ["甲一小区", "", "长城中路18号", "38.456020", "106.233010", "", ""],
    ["甲一小区", "1号楼", "", "38.4558", "106.2321", "WGS-84", ""],
    ["新建小区", "", "", "", "", "", "106.2315,38.455;106.2345,38.455;106.2345,38.4571"],
    ["新建小区", "5号楼", "", "38.4560", "106.2330", "", ""],
]


def test_places_import_sets_positions_creates_places_and_changes_nothing_the_second_time(world):
    preview = run(world, ROWS, commit=False)
    assert preview.ok and not Compound.objects.filter(name="新建小区").exists()
    assert len(preview.created) == 2 and len(preview.updated) == 2
    result = run(world, ROWS)
    assert result.ok
    compound = Compound.objects.get(pk=world.compound_a1.pk)
    assert (compound.latitude, compound.address) == (Decimal("38.456020"), "长城中路18号")
    assert Building.objects.get(compound=compound, name="1号楼").longitude == Decimal("106.232100")
    new = Compound.objects.get(community=world.community_a, name="新建小区")
    assert len(new.outline["coordinates"][0]) == 4 and new.latitude is not None
    assert Building.objects.get(compound=new, name="5号楼").latitude == Decimal("38.456000")
    assert AuditEntry.objects.filter(action="import", object_id=new.pk).exists()
    again = run(world, ROWS)
    assert again.ok and len(again.unchanged) == 4 and not again.created and not again.updated


def test_gcj02_coordinates_are_stored_in_wgs84(world):
    g_lat, g_lng = geo.wgs84_to_gcj02(38.45602, 106.23301)
    result = run(world, [["甲一小区", "", "", f"{g_lat:.7f}", f"{g_lng:.7f}", "高德", ""]])
    assert result.ok
    compound = Compound.objects.get(pk=world.compound_a1.pk)
    assert geo.haversine_m(compound.latitude, compound.longitude, 38.45602, 106.23301) < 0.2


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (["", "", "", "38.4", "106.2", "", ""], "小区"),
        (["甲一小区", "", "", "38.4", "", "", ""], "纬度"),
        (["甲一小区", "", "", "38.4", "106.2", "百度", ""], "坐标系"),
        (["甲一小区", "1号楼", "", "", "", "", "106.1,38.1;106.2,38.1;106.2,38.2"], "轮廓"),
        (["甲一小区", "", "", "", "", "", "106.1,38.1;106.2"], "轮廓"),
        (["甲一小区", "", "", "", "", "", ""], "纬度"),
    ],
)
def test_a_bad_row_names_its_column_and_nothing_is_imported(world, row, column):
    result = run(world, [ROWS[2], row])
    assert not result.ok
    assert [error.column for error in result.errors] == [column]
    assert not Compound.objects.filter(name="新建小区").exists()


def test_the_places_import_page_previews_then_imports(client, world):
    client.force_login(world.staff_a)
    url = reverse("communities:import", args=["places"])
    page = client.get(url).content.decode()
    assert "导入小区、楼栋位置" in page
    template = client.get(reverse("communities:import_template", args=["places"]))
    assert template.status_code == 200
    response = client.post(url, {"community": world.community_a.pk, "file": upload(ROWS)})
    token = response.context["token"]
    assert token and not Compound.objects.filter(name="新建小区").exists()
    response = client.post(url, {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert Compound.objects.filter(name="新建小区").exists()
