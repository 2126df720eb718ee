from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Role, User
from communities.models import Community, Grid, Household, Organization, Resident

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Community, Grid, Household, Resident, Organization, User)
    }


def test_load_demo_builds_the_ten_stories_world_once():
    call_command("load_demo", stdout=StringIO())
    first = _counts()
    call_command("load_demo", stdout=StringIO())

    assert _counts() == first
    names = set(Community.objects.values_list("name", flat=True))
    assert {"金宇名庭社区", "枫林湾社区", "中华社区", "民生社区", "雅苑社区", "朔方社区"} <= names
    assert Grid.objects.filter(community__name="民生社区").count() == 13
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    liu = User.objects.get(username="liujianhua")
    assert liu.resident.household.unit.building.compound.name == "澳海熙园"
    # Story 9: the four households of 朝阳小区 33号楼5单元 on one kitchen drain.
    assert (
        Household.objects.filter(
            unit__building__compound__name="朝阳小区",
            unit__building__name="33号楼",
            unit__name="5单元",
            room__in=["101", "201", "301", "401"],
        ).count()
        == 4
    )
