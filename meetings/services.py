"""Every write to meetings: convening, invitations, the live record, outcomes, minutes."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from access.meetings import (
    can_answer_invitation,
    can_convene_in,
    can_manage_meeting,
    can_manage_opinion_window,
    can_open_opinion_window,
    can_sign_in_self,
    participant_for,
)
from communities.models import Resident
from core import audit
from issues.models import Kind as IssueKind
from issues.models import Status as IssueStatus
from issues.services import issue_transition
from lib import versions
from lib.errors import DomainError, StaleEdit
from notifications.services import notify, sms_reachable
from reach.services import link_act, link_issue, link_path, link_url, links_revoke_for

from .models import (
    NOT_OFFICIAL_ROLES,
    OPEN_OUTCOMES,
    PRESENT_ATTENDANCES,
    RESIDENT_SIDE_ROLES,
    AgendaItem,
    InvitationChannel,
    Meeting,
    MinutesCorrection,
    OnlineOpinion,
    Opinion,
    OpinionWindow,
    Participant,
    ParticipantRole,
)
from .texts import cancelled_sms, changed_sms, invitation_sms, opinion_sms
from .workflow import MEETING, MINUTES_DRAFT, RECORDING

INVITATION_KIND = "meeting_invitation"
# The purposes of the meetings app's short links (reach.purposes, registered in apps.py).
INVITATION_PURPOSE = "meeting_invitation"
NOTICE_PURPOSE = "meeting_notice"


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
    place=None,
) -> Meeting:
    """Convene a meeting, with the given issues on its agenda. The convener is invited.
    `place` is one of the community's venues; without `venue` text the meeting is said to
    be held at the place's name and address."""
    if not can_convene_in(actor, community.pk, grid.pk if grid else None):
        raise DomainError(_("You may not convene meetings in this community."))
    if ends_at <= starts_at:
        raise DomainError(_("The meeting must end after it starts."), field="ends_at")
    venue = _venue_text(community.pk, place, venue)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            community=community,
            grid=grid,
            compound=compound,
            form=form,
            title=title.strip(),
            venue=venue,
            place=place,
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


def _venue_text(community_id, place, venue):
    """Where a meeting is held, in words: what was typed, else the place's name and
    address. Raises DomainError for a place of another community or for neither."""
    venue = (venue or "").strip()
    if place is not None:
        if place.community_id != community_id:
            raise DomainError(_("Choose a place of the meeting's community."), field="place")
        if not venue:
            venue = f"{place.name}（{place.address}）" if place.address else place.name
    if not venue:
        raise DomainError(_("Choose a place, or say where it is held."), field="venue")
    return venue[:200]


def meeting_update(*, actor, meeting, expected_version, **fields) -> Meeting:
    """Change the time, place or title of a planned meeting."""
    _require_manager(actor, meeting)
    if "place" in fields or "venue" in fields:
        fields["venue"] = _venue_text(
            meeting.community_id, fields.get("place", meeting.place), fields.get("venue", "")
        )
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
    for participant, recipient in with_accounts(_with_people(invited)):
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
        elif recipient is None and participant.invited_via == InvitationChannel.SMS:
            person = participant.resident or participant.contact
            link = _invitation_link(meeting, participant, person, actor=actor)
            notify(
                recipient=person,
                kind="meeting_changed",
                title=_("Changed: %(title)s") % {"title": meeting.title},
                body=_("Now %(when)s at %(venue)s.") % _when_and_venue(meeting),
                target=meeting,
                step=f"p{participant.pk}-v{meeting.version}",
                url=link_path(link),
                sms_text=changed_sms(meeting, link_url(link)),
                community=meeting.community,
            )


def _when_and_venue(meeting) -> dict:
    return {
        "when": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
        "venue": meeting.venue,
    }


