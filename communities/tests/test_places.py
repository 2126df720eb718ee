import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities import panels, services
from communities.models import AgreementEntry, CoBuildingAgreement, Grid, Resident
from communities.tests.factories import HouseholdFactory, ResidentFactory, UnitFactory
from lib.errors import DomainError

pytestmark = pytest.mark.django_db


def test_community_overview_counts(client, world):
    ResidentFactory(household=world.household_a1, grid=world.grid_a1, is_disabled=True)
    client.force_login(world.staff_a)
    response = client.get(reverse("communities:community_detail", args=[world.community_a.pk]))
    community = response.context["community"]
    assert community.n_residents == 2
    assert community.n_households == 1
    assert {tag: n for _l, n, tag in community.groups}["is_disabled"] == 1


def test_grid_coverage_moves_residents(world):
    building = world.household_a1.unit.building
    grid = services.grid_save(
        actor=world.staff_a,
        community=world.community_a,
        name="楼栋网格",
        code=world.community_a.area_code + "099",
        compounds=[],
        buildings=[building],
    )
    world.resident_a.refresh_from_db()
    assert world.resident_a.grid == grid
    with pytest.raises(DomainError) as error:
        services.grid_save(
            actor=world.staff_a, community=world.community_a, name="错码", code="999999999999"
        )
    assert error.value.field == "code"


def test_grid_form_error_next_to_field(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("communities:grid_create", args=[world.community_a.pk]),
        {"name": "新网格", "code": "123456789012"},
    )
    assert response.status_code == 200
    assert "新网格" in response.content.decode()
    assert response.context["form"].errors["code"]
    assert not Grid.objects.filter(name="新网格").exists()


def test_household_form_and_resident_grid(client, world):
    client.force_login(world.staff_a)
    unit = UnitFactory(building=world.household_a1.unit.building)
    response = client.post(
        reverse("communities:household_create", args=[world.community_a.pk]),
        {"unit": unit.pk, "room": "202"},
    )
    assert response.status_code == 302
    household = unit.households.get()
    assert household.compound == world.compound_a1


def test_building_head_must_live_in_community(world):
    with pytest.raises(DomainError):
        services.building_save(
            actor=world.staff_a, compound=world.compound_a1, name="9号楼", head=world.resident_b
        )


def test_agreement_with_three_lists(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("communities:agreement_create", args=[world.community_a.pk]),
        {"organization": world.organization.pk, "title": "共建协议", "signed_on": "2026-03-01"},
    )
    agreement = CoBuildingAgreement.objects.get(title="共建协议")
    assert response.status_code == 302
    url = reverse("communities:agreement_detail", args=[agreement.pk])
    client.post(url, {"list_kind": "need", "description": "楼道灯维修"})
    entry = AgreementEntry.objects.get(agreement=agreement)
    client.post(
        reverse("communities:agreement_entry_status", args=[agreement.pk, entry.pk]),
        {"status": "done"},
    )
    entry.refresh_from_db()
    assert entry.status == "done"
    client.force_login(world.street_admin)
    assert client.get(url).status_code == 200
    assert client.post(url, {"list_kind": "need", "description": "x"}).status_code == 403


def test_registered_grid_panel_is_rendered(client, world, tmp_path, settings):
    template_dir = tmp_path / "templates" / "other"
    template_dir.mkdir(parents=True)
    (template_dir / "panel.html").write_text(
        "<p>面板：{{ panel.count }} · {{ panel.grid.name }}</p>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path / "templates"]}
    ]
    panels.register_grid_panel(
        panels.GridPanel(
            key="test",
            title=_("Open issues"),
            template="other/panel.html",
            context=lambda request, grid: {"count": 3},
        )
    )
    try:
        client.force_login(world.worker_a1)
        content = client.get(
            reverse("communities:grid_detail", args=[world.grid_a1.pk])
        ).content.decode()
        assert "面板：3 · 甲一网格" in content
    finally:
        panels.unregister_grid_panel("test")


def test_grid_worker_adds_resident_only_in_own_grid(client, world):
    client.force_login(world.worker_a2)
    response = client.post(
        reverse("communities:resident_create"),
        {"community": world.community_a.pk, "household": world.household_a1.pk, "name": "越界"},
    )
    assert response.status_code == 200
    assert not Resident.objects.filter(name="越界").exists()
    other = HouseholdFactory(unit=UnitFactory(building__compound=world.compound_a2))
    response = client.post(
        reverse("communities:resident_create"),
        {"community": world.community_a.pk, "household": other.pk, "name": "本格"},
    )
    assert response.status_code == 302
    assert Resident.objects.get(name="本格").grid == world.grid_a2
