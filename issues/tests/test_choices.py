"""Sensible choices: lists of places that span communities name the community, the system
administrator is never offered as someone to do the work, and the intake form starts from
what the person logging it usually needs."""

import re

import pytest
from django.urls import reverse

from access.scope import get_scope
from accounts.models import Role
from accounts.tests.factories import UserFactory
from issues.forms import AssignForm, IssueForm, TransitionForm
from issues.models import Issue
from meetings.forms import MeetingForm
from resolutions.forms import ActionItemForm

from .test_views import login

pytestmark = pytest.mark.django_db


def _options(html, name):
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [
        (" selected" in attributes, re.sub(r"\s+", " ", label).strip())
        for attributes, label in re.findall(r"<option([^>]*)>([^<]*)</option>", select)
    ]


def _labels(field):
    return sorted(label for value, label in field.choices if value)


def test_places_spanning_communities_name_their_community(world):
    admin = world.street_admin
    form = MeetingForm(scope=get_scope(admin), issues=Issue.objects.none())
    assert _labels(form.fields["grid"]) == [
        "乙一网格（乙社区）",
        "甲一网格（甲社区）",
        "甲二网格（甲社区）",
    ]
    assert "甲一小区（甲社区）" in _labels(form.fields["compound"])
    # One community: the names alone.
    form = MeetingForm(scope=get_scope(world.staff_a), issues=Issue.objects.none())
    assert _labels(form.fields["grid"]) == ["甲一网格", "甲二网格"]


def test_work_queue_filters_name_the_community_for_a_street_admin(client, world):
    html = login(client, world.street_admin).get(reverse("issues:list")).content.decode()
    assert ("乙一网格（乙社区）") in [label for _, label in _options(html, "grid")]
    html = login(client, world.staff_a).get(reverse("issues:list")).content.decode()
    assert "甲一网格" in [label for _, label in _options(html, "grid")]


def test_superuser_is_never_offered_to_lead_or_carry_out_work(world, make_issue):
    root = UserFactory(
        username="root", role=Role.STREET_ADMIN, is_superuser=True, streets=[world.street]
    )
    root_staff = UserFactory(
        username="root2", role=Role.STAFF, is_superuser=True, communities=[world.community_a]
    )
    issue = make_issue()
    cadres = TransitionForm(issue=issue).fields["lead_cadre"].queryset
    assert world.street_admin in cadres and world.staff_a in cadres
    assert root not in cadres and root_staff not in cadres
    responsible = ActionItemForm(community=world.community_a).fields["responsible_user"].queryset
    assert world.staff_a in responsible
    assert root not in responsible and root_staff not in responsible
    assignees = AssignForm(issue=issue).fields["assignee"].queryset
    assert world.staff_a in assignees and root_staff not in assignees


def _hidden(html, name):
    return re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html).group(1)


def test_intake_defaults_the_channel_and_the_only_community(client, world):
    # The only community is carried without a choice to make.
    html = login(client, world.staff_a).get(reverse("issues:create")).content.decode()
    assert (True, "来访") in _options(html, "channel")
    assert _hidden(html, "community") == str(world.community_a.pk)
    html = login(client, world.worker_a1).get(reverse("issues:create")).content.decode()
    assert (True, "网格巡查") in _options(html, "channel")
    assert _hidden(html, "community") == str(world.community_a.pk)
    both = UserFactory(
        username="both", role=Role.STAFF, communities=[world.community_a, world.community_b]
    )
    html = login(client, both).get(reverse("issues:create")).content.decode()
    # Staff of two communities choose: nothing but the prompt is preselected.
    assert _options(html, "community") == [
        (True, "社区（选填）"),  # the compound chosen tells it otherwise
        (False, "甲社区"),
        (False, "乙社区"),
    ]
    assert "乙一小区（乙社区）" in [label for _, label in _options(html, "compound")]


def test_intake_refuses_a_compound_of_another_community(world, category):
    scope = get_scope(world.staff_a)
    both = UserFactory(
        username="both", role=Role.STAFF, communities=[world.community_a, world.community_b]
    )
    scope = get_scope(both)
    form = IssueForm(
        {
            "channel": "walk_in",
            "category": category.pk,
            "urgency": "normal",
            "title": "积水",
            "description": "路口积水",
            "community": world.community_a.pk,
            "compound": world.compound_b1.pk,
        },
        community_ids=scope.community_ids,
        residents=world.resident_a.__class__.objects.all(),
    )
    assert not form.is_valid() and "compound" in form.errors
