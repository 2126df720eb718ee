import datetime as dt

import pytest

from issues.models import Handling, Status
from reports.metrics import SHANGHAI
from resolutions.models import ActionItem, Evaluation

from .factories import (
    ActionItemFactory,
    CategoryFactory,
    EvaluationFactory,
    EventFactory,
    IssueFactory,
    MeetingFactory,
    ParticipantFactory,
    ResolutionFactory,
    sh,
)

# After October 2026, so every figure of October is final.
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def october(world):
    """A hand-counted October 2026 in community A (and one issue in community B).

    Received in October (A): i1 hotline, i3 phone, i5 phone (rejected), i6 walk-in = 4;
    i2 came in at 23:30 on 30 September and i4 at 00:00 on 1 November (Shanghai time).
    Closed in October: i1 (1 day), i2 (20 days), i7 (88 days).
    Due in October (handling deadline in October, rejected left out): i1, i2, i6, i7 = 4;
    closed 3; i2 was deferred so the on-time denominator is 3, on time only i1.
    """
    a, b = world.community_a, world.community_b
    staff = world.staff_a
    drains = CategoryFactory(name="排水", code="drainage")
    noise = CategoryFactory(name="噪音", code="noise")
    i1 = IssueFactory(
        community=a,
        grid=world.grid_a1,
        category=drains,
        channel="hotline",
        hotline_ticket="12345-1",
        reported_at=sh(2026, 10, 1, 0, 30),
        accept_deadline=sh(2026, 10, 1, 4),
        accepted_at=sh(2026, 10, 1, 1),
        handling=Handling.ON_SPOT,
        status=Status.CLOSED,
        handle_deadline=sh(2026, 10, 5),
        closed_at=sh(2026, 10, 2, 0, 30),
        closed_on_time=True,
    )
    i2 = IssueFactory(
        community=a,
        grid=world.grid_a1,
        category=drains,
        reported_at=sh(2026, 9, 30, 23, 30),
        status=Status.CLOSED,
        handle_deadline=sh(2026, 10, 10),
        was_deferred=True,
        closed_at=sh(2026, 10, 20, 23, 30),
        closed_on_time=True,
    )
    i3 = IssueFactory(
        community=a,
        grid=world.grid_a2,
        category=noise,
        channel="phone",
        reported_at=sh(2026, 10, 31, 23, 59),
        accept_deadline=sh(2026, 11, 1, 2),
        accepted_at=sh(2026, 11, 1, 3),
        handling=Handling.DELIBERATION,
        status=Status.TO_DELIBERATE,
    )
    IssueFactory(community=a, category=noise, reported_at=sh(2026, 11, 1, 0, 0))
    IssueFactory(
        community=a,
        grid=world.grid_a1,
        category=drains,
        channel="phone",
        reported_at=sh(2026, 10, 10),
        status=Status.REJECTED,
        handle_deadline=sh(2026, 10, 15),
    )
    i6 = IssueFactory(
        community=a,
        category=noise,
        kind="dispute",
        reported_at=sh(2026, 10, 12),
        handling=Handling.ESCALATED,
        status=Status.EXECUTING,
        handle_deadline=sh(2026, 10, 25),
    )
    i7 = IssueFactory(
        community=a,
        grid=world.grid_a2,
        category=noise,
        reported_at=sh(2026, 8, 1, 0, 0),
        status=Status.CLOSED,
        handle_deadline=sh(2026, 10, 3),
        closed_at=sh(2026, 10, 28, 0, 0),
        closed_on_time=False,
        reopen_count=1,
    )
    IssueFactory(community=b, grid=world.grid_b1, category=drains, reported_at=sh(2026, 10, 5))

    for issue, action, at in (
        (i1, "close", sh(2026, 10, 2, 0, 30)),
        (i2, "close", sh(2026, 10, 20, 23, 30)),
        (i7, "close", sh(2026, 10, 5)),
        (i7, "reopen", sh(2026, 10, 15)),
        (i7, "close", sh(2026, 10, 28)),
        (i6, "send_back", sh(2026, 10, 20)),
        (i6, "send_back", sh(2026, 11, 2)),
        (i2, "reopen", sh(2026, 9, 30, 23, 0)),
    ):
        EventFactory(issue=issue, action=action, actor=staff, at=at)

    for issue, rating, at in (
        (i1, Evaluation.Rating.SATISFIED, sh(2026, 10, 3)),
        (i2, Evaluation.Rating.BASIC, sh(2026, 10, 21)),
        (i7, Evaluation.Rating.UNSATISFIED, sh(2026, 10, 29)),
        (i3, Evaluation.Rating.SATISFIED, sh(2026, 11, 1, 0, 5)),
    ):
        EvaluationFactory(issue=issue, resident=world.resident_a, rating=rating, at=at)

    m1 = MeetingFactory(community=a, convener=staff, starts_at=sh(2026, 10, 15, 9))
    MeetingFactory(community=a, convener=staff, starts_at=sh(2026, 10, 20, 9), status="cancelled")
    MeetingFactory(community=a, convener=staff, starts_at=sh(2026, 11, 1, 0, 10))
    MeetingFactory(community=a, convener=staff, starts_at=sh(2026, 10, 31, 9), status="planned")
    MeetingFactory(
        community=a, convener=staff, starts_at=sh(2026, 9, 15, 9), form="onsite_mediation"
    )
    ParticipantFactory(meeting=m1, role="representative", attendance="present")
    ParticipantFactory(meeting=m1, role="representative", attendance="absent")
    ParticipantFactory(meeting=m1, role="property", attendance="late")

    r1 = ResolutionFactory(issue=i6, community=a, adopted_at=sh(2026, 10, 16), created_by=staff)
    org = world.organization
    for deadline, status, confirmed, on_time in (
        (dt.date(2026, 10, 20), ActionItem.Status.DONE, sh(2026, 10, 19), True),
        (dt.date(2026, 10, 25), ActionItem.Status.DONE, sh(2026, 11, 2), False),
        (dt.date(2026, 10, 31), ActionItem.Status.IN_PROGRESS, None, None),
        (dt.date(2026, 11, 5), ActionItem.Status.PENDING, None, None),
        (dt.date(2026, 10, 10), ActionItem.Status.CANCELLED, None, None),
        (dt.date(2026, 9, 20), ActionItem.Status.DONE, sh(2026, 10, 3), False),
    ):
        ActionItemFactory(
            resolution=r1,
            community=a,
            responsible_organization=org,
            deadline=deadline,
            status=status,
            confirmed_at=confirmed,
            done_on_time=on_time,
        )
    return {"i1": i1, "i2": i2, "i3": i3, "i6": i6, "i7": i7, "r1": r1}
