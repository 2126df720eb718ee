"""Every write to meetings: convening, invitations, the live record, outcomes, minutes."""

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from access.meetings import (
    can_answer_invitation,
    can_convene_in,
    can_manage_meeting,
    can_sign_in_self,
    participant_for,
)
from core import audit
from issues.models import Status as IssueStatus
from issues.services import issue_transition
from lib import versions
from lib.errors import DomainError, StaleEdit
from notifications.services import notify

from .models import (
    NOT_OFFICIAL_ROLES,
    OPEN_OUTCOMES,
    PRESENT_ATTENDANCES,
    RESIDENT_SIDE_ROLES,
    AgendaItem,
    FormRule,
    Meeting,
    MinutesCorrection,
    Opinion,
    Participant,
    ParticipantRole,
)
from .workflow import MEETING, MINUTES_DRAFT, RECORDING

INVITATION_KIND = "meeting_invitation"


def _lock(meeting, expected_version=None) -> Meeting:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(
            _(
                "Someone else changed this meeting while you were working on it. "
                "Reload the page, then try again."
            )
        )
    return locked


def _bump(meeting, *fields):
    meeting.version += 1
    meeting.save(update_fields=[*fields, "version", "updated_at"])


def _live_changed(meeting_pk, **fields):
    """Raise the meeting's live counter (and set `fields` with it): every console and
    projector that has the meeting open redraws at its next poll. A plain UPDATE, not a
    save: it never competes with the lifecycle's lock on the meeting's status."""
    Meeting.objects.filter(pk=meeting_pk).update(live_revision=F("live_revision") + 1, **fields)
    # An UPDATE sends no signal: the meeting's pages cached per user are stale now.
    community = Meeting.objects.values_list("community_id", flat=True).get(pk=meeting_pk)
    versions.changed(versions.community(community))


def _require_manager(actor, meeting):
    if not can_manage_meeting(actor, meeting):
        raise DomainError(_("Only the community's staff or the grid's workers run this meeting."))


def _require_recording(meeting):
    if meeting.status not in RECORDING:
        raise DomainError(_("The meeting is not in progress."))


# ---------------------------------------------------------------- convening


def meeting_create(
    *,
    actor,
    community,
    form,
    title,
    venue,
    starts_at,
    ends_at,
    grid=None,
    compound=None,
    is_private=False,
    issues=(),
    continues=None,
) -> Meeting:
    """Convene a meeting, with the given issues on its agenda. The convener is invited."""
    if not can_convene_in(actor, community.pk, grid.pk if grid else None):
        raise DomainError(_("You may not convene meetings in this community."))
    if ends_at <= starts_at:
        raise DomainError(_("The meeting must end after it starts."), field="ends_at")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            community=community,
            grid=grid,
            compound=compound,
            form=form,
            title=title.strip(),
            venue=venue.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            convener=actor,
            is_private=is_private,
            continues=continues,
        )
        for issue in issues:
            agenda_item_add(actor=actor, meeting=meeting, issue=issue)
        Participant.objects.create(
            meeting=meeting,
            user=actor,
            name=actor.get_full_name() or actor.username,
            role=ParticipantRole.GRID_WORKER
            if actor.role == "grid_worker"
            else ParticipantRole.STAFF,
            response=Participant.Response.YES,
        )
        audit.record(actor=actor, obj=meeting, action="create")
    return meeting


def meeting_update(*, actor, meeting, expected_version, **fields) -> Meeting:
    """Change the time, place or title of a planned meeting."""
    _require_manager(actor, meeting)
    with transaction.atomic():
        locked = _lock(meeting, expected_version)
        if locked.status != Meeting.Status.PLANNED:
            raise DomainError(_("Only a planned meeting can be changed."))
        before = audit.snapshot(locked, list(fields))
        for name, value in fields.items():
            setattr(locked, name, value)
        if locked.ends_at <= locked.starts_at:
            raise DomainError(_("The meeting must end after it starts."), field="ends_at")
        _bump(locked, *fields)
        changes = audit.diff(before, locked)
        audit.record(actor=actor, obj=locked, action="update", changes=changes)
        if set(changes) & {"starts_at", "ends_at", "venue"}:
            _notify_changed(locked, actor=actor)
    return locked


