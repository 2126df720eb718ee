import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from communities import spreadsheets
from communities.models import Household, Organization, Resident
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

HEADERS = [h for _k, h in spreadsheets.RESIDENT_COLUMNS]


def xlsx(rows, headers=HEADERS, name="residents.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def row(name, phone="", compound="甲一小区", building="2号楼", unit="1单元", room="301", **tags):
    values = {key: "" for key, _h in spreadsheets.RESIDENT_COLUMNS}
    values.update(
        name=name, phone=phone, compound=compound, building=building, unit=unit, room=room
    )
    values.update(tags)
    return [values[key] for key, _h in spreadsheets.RESIDENT_COLUMNS]


def run(world, upload, commit=True):
    rows = spreadsheets.read_rows(upload, spreadsheets.RESIDENT_COLUMNS)
    return spreadsheets.import_residents(
        actor=world.staff_a, community=world.community_a, rows=rows, commit=commit
    )


def test_good_file_imports_and_creates_places(world):
    upload = xlsx(
        [row("王大爷", "13811112222", is_elderly_alone="是"), row("王大妈", "13811113333")]
    )
    result = run(world, upload)
    assert result.ok and len(result.created) == 2
    grandpa = Resident.objects.get(name="王大爷")
    assert grandpa.is_elderly_alone
    assert grandpa.grid == world.grid_a1  # the grid covering 甲一小区
    assert str(grandpa.household) == "甲一小区2号楼1单元301"
    assert Household.objects.filter(room="301").count() == 1
    assert AuditEntry.objects.filter(action="import", object_id=grandpa.pk).exists()


def test_same_file_twice_creates_no_duplicates_and_changes_update(world):
    rows = [row("王大爷", "13811112222"), row("李阿姨", "13811114444")]
    run(world, xlsx(rows))
    again = run(world, xlsx(rows))
    assert again.ok and not again.created and len(again.unchanged) == 2
    assert Resident.objects.filter(name="王大爷").count() == 1
    changed = run(world, xlsx([row("王大爷", "13811112222", volunteer_skills="理发"), rows[1]]))
    assert [r for r, _n in changed.updated] == [2]
    assert Resident.objects.get(name="王大爷").volunteer_skills == "理发"
    assert Resident.objects.filter(name="王大爷").count() == 1


def test_broken_file_reports_rows_and_saves_nothing(world):
    upload = xlsx(
        [
            row("好人", "13811112222"),
            row("", "13811113333"),
            row("坏电话", "abc!"),
            row("无小区", compound="不存在小区"),
            row("坏标签", is_party_member="也许"),
        ]
    )
    result = run(world, upload)
    assert not result.ok
    reported = {(e.row, e.column) for e in result.errors}
    assert reported == {(3, "姓名"), (4, "手机号码"), (5, "小区"), (6, "党员")}
    assert not Resident.objects.filter(name="好人").exists()


def test_csv_in_gb18030_imports(world):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADERS)
    writer.writerow(row("陈师傅", "13822223333"))
    upload = SimpleUploadedFile("residents.csv", text.getvalue().encode("gb18030"))
    result = run(world, upload)
    assert result.ok and Resident.objects.filter(name="陈师傅").exists()


def test_upload_preview_then_confirm(client, world):
    client.force_login(world.staff_a)
    url = reverse("communities:import", args=["residents"])
    response = client.post(
        url, {"community": world.community_a.pk, "file": xlsx([row("赵大姐", "13833334444")])}
    )
    assert response.status_code == 200
    assert not Resident.objects.filter(name="赵大姐").exists()
    token = response.context["token"]
    response = client.post(url, {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert Resident.objects.filter(name="赵大姐", community=world.community_a).exists()


def test_rejected_upload_shows_report(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("communities:import", args=["residents"]),
        {"community": world.community_a.pk, "file": xlsx([row("", "1")])},
    )
    content = response.content.decode()
    assert "姓名" in content and "is-invalid" not in content
    assert response.context["result"].errors[0].row == 2


def test_import_is_for_staff_only(client, world):
    client.force_login(world.worker_a1)
    assert client.get(reverse("communities:import", args=["residents"])).status_code == 403


def test_organization_import_idempotent(world):
    headers = [h for _k, h in spreadsheets.ORGANIZATION_COLUMNS]
    rows = [["平安派出所", "派出所", "0951-1234567", "", "", "张警官", "社区民警", "13900000001"]]

    def go():
        parsed = spreadsheets.read_rows(
            xlsx(rows, headers, "orgs.xlsx"), spreadsheets.ORGANIZATION_COLUMNS
        )
        return spreadsheets.import_organizations(
            actor=world.staff_a, community=world.community_a, rows=parsed, commit=True
        )

    first = go()
    assert first.ok, first.errors
    assert len(first.created) == 1
    second = go()
    assert len(second.unchanged) == 1
    police = Organization.objects.get(name="平安派出所")
    assert police.kind == Organization.Kind.POLICE
    assert list(police.communities.all()) == [world.community_a]
    assert police.contacts.count() == 1


def test_export_respects_scope_and_masking(client, world):
    client.force_login(world.street_admin)
    response = client.get(reverse("communities:resident_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and "网格" in rows[0]
    names = {r[0] for r in rows[1:]}
    assert names == {"甲居民", "乙居民"}
    phone = world.resident_a.phone
    assert all(phone not in (r[3] or "") for r in rows[1:])
    client.force_login(world.staff_a)
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("communities:resident_export")).content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["甲居民"]
    assert rows[1][3] == phone


def test_export_round_trips_through_import(client, world):
    client.force_login(world.staff_a)
    content = client.get(reverse("communities:resident_export")).content
    upload = SimpleUploadedFile("export.xlsx", content)
    result = run(world, upload)
    assert result.ok, result.errors
    assert len(result.unchanged) == 1


def test_export_writes_text_that_looks_like_a_formula_as_text(client, world):
    world.resident_a.volunteer_skills = '=HYPERLINK("http://example.com","点我")'
    world.resident_a.notes = "+86 138"
    world.resident_a.save(update_fields=["volunteer_skills", "notes"])
    client.force_login(world.staff_a)
    content = client.get(reverse("communities:resident_export")).content
    sheet = load_workbook(io.BytesIO(content)).active
    cell = sheet.cell(row=2, column=18)
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://example.com","点我")'
    assert sheet.cell(row=2, column=19).value == "+86 138"


def test_organization_export(client, world):
    client.force_login(world.staff_a)
    response = client.get(reverse("communities:organization_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("名称", "类型")
    assert rows[1][0] == "甲物业" and rows[1][5] == "甲物业经理"


def test_template_downloads(client, world):
    client.force_login(world.staff_a)
    response = client.get(reverse("communities:import_template", args=["residents"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert next(sheet.iter_rows(values_only=True))[0] == "姓名*"


def test_import_command(world, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "residents.xlsx"
    path.write_bytes(xlsx([row("孙奶奶", "13844445555")]).read())
    out = io.StringIO()
    call_command(
        "import_spreadsheet", "residents", world.community_a.area_code, str(path), stdout=out
    )
    assert "1 added" in out.getvalue()
    call_command(
        "import_spreadsheet", "residents", world.community_a.area_code, str(path), stdout=out
    )
    assert Resident.objects.filter(name="孙奶奶").count() == 1
