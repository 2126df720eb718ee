"""Every change to meetings, resolutions, action items, residents and organizations leaves an
audit entry with who and what (issue 9), on the one timeline issues share (issue 19)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from communities import services as communities_services
from core.audit import timeline_of
from core.models import AuditEntry
from issues import services as issues_services
from meetings import services as meetings_services
from meetings.models import Participant
from resolutions import services as resolutions_services

pytestmark = pytest.mark.django_db


def _entries(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )


def test_meeting_changes_are_recorded_with_their_author(objects):
    world, meeting = objects["world"], objects["meeting"]
    before = _entries(meeting).count()
    meetings_services.agenda_item_add(actor=world.staff_a, meeting=meeting, title="停车位划线")
    participant = meetings_services.participant_add(
        actor=world.staff_a, meeting=meeting, role="police", name="片警老王"
    )
    meetings_services.attendance_record(
        actor=world.head_a, participant=participant, attendance=Participant.Attendance.PRESENT
    )
    entries = _entries(meeting).order_by("pk")[before:]
    assert [(e.actor, e.action) for e in entries] == [
        (world.staff_a, "agenda"),
        (world.staff_a, "participant"),
        (world.head_a, "attendance"),
    ]
    assert "片警老王" in entries[1].note


def test_action_items_residents_and_organizations_are_recorded(objects):
    world, item = objects["world"], objects["action_item"]
    resolutions_services.progress_report(
        actor=world.org_contact, item=item, text="已进场", percent=20
    )
    assert _entries(item).filter(actor=world.org_contact).exists()
    communities_services.resident_update(
        actor=world.staff_a, resident=world.resident_a, phone="13900000000"
    )
    assert _entries(world.resident_a).filter(actor=world.staff_a).exists()
    communities_services.organization_archive(actor=world.staff_a, organization=world.organization)
    assert _entries(world.organization).filter(actor=world.staff_a).exists()


def test_issue_changes_are_on_the_timeline_with_their_author(objects):
    world, issue = objects["world"], objects["issue"]
    issues_services.issue_assign(issue=issue, actor=world.staff_a, assignee=world.worker_a1)
    issues_services.issue_transition(issue=issue, action="accept", actor=world.head_a)
    events = timeline_of(issue).order_by("pk")
    assert [e.actor for e in events][-2:] == [world.staff_a, world.head_a]
