"""Small builders for the records the reminder sweeps read (the issues, meetings and
resolutions apps are built in parallel; these create rows straight through the ORM)."""

import datetime as dt

from django.utils import timezone

from issues.models import Category, Issue, Status
from meetings.models import Form, Meeting, Participant, ParticipantRole
from resolutions.models import ActionItem, Resolution


def make_issue(world, *, grid=None, status=Status.ACCEPTED, **fields):
    category, _ = Category.objects.get_or_create(code="env", defaults={"name": "环境"})
    return Issue.objects.create(
        community=world.community_a,
        grid=grid if grid is not None else world.grid_a1,
        channel=fields.pop("channel", "visit"),
        category=category,
        title=fields.pop("title", "楼道堆物"),
        description="楼道里堆满杂物",
        status=status,
        reported_at=fields.pop("reported_at", timezone.now()),
        **fields,
    )


def make_resolution(world, *, issue=None, **fields):
    issue = issue or make_issue(world)
    return Resolution.objects.create(
        issue=issue,
        community=issue.community,
        title=fields.pop("title", "清理楼道"),
        # Items are tracked (and reminded of) once their resolution is agreed.
        status=fields.pop("status", Resolution.Status.PUBLISHED),
        text="物业三日内清理",
        created_by=fields.pop("created_by", world.users["staff_a"]),
        **fields,
    )


def make_item(world, *, resolution=None, deadline, **fields):
    resolution = resolution or make_resolution(world)
    fields.setdefault("responsible_organization", world.organization)
    return ActionItem.objects.create(
        resolution=resolution,
        community=resolution.community,
        measure=fields.pop("measure", "清理楼道杂物"),
        starts_on=deadline - dt.timedelta(days=10),
        deadline=deadline,
        **fields,
    )


def make_meeting(world, *, starts_at, **fields):
    return Meeting.objects.create(
        community=world.community_a,
        form=fields.pop("form", Form.BUILDING_COUNCIL),
        title=fields.pop("title", "1号楼楼栋议事会"),
        venue="社区会议室",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        convener=fields.pop("convener", world.users["staff_a"]),
        **fields,
    )


def invite(meeting, *, user=None, resident=None, response=Participant.Response.PENDING):
    return Participant.objects.create(
        meeting=meeting,
        role=ParticipantRole.RESIDENT if resident else ParticipantRole.STAFF,
        user=user,
        resident=resident,
        name=(user.get_full_name() or user.username) if user else resident.name,
        response=response,
    )