def _ask_invitee(meeting, recipient, *, kind, title, body, step, ics):
    """A message about the meeting's time and place that asks for an answer, with its .ics;
    `title` and `body` take the meeting's title, and its time (when) and venue."""
    return notify(
        recipient=recipient,
        kind=kind,
        title=title % {"title": meeting.title},
        body=body % _when_and_venue(meeting),
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
    return with_accounts([participant])[0][1]


def with_accounts(participants):
    """Each participant with the account `_user_of` names (None: reached without one), in one query for the residents'
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


@dataclass
class InvitationReport:
    """What pressing 发出邀请 did, by channel: each invitee counted once, by the channel
    that reached them beyond the app (SMS, then email), or in the app only; and those no
    channel reaches, for whom a slip (通知单) is to be printed."""

    sms: int = 0
    email: int = 0
    in_app: int = 0
    to_print: list = field(default_factory=list)

    @property
    def sent(self) -> int:
        return self.sms + self.email + self.in_app

    def add(self, channel, participant) -> None:
        if channel == InvitationChannel.SLIP:
            self.to_print.append(participant)
        else:
            field_name = {
                InvitationChannel.SMS: "sms",
                InvitationChannel.EMAIL: "email",
                InvitationChannel.IN_APP: "in_app",
            }[channel]
            setattr(self, field_name, getattr(self, field_name) + 1)

    def summary(self) -> str:
        """已发出 12 份邀请：短信 7、邮件 2、仅站内 3；另有 2 人无手机号，请打印通知单。"""
        text = ngettext("%(count)d invitation sent", "%(count)d invitations sent", self.sent) % {
            "count": self.sent
        }
        parts = [
            label % {"count": count}
            for label, count in (
                (_("SMS %(count)d"), self.sms),
                (_("email %(count)d"), self.email),
                (_("in the app only %(count)d"), self.in_app),
            )
            if count
        ]
        if parts:
            text += _(": ") + _(", ").join(parts)
        if self.to_print:
            text += _("; ") + ngettext(
                "%(count)d more person has no mobile number: print their slip",
                "%(count)d more people have no mobile number: print their slips",
                len(self.to_print),
            ) % {"count": len(self.to_print)}
        return text + _(".")


def _with_people(participants):
    """Participants read with what reaching them needs: account, resident, contact."""
    return participants.select_related(
        "user", "resident__community", "contact__organization", "meeting__community"
    )


def _invitation_link(meeting, participant, person, *, actor=None):
    """The personal link (/s/…) with which a resident or contact without an account answers
    the invitation: valid until the meeting ends."""
    return link_issue(
        purpose=INVITATION_PURPOSE,
        target=participant,
        person=person,
        community=meeting.community,
        expires_at=meeting.ends_at,
        actor=actor,
    )


def notice_link(meeting, *, actor=None):
    """The public link of the meeting's notice on the building's board (its QR code)."""
    return link_issue(
        purpose=NOTICE_PURPOSE,
        target=meeting,
        community=meeting.community,
        expires_at=meeting.ends_at + timedelta(days=1),
        actor=actor,
    )


def _invite(meeting, participant, recipient, *, ics, actor) -> str:
    """Send one invitation and say which channel took it (InvitationChannel)."""
    if recipient is not None:
        notification = _ask_invitee(
            meeting,
            recipient,
            kind=INVITATION_KIND,
            title=_("Invitation: %(title)s"),
            body=_("%(when)s at %(venue)s. Please tell us whether you will come."),
            step=f"p{participant.pk}",
            ics=ics,
        )
        channels = getattr(notification, "channels", [])
        if "sms" in channels:
            return InvitationChannel.SMS
        if "email" in channels:
            return InvitationChannel.EMAIL
        return InvitationChannel.IN_APP
    person = participant.resident or participant.contact
    if person is None:
        return InvitationChannel.SLIP
    # The slip of someone without a mobile number carries the same link, as a QR code.
    link = _invitation_link(meeting, participant, person, actor=actor)
    if not sms_reachable(person):
        return InvitationChannel.SLIP
    notify(
        recipient=person,
        kind=INVITATION_KIND,
        title=_("Invitation: %(title)s") % {"title": meeting.title},
        body=_("%(when)s at %(venue)s. Please tell us whether you will come.")
        % _when_and_venue(meeting),
        target=meeting,
        step=f"p{participant.pk}-l{link.pk}",
        url=link_path(link),
        sms_text=invitation_sms(meeting, link_url(link)),
        community=meeting.community,
    )
    return InvitationChannel.SMS


def meeting_invite(*, actor, meeting) -> InvitationReport:
    """Invite every participant who has not been invited yet, each by what reaches them:
    users through their account (the bell, with an .ics by email, or SMS, as they chose);
    residents and organization contacts without an account by SMS with a personal link to
    answer; those with neither are counted for a printed slip (通知单) with the link as a
    QR code. Returns what went out by channel; sending is keyed per invitee, so pressing
    twice or a retried task sends nothing twice."""
    _require_manager(actor, meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise DomainError(_("Invitations go out before the meeting starts."))
    ics = meeting_ics(meeting)
    report = InvitationReport()
    now = timezone.now()
    with transaction.atomic():
        pending = _with_people(meeting.participants.filter(invited_at__isnull=True))
        for participant, recipient in with_accounts(pending):
            participant.invited_at = now
            if recipient is None or recipient.pk != actor.pk:
                participant.invited_via = _invite(
                    meeting, participant, recipient, ics=ics, actor=actor
                )
                report.add(participant.invited_via, participant)
            participant.save(update_fields=["invited_at", "invited_via"])
        if not meeting.is_private:
            notice_link(meeting, actor=actor)
        audit.record(actor=actor, obj=meeting, action="invite", note=report.summary())
    return report


def invitation_resend(*, actor, participant) -> Participant:
    """Send a resident or contact without an account a new invitation SMS with a new link
    (the SMS was lost, or the number on record was corrected); the old link stops
    working."""
    meeting = participant.meeting
    _require_manager(actor, meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise DomainError(_("Invitations go out before the meeting starts."))
    participant = _with_people(Participant.objects.filter(pk=participant.pk)).get()
    person = participant.resident or participant.contact
    if person is None or _user_of(participant) is not None:
        raise DomainError(_("Only people without an account are invited by SMS."))
    if not sms_reachable(person):
        raise DomainError(
            _("%(name)s has no mobile number on record: print the slip.") % {"name": person.name}
        )
    with transaction.atomic():
        links_revoke_for(target=participant, purpose=INVITATION_PURPOSE, actor=actor)
        participant.invited_at = participant.invited_at or timezone.now()
        participant.invited_via = _invite(meeting, participant, None, ics="", actor=actor)
        participant.save(update_fields=["invited_at", "invited_via"])
        audit.record(
            actor=actor,
            obj=meeting,
            action="invite",
            note=_("Invitation sent again to %(name)s by SMS") % {"name": participant.name},
        )
    return participant


class AnswerVia:
    """How an answer to an invitation came in."""

    ACCOUNT = ""
    LINK = "link"
    PHONE = "phone"
    IN_PERSON = "in_person"
    SLIP = "slip"


def answer_via_choices():
    return [
        (AnswerVia.PHONE, pgettext("answer to an invitation", "By phone")),
        (AnswerVia.IN_PERSON, pgettext("answer to an invitation", "In person")),
        (AnswerVia.SLIP, pgettext("answer to an invitation", "Reply slip")),
    ]


def participant_respond(
    *, actor, participant, response, reason="", via=AnswerVia.ACCOUNT, link=None
) -> Participant:
    """An invitee answers (yes or no, with a reason for no): themselves, signed in or from
    the personal link their SMS or slip carried (`link`, whose holder needs no account),
    or staff record the answer given on the phone, in person or on a reply slip (`via`)."""
    if response not in (Participant.Response.YES, Participant.Response.NO):
        raise DomainError(_("Answer yes or no."), field="response")
    if participant.meeting.status != Meeting.Status.PLANNED:
        raise DomainError(_("The meeting has already started or is over."))
    if link is not None:
        if link.purpose != INVITATION_PURPOSE or link.object_id != participant.pk:
            raise DomainError(_("This link is for another invitation."))
        via = AnswerVia.LINK
    elif not can_answer_invitation(actor, participant):
        raise DomainError(_("You may not do this."))
    elif via and not can_manage_meeting(actor, participant.meeting):
        raise DomainError(_("Only those who run the meeting record answers given to them."))
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        locked.response = response
        locked.responded_at = timezone.now()
        locked.absence_reason = reason.strip()[:200] if response == Participant.Response.NO else ""
        locked.save(update_fields=["response", "responded_at", "absence_reason"])
        if link is not None:
            link_act(link=link)
        how = dict(answer_via_choices()).get(via) or (
            _("with the personal link") if via == AnswerVia.LINK else ""
        )
        note = _("%(name)s: %(value)s") % {
            "name": locked.name,
            "value": locked.get_response_display(),
        }
        audit.record(
            actor=actor,
            obj=locked.meeting,
            action="respond",
            note=f"{note}（{how}）" if how else note,
            data={"via": via} if via else None,
        )
    return locked


# ---------------------------------------------------------------- the live meeting


def presence_problems(meeting) -> list[str]:
    """What the presence rule of the meeting's form says is missing (empty: quorate).
    The community's own rule for the form, else the district's (meetings.rules)."""
    from .rules import presence_rule_for

    rule = presence_rule_for(community_id=meeting.community_id, form=meeting.form)
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
    invited = _with_people(meeting.participants.filter(invited_at__isnull=False))
    links_revoke_for(target=meeting, purpose=NOTICE_PURPOSE, actor=None)
    for participant, recipient in with_accounts(invited):
        if recipient is None:
            links_revoke_for(target=participant, purpose=INVITATION_PURPOSE, actor=None)
        if recipient is None and participant.invited_via == InvitationChannel.SMS:
            person = participant.resident or participant.contact
            notify(
                recipient=person,
                kind="meeting_cancelled",
                title=_("Cancelled: %(title)s") % {"title": meeting.title},
                body=note,
                target=meeting,
                step=f"p{participant.pk}",
                sms_text=cancelled_sms(meeting),
                community=meeting.community,
            )
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


# ---------------------------------------------------------------- online opinion-taking

OPINIONS_PURPOSE = "opinions"
OPINION_REQUEST_PURPOSE = "opinion_request"
OPINION_REQUEST_KIND = "opinion_request"
# The poster's link keeps showing the results this long after the window closed.
POSTER_KEPT = timedelta(days=180)


def _subject(window):
    """The record whose timeline tells of the window: the meeting of its agenda item, or
    its issue."""
    return window.agenda_item.meeting if window.agenda_item_id else window.issue


def opinion_window_open(
    *,
    actor,
    question: str,
    compound,
    closes_at,
    issue=None,
    agenda_item=None,
    building=None,
    unit=None,
    details: str = "",
    per: str = OpinionWindow.Per.HOUSEHOLD,
) -> OpinionWindow:
    """Open online opinion-taking (线上征求意见) on an issue or an agenda item, for the
    residents of a compound, a building or a unit, until `closes_at`. The window's public
    link (the poster's QR code) is issued with it. A dispute (白茶) and a private mediation
    are never put to a building. Raises DomainError."""
    if agenda_item is not None:
        issue = issue or agenda_item.issue
        community_id = agenda_item.meeting.community_id
        grid_id = agenda_item.meeting.grid_id
    elif issue is not None:
        community_id, grid_id = issue.community_id, issue.grid_id
    else:
        raise DomainError(_("Ask about an issue or an agenda item."))
    if not can_open_opinion_window(actor, community_id, grid_id):
        raise DomainError(_("Only the community's staff or the grid's workers ask residents."))
    if issue is not None and issue.kind == IssueKind.DISPUTE:
        raise DomainError(_("A dispute between neighbours is not put to the building."))
    if agenda_item is not None and agenda_item.meeting.is_private:
        raise DomainError(_("The items of a private mediation are not put to the building."))
    if compound.community_id != community_id:
        raise DomainError(_("Choose a compound of the community."), field="compound")
    if building is not None and building.compound_id != compound.pk:
        raise DomainError(_("The building is not in this compound."), field="building")
    if unit is not None and (building is None or unit.building_id != building.pk):
        raise DomainError(_("The unit is not in this building."), field="unit")
    if per not in OpinionWindow.Per.values:
        raise DomainError(_("Choose how opinions are counted."), field="per")
    question = (question or "").strip()
    if not question:
        raise DomainError(_("Say what residents are asked."), field="question")
    now = timezone.now()
    if closes_at <= now:
        raise DomainError(_("The window must close in the future."), field="closes_at")
    with transaction.atomic():
        window = OpinionWindow.objects.create(
            community_id=community_id,
            issue=issue,
            agenda_item=agenda_item,
            compound=compound,
            building=building,
            unit=unit,
            question=question,
            details=(details or "").strip(),
            per=per,
            opens_at=now,
            closes_at=closes_at,
            created_by=actor,
        )
        opinions_link(window, actor=actor)
        audit.record(
            actor=actor,
            obj=_subject(window),
            action="open_opinions",
            community=window.community,
            note=_("%(area)s asked until %(until)s: %(question)s")
            % {
                "area": window.area_name,
                "until": timezone.localtime(closes_at).strftime("%Y-%m-%d %H:%M"),
                "question": question,
            },
            data={"window": window.pk},
        )
    return window


def opinions_link(window, *, actor=None):
    """The window's public link: the poster's QR code and the WeChat group's link."""
    return link_issue(
        purpose=OPINIONS_PURPOSE,
        target=window,
        community=window.community,
        expires_at=window.closes_at + POSTER_KEPT,
        actor=actor,
    )


def opinion_window_close(*, actor, window) -> OpinionWindow:
    """Close the window before its time (the meeting is about to start). Closing a closed
    window changes nothing."""
    if not can_manage_opinion_window(actor, window):
        raise DomainError(_("Only the community's staff or the grid's workers ask residents."))
    with transaction.atomic():
        locked = OpinionWindow.objects.select_for_update().get(pk=window.pk)
        now = timezone.now()
        if locked.has_closed_at(now):
            return locked
        locked.closed_at = now
        locked.save(update_fields=["closed_at"])
        audit.record(
            actor=actor,
            obj=_subject(locked),
            action="close_opinions",
            community=locked.community,
            note=locked.question,
            data={"window": locked.pk},
        )
    return locked


def residents_asked(window):
    """The residents of the window's unit, building or compound."""
    residents = Resident.objects.filter(archived_at__isnull=True, community=window.community_id)
    if window.unit_id:
        return residents.filter(household__unit=window.unit_id)
    if window.building_id:
        return residents.filter(household__unit__building=window.building_id)
    return residents.filter(
        Q(household__compound=window.compound_id)
        | Q(household__unit__building__compound=window.compound_id)
    )


def _voter(window, resident) -> str:
    if window.per == OpinionWindow.Per.HOUSEHOLD and resident.household_id:
        return f"h{resident.household_id}"
    return f"r{resident.pk}"


def online_opinion_give(
    *,
    window,
    resident,
    stance: str,
    comment: str = "",
    via: str,
    actor=None,
    link=None,
) -> OnlineOpinion:
    """A resident of the window's area states a stance (赞成/反对/其他意见) and a comment:
    once per household or per person, as the window counts (the database holds it to
    that). `via` says how they were known: their personal link, a phone number proven
    with a code, their account; or staff enter an opinion given on paper (actor is then
    the staff member). Raises DomainError."""
    if stance not in OnlineOpinion.Stance.values:
        raise DomainError(_("Choose for, against or another opinion."), field="stance")
    comment = (comment or "").strip()
    if stance == OnlineOpinion.Stance.OTHER and not comment:
        raise DomainError(_("Write your opinion."), field="comment")
    if via == OnlineOpinion.Via.PAPER and not can_manage_opinion_window(actor, window):
        raise DomainError(_("Only the community's staff or the grid's workers enter opinions."))
    if link is not None and (link.object_id != window.pk or link.resident_id != resident.pk):
        raise DomainError(_("This link is for another opinion."))
    if not window.is_open_at(timezone.now()):
        raise DomainError(_("Opinions are no longer taken: the window has closed."))
    if not residents_asked(window).filter(pk=resident.pk).exists():
        raise DomainError(_("Only residents of %(area)s are asked.") % {"area": window.area_name})
    voter = _voter(window, resident)
    try:
        with transaction.atomic():
            opinion = OnlineOpinion.objects.create(
                window=window,
                resident=resident,
                household_id=resident.household_id,
                voter=voter,
                stance=stance,
                comment=comment[:2000],
                via=via,
                recorded_by=actor if via == OnlineOpinion.Via.PAPER else None,
            )
            if link is not None and not link_act(link=link):
                raise DomainError(_("This link has already been used."))
            audit.record(
                actor=actor,
                obj=_subject(window),
                action="give_opinion",
                community=window.community,
                note=_("%(name)s (%(area)s): %(stance)s %(comment)s")
                % {
                    "name": resident.name,
                    "area": window.area_name,
                    "stance": opinion.get_stance_display(),
                    "comment": comment,
                },
                data={"window": window.pk, "via": via},
            )
    except IntegrityError:
        raise DomainError(
            _("Your household has already given its opinion.")
            if voter.startswith("h")
            else _("You have already given your opinion.")
        ) from None
    return opinion


def opinion_given(window, resident):
    """The opinion that counts for this resident (theirs or their household's), or None."""
    return window.opinions.filter(voter=_voter(window, resident)).select_related("resident").first()


@dataclass
class RequestReport:
    sms: int = 0
    in_app: int = 0
    no_phone: int = 0


def opinion_window_request(*, actor, window) -> RequestReport:
    """Ask every resident of the area for their opinion with a personal link: by SMS to
    those without an account, in the app to those with one. Keyed per resident: asking
    again reaches only those not asked yet."""
    from notifications import recipients

    if not can_manage_opinion_window(actor, window):
        raise DomainError(_("Only the community's staff or the grid's workers ask residents."))
    if not window.is_open_at(timezone.now()):
        raise DomainError(_("Opinions are no longer taken: the window has closed."))
    residents = list(residents_asked(window).select_related("community"))
    accounts = recipients.resident_users(r.pk for r in residents)
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=set(accounts.values()))}
    report = RequestReport()
    with transaction.atomic():
        for resident in residents:
            user = users.get(accounts.get(resident.pk))
            if user is None and not sms_reachable(resident):
                report.no_phone += 1
                continue
            link = link_issue(
                purpose=OPINION_REQUEST_PURPOSE,
                target=window,
                person=resident,
                community=window.community,
                expires_at=window.closes_at,
                actor=actor,
            )
            sent = notify(
                recipient=user or resident,
                kind=OPINION_REQUEST_KIND,
                title=_("Your opinion is asked: %(question)s") % {"question": window.question},
                body=_("%(community)s asks the residents of %(area)s until %(until)s.")
                % {
                    "community": window.community.name,
                    "area": window.area_name,
                    "until": timezone.localtime(window.closes_at).strftime("%Y-%m-%d %H:%M"),
                },
                target=window,
                url=link_path(link),
                sms_text="" if user else opinion_sms(window, link_url(link)),
                community=window.community,
            )
            if sent is not None:
                if user is None:
                    report.sms += 1
                else:
                    report.in_app += 1
    return report