def _notify_changed(meeting, *, actor):
    """The new time or place, with an .ics that updates the invitation already in the
    invitees' calendars (same UID, a higher SEQUENCE), to everyone invited who has not
    declined."""
    ics = meeting_ics(meeting)
    invited = meeting.participants.filter(invited_at__isnull=False).exclude(
        response=Participant.Response.NO
    )
    for participant, recipient in _with_accounts(invited.select_related("user")):
        if recipient is not None and recipient.pk != actor.pk:
            _ask_invitee(
                meeting,
                recipient,
                kind="meeting_changed",
                title=_("Changed: %(title)s"),
                body=_("Now %(when)s at %(venue)s. Please tell us whether you will come."),
                step=f"p{participant.pk}-v{meeting.version}",
                ics=ics,
            )


def _ask_invitee(meeting, recipient, *, kind, title, body, step, ics):
    """A message about the meeting's time and place that asks for an answer, with its .ics;
    `title` and `body` take the meeting's title, and its time (when) and venue."""
    notify(
        recipient=recipient,
        kind=kind,
        title=title % {"title": meeting.title},
        body=body
        % {
            "when": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
            "venue": meeting.venue,
        },
        target=meeting,
        step=step,
        url=reverse("meetings:respond", args=[meeting.pk]),
        attachment=(f"meeting-{meeting.pk}.ics", "text/calendar", ics),
    )


def agenda_item_add(*, actor, meeting, issue=None, title="", carried_from=None) -> AgendaItem:
    _require_manager(actor, meeting)
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS):
        raise DomainError(_("The agenda of this meeting can no longer change."))
    title = (title or (issue.title if issue else "")).strip()
    if not title:
        raise DomainError(_("Give the agenda item a title."), field="title")
    if issue is not None and issue.community_id != meeting.community_id:
        raise DomainError(_("The issue belongs to another community."), field="issue")
    order = (meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0) + 1
    with transaction.atomic():
        item = AgendaItem.objects.create(
            meeting=meeting, issue=issue, title=title, order=order, carried_from=carried_from
        )
        audit.record(actor=actor, obj=meeting, action="agenda", note=title)
        _live_changed(meeting.pk)
    return item


def participant_add(
    *,
    actor,
    meeting,
    role,
    name="",
    user=None,
    resident=None,
    contact=None,
    organization_name="",
) -> Participant:
    _require_manager(actor, meeting)
    if meeting.status in (Meeting.Status.CLOSED, Meeting.Status.CANCELLED):
        raise DomainError(_("The meeting is over."))
    name = (
        name
        or getattr(resident, "name", "")
        or getattr(contact, "name", "")
        or (user.get_full_name() if user else "")
    ).strip()
    if not name:
        raise DomainError(_("Give the participant's name."), field="name")
    if contact is not None and not organization_name:
        organization_name = contact.organization.name
    lookup = (
        {"user": user}
        if user
        else {"resident": resident}
        if resident
        else {"contact": contact}
        if contact
        else None
    )
    if lookup and meeting.participants.filter(**lookup).exists():
        raise DomainError(_("%(name)s is already invited.") % {"name": name}, field="name")
    with transaction.atomic():
        participant = Participant.objects.create(
            meeting=meeting,
            role=role,
            name=name,
            user=user,
            resident=resident,
            contact=contact,
            organization_name=organization_name,
        )
        audit.record(
            actor=actor,
            obj=meeting,
            action="participant",
            note=_("%(name)s (%(role)s)") % {"name": name, "role": participant.get_role_display()},
        )
        _live_changed(meeting.pk)
    return participant


def _user_of(participant):
    """The active account that reaches a participant: their own, or that of the resident
    or organization contact they are (None if they have none)."""
    return _with_accounts([participant])[0][1]


