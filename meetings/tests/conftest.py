from datetime import timedelta

import pytest
from django.utils import timezone

from issues.models import Category, Channel, Issue, IssueParty, Kind, Status
from meetings import services
from meetings.models import Form


def make_issue(world, *, title="楼道堆物", kind=Kind.PUBLIC, status=Status.TO_DELIBERATE, **extra):
    category, _ = Category.objects.get_or_create(code="environment", defaults={"name": "环境"})
    return Issue.objects.create(
        category=category,
        community=world.community_a,
        grid=world.grid_a1,
        compound=world.compound_a1,
        channel=Channel.WALK_IN,
        kind=kind,
        urgency="normal",
        title=title,
        description=title,
        status=status,
        reported_at=timezone.now(),
        **extra,
    )


@pytest.fixture
def make_meeting(world):
    def make(
        *, actor=None, issues=(), form=Form.BUILDING_COUNCIL, is_private=False, days=1, **extra
    ):
        start = timezone.now() + timedelta(days=days)
        return services.meeting_create(
            actor=actor or world.staff_a,
            community=world.community_a,
            grid=world.grid_a1,
            compound=world.compound_a1,
            form=form,
            title="一号楼议事会",
            venue="社区活动室",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            issues=issues,
            is_private=is_private,
            **extra,
        )

    return make


@pytest.fixture
def dispute(world):
    issue = make_issue(
        world, title="漏水纠纷", kind=Kind.DISPUTE, reporter_resident=world.resident_a
    )
    IssueParty.objects.create(issue=issue, name="楼上住户王某")
    return issue


__all__ = ["IssueParty", "make_issue"]
