"""The main navigation asks the access package which entries a user sees: the rule that
opens a page also offers it, and no role list is kept beside it."""

import pytest
from django.urls import reverse

from access.scope import get_scope
from accounts.navigation import NAVIGATION, flat_items_for

pytestmark = pytest.mark.django_db

COMMUNITIES = {
    "communities:overview",
    "communities:resident_list",
    "communities:organization_list",
}
RUN_THE_WORK = {
    *COMMUNITIES,
    "issues:list",
    "issues:map",
    "meetings:list",
    "meetings:opinion_windows",
    "resolutions:list",
}
EVERYONE = {"meetings:calendar", "resolutions:board"}

MENUS = {
    "staff_a": {
        *RUN_THE_WORK,
        *EVERYONE,
        "reports:dashboard",
        "issues:visit_list",
        "reports:monthly",
        "api:hotline",
        "notifications:sent",
    },
    "worker_a1": {*RUN_THE_WORK, *EVERYONE, "issues:patrol_list", "issues:visit_list"},
    "street_admin": {
        *RUN_THE_WORK,
        *EVERYONE,
        "reports:street_dashboard",
        "reports:monthly",
        "api:hotline",
        "audit",
        "notifications:sent",
        "administration:home",
    },
    "resident_user_a": {*EVERYONE, "issues:mine", "resolutions:my_items"},
    "org_contact": {*EVERYONE, "resolutions:my_items"},
}


def test_every_entry_asks_a_rule_of_the_access_package():
    assert NAVIGATION
    assert [e.url_name for e in NAVIGATION if not e.allowed.__module__.startswith("access.")] == []


@pytest.mark.parametrize("who", sorted(MENUS))
def test_each_role_sees_the_entries_its_rules_allow(world, who):
    names = {item["url_name"] for item in flat_items_for(getattr(world, who), "/")}

    assert names == MENUS[who]


def test_the_head_of_the_community_finds_the_audit_trail_they_may_read(world):
    """The audit trail is open to the head (access.audit), so the menu offers it, and 管理
    for their community's people and rules (access.administration)."""
    names = {item["url_name"] for item in flat_items_for(world.head_a, "/")}

    assert names == {*MENUS["staff_a"], "audit", "administration:home"}


def test_the_menu_runs_no_queries_once_the_scope_is_loaded(world, django_assert_num_queries):
    for who in MENUS:
        get_scope(getattr(world, who))
    with django_assert_num_queries(0):
        for who in MENUS:
            flat_items_for(getattr(world, who), "/")


@pytest.mark.parametrize(
    ("who", "large_text", "unfolds_at"),
    [
        ("staff_a", False, "lg"),
        # Six menus in large text are wider than a laptop: the bar folds up to 1400px.
        ("staff_a", True, "xxl"),
        # A resident's three entries fit in large text: the bar stays open on a laptop.
        ("resident_user_a", True, "lg"),
    ],
)
def test_a_long_bar_in_large_text_folds_behind_the_menu_button(
    client, world, who, large_text, unfolds_at
):
    user = getattr(world, who)
    user.large_text = large_text
    user.save(update_fields=["large_text"])
    client.force_login(user)

    html = client.get(reverse("accounts:preferences")).content.decode()

    assert f"navbar-expand-{unfolds_at} " in html