def _with_accounts(participants):
    """Each participant with the account `_user_of` names, in one query for the residents'
    and one for the contacts' accounts however many participants there are."""
    from accounts.models import User

    participants = list(participants)
    others = [p for p in participants if not p.user_id]
    by_resident, by_contact = {}, {}
    residents = {p.resident_id for p in others if p.resident_id}
    contacts = {p.contact_id for p in others if not p.resident_id and p.contact_id}
    # In the users' own order, the first account of each, as .first() would pick it.
    if residents:
        for user in User.objects.filter(resident__in=residents, is_active=True):
            by_resident.setdefault(user.resident_id, user)
    if contacts:
        for user in User.objects.filter(contact__in=contacts, is_active=True):
            by_contact.setdefault(user.contact_id, user)
    return [
        (
            p,
            p.user
            if p.user_id
            else by_resident.get(p.resident_id)
            if p.resident_id
            else by_contact.get(p.contact_id),
        )
        for p in participants
    ]


def meeting_ics(meeting, *, uid_suffix="") -> str:
    """The meeting as an iCalendar text (one VEVENT), for invitations and downloads. Its
    times are written in the site's zone (Asia/Shanghai) with that zone's VTIMEZONE, so
    every calendar client reads the local time the meeting was convened for, whatever
    zone the client itself is set to."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Yishi//meetings//ZH")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST" if meeting.status != Meeting.Status.CANCELLED else "CANCEL")
    event = Event()
    host = getattr(settings, "SITE_URL", "").split("//")[-1].strip("/") or "yishi"
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("summary", meeting.title)
    event.add("location", meeting.venue)
    local = ZoneInfo(settings.TIME_ZONE)
    event.add("dtstart", meeting.starts_at.astimezone(local))
    event.add("dtend", meeting.ends_at.astimezone(local))
    event.add("dtstamp", timezone.now())
    event.add("sequence", meeting.version)
    items = [item.title for item in meeting.agenda_items.all()]
    description = meeting.get_form_display()
    if items:
        description += "\n" + "\n".join(f"{n}. {t}" for n, t in enumerate(items, 1))
    event.add("description", description)
    event.add(
        "url",
        getattr(settings, "SITE_URL", "").rstrip("/")
        + reverse("meetings:detail", args=[meeting.pk]),
    )
    if meeting.status == Meeting.Status.CANCELLED:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    # The zone's rules over the years meetings are held (Asia/Shanghai has kept +08:00
    # without daylight saving since 1991): one STANDARD block.
    calendar.add_missing_timezones(first_date=date(2000, 1, 1), last_date=date(2100, 1, 1))
    return calendar.to_ical().decode()


def meeting_invite(*, actor, meeting) -> int:
    """Send the invitation (with an .ics) to every participant with an account who has not
    had it. Returns how many were sent."""
    _require_manager(actor, meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise DomainError(_("Invitations go out before the meeting starts."))
    ics = meeting_ics(meeting)
    sent = 0
    now = timezone.now()
    with transaction.atomic():
        for participant, recipient in _with_accounts(
            meeting.participants.filter(invited_at__isnull=True).select_related("user")
        ):
            if recipient is not None and recipient.pk != actor.pk:
                _ask_invitee(
                    meeting,
                    recipient,
                    kind=INVITATION_KIND,
                    title=_("Invitation: %(title)s"),
                    body=_("%(when)s at %(venue)s. Please tell us whether you will come."),
                    step=f"p{participant.pk}",
                    ics=ics,
                )
                sent += 1
            participant.invited_at = now
            participant.save(update_fields=["invited_at"])
        audit.record(
            actor=actor,
            obj=meeting,
            action="invite",
            note=ngettext("%(count)s person invited", "%(count)s people invited", sent)
            % {"count": sent},
        )
    return sent


def participant_respond(*, actor, participant, response, reason="") -> Participant:
    if response not in (Participant.Response.YES, Participant.Response.NO):
        raise DomainError(_("Answer yes or no."), field="response")
    if participant.meeting.status != Meeting.Status.PLANNED:
        raise DomainError(_("The meeting has already started or is over."))
    if not can_answer_invitation(actor, participant):
        raise DomainError(_("You may not do this."))
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        locked.response = response
        locked.responded_at = timezone.now()
        locked.absence_reason = reason.strip()[:200] if response == Participant.Response.NO else ""
        locked.save(update_fields=["response", "responded_at", "absence_reason"])
        audit.record(
            actor=actor,
            obj=locked.meeting,
            action="respond",
            note=_("%(name)s: %(value)s")
            % {"name": locked.name, "value": locked.get_response_display()},
        )
    return locked


# ---------------------------------------------------------------- the live meeting


def presence_problems(meeting) -> list[str]:
    """What the presence rule of the meeting's form says is missing (empty: quorate)."""
    rule = FormRule.objects.filter(form=meeting.form).first()
    if rule is None:
        return []
    present = list(
        meeting.participants.filter(attendance__in=PRESENT_ATTENDANCES).values_list(
            "role", flat=True
        )
    )
    problems = []
    labels = dict(ParticipantRole.choices)
    for role in rule.required_roles:
        if role not in present:
            problems.append(_("Nobody present as %(role)s.") % {"role": labels.get(role, role)})
    representatives = present.count(ParticipantRole.REPRESENTATIVE)
    if representatives < rule.min_representatives:
        problems.append(
            _("%(present)d of at least %(least)d resident representatives present.")
            % {"present": representatives, "least": rule.min_representatives}
        )
    if rule.all_parties_required:
        missing = meeting.participants.filter(role=ParticipantRole.PARTY).exclude(
            attendance__in=PRESENT_ATTENDANCES
        )
        for name in missing.values_list("name", flat=True):
            problems.append(_("Party %(name)s is not present.") % {"name": name})
    return problems


