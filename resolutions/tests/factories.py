"""Small builders for the tests of the resolutions app: issues, meetings and agenda items
are created with the models directly so these tests do not depend on other branches."""

import itertools
from datetime import timedelta

from django.utils import timezone

from issues.models import Category, Issue, Kind, Status
from meetings.models import AgendaItem, Meeting
from resolutions import services

_seq = itertools.count(1)


def category(name=None):
    n = next(_seq)
    return Category.objects.create(name=name or f"类别{n}", code=f"cat-{n}")


def issue(world, *, community=None, kind=Kind.PUBLIC, status=Status.IN_DELIBERATION, **fields):
    community = community or world.community_a
    defaults = {
        "community": community,
        "grid": world.grid_a1 if community == world.community_a else world.grid_b1,
        "compound": world.compound_a1 if community == world.community_a else world.compound_b1,
        "category": fields.pop("category", None) or category(),
        "title": "小区路灯不亮",
        "description": "晚上很黑",
        "channel": "visit",
        "reported_at": timezone.now(),
        "kind": kind,
        "status": status,
        "reporter_resident": world.resident_a if community == world.community_a else None,
    }
    defaults.update(fields)
    return Issue.objects.create(**defaults)


def agenda_item(world, the_issue, *, convener=None):
    start = timezone.now()
    meeting = Meeting.objects.create(
        community=the_issue.community,
        form="council",
        title="议事会",
        venue="社区会议室",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        convener=convener or world.staff_a,
    )
    return AgendaItem.objects.create(meeting=meeting, issue=the_issue, title=the_issue.title)


def item_fields(world, **fields):
    today = timezone.localdate()
    data = {
        "responsible_organization": world.organization,
        "measure": "更换路灯",
        "starts_on": today,
        "deadline": today + timedelta(days=10),
    }
    data.update(fields)
    return data


def resolution(world, *, the_issue=None, items=None, status=None, actor=None, **fields):
    """A resolution through the services; status 'adopted' or 'published' moves it on."""
    actor = actor or world.staff_a
    the_issue = the_issue or issue(world)
    res = services.resolution_create(
        actor=actor,
        agenda_item=agenda_item(world, the_issue),
        text=fields.pop("text", "同意更换小区路灯"),
        items=items if items is not None else [item_fields(world)],
        legal_review_required=fields.pop("legal_review_required", False),
        **fields,
    )
    if status in ("adopted", "published"):
        res = services.resolution_transition(actor=actor, resolution=res, action="adopt")
    if status == "published":
        res = services.resolution_transition(actor=actor, resolution=res, action="publish")
    return res
