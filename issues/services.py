"""Every write to an issue goes through a function here."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from access.issues import (
    can_answer_hotline,
    can_assign_issue,
    can_comment_issue,
    can_edit_issue,
    can_edit_patrol,
    can_patrol_grid,
    can_record_summons_report,
    can_record_visit,
    can_summon,
)
from core import audit
from core.models import AuditEntry
from lib import geo
from lib.errors import DomainError, StaleEdit
from lib.lifecycle import TransitionNotAllowed
from lib.worktime import add_working_hours

from .models import (
    Handling,
    Issue,
    LimitUnit,
    PositionSource,
    Status,
    TimeLimit,
    address_of,
)
from .workflow import ISSUE

__all__ = ["TransitionNotAllowed"]


def _deny(message=None):
    raise DomainError(message or _("You may not do this."))


def time_limit_for(*, category, urgency, street_id=None, community_id=None) -> TimeLimit | None:
    """The limit (处置时限) of an issue of this category and urgency in a street (given,
    or the community's): the street's own limit of the category, else the district's
    limit of the category, else the district's default for the urgency. One query."""
    if street_id is not None:
        in_street = Q(street_id=street_id)
    elif community_id is not None:
        in_street = Q(street__communities=community_id)
    else:
        in_street = Q(pk__in=[])
    limits = {
        (limit.street_id is not None, limit.category_id): limit
        for limit in TimeLimit.objects.filter(
            Q(category=category) | Q(category__isnull=True),
            Q(street__isnull=True) | in_street,
            urgency=urgency,
        )
    }
    return (
        limits.get((True, category.pk))
        or limits.get((False, category.pk))
        or limits.get((False, None))
    )


def _deadline(start, amount, unit):
    if unit == LimitUnit.CALENDAR_DAYS:
        return start + timedelta(days=amount)
    return add_working_hours(start, amount)


def _record(issue, *, action, actor, note="", data=None, to_status=""):
    """A row on the issue's timeline that is not a lifecycle move (a comment, a summons)."""
    return audit.record(
        actor=actor, obj=issue, action=action, note=note, data=data, to_status=to_status
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
    """Move an issue along its lifecycle (issues.workflow.ISSUE, applied by lib.lifecycle).

    `changes` carries the action's data (e.g. `deliberation_level` for
    send_to_deliberation). `check_role=False` is for the services of higher apps that have
    checked their own rule (a resolution adopted by a meeting).

    Raises TransitionNotAllowed for a move the state or role does not allow or that a
    guard refuses (no adopted resolution yet, action items still open), StaleEdit when
    `expected_version` no longer matches.
    """
    return ISSUE.apply(
        issue,
        action,
        actor=actor,
        note=note,
        expected_version=expected_version,
        check_actor=check_role,
        data=changes,
    )


# ---------------------------------------------------------------- what each move does


@ISSUE.follow(*ISSUE.table)
def _notify_reporter(issue: Issue, move) -> None:
    """Tell the resident who reported the issue that it moved on."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from notifications.services import notify

    if not issue.reporter_resident_id:
        return
    for user in get_user_model().objects.filter(
        resident=issue.reporter_resident_id, is_active=True
    ):
        notify(
            recipient=user,
            kind="issue_status",
            title=_("Your issue “%(title)s”: %(status)s")
            % {"title": issue.title, "status": issue.get_status_display()},
            body=str(move.transition.label),
            target=issue,
            step=f"{move.action}-{issue.version}",
            url=reverse("issues:detail", args=[issue.pk]),
        )


@ISSUE.effect("accept")
def _accept(issue: Issue, move) -> list[str]:
    issue.accepted_at = move.now
    limit = time_limit_for(
        category=issue.category, urgency=issue.urgency, community_id=issue.community_id
    )
    issue.handle_deadline = (
        _deadline(move.now, limit.handle_within, limit.unit) if limit is not None else None
    )
    return ["accepted_at", "handle_deadline"]


@ISSUE.effect("handle_on_spot")
def _handle_on_spot(issue: Issue, move) -> list[str]:
    issue.handling = Handling.ON_SPOT
    issue.resolution_note = move.note
    return ["handling", "resolution_note", *_close(issue, move)]


@ISSUE.effect("send_to_deliberation")
def _send_to_deliberation(issue: Issue, move) -> list[str]:
    level = move.data.get("deliberation_level")
    if not level:
        raise DomainError(_("Choose the level of deliberation."), field="deliberation_level")
    issue.handling = Handling.DELIBERATION
    issue.deliberation_level = level
    move.timeline_data["deliberation_level"] = str(level)
    return ["handling", "deliberation_level"]


@ISSUE.effect("escalate")
def _escalate(issue: Issue, move) -> list[str]:
    issue.handling = Handling.ESCALATED
    issue.escalation_mode = move.data.get("escalation_mode") or issue.escalation_mode or "whistle"
    move.timeline_data["escalation_mode"] = str(issue.escalation_mode)
    fields = ["handling", "escalation_mode"]
    if move.data.get("lead_cadre") is not None:
        issue.lead_cadre = move.data["lead_cadre"]
        move.timeline_data["lead_cadre"] = issue.lead_cadre.pk
        fields.append("lead_cadre")
    return fields


@ISSUE.effect("resolve")
def _resolve(issue: Issue, move) -> list[str]:
    issue.resolved_at = move.now
    return ["resolved_at"]


@ISSUE.effect("send_back")
def _send_back(issue: Issue, move) -> list[str]:
    issue.rework_count += 1
    return ["rework_count"]


@ISSUE.effect("close")
def _close(issue: Issue, move) -> list[str]:
    issue.closed_at = move.now
    issue.closed_on_time = issue.handle_deadline is None or move.now <= issue.handle_deadline
    return ["closed_at", "closed_on_time"]


@ISSUE.effect("reopen")
def _reopen(issue: Issue, move) -> list[str]:
    issue.reopen_count += 1
    issue.closed_at = None
    issue.closed_on_time = None
    return ["reopen_count", "closed_at", "closed_on_time"]


@ISSUE.effect("merge")
def _merge(issue: Issue, move) -> list[str]:
    into = move.data.get("into")
    if into is None or into.pk == issue.pk:
        raise DomainError(_("Choose the issue to merge into."), field="into")
    issue.merged_into = into
    move.timeline_data["into"] = into.pk
    return ["merged_into"]


@ISSUE.effect("defer")
def _defer(issue: Issue, move) -> list[str]:
    issue.status_before_deferral = issue.status
    issue.deferred_at = move.now
    issue.was_deferred = True
    return ["status_before_deferral", "deferred_at", "was_deferred"]


@ISSUE.effect("resume")
def _resume(issue: Issue, move) -> list[str]:
    fields = ["status_before_deferral", "deferred_at"]
    # The clock stood still while deferred: push the handling deadline on.
    if issue.handle_deadline and issue.deferred_at:
        issue.handle_deadline += move.now - issue.deferred_at
        fields.append("handle_deadline")
    issue.status_before_deferral = ""
    issue.deferred_at = None
    return fields


# A phone that says it may be more than this far off gives no usable position.
MAX_ACCURACY_M = 5000


def position_of(latitude, longitude, accuracy=None) -> tuple:
    """(latitude, longitude, accuracy) as stored — six decimals, whole metres — or
    (None, None, None). Raises DomainError for half a position, a point off the earth, or
    an accuracy that is negative or worse than MAX_ACCURACY_M."""
    if latitude in (None, "") and longitude in (None, ""):
        return None, None, None
    if latitude in (None, "") or longitude in (None, ""):
        raise DomainError(_("Give both the latitude and the longitude."), field="latitude")
    if not geo.valid_point(latitude, longitude):
        raise DomainError(_("This is not a position on the earth."), field="latitude")
    metres = None
    if accuracy not in (None, ""):
        try:
            metres = round(float(accuracy))
        except (TypeError, ValueError):
            metres = -1
        if not 0 <= metres <= MAX_ACCURACY_M:
            raise DomainError(
                _("The position is too imprecise to be of use (more than 5 km off)."),
                field="latitude",
            )
    return geo.quantize(latitude), geo.quantize(longitude), metres


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
    latitude=None,
    longitude=None,
    position_accuracy=None,
    position_source: str = "",
) -> Issue:
    """Log a new issue from any channel. Starts the acceptance clock and finds the grid
    from the place. A position (WGS-84) comes from the reporter's phone (with its accuracy
    in metres) or the reporting system, named by `position_source`; without one the issue
    is placed where its building or compound is."""
    if channel == "hotline" and not hotline_ticket.strip():
        raise DomainError(
            _("A 12345 hotline issue needs its ticket number."), field="hotline_ticket"
        )
    position = position_of(latitude, longitude, position_accuracy)
    if position[0] is not None and position_source not in PositionSource.values:
        raise DomainError(_("Say where the position comes from."), field="latitude")
    if category.street_id is not None and category.street_id != community.street_id:
        raise DomainError(_("This category belongs to another street."), field="category")
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
            address=address_of(
                compound=compound, building=building, unit=unit, place_text=place_text
            ),
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
            latitude=position[0],
            longitude=position[1],
            position_accuracy=position[2],
            position_source=position_source if position[0] is not None else "",
        )
        limit = time_limit_for(category=category, urgency=urgency, street_id=community.street_id)
        if limit is not None:
            issue.accept_deadline = _deadline(now, limit.accept_within, limit.unit)
        issue.save()
        _record(
            issue,
            actor=actor,
            action=AuditEntry.Action.REPORT,
            to_status=Status.REPORTED,
            note=issue.get_channel_display(),
        )
    return issue


def issue_comment(*, issue: Issue, actor, text: str) -> AuditEntry:
    """A comment on the issue's timeline by someone who works on it."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write a comment first."), field="text")
    if not can_comment_issue(actor, issue):
        _deny()
    return _record(issue, action=AuditEntry.Action.COMMENT, actor=actor, note=text)


def hotline_update_note(*, issue: Issue, text: str) -> AuditEntry:
    """What the 12345 platform changed on a ticket, on its issue's timeline. Written by
    the import itself, not by the person who ran it: a street's export names issues of
    every community of the street, and the importer works for one of them."""
    return _record(issue, action=AuditEntry.Action.COMMENT, actor=None, note=text)


# The timeline action that records the answer given to a 12345 caller (答复).
HOTLINE_ANSWER = AuditEntry.Action.HOTLINE_ANSWER


def hotline_tickets_of(issue: Issue):
    """The 12345 tickets an issue answers for: its own, and those of the hotline issues
    merged into it (12345 calls about the same ground locks arrive many times). Each is
    annotated with `answered_at`, the time of its answer, or None."""
    from django.db.models import OuterRef, Subquery

    answered = (
        audit.about(Issue)
        .filter(object_id=OuterRef("pk"), action=HOTLINE_ANSWER)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return (
        Issue.objects.filter(Q(pk=issue.pk) | Q(merged_into=issue.pk), channel="hotline")
        .only("pk", "title", "hotline_ticket", "hotline_answer_by", "reporter_phone")
        .annotate(answered_at=Subquery(answered))
        .order_by("reported_at", "pk")
    )


def hotline_answer(*, issue: Issue, actor, answer: str) -> list[Issue]:
    """Answer the 12345 callers (答复): every ticket of the issue not yet answered — its own
    and those merged into it — gets the answer on its timeline, which is what the hotline's
    answer-by reminder looks for. The first unit that received a case answers for it
    (首接负责). Tickets already answered are left as they are. Returns the tickets answered
    now. Raises DomainError without an answer or when no ticket waits for one."""
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("Write the answer given to the callers."), field="answer")
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if not can_answer_hotline(actor, locked):
            raise DomainError(_("Only those who work on this issue answer its callers."))
        waiting = [t for t in hotline_tickets_of(locked) if t.answered_at is None]
        if not waiting:
            raise DomainError(_("Every 12345 ticket of this issue has been answered."))
        for ticket in waiting:
            _record(
                ticket,
                actor=actor,
                action=HOTLINE_ANSWER,
                note=_("Answered the 12345 caller: %(answer)s") % {"answer": answer},
                data={"ticket": ticket.hotline_ticket, "answered_for": locked.pk},
            )
    return waiting


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


def issue_report_full(*, actor, photos=(), parties=(), **fields) -> Issue:
    """`issue_report` plus photos (already checked by `lib.uploads.clean_photos`) and
    other parties: dicts with resident / organization / name / phone / role."""
    from .models import IssueParty, IssuePhoto

    with transaction.atomic():
        issue = issue_report(actor=actor, **fields)
        for party in parties:
            IssueParty.objects.create(issue=issue, **party)
        for photo in photos:
            IssuePhoto.objects.create(
                issue=issue,
                image=photo,
                uploaded_by=actor if actor is not None and actor.is_authenticated else None,
            )
    return issue


def issue_add_photos(*, issue: Issue, actor, photos) -> list:
    """Add photos to an issue: those who work it do (else DomainError)."""
    from .models import IssuePhoto

    if not can_edit_issue(actor, issue):
        _deny()
    with transaction.atomic():
        added = [
            IssuePhoto.objects.create(issue=issue, image=photo, uploaded_by=actor)
            for photo in photos
        ]
        _record(
            issue,
            action=AuditEntry.Action.NOTE,
            actor=actor,
            note=_("%(count)d photos added.") % {"count": len(added)},
        )
    return added


def issue_merge(*, issue: Issue, into: Issue, actor, note: str = "", expected_version=None):
    """Merge a duplicate into the issue that carries on; both timelines say so, and the
    duplicate's reporter becomes a co-reporter of the surviving issue."""
    from .models import IssueParty

    if into.pk == issue.pk:
        raise DomainError(_("An issue cannot be merged into itself."), field="into")
    if into.community_id != issue.community_id:
        raise DomainError(_("Merge only issues of the same community."), field="into")
    if into.status not in (s for s in OPEN_STATUSES_FOR_MERGE):
        raise DomainError(_("Merge into an open issue."), field="into")
    with transaction.atomic():
        merged = issue_transition(
            issue=issue,
            action="merge",
            actor=actor,
            note=note,
            expected_version=expected_version,
            into=into,
        )
        if merged.reporter_resident_id or merged.reporter_organization_id or merged.reporter_name:
            IssueParty.objects.create(
                issue=into,
                role=IssueParty.Role.CO_REPORTER,
                resident_id=merged.reporter_resident_id,
                organization_id=merged.reporter_organization_id,
                name=merged.reporter_name,
                phone=merged.reporter_phone,
            )
        _record(
            into,
            actor=actor,
            action=AuditEntry.Action.ABSORB,
            note=note or merged.title,
            data={"merged_issue": merged.pk, "title": merged.title},
        )
    return merged


OPEN_STATUSES_FOR_MERGE = (
    Status.REPORTED,
    Status.ACCEPTED,
    Status.TO_DELIBERATE,
    Status.IN_DELIBERATION,
    Status.ESCALATED,
    Status.RESOLVED,
    Status.EXECUTING,
    Status.AWAITING_EVALUATION,
    Status.DEFERRED,
)


def issue_escalate(
    *,
    issue: Issue,
    actor,
    note: str,
    escalation_mode: str,
    organizations=(),
    lead_cadre=None,
    expected_version=None,
) -> Issue:
    """Escalate (吹哨报到 / 干部领办 / 村镇联办), summoning departments at once."""
    if escalation_mode == "whistle" and not organizations:
        raise DomainError(_("Choose the departments to summon."), field="organizations")
    if escalation_mode == "cadre" and lead_cadre is None:
        raise DomainError(_("Name the cadre who takes the issue on."), field="lead_cadre")
    with transaction.atomic():
        escalated = issue_transition(
            issue=issue,
            action="escalate",
            actor=actor,
            note=note,
            expected_version=expected_version,
            escalation_mode=escalation_mode,
            lead_cadre=lead_cadre,
        )
        now = timezone.now()
        for organization in organizations:
            summons_create(issue=escalated, actor=actor, organization=organization, summoned_at=now)
    return escalated


def summons_create(*, issue: Issue, actor, organization, summoned_at=None):
    """Summon a department to the issue (吹哨报到). Those who may escalate the issue
    summon; raises DomainError for anyone else."""
    from .models import Summons

    if not can_summon(actor, issue):
        _deny()
    summons = Summons.objects.create(
        issue=issue, organization=organization, summoned_at=summoned_at or timezone.now()
    )
    _record(
        issue,
        action=AuditEntry.Action.SUMMON,
        actor=actor,
        note=_("Summoned: %(organization)s") % {"organization": organization},
        data={"summons": summons.pk},
    )
    return summons


def summons_report(*, summons, actor, arrived_at, action_taken: str):
    """A summoned department reported in: when it arrived and what it did. Recorded by
    those who work the issue; raises DomainError for anyone else, or for an arrival
    before the summons."""
    from .models import Summons

    action_taken = (action_taken or "").strip()
    if arrived_at is None:
        raise DomainError(_("Say when the department arrived."), field="arrived_at")
    if not action_taken:
        raise DomainError(_("Say what the department did."), field="action_taken")
    with transaction.atomic():
        locked = Summons.objects.select_for_update().get(pk=summons.pk)
        if not can_record_summons_report(actor, locked.issue):
            _deny()
        if arrived_at < locked.summoned_at:
            raise DomainError(
                _("The department cannot arrive before it was summoned."), field="arrived_at"
            )
        locked.arrived_at = arrived_at
        locked.action_taken = action_taken
        locked.save(update_fields=["arrived_at", "action_taken"])
        _record(
            locked.issue,
            action=AuditEntry.Action.SUMMONS,
            actor=actor,
            note=f"{locked.organization}: {action_taken}",
            data={"summons": locked.pk, "arrived_at": arrived_at.isoformat()},
        )
    return locked


# Patrols (巡查) and household visits (入户走访).


def _client_time(moment, *, now):
    """A time the phone recorded, as stored: a phone's clock ahead of ours cannot put work
    in the future."""
    if moment is None or moment > now:
        return now
    return moment


def _recorded_once(model, client_id, *, mine):
    """The record a phone already sent under `client_id`, or None. A retry (the answer to
    the first sending was lost) gets the stored record back; another user's id is refused
    without saying whose it is."""
    if client_id is None:
        return None
    found = model.objects.filter(client_id=client_id).first()
    if found is not None and not mine(found):
        raise DomainError(_("This record was sent by someone else's phone."))
    return found


def _create_once(model, client_id, create, *, mine):
    """Create through `create()` in a savepoint; when a concurrent sending of the same
    `client_id` won the race (the unique constraint says so), return the one it stored."""
    if client_id is None:
        return create()
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        found = _recorded_once(model, client_id, mine=mine)
        if found is None:
            raise
        return found


def patrol_start(*, actor, grid, route_notes: str = "", started_at=None, client_id=None):
    """Start a patrol (巡查) of a grid: its workers walk it. `client_id` is the id the
    worker's phone gave the patrol, offline or not: sending the start again returns the
    same patrol. Raises DomainError for anyone but a worker of the grid."""
    from .models import Patrol

    if not can_patrol_grid(actor, grid):
        _deny()
    mine = lambda patrol: patrol.worker_id == actor.pk and patrol.grid_id == grid.pk  # noqa: E731
    existing = _recorded_once(Patrol, client_id, mine=mine)
    if existing is not None:
        return existing
    now = timezone.now()
    fields = {
        "grid": grid,
        "worker": actor,
        "started_at": _client_time(started_at, now=now),
        "route_notes": (route_notes or "").strip(),
    }
    if client_id is not None:
        fields["client_id"] = client_id
    return _create_once(Patrol, client_id, lambda: Patrol.objects.create(**fields), mine=mine)


def patrol_end(*, actor, patrol, route_notes: str | None = None, ended_at=None):
    """End a patrol, at `ended_at` when the phone recorded the end offline. Only the worker
    walking it ends it (else DomainError). Ending an ended patrol changes nothing: the
    phone sends the end again when the first answer was lost."""
    from .models import Patrol

    with transaction.atomic():
        locked = Patrol.objects.select_for_update().get(pk=patrol.pk)
        if not can_edit_patrol(actor, locked):
            _deny()
        if locked.ended_at is not None:
            return locked
        locked.ended_at = max(_client_time(ended_at, now=timezone.now()), locked.started_at)
        if route_notes is not None:
            locked.route_notes = route_notes.strip()
        locked.save(update_fields=["ended_at", "route_notes"])
    return locked


def finding_record(
    *,
    actor,
    patrol,
    text: str,
    compound=None,
    building=None,
    place_text="",
    photo=None,
    found_at=None,
    latitude=None,
    longitude=None,
    position_accuracy=None,
    client_id=None,
):
    """Record what the grid worker found; `photo` is already cleaned by lib.uploads.
    A phone that recorded it offline sends `found_at`, its position (WGS-84, with its
    accuracy) and `client_id`: a finding sent twice is stored once. Only the worker walking
    the patrol records on it, while it runs or for a time before it ended (else
    DomainError)."""
    from .models import PatrolFinding

    if not can_edit_patrol(actor, patrol):
        _deny()
    mine = lambda finding: finding.patrol_id == patrol.pk  # noqa: E731
    existing = _recorded_once(PatrolFinding, client_id, mine=mine)
    if existing is not None:
        return existing
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Say what you found."), field="text")
    found_at = _client_time(found_at, now=timezone.now())
    if patrol.ended_at is not None and found_at > patrol.ended_at:
        raise DomainError(_("This patrol has already ended."))
    if building is not None and compound is None:
        compound = building.compound
    if compound is not None and compound.community_id != patrol.grid.community_id:
        raise DomainError(_("Choose a compound of the patrol's community."), field="compound")
    latitude, longitude, accuracy = position_of(latitude, longitude, position_accuracy)
    return _create_once(
        PatrolFinding,
        client_id,
        lambda: PatrolFinding.objects.create(
            patrol=patrol,
            text=text,
            compound=compound,
            building=building,
            place_text=place_text.strip(),
            photo=photo or "",
            found_at=found_at,
            latitude=latitude,
            longitude=longitude,
            position_accuracy=accuracy,
            client_id=client_id,
        ),
        mine=mine,
    )


# Route points a phone may send for a patrol, at most, in one sending.
MAX_TRACK_POINTS = 500


def track_record(*, actor, patrol, points) -> int:
    """Add route points to a patrol: `points` are dicts with recorded_at, latitude,
    longitude and accuracy (metres, optional). A point sent again (same moment) is stored
    once; points off the earth or outside the patrol's time are left out. Returns how many
    were new. Only the worker walking the patrol sends them (else DomainError)."""
    from .models import TrackPoint

    if not can_edit_patrol(actor, patrol):
        _deny()
    points = list(points)
    if len(points) > MAX_TRACK_POINTS:
        raise DomainError(
            _("Send at most %(count)d route points at once.") % {"count": MAX_TRACK_POINTS}
        )
    now = timezone.now()
    until = patrol.ended_at or now
    rows = {}
    for point in points:
        moment = point.get("recorded_at")
        if moment is None or not patrol.started_at - timedelta(minutes=5) <= moment <= until:
            continue
        try:
            latitude, longitude, accuracy = position_of(
                point.get("latitude"), point.get("longitude"), point.get("accuracy")
            )
        except DomainError:
            continue
        if latitude is None:
            continue
        rows[moment] = TrackPoint(
            patrol=patrol,
            recorded_at=moment,
            latitude=latitude,
            longitude=longitude,
            position_accuracy=accuracy,
        )
    if not rows:
        return 0
    before = TrackPoint.objects.filter(patrol=patrol).count()
    TrackPoint.objects.bulk_create(rows.values(), ignore_conflicts=True)
    return TrackPoint.objects.filter(patrol=patrol).count() - before


def finding_to_issue(*, actor, finding, category, title: str = "", urgency="normal") -> Issue:
    """Turn a patrol finding into an issue in one step, with its place and photo."""
    from .models import Channel, IssuePhoto, PatrolFinding

    with transaction.atomic():
        locked = (
            PatrolFinding.objects.select_for_update()
            .select_related("patrol__grid")
            .get(pk=finding.pk)
        )
        if not can_edit_patrol(actor, locked.patrol):
            _deny()
        if locked.issue_id:
            raise DomainError(_("This finding is already an issue."))
        grid = locked.patrol.grid
        issue = issue_report(
            actor=actor,
            community=grid.community,
            category=category,
            title=(title or locked.text[:60]).strip(),
            description=locked.text,
            channel=Channel.GRID_PATROL,
            urgency=urgency,
            compound=locked.compound,
            building=locked.building,
            place_text=locked.place_text,
            grid=grid,
            reporter_name=actor.get_full_name() or actor.username,
            latitude=locked.latitude,
            longitude=locked.longitude,
            position_accuracy=locked.position_accuracy,
            position_source=PositionSource.DEVICE,
        )
        if locked.photo:
            IssuePhoto.objects.create(issue=issue, image=locked.photo.name, uploaded_by=actor)
        locked.issue = issue
        locked.save(update_fields=["issue"])
    return issue


def visit_record(
    *,
    actor,
    household,
    residents_seen=(),
    findings: str = "",
    visited_at=None,
    need_found: bool = False,
    need_title: str = "",
    need_category=None,
    urgency: str = "normal",
    latitude=None,
    longitude=None,
    position_accuracy=None,
    client_id=None,
):
    """Record a household visit; a need found becomes a special-group-need issue at once.
    Grid workers visit the households of their grids, staff those of their community
    (else DomainError). A phone that recorded the visit offline sends its position and
    `client_id`: a visit sent twice is stored once, and a household archived since the
    visit is refused with that reason."""
    from .models import Category, Channel, Kind, Visit

    mine = lambda visit: visit.worker_id == actor.pk  # noqa: E731
    existing = _recorded_once(Visit, client_id, mine=mine)
    if existing is not None:
        return existing
    if household.archived_at is not None:
        raise DomainError(
            _("The household %(household)s has been archived since: the visit was not recorded.")
            % {"household": household},
            field="household",
        )
    if not can_record_visit(actor, household):
        _deny()
    findings = (findings or "").strip()
    residents_seen = list(residents_seen)
    if any(r.household_id != household.pk for r in residents_seen):
        raise DomainError(_("Choose residents of this household."), field="residents_seen")
    if need_found and not findings:
        raise DomainError(_("Describe the need you found."), field="findings")
    now = timezone.now()
    if client_id is not None:
        visited_at = _client_time(visited_at, now=now)
    visited_at = visited_at or now
    if visited_at > now:
        raise DomainError(_("A visit cannot be in the future."), field="visited_at")
    latitude, longitude, accuracy = position_of(latitude, longitude, position_accuracy)

    def create():
        visit = Visit.objects.create(
            household=household,
            worker=actor,
            visited_at=visited_at,
            findings=findings,
            need_found=need_found,
            latitude=latitude,
            longitude=longitude,
            position_accuracy=accuracy,
            client_id=client_id,
        )
        visit.residents_seen.set(residents_seen)
        if need_found:
            category = need_category or Category.objects.filter(code="special_need").first()
            if category is None:
                raise DomainError(_("Choose a category."), field="need_category")
            unit = household.unit
            person = residents_seen[0] if residents_seen else None
            visit.issue = issue_report(
                actor=actor,
                community=household.community,
                category=category,
                kind=Kind.SPECIAL_NEED,
                title=(need_title or findings[:60]).strip(),
                description=findings,
                channel=Channel.VISIT,
                urgency=urgency,
                compound=household.compound,
                unit=unit,
                place_text=str(household),
                reporter_resident=person,
                reported_at=visited_at,
                latitude=latitude,
                longitude=longitude,
                position_accuracy=accuracy,
                position_source=PositionSource.DEVICE,
            )
            visit.save(update_fields=["issue"])
        return visit

    with transaction.atomic():
        return _create_once(Visit, client_id, create, mine=mine)


def issue_assign(*, issue: Issue, actor, assignee, expected_version: int | None = None) -> Issue:
    """Give the issue to a member of staff or a grid worker of its community (or nobody).
    Those who work the issue assign it; raises DomainError for anyone else or for an
    assignee who may not take it, StaleEdit when `expected_version` no longer matches."""
    from django.urls import reverse

    from access.issues import assignees_for
    from notifications.services import notify

    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if not can_assign_issue(actor, locked):
            _deny()
        if assignee is not None and not assignees_for(locked).filter(pk=assignee.pk).exists():
            raise DomainError(
                _("Choose staff of the community or a worker of the issue's grid."),
                field="assignee",
            )
        if expected_version is not None and locked.version != expected_version:
            raise StaleEdit(
                _(
                    "Someone else changed this issue while you were working on it. "
                    "Check the timeline below, then try again."
                )
            )
        locked.assignee = assignee
        locked.version += 1
        locked.save(update_fields=["assignee", "version", "updated_at"])
        _record(
            locked,
            actor=actor,
            action=AuditEntry.Action.ASSIGN,
            note=_("Assigned to %(name)s") % {"name": assignee} if assignee else _("Unassigned"),
            data={"assignee": assignee.pk if assignee else None},
        )
        if assignee is not None and assignee != actor:
            notify(
                recipient=assignee,
                kind="issue_assigned",
                title=_("Issue assigned to you: %(title)s") % {"title": locked.title},
                body=locked.description[:200],
                target=locked,
                step=f"assign-{locked.version}",
                url=reverse("issues:detail", args=[locked.pk]),
            )
    return locked


def issue_classify(
    *, issue: Issue, actor, category=None, urgency: str = "", expected_version=None
) -> Issue:
    """Set an open issue's category and/or urgency. The time limit running follows
    (处置时限 by category and urgency): acceptance counted again from the report, handling
    moved by the difference of the two limits from the acceptance, so that a deferral's
    extension is kept. Those who work the issue do it; raises DomainError for anyone else
    or for a closed issue, StaleEdit when `expected_version` no longer matches."""
    from access.issues import can_classify_issue

    with transaction.atomic():
        locked = Issue.objects.select_for_update().select_related("category").get(pk=issue.pk)
        if not can_classify_issue(actor, locked):
            _deny(_("Only those who work on an open issue change its category or urgency."))
        if expected_version is not None and locked.version != expected_version:
            raise StaleEdit(
                _(
                    "Someone else changed this issue while you were working on it. "
                    "Check the timeline below, then try again."
                )
            )
        before = audit.snapshot(locked, ["category", "urgency"])
        from communities.models import Community

        street_id = (
            Community.objects.filter(pk=locked.community_id)
            .values_list("street_id", flat=True)
            .first()
        )
        if category is not None and category.street_id not in (None, street_id):
            raise DomainError(_("This category belongs to another street."), field="category")
        old = time_limit_for(category=locked.category, urgency=locked.urgency, street_id=street_id)
        if category is not None:
            locked.category = category
        if urgency:
            locked.urgency = urgency
        changes = audit.diff(before, locked)
        if not changes:
            return locked
        new = time_limit_for(category=locked.category, urgency=locked.urgency, street_id=street_id)
        fields = ["category", "urgency", "version", "updated_at"]
        if new is not None:
            if locked.status == Status.REPORTED:
                locked.accept_deadline = _deadline(locked.reported_at, new.accept_within, new.unit)
                fields.append("accept_deadline")
            elif locked.accepted_at is not None:
                start = locked.accepted_at
                target = _deadline(start, new.handle_within, new.unit)
                if old is not None and locked.handle_deadline is not None:
                    target = locked.handle_deadline + (
                        target - _deadline(start, old.handle_within, old.unit)
                    )
                locked.handle_deadline = target
                fields.append("handle_deadline")
        locked.version += 1
        locked.save(update_fields=fields)
        audit.record(actor=actor, obj=locked, action=AuditEntry.Action.UPDATE, changes=changes)
    return locked


# Bulk actions of the work queue: each issue checked by the rule of its own move, each in
# its own transaction, so one refusal leaves the others done.

BULK_ACTIONS = ("accept", "assign", "category", "urgency", "merge", "send_to_deliberation")


def issue_bulk(
    *, actor, issues, action: str, versions=None, keep=None, accept_kept=True, **params
) -> dict:
    """Apply one action to many issues, one transaction per issue, and say what happened
    to each: {"done": [(issue, what)], "unchanged": [(issue, why)], "refused":
    [(issue, why)]}. `issues` are those the user may see, in the order they are listed;
    `versions` ({pk: version}) the versions the user saw, so that an issue changed since
    by someone else is refused, not overwritten. `params`: `assignee` (assign),
    `category` (category), `urgency` (urgency), `deliberation_level`
    (send_to_deliberation). For merge, `keep` is the issue the others are merged into
    (accepted first when `accept_kept` and still reported); it is not merged itself.
    Each move is recorded on its issue's timeline by the service that makes it."""
    if action not in BULK_ACTIONS:
        raise DomainError(_("Choose what to do with the selected issues."), field="action")
    versions = versions or {}
    note = _("Bulk action of the work queue")
    outcome = {"done": [], "unchanged": [], "refused": []}

    def attempt(issue, move):
        try:
            with transaction.atomic():
                what = move(issue)
        except DomainError as error:  # TransitionNotAllowed and StaleEdit are DomainErrors
            outcome["refused"].append((issue, str(error.message)))
        else:
            key = "unchanged" if what is None else "done"
            outcome[key].append((issue, what or _("Already so: nothing to change.")))

    def current(issue):
        """The issue's status and version now, its row locked for the move that follows."""
        return Issue.objects.select_for_update().values_list("status", "version").get(pk=issue.pk)

    def transition_to(name, **changes):
        transition = ISSUE[name]

        def move(issue):
            status, _version = current(issue)
            if status == transition.target and status not in transition.sources:
                return None
            issue_transition(
                issue=issue,
                action=name,
                actor=actor,
                note=str(note),
                expected_version=versions.get(issue.pk),
                **changes,
            )
            return str(transition.label)

        return move

    if action == "merge":
        if keep is None:
            raise DomainError(_("Choose the issue the others are merged into."), field="keep")
        if accept_kept and keep.status == Status.REPORTED:
            attempt(keep, transition_to("accept"))
        kept = Issue.objects.get(pk=keep.pk)

        def merge(issue):
            issue_merge(
                issue=issue,
                into=kept,
                actor=actor,
                note=str(note),
                expected_version=versions.get(issue.pk),
            )
            return _("Merged into #%(number)d") % {"number": kept.pk}

        for issue in issues:
            if issue.pk != keep.pk:
                attempt(issue, merge)
        return outcome

    if action == "assign":
        assignee = params.get("assignee")

        def move(issue):
            current(issue)
            if Issue.objects.filter(pk=issue.pk, assignee=assignee).exists():
                return None
            issue_assign(
                issue=issue, actor=actor, assignee=assignee, expected_version=versions.get(issue.pk)
            )
            return _("Assigned to %(name)s") % {"name": assignee} if assignee else _("Unassigned")

    elif action in ("category", "urgency"):
        value = params.get(action)
        if not value:
            raise DomainError(_("Choose the new value."), field=action)

        def move(issue):
            _status, version = current(issue)
            changed = issue_classify(
                issue=issue,
                actor=actor,
                expected_version=versions.get(issue.pk),
                **{action: value},
            )
            if changed.version == version:
                return None
            shown = changed.category if action == "category" else changed.get_urgency_display()
            return _("Set to %(value)s") % {"value": shown}

    elif action == "send_to_deliberation":
        level = params.get("deliberation_level")
        if not level:
            raise DomainError(_("Choose the level of deliberation."), field="deliberation_level")
        move = transition_to("send_to_deliberation", deliberation_level=level)
    else:
        move = transition_to(action)
    for issue in issues:
        attempt(issue, move)
    return outcome