def present_count(meeting) -> int:
    return meeting.participants.filter(attendance__in=PRESENT_ATTENDANCES).count()


def attendance_record(*, actor, participant, attendance, reason="") -> Participant:
    meeting = participant.meeting
    _require_manager(actor, meeting)
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS):
        raise DomainError(_("Attendance can no longer change."))
    if attendance not in Participant.Attendance.values:
        raise DomainError(_("Choose an attendance."), field="attendance")
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        locked.attendance = attendance
        if attendance in PRESENT_ATTENDANCES:
            locked.signed_in_at = locked.signed_in_at or timezone.now()
        if attendance == Participant.Attendance.ABSENT:
            locked.absence_reason = reason.strip()[:200]
        locked.save(update_fields=["attendance", "signed_in_at", "absence_reason"])
        audit.record(
            actor=actor,
            obj=meeting,
            action="attendance",
            note=_("%(name)s: %(value)s")
            % {"name": locked.name, "value": locked.get_attendance_display()},
        )
        _live_changed(meeting.pk)
    return locked


def attendance_sign_in(*, actor, meeting) -> Participant:
    """The invitee signs themselves in, from the QR code shown at the meeting (扫码签到):
    their own invitation (as a user, a resident or an organization's contact) is marked
    present. Signing in twice changes nothing. Raises DomainError for someone not invited
    and for a meeting not planned or in progress."""
    if not can_sign_in_self(actor, meeting):
        raise DomainError(_("You are not invited to this meeting."))
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS):
        raise DomainError(_("Signing in is open only before and during the meeting."))
    participant = participant_for(actor, meeting)
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.attendance in PRESENT_ATTENDANCES:
            return locked
        locked.attendance = Participant.Attendance.PRESENT
        locked.signed_in_at = timezone.now()
        locked.save(update_fields=["attendance", "signed_in_at"])
        audit.record(
            actor=actor,
            obj=meeting,
            action="attendance",
            note=_("%(name)s signed in with the QR code") % {"name": locked.name},
        )
        _live_changed(meeting.pk)
    return locked


def meeting_transition(
    *, actor, meeting, action, note="", expected_version=None, override_presence=False
) -> Meeting:
    """Move a meeting along its lifecycle (meetings.workflow.MEETING, applied by
    lib.lifecycle).

    Starting checks the form's presence rule (a manager may override it by saying why) and
    moves every agenda issue that waits for deliberation into deliberation. Adjourning
    creates nothing by itself: `meeting_continue` convenes the continuation."""
    return MEETING.apply(
        meeting,
        action,
        actor=actor,
        note=note,
        expected_version=expected_version,
        data={"override_presence": override_presence},
    )


@MEETING.effect("start")
def _start(meeting, move) -> list[str]:
    problems = presence_problems(meeting)
    if problems and not (move.data.get("override_presence") and move.note):
        raise DomainError(
            _("The presence rule is not met: %(problems)s") % {"problems": " ".join(problems)},
            field="note",
        )
    meeting.started_at = move.now
    return ["started_at"]


