import pytest
from django.urls import reverse

from accounts.navigation import home_url_name

pytestmark = pytest.mark.django_db


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_anonymous_goes_to_login(client, world):
    for name in ("communities:overview", "communities:resident_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_staff_land_on_their_community(client, world):
    response = get(client, world.staff_a, reverse("communities:overview"))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "communities:community_detail", args=[world.community_a.pk]
    )


def test_street_admin_sees_communities_side_by_side(client, world):
    response = get(client, world.street_admin, reverse("communities:overview"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "甲社区" in content and "乙社区" in content


@pytest.mark.parametrize("who", ["resident_user_a", "org_contact"])
def test_residents_and_contacts_see_no_lists(client, world, who):
    user = getattr(world, who)
    for name in ("communities:overview", "communities:resident_list"):
        assert get(client, user, reverse(name)).status_code == 403


def test_community_of_another_is_not_found(client, world):
    url = reverse("communities:community_detail", args=[world.community_a.pk])
    assert get(client, world.staff_a, url).status_code == 200
    assert get(client, world.staff_b, url).status_code == 404


def test_grid_page_and_my_grid(client, world):
    url = reverse("communities:grid_detail", args=[world.grid_a1.pk])
    # Staff read the grid's residents on its page; for its worker the page is their
    # home, with the grid's work instead of a directory (residents are a search away).
    assert "甲居民" in get(client, world.staff_a, url).content.decode()
    response = get(client, world.worker_a1, url)
    assert response.status_code == 200
    assert "甲居民" not in response.content.decode()
    assert (
        "甲居民"
        in get(client, world.worker_a1, reverse("communities:resident_list")).content.decode()
    )
    assert get(client, world.staff_b, url).status_code == 404
    assert home_url_name(world.worker_a1) == "communities:my_grid"
    response = get(client, world.worker_a1, reverse("communities:my_grid"))
    assert response.status_code == 200
    assert "甲一网格" in response.content.decode()


def test_resident_lists_are_scoped(client, world):
    url = reverse("communities:resident_list")
    content = get(client, world.staff_a, url).content.decode()
    assert "甲居民" in content and "乙居民" not in content
    content = get(client, world.staff_b, url).content.decode()
    assert "乙居民" in content and "甲居民" not in content
    # A worker of grid A2 does not list the residents of grid A1.
    content = get(client, world.worker_a2, url).content.decode()
    assert "甲居民" not in content


def test_resident_record_never_visible_outside_its_community(client, world):
    url = reverse("communities:resident_detail", args=[world.resident_a.pk])
    assert get(client, world.staff_a, url).status_code == 200
    assert get(client, world.staff_b, url).status_code == 404
    assert get(client, world.resident_user_a, url).status_code == 200
    assert get(client, world.resident_user_b, url).status_code == 404
    assert get(client, world.org_contact, url).status_code == 404


def test_numbers_masked_for_those_who_may_not_see_them(client, world):
    resident = world.resident_a
    resident.id_number = "110101195003211234"
    resident.save()
    url = reverse("communities:resident_detail", args=[resident.pk])
    full = get(client, world.staff_a, url).content.decode()
    assert resident.phone in full and resident.id_number in full
    full = get(client, world.worker_a1, url).content.decode()
    assert resident.phone in full
    for user in (world.street_admin, world.worker_a2):
        content = get(client, user, url).content.decode()
        assert resident.phone not in content
        assert f"{resident.phone[:3]}****{resident.phone[-4:]}" in content
        assert "110101********1234" in content


def test_resident_edit_rights(client, world):
    url = reverse("communities:resident_edit", args=[world.resident_a.pk])
    assert get(client, world.staff_a, url).status_code == 200
    assert get(client, world.worker_a1, url).status_code == 200
    assert get(client, world.worker_a2, url).status_code == 403
    assert get(client, world.street_admin, url).status_code == 403
    assert get(client, world.staff_b, url).status_code == 404


def test_organization_pages(client, world):
    detail = reverse("communities:organization_detail", args=[world.organization.pk])
    assert get(client, world.staff_a, detail).status_code == 200
    assert get(client, world.org_contact, detail).status_code == 200
    assert get(client, world.staff_b, detail).status_code == 404
    assert (
        get(client, world.org_contact, reverse("communities:organization_list")).status_code == 403
    )
    edit = reverse("communities:organization_edit", args=[world.organization.pk])
    assert get(client, world.staff_a, edit).status_code == 200
    assert get(client, world.street_admin, edit).status_code == 403
    content = get(client, world.staff_b, reverse("communities:organization_list")).content
    assert "甲物业" not in content.decode()


def test_place_forms_for_staff_only(client, world):
    url = reverse("communities:compound_create", args=[world.community_a.pk])
    assert get(client, world.staff_a, url).status_code == 200
    assert get(client, world.worker_a1, url).status_code == 403
    assert get(client, world.staff_b, url).status_code == 404


def test_every_form_page_renders_for_staff(client, world):
    a = world.community_a.pk
    urls = [
        reverse("communities:building_create", args=[a]),
        reverse("communities:unit_create", args=[a]),
        reverse("communities:household_create", args=[a]),
        reverse("communities:grid_create", args=[a]),
        reverse("communities:grid_edit", args=[a, world.grid_a1.pk]),
        reverse("communities:shop_create", args=[a]),
        reverse("communities:agreement_create", args=[a]),
        reverse("communities:resident_create"),
        reverse("communities:organization_create"),
        reverse("communities:contact_create", args=[world.organization.pk]),
        reverse("communities:import", args=["residents"]),
        reverse("communities:import", args=["organizations"]),
        reverse("communities:import_template", args=["organizations"]),
    ]
    client.force_login(world.staff_a)
    for url in urls:
        assert client.get(url).status_code == 200, url
    client.force_login(world.worker_a1)
    assert client.get(reverse("communities:organization_create")).status_code == 403
    assert client.get(reverse("communities:import", args=["nothing"])).status_code == 404


def test_contact_and_organization_edit(client, world):
    client.force_login(world.staff_a)
    organization = world.organization
    response = client.post(
        reverse("communities:contact_create", args=[organization.pk]),
        {"name": "新联系人", "position": "经理", "phone": "13912345678"},
    )
    assert response.status_code == 302
    assert organization.contacts.filter(name="新联系人").exists()
    response = client.post(
        reverse("communities:organization_edit", args=[organization.pk]),
        {
            "kind": organization.kind,
            "name": "甲物业（新）",
            "communities": [world.community_a.pk],
            "version": organization.version,
        },
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "甲物业（新）" and organization.version == 2
    stale = client.post(
        reverse("communities:organization_edit", args=[organization.pk]),
        {
            "kind": organization.kind,
            "name": "旧",
            "communities": [world.community_a.pk],
            "version": 1,
        },
    )
    assert stale.status_code == 200
    organization.refresh_from_db()
    assert organization.name == "甲物业（新）"
