"""Every write to an issue goes through a function here."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from access.issues import can_transition
from lib.errors import DomainError, StaleEdit
from lib.worktime import add_working_hours

from .models import (
    Handling,
    Issue,
    IssueEvent,
    LimitUnit,
    Status,
    TimeLimit,
)
from .workflow import TRANSITIONS


class TransitionNotAllowed(DomainError):
    pass


def time_limit_for(*, category, urgency) -> TimeLimit | None:
    """The category's own limit for the urgency, else the default for the urgency."""
    limits = {
        limit.category_id: limit
        for limit in TimeLimit.objects.filter(
            Q(category=category) | Q(category__isnull=True), urgency=urgency
        )
    }
    return limits.get(category.pk) or limits.get(None)


def _deadline(start, amount, unit):
    if unit == LimitUnit.CALENDAR_DAYS:
        return start + timedelta(days=amount)
    return add_working_hours(start, amount)


def _record(issue, *, kind, actor, action="", from_status="", to_status="", note="", data=None):
    return IssueEvent.objects.create(
        issue=issue,
        kind=kind,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note,
        data=data or {},
    )


def issue_transition(
    *,
    issue: Issue,
    action: str,
    actor,
    note: str = "",
    expected_version: int | None = None,
    check_role: bool = True,
    **changes,
) -> Issue:
    """Move an issue along its lifecycle (see issues.workflow.TRANSITIONS).

    Locks the row, checks the current state and the actor's role, applies the action's
    own field changes, writes the timeline entry and returns the fresh issue. Asking for
    the state that already holds is a no-op. `changes` carries the action's data (e.g.
    `deliberation_level` for send_to_deliberation). `check_role=False` is for the services
    of higher apps that have checked their own rule (a resolution adopted by a meeting).

    Raises TransitionNotAllowed for a move the state or role does not allow, StaleEdit when
    `expected_version` no longer matches.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionNotAllowed(_("Unknown action."))
    note = (note or "").strip()
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        target = transition.target or locked.status_before_deferral
        if locked.status == target and locked.status not in transition.sources:
            return locked
        if expected_version is not None and locked.version != expected_version:
            raise StaleEdit(
                _(
                    "Someone else changed this issue while you were working on it. "
                    "Check the timeline below, then try again."
                )
            )
        if locked.status not in transition.sources:
            raise TransitionNotAllowed(
                _("An issue that is “%(status)s” cannot be sent to “%(action)s”.")
                % {"status": locked.get_status_display(), "action": transition.label}
            )
        if check_role and not can_transition(actor, locked, action):
            raise TransitionNotAllowed(
                _("Your role does not allow “%(action)s” for this issue.")
                % {"action": transition.label}
            )
        if transition.needs_note and not note:
            raise DomainError(_("Please say why, or what was done."), field="note")
        previous = locked.status
        fields = _apply(locked, action, actor=actor, note=note, **changes)
        locked.status = target
        locked.version += 1
        locked.save(update_fields=[*fields, "status", "version", "updated_at"])
        _record(
            locked,
            kind=IssueEvent.Kind.TRANSITION,
            actor=actor,
            action=action,
            from_status=previous,
            to_status=target,
            note=note,
            data={k: str(v) for k, v in changes.items()},
        )
    return locked


def _apply(issue: Issue, action: str, *, actor, note: str, **changes) -> list[str]:
    """The field changes that come with each action. Returns the fields changed."""
    now = timezone.now()
    if action == "accept":
        issue.accepted_at = now
        limit = time_limit_for(category=issue.category, urgency=issue.urgency)
        issue.handle_deadline = (
            _deadline(now, limit.handle_within, limit.unit) if limit is not None else None
        )
        return ["accepted_at", "handle_deadline"]
    if action == "handle_on_spot":
        issue.handling = Handling.ON_SPOT
        issue.resolution_note = note
        return ["handling", "resolution_note", *_close(issue, now)]
    if action == "send_to_deliberation":
        level = changes.get("deliberation_level")
        if not level:
            raise DomainError(_("Choose the level of deliberation."), field="deliberation_level")
        issue.handling = Handling.DELIBERATION
        issue.deliberation_level = level
        return ["handling", "deliberation_level"]
    if action == "escalate":
        issue.handling = Handling.ESCALATED
        issue.escalation_mode = changes.get("escalation_mode") or issue.escalation_mode or "whistle"
        fields = ["handling", "escalation_mode"]
        if changes.get("lead_cadre") is not None:
            issue.lead_cadre = changes["lead_cadre"]
            fields.append("lead_cadre")
        return fields
    if action == "resolve":
        issue.resolved_at = now
        return ["resolved_at"]
    if action == "send_back":
        issue.rework_count += 1
        return ["rework_count"]
    if action == "close":
        return _close(issue, now)
    if action == "reopen":
        issue.reopen_count += 1
        issue.closed_at = None
        issue.closed_on_time = None
        return ["reopen_count", "closed_at", "closed_on_time"]
    if action == "merge":
        into = changes.get("into")
        if into is None or into.pk == issue.pk:
            raise DomainError(_("Choose the issue to merge into."), field="into")
        issue.merged_into = into
        return ["merged_into"]
    if action == "defer":
        issue.status_before_deferral = issue.status
        issue.deferred_at = now
        issue.was_deferred = True
        return ["status_before_deferral", "deferred_at", "was_deferred"]
    if action == "resume":
        fields = ["status_before_deferral", "deferred_at"]
        # The clock stood still while deferred: push the handling deadline on.
        if issue.handle_deadline and issue.deferred_at:
            issue.handle_deadline += now - issue.deferred_at
            fields.append("handle_deadline")
        issue.status_before_deferral = ""
        issue.deferred_at = None
        return fields
    return []


def _close(issue: Issue, now) -> list[str]:
    issue.closed_at = now
    issue.closed_on_time = issue.handle_deadline is None or now <= issue.handle_deadline
    return ["closed_at", "closed_on_time"]


def grid_for_place(*, community, compound=None, building=None):
    """The grid covering a place: a grid naming the building wins over one naming the
    whole compound."""
    from communities.models import Grid

    if building is not None:
        grid = Grid.objects.filter(community=community, buildings=building).first()
        if grid:
            return grid
        compound = compound or building.compound
    if compound is not None:
        return Grid.objects.filter(community=community, compounds=compound).first()
    return None


def issue_report(
    *,
    actor,
    community,
    category,
    title: str,
    description: str,
    channel: str,
    kind: str | None = None,
    urgency: str = "normal",
    compound=None,
    building=None,
    unit=None,
    place_text: str = "",
    reporter_resident=None,
    reporter_organization=None,
    reporter_name: str = "",
    reporter_phone: str = "",
    is_anonymous: bool = False,
    hotline_type: str = "",
    hotline_ticket: str = "",
    hotline_answer_by=None,
    grid=None,
    reported_at=None,
) -> Issue:
    """Log a new issue from any channel. Starts the acceptance clock and finds the grid
    from the place."""
    if channel == "hotline" and not hotline_ticket.strip():
        raise DomainError(
            _("A 12345 hotline issue needs its ticket number."), field="hotline_ticket"
        )
    now = reported_at or timezone.now()
    if building is not None and compound is None:
        compound = building.compound
    if unit is not None and building is None:
        building = unit.building
        compound = compound or building.compound
    with transaction.atomic():
        issue = Issue(
            community=community,
            grid=grid or grid_for_place(community=community, compound=compound, building=building),
            compound=compound,
            building=building,
            unit=unit,
            place_text=place_text,
            channel=channel,
            hotline_type=hotline_type,
            hotline_ticket=hotline_ticket.strip(),
            hotline_answer_by=hotline_answer_by,
            category=category,
            kind=kind or category.default_kind,
            urgency=urgency,
            title=title.strip(),
            description=description.strip(),
            reporter_resident=reporter_resident,
            reporter_organization=reporter_organization,
            reporter_name=reporter_name.strip(),
            reporter_phone=reporter_phone.strip(),
            is_anonymous=is_anonymous,
            reported_at=now,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        limit = time_limit_for(category=category, urgency=urgency)
        if limit is not None:
            issue.accept_deadline = _deadline(now, limit.accept_within, limit.unit)
        issue.save()
        _record(
            issue,
            kind=IssueEvent.Kind.TRANSITION,
            actor=actor,
            action="report",
            to_status=Status.REPORTED,
            note=issue.get_channel_display(),
        )
    return issue


def issue_comment(*, issue: Issue, actor, text: str) -> IssueEvent:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write a comment first."), field="text")
    return _record(issue, kind=IssueEvent.Kind.COMMENT, actor=actor, note=text)


def issue_set_version_checked(*, issue: Issue, expected_version: int) -> Issue:
    """Lock the issue and check nobody saved it since `expected_version` was read."""
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    if locked.version != expected_version:
        raise StaleEdit(
            _(
                "Someone else changed this issue while you were working on it. "
                "Your changes are kept below: check them and save again."
            )
        )
    return locked