@MEETING.follow("start")
def _deliberate_agenda_issues(meeting, move) -> None:
    for item in meeting.agenda_items.select_related("issue"):
        if item.issue and item.issue.status == IssueStatus.TO_DELIBERATE:
            issue_transition(
                issue=item.issue, action="start_deliberation", actor=move.actor, check_role=False
            )


@MEETING.effect("end", "adjourn")
def _end(meeting, move) -> list[str]:
    meeting.ended_at = move.now
    meeting.agenda_items.exclude(phase=AgendaItem.Phase.DONE).update(phase=AgendaItem.Phase.DONE)
    # Nobody has the floor once the meeting is over: the projector's timer stops.
    meeting.current_speaker = None
    meeting.speaker_since = None
    fields = ["ended_at", "current_speaker", "speaker_since"]
    if move.action == "adjourn":
        meeting.adjourn_reason = move.note
        return [*fields, "adjourn_reason"]
    return fields


@MEETING.effect("close")
def _finalise_minutes(meeting, move) -> list[str]:
    if meeting.corrections.filter(status=MinutesCorrection.Status.OPEN).exists():
        raise DomainError(_("Answer the open correction requests first."))
    meeting.minutes_finalised_at = move.now
    return ["minutes_finalised_at"]


@MEETING.follow("cancel")
def _cancelled(meeting, move) -> None:
    _notify_cancelled(meeting, move.note)


def _notify_cancelled(meeting, note):
    ics = meeting_ics(meeting)
    invited = meeting.participants.filter(invited_at__isnull=False).select_related("user")
    for participant, recipient in _with_accounts(invited):
        if recipient is not None:
            notify(
                recipient=recipient,
                kind="meeting_cancelled",
                title=_("Cancelled: %(title)s") % {"title": meeting.title},
                body=note,
                target=meeting,
                step=f"p{participant.pk}",
                url=reverse("meetings:detail", args=[meeting.pk]),
                attachment=(f"meeting-{meeting.pk}.ics", "text/calendar", ics),
            )


def meeting_continue(*, actor, meeting, starts_at, ends_at, venue="") -> Meeting:
    """Convene the continuation of an adjourned meeting: same form and place, the open
    items carried over, the same participants invited again."""
    _require_manager(actor, meeting)
    if meeting.status not in (
        Meeting.Status.ADJOURNED,
        Meeting.Status.ENDED,
        Meeting.Status.CLOSED,
    ):
        raise DomainError(_("Only an adjourned or ended meeting is continued."))
    if not meeting.agenda_items.filter(outcome__in=OPEN_OUTCOMES).exists():
        raise DomainError(_("Every item of this meeting has an outcome: nothing to carry over."))
    if meeting.continuations.exclude(status=Meeting.Status.CANCELLED).exists():
        raise DomainError(_("This meeting already has a continuation."))
    with transaction.atomic():
        follow = meeting_create(
            actor=actor,
            community=meeting.community,
            grid=meeting.grid,
            compound=meeting.compound,
            form=meeting.form,
            title=_("%(title)s (continued)") % {"title": meeting.title},
            venue=venue or meeting.venue,
            starts_at=starts_at,
            ends_at=ends_at,
            is_private=meeting.is_private,
            continues=meeting,
        )
        for item in meeting.agenda_items.filter(
            outcome__in=[AgendaItem.Outcome.PENDING, AgendaItem.Outcome.NO_AGREEMENT]
        ).select_related("issue"):
            agenda_item_add(
                actor=actor, meeting=follow, issue=item.issue, title=item.title, carried_from=item
            )
        for participant in meeting.participants.exclude(user=actor):
            Participant.objects.create(
                meeting=follow,
                role=participant.role,
                name=participant.name,
                user=participant.user,
                resident=participant.resident,
                contact=participant.contact,
                organization_name=participant.organization_name,
            )
    return follow


