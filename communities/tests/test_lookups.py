"""Picking one of a community's residents or households by typing, not from a <select>."""

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from communities.lookups import RESIDENT, household_label, resident_label
from communities.tests.factories import HouseholdFactory, ResidentFactory
from lib.lookups import LookupField

pytestmark = pytest.mark.django_db


class PickForm(forms.Form):
    resident = LookupField(lookup=RESIDENT, required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].for_community(community.pk)


def _pick(world, text):
    form = PickForm({"resident": text}, community=world.community_a)
    form.is_valid()
    return form


def test_labels_say_who_and_where(world):
    assert household_label(world.household_a1) == "甲一小区 1号楼 1单元 101"
    assert resident_label(world.resident_a) == "甲居民 · 甲一小区 1号楼 1单元 101"


def test_a_suggestion_a_unique_fragment_or_a_primary_key_resolves(world):
    for text in (resident_label(world.resident_a), "甲居民", "居民 101", str(world.resident_a.pk)):
        assert _pick(world, text).cleaned_data["resident"] == world.resident_a, text
    phone_end = world.resident_a.phone[-4:]
    assert _pick(world, phone_end).cleaned_data["resident"] == world.resident_a


def test_nothing_or_several_matching_is_said_next_to_the_field(world):
    form = _pick(world, "不存在的人")
    with translation.override("zh-hans"):
        assert form.errors["resident"] == [
            "没有与“不存在的人”相符的记录。请输入姓名或地址的一部分，再从提示中选择。"
        ]
    ResidentFactory(household=world.household_a1, grid=world.grid_a1, name="甲居民之子")
    form = _pick(world, "甲居民 1号楼")
    assert "resident" in form.errors
    assert "甲居民之子" in str(form.errors["resident"])  # the matches are named
    assert 'value="甲居民 1号楼"' in str(form["resident"])  # what was typed is kept


def test_control_characters_are_an_error_not_a_crash(world):
    assert "resident" in _pick(world, "甲\x00居民").errors


def test_a_resident_of_another_community_cannot_be_picked(world):
    assert "resident" in _pick(world, str(world.resident_b.pk)).errors
    assert "resident" in _pick(world, "乙居民").errors


def test_the_field_renders_a_datalist_fed_by_the_lookup_view(world):
    html = str(PickForm(community=world.community_a)["resident"])
    url = reverse("communities:lookup", args=["resident"])
    assert f'hx-get="{url}?community={world.community_a.pk}&amp;field=resident"' in html
    assert 'list="id_resident-options"' in html and '<datalist id="id_resident-options">' in html
    filled = str(
        PickForm(initial={"resident": world.resident_a.pk}, community=world.community_a)["resident"]
    )
    assert f'value="{resident_label(world.resident_a)}"' in filled


def _suggest(client, user, kind="resident", **params):
    client.force_login(user)
    response = client.get(reverse("communities:lookup", args=[kind]), params)
    return response.status_code, response.content.decode()


def test_suggestions_follow_the_access_rules(client, world):
    status, html = _suggest(client, world.staff_a, q="居民")
    assert status == 200 and "甲居民" in html and "乙居民" not in html
    status, html = _suggest(client, world.street_admin, q="居民", community=world.community_b.pk)
    assert "乙居民" in html and "甲居民" not in html
    status, html = _suggest(client, world.worker_a2, q="居民")  # not the worker of grid A1
    assert status == 200 and "甲居民" not in html
    status, html = _suggest(client, world.worker_a1, field="who", who="甲")
    assert "甲居民" in html
    assert _suggest(client, world.resident_user_a, q="居民")[0] == 403
    assert _suggest(client, world.org_contact, q="居民")[0] == 403
    assert _suggest(client, world.staff_a, kind="nobody", q="居民")[0] == 404
    assert _suggest(client, world.staff_a, q="甲\x00居民")[0] == 200


def test_household_suggestions_and_their_number_is_bounded(client, world):
    for room in range(1, 40):
        HouseholdFactory(unit=world.household_a1.unit, room=f"{room:02d}0")
    status, html = _suggest(client, world.staff_a, kind="household", q="1号楼 1单元")
    assert status == 200 and html.count("<option") == 12
    status, html = _suggest(client, world.staff_a, kind="household", q="1单元 101")
    assert html.count("<option") == 1 and household_label(world.household_a1) in html


def test_intake_page_lists_no_residents(client, world):
    for n in range(30):
        ResidentFactory(household=world.household_a1, grid=world.grid_a1, name=f"住户{n}")
    client.force_login(world.staff_a)
    page = client.get(reverse("issues:create")).content.decode()
    assert "住户7" not in page and 'name="reporter_resident"' in page


def test_a_building_head_is_picked_by_typing(client, world):
    client.force_login(world.staff_a)
    url = reverse("communities:building_create", args=[world.community_a.pk])
    page = client.get(url).content.decode()
    assert 'name="head"' in page and "甲居民" not in page  # no list of residents
    response = client.post(
        url, {"compound": world.compound_a1.pk, "name": "9号楼", "floors": "6", "head": "甲居民"}
    )
    assert response.status_code == 302
    assert world.compound_a1.buildings.get(name="9号楼").head == world.resident_a
    response = client.post(
        url, {"compound": world.compound_a1.pk, "name": "10号楼", "head": "乙居民"}
    )
    assert response.status_code == 200 and "head" in response.context["form"].errors
