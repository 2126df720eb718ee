import pytest
from django.urls import reverse

from communities.models import Resident
from communities.services import resident_update
from core.models import AuditEntry
from lib.errors import StaleEdit

pytestmark = pytest.mark.django_db


def form_data(resident, **changes):
    data = {
        "household": resident.household_id or "",
        "name": resident.name,
        "gender": resident.gender,
        "birth_date": "",
        "phone": resident.phone,
        "id_number": resident.id_number,
        "volunteer_skills": "",
        "notes": "",
        "version": resident.version,
    }
    data.update(changes)
    return data


def test_create_keeps_input_and_shows_error_next_to_field(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("communities:resident_create"),
        {
            "community": world.community_a.pk,
            "household": world.household_a1.pk,
            "name": "新居民",
            "phone": "abc!",
            "volunteer_skills": "理发",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "新居民" in content and "理发" in content and "abc!" in content
    assert "is-invalid" in content
    assert not Resident.objects.filter(name="新居民").exists()


def test_create_puts_the_resident_in_the_household_grid(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("communities:resident_create"),
        {
            "community": world.community_a.pk,
            "household": world.household_a1.pk,
            "name": "新居民",
            "phone": "13900001111",
            "is_elderly_alone": "on",
        },
    )
    resident = Resident.objects.get(name="新居民")
    assert response.status_code == 302
    assert resident.grid == world.grid_a1
    assert resident.is_elderly_alone
    assert AuditEntry.objects.filter(object_id=resident.pk, action="create").exists()


def test_edit_records_the_change(client, world):
    client.force_login(world.worker_a1)
    resident = world.resident_a
    response = client.post(
        reverse("communities:resident_edit", args=[resident.pk]),
        form_data(resident, volunteer_skills="修水管"),
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.volunteer_skills == "修水管"
    assert resident.version == 2
    entry = AuditEntry.objects.get(object_id=resident.pk, action="update")
    assert entry.changes["volunteer_skills"] == ["", "修水管"]


def test_stale_edit_is_refused_and_input_kept(client, world):
    resident = world.resident_a
    stale = form_data(resident, volunteer_skills="我的修改")
    resident_update(actor=world.staff_a, resident=resident, version=1, notes="别人先改了")
    client.force_login(world.staff_a)
    response = client.post(reverse("communities:resident_edit", args=[resident.pk]), stale)
    assert response.status_code == 200
    content = response.content.decode()
    assert "我的修改" in content
    resident.refresh_from_db()
    assert resident.volunteer_skills == ""
    assert resident.notes == "别人先改了"
    with pytest.raises(StaleEdit):
        resident_update(actor=world.staff_a, resident=resident, version=1, name="x")


def test_archive_hides_from_list_and_can_be_restored(client, world):
    client.force_login(world.staff_a)
    url = reverse("communities:resident_archive", args=[world.resident_a.pk])
    assert client.post(url).status_code == 302
    listed = client.get(reverse("communities:resident_list")).context["page_obj"]
    assert world.resident_a not in list(listed)
    url_archived = reverse("communities:resident_list") + "?archived=1"
    assert world.resident_a in list(client.get(url_archived).context["page_obj"])
    client.post(url, {"restore": "1"})
    world.resident_a.refresh_from_db()
    assert world.resident_a.archived_at is None


def test_list_filters(client, world):
    world.resident_a.is_party_member = True
    world.resident_a.save()
    client.force_login(world.street_admin)
    url = reverse("communities:resident_list")
    content = client.get(url + "?tag=is_party_member").content.decode()
    assert "甲居民" in content and "乙居民" not in content
    content = client.get(url + f"?grid={world.grid_b1.pk}").content.decode()
    assert "乙居民" in content and "甲居民" not in content
    content = client.get(url + f"?compound={world.compound_a1.pk}").content.decode()
    assert "甲居民" in content and "乙居民" not in content
    content = client.get(url + "?q=乙").content.decode()
    assert "乙居民" in content and "甲居民" not in content