def agenda_item_set_phase(*, actor, item, phase) -> AgendaItem:
    meeting = Meeting.objects.get(pk=item.meeting_id)
    _require_manager(actor, meeting)
    _require_recording(meeting)
    if phase not in AgendaItem.Phase.values:
        raise DomainError(_("Unknown phase."), field="phase")
    with transaction.atomic():
        item.phase = phase
        item.save(update_fields=["phase"])
        # Speaking in turn or freely on an item puts it under discussion (on the console
        # and the projector); moving to another item takes the floor from its speaker.
        if phase in (AgendaItem.Phase.IN_TURN, AgendaItem.Phase.FREE):
            if meeting.current_item_id != item.pk:
                _live_changed(
                    meeting.pk, current_item=item, current_speaker=None, speaker_since=None
                )
            else:
                _live_changed(meeting.pk)
        else:
            _live_changed(meeting.pk)
    return item


def meeting_take_up(*, actor, meeting, item) -> Meeting:
    """Put an agenda item under discussion: the console and the projector show it, and
    whoever had the floor on another item loses it. Taking up the current item again
    changes nothing."""
    _require_manager(actor, meeting)
    _require_recording(meeting)
    if item.meeting_id != meeting.pk:
        raise DomainError(_("The item is not on this meeting's agenda."), field="item")
    if meeting.current_item_id != item.pk:
        _live_changed(meeting.pk, current_item=item, current_speaker=None, speaker_since=None)
        meeting.current_item, meeting.current_speaker, meeting.speaker_since = item, None, None
    return meeting


def meeting_give_floor(*, actor, meeting, participant=None) -> Meeting:
    """Give the floor to a participant present at the meeting (the speaking timer counts
    from now), or take it back (participant=None). Raises DomainError for someone not at
    this meeting or not signed in."""
    _require_manager(actor, meeting)
    _require_recording(meeting)
    if participant is not None:
        if participant.meeting_id != meeting.pk:
            raise DomainError(_("The speaker is not at this meeting."), field="participant")
        if participant.attendance not in PRESENT_ATTENDANCES:
            raise DomainError(
                _("%(name)s has not signed in.") % {"name": participant.name},
                field="participant",
            )
    now = timezone.now() if participant is not None else None
    _live_changed(meeting.pk, current_speaker=participant, speaker_since=now)
    meeting.current_speaker, meeting.speaker_since = participant, now
    return meeting


def opinion_add(
    *,
    actor,
    item,
    kind,
    text,
    stance=Opinion.Stance.OTHER,
    participant=None,
    speaker_name="",
    role="",
    spoken_seconds=0,
) -> Opinion:
    """Record what someone said (or wrote) on an agenda item."""
    meeting = Meeting.objects.get(pk=item.meeting_id)
    _require_manager(actor, meeting)
    _require_recording(meeting)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write down what was said."), field="text")
    if kind not in Opinion.Kind.values:
        raise DomainError(_("Choose a kind."), field="kind")
    if stance not in Opinion.Stance.values:
        raise DomainError(_("Choose a stance."), field="stance")
    if participant is not None:
        if participant.meeting_id != meeting.pk:
            raise DomainError(_("The speaker is not at this meeting."), field="participant")
        speaker_name = participant.name
        role = participant.role
    speaker_name = (speaker_name or "").strip()
    if not speaker_name:
        raise DomainError(_("Choose the speaker or give a name."), field="speaker_name")
    if kind == Opinion.Kind.ANSWER and role in NOT_OFFICIAL_ROLES:
        raise DomainError(_("An official's answer is given by an official."), field="participant")
    if spoken_seconds < 0 or spoken_seconds > 6 * 3600:
        raise DomainError(_("Speaking time looks wrong."), field="spoken_seconds")
    with transaction.atomic():
        AgendaItem.objects.select_for_update().get(pk=item.pk)
        order = (item.opinions.aggregate(m=Max("order"))["m"] or 0) + 1
        opinion = Opinion.objects.create(
            agenda_item=item,
            participant=participant,
            speaker_name=speaker_name,
            role=role or ParticipantRole.OTHER,
            kind=kind,
            stance=stance,
            text=text,
            spoken_seconds=spoken_seconds,
            order=order,
            recorded_by=actor,
        )
        # The speaker's words are written down: the floor is free for the next one.
        if participant is not None and meeting.current_speaker_id == participant.pk:
            _live_changed(meeting.pk, current_speaker=None, speaker_since=None)
        else:
            _live_changed(meeting.pk)
    return opinion


def agenda_item_decide(
    *,
    actor,
    item,
    outcome,
    outcome_text="",
    votes_for=None,
    votes_against=None,
    votes_abstain=None,
    vote_options=None,
) -> AgendaItem:
    """Record an item's outcome. A vote's counts cannot exceed the voters present.
    Consensus or a vote leaves the issue in deliberation until the resolution drafted from
    the item is adopted (an issue is 已形成决议 only with a resolution); referred escalates
    it."""
    meeting = Meeting.objects.get(pk=item.meeting_id)
    _require_manager(actor, meeting)
    _require_recording(meeting)
    if outcome not in AgendaItem.Outcome.values or outcome == AgendaItem.Outcome.PENDING:
        raise DomainError(_("Choose an outcome."), field="outcome")
    outcome_text = (outcome_text or "").strip()
    if (
        outcome
        in (AgendaItem.Outcome.CONSENSUS, AgendaItem.Outcome.VOTE, AgendaItem.Outcome.REFERRED)
        and not outcome_text
    ):
        raise DomainError(_("Write down what was decided."), field="outcome_text")
    vote_options = [o for o in (vote_options or []) if o.get("label")]
    if outcome == AgendaItem.Outcome.VOTE:
        present = present_count(meeting)
        if vote_options:
            counts = [int(o.get("votes") or 0) for o in vote_options]
        else:
            if votes_for is None or votes_against is None:
                raise DomainError(_("Give the votes for and against."), field="votes_for")
            counts = [votes_for, votes_against, votes_abstain or 0]
        if any(c < 0 for c in counts):
            raise DomainError(_("Votes cannot be negative."), field="votes_for")
        if sum(counts) > present:
            raise DomainError(
                _("%(total)d votes counted but only %(present)d voters are present.")
                % {"total": sum(counts), "present": present},
                field="votes_for",
            )
        if sum(counts) == 0:
            raise DomainError(_("No votes counted."), field="votes_for")
    else:
        votes_for = votes_against = votes_abstain = None
        vote_options = []
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
        locked.outcome = outcome
        locked.outcome_text = outcome_text
        locked.votes_for = votes_for if not vote_options else None
        locked.votes_against = votes_against if not vote_options else None
        locked.votes_abstain = (
            (votes_abstain or 0)
            if outcome == AgendaItem.Outcome.VOTE and not vote_options
            else None
        )
        locked.vote_options = vote_options
        locked.phase = AgendaItem.Phase.DONE
        locked.save()
        audit.record(
            actor=actor,
            obj=meeting,
            action="decide",
            note=_("%(name)s: %(value)s")
            % {"name": locked.title, "value": locked.get_outcome_display()},
        )
        _live_changed(meeting.pk, current_speaker=None, speaker_since=None)
        if locked.issue_id:
            issue = locked.issue
            if issue.status == IssueStatus.TO_DELIBERATE:
                issue = issue_transition(
                    issue=issue, action="start_deliberation", actor=actor, check_role=False
                )
            # An agreed outcome leaves the issue in deliberation: it shows 已形成决议 when
            # the resolution drafted from this item is adopted (resolutions' services).
            if (
                outcome == AgendaItem.Outcome.REFERRED
                and issue.status == IssueStatus.IN_DELIBERATION
            ):
                issue_transition(
                    issue=issue, action="escalate", actor=actor, check_role=False, note=outcome_text
                )
    return locked


def speaking_time_by_role(meeting) -> list[dict]:
    """Seconds spoken per role, aggregated in the database, each row saying whether it is
    the residents' side or the merchants' (who are not residents)."""
    rows = (
        Opinion.objects.filter(agenda_item__meeting=meeting)
        .values("role")
        .annotate(seconds=Sum("spoken_seconds"), turns=Count("pk"))
        .order_by("-seconds")
    )
    labels = dict(ParticipantRole.choices)
    return [
        {
            **row,
            "label": labels.get(row["role"], row["role"]),
            "resident_side": row["role"] in RESIDENT_SIDE_ROLES,
            "merchant_side": row["role"] == ParticipantRole.MERCHANT,
        }
        for row in rows
    ]


# ---------------------------------------------------------------- minutes


def correction_request(*, actor, meeting, text, agenda_item=None) -> MinutesCorrection:
    """Ask the convener to correct the draft minutes, about one agenda item (shown beside
    its section) or the minutes as a whole. Only those at the meeting may ask, and only
    while the minutes are a draft; raises DomainError otherwise."""
    from access.meetings import can_request_correction

    if not can_request_correction(actor, meeting):
        raise DomainError(_("Only those at the meeting may ask to correct its minutes."))
    if meeting.status not in MINUTES_DRAFT:
        raise DomainError(_("The minutes are final and can no longer be corrected."))
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise DomainError(_("Choose an item of this meeting."), field="agenda_item")
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Say what should be corrected."), field="text")
    correction = MinutesCorrection.objects.create(
        meeting=meeting, requested_by=actor, agenda_item=agenda_item, text=text
    )
    if meeting.convener_id != actor.pk:
        notify(
            recipient=meeting.convener,
            kind="minutes_correction",
            title=_("Correction asked: %(title)s") % {"title": meeting.title},
            body=text,
            target=meeting,
            step=f"c{correction.pk}",
            url=reverse("meetings:minutes", args=[meeting.pk]),
        )
    return correction


def correction_answer(
    *, actor, correction, accept, answer="", expected_version=None
) -> MinutesCorrection:
    """Adopt or decline a correction. Adopting may change an item's outcome text:
    the manager edits it through `minutes_edit`."""
    meeting = correction.meeting
    _require_manager(actor, meeting)
    with transaction.atomic():
        _lock(meeting, expected_version)
        locked = MinutesCorrection.objects.select_for_update().get(pk=correction.pk)
        if locked.status != MinutesCorrection.Status.OPEN:
            raise DomainError(_("This correction was already answered."))
        answer = (answer or "").strip()
        if not accept and not answer:
            raise DomainError(_("Say why the correction is declined."), field="answer")
        locked.status = (
            MinutesCorrection.Status.ACCEPTED if accept else MinutesCorrection.Status.DECLINED
        )
        locked.answer = answer
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "answer", "answered_at"])
        notify(
            recipient=locked.requested_by,
            kind="minutes_correction_answered",
            title=_("Your correction: %(status)s") % {"status": locked.get_status_display()},
            body=answer,
            target=meeting,
            step=f"a{locked.pk}",
            url=reverse("meetings:minutes", args=[meeting.pk]),
        )
    return locked


def minutes_edit(*, actor, meeting, expected_version, outcomes: dict, summary=None) -> Meeting:
    """Edit the draft minutes: the outcome text of each item ({item_pk: text}) and the
    summary for residents. Checks the version: two editors never overwrite each other."""
    _require_manager(actor, meeting)
    with transaction.atomic():
        locked = _lock(meeting, expected_version)
        if locked.status not in MINUTES_DRAFT:
            raise DomainError(_("The minutes are final and can no longer be corrected."))
        items = {i.pk: i for i in locked.agenda_items.select_for_update()}
        for pk, text in outcomes.items():
            item = items.get(int(pk))
            if item is not None and item.outcome_text != text.strip():
                item.outcome_text = text.strip()
                item.save(update_fields=["outcome_text"])
        fields = []
        if summary is not None:
            locked.summary = summary.strip()
            fields.append("summary")
        _bump(locked, *fields)
        audit.record(actor=actor, obj=locked, action="edit_minutes")
    return locked


def summary_publish(*, actor, meeting, summary, expected_version) -> Meeting:
    """Publish the plain summary for residents (never for a private mediation)."""
    _require_manager(actor, meeting)
    summary = (summary or "").strip()
    if not summary:
        raise DomainError(_("Write the summary first."), field="summary")
    with transaction.atomic():
        locked = _lock(meeting, expected_version)
        if locked.is_private:
            raise DomainError(_("The summary of a private mediation is not published."))
        if locked.status not in (*MINUTES_DRAFT, Meeting.Status.CLOSED):
            raise DomainError(_("The meeting has not ended yet."))
        locked.summary = summary
        locked.summary_published_at = timezone.now()
        _bump(locked, "summary", "summary_published_at")
        audit.record(actor=actor, obj=locked, action="publish_summary")
    return locked
