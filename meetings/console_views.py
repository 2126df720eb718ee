"""The meeting console (会议控制台) for whoever runs the meeting, its projector view and
QR-code sign-in.

Every open console and projector polls a small address every few seconds with the
meeting's live marker; the answer is 204 (nothing changed, one query) or the fragments
to swap out of band. Writes answer 204 with an `HX-Trigger` that makes the writer's own
console poll at once, or, for a form with errors, the form itself."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.meetings import (
    agenda_item_access,
    can_run_console,
    get_agenda_item_for_user,
    get_meeting_for_user,
    participant_for,
)
from lib.errors import DomainError

from . import forms, services, signin
from .models import PRESENT_ATTENDANCES, AgendaItem, Meeting, Opinion, Participant
from .selectors import live_marker as marker
from .workflow import RECORDING, actions_from

# Polled by every open console and projector: the community is all the pages name.
_LIVE = Meeting.objects.select_related("community")
CHANGED = "console-changed"


def _console_meeting(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True, queryset=_LIVE)
    if not can_run_console(request.user, meeting):
        raise Http404
    return meeting


def _elapsed(meeting) -> int:
    if meeting.current_speaker_id and meeting.speaker_since:
        return max(0, int((timezone.now() - meeting.speaker_since).total_seconds()))
    return 0


def _stage(request, meeting):
    """What both the console and the projector show: the agenda (with what each viewer
    may read of it), the item under discussion, its opinions, the speaker and the
    participants. A constant number of queries however many people and opinions."""
    items = list(meeting.agenda_items.all())
    access = agenda_item_access(request.user, items)
    for item in items:
        item.access = access[item.pk]
    current = next((item for item in items if item.pk == meeting.current_item_id), None)
    opinions = (
        list(Opinion.objects.filter(agenda_item=current).order_by("order", "pk"))
        if current is not None and not current.access.withheld
        else []
    )
    participants = list(meeting.participants.all())
    present = [p for p in participants if p.attendance in PRESENT_ATTENDANCES]
    spoken = {o.participant_id for o in opinions}
    # 依次发言: the next in the order of the list who has not spoken on this item yet.
    next_speaker = next(
        (p for p in present if p.pk not in spoken and p.pk != meeting.current_speaker_id), None
    )
    return {
        "meeting": meeting,
        "marker": marker(meeting),
        "items": items,
        "current": current,
        "opinions": opinions,
        "participants": participants,
        "present": present,
        "present_count": len(present),
        "spoken": spoken,
        "next_speaker": next_speaker,
        "speaker": next((p for p in participants if p.pk == meeting.current_speaker_id), None),
        "elapsed": _elapsed(meeting),
        "recording": meeting.status in RECORDING,
    }


def _console_context(request, meeting, *, opinion_form=None, decide_form=None):
    context = _stage(request, meeting)
    current = context["current"]
    context.update(
        {
            "actions": actions_from(meeting.status),
            "problems": services.presence_problems(meeting)
            if meeting.status == Meeting.Status.PLANNED
            else [],
            "opinion_form": opinion_form
            or forms.ConsoleOpinionForm(
                participants=meeting.participants.all(), auto_id="console-op_%s"
            ),
            "decide_form": decide_form or forms.DecideForm(auto_id="console-de_%s"),
            "with_forms": True,
            "stances": Opinion.Stance.choices,
            "phases": [
                (AgendaItem.Phase.IN_TURN, AgendaItem.Phase.IN_TURN.label),
                (AgendaItem.Phase.FREE, AgendaItem.Phase.FREE.label),
            ],
        }
    )
    context["current_open"] = open_ = (
        current is not None
        and current.outcome == AgendaItem.Outcome.PENDING
        and not current.access.withheld
    )
    # Which forms the console shows: those of the item under discussion while it is open.
    context["forms_key"] = f"{current.pk}-{int(open_)}" if current is not None else ""
    return context


@login_required
def console(request, pk):
    meeting = _console_meeting(request, pk)
    token_url = request.build_absolute_uri(
        reverse("meetings:sign_in", args=[signin.sign_in_token(meeting)])
    )
    context = _console_context(request, meeting)
    context.update(
        {
            "sign_in_url": token_url,
            # Drawn by qrcode from our own address: no user input reaches the markup.
            "qr_svg": mark_safe(signin.qr_svg(token_url)),
        }
    )
    return render(request, "meetings/console/console.html", context)


@login_required
def console_live(request, pk):
    """The console's poll: 204 while the meeting is as the screen shows it; otherwise its
    fragments, out of band. The forms come again only when the item under discussion
    changed: a note half typed is never wiped by someone else's write."""
    meeting = get_meeting_for_user(request.user, pk, write=True, queryset=_LIVE)
    rev = request.GET.get("rev", "")
    if rev == marker(meeting):
        return HttpResponse(status=204)
    if not can_run_console(request.user, meeting):
        # The meeting ended (or was cancelled) on another screen: its page takes over.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("meetings:detail", args=[meeting.pk])
        return response
    if rev.partition(".")[0] != str(meeting.version):
        # The meeting itself moved (started, changed): its actions and forms are others.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    context = _console_context(request, meeting)
    context["with_forms"] = request.GET.get("forms", "") != context["forms_key"]
    return render(request, "meetings/console/live.html", context)


def _changed():
    response = HttpResponse(status=204)
    response["HX-Trigger"] = CHANGED
    return response


def _done(request, meeting, error=None):
    """After a tap: the console redraws at once (htmx), or the page comes again."""
    if request.htmx:
        if error:
            # The console shows the refusal in its alert region (meetings/console.js).
            response = HttpResponse(status=204)
            response["HX-Trigger"] = json.dumps({CHANGED: None, "console-error": error})
            return response
        return _changed()
    if error:
        messages.error(request, error)
    return redirect("meetings:console", meeting.pk)


@login_required
@require_POST
def console_attendance(request, pk, participant_pk):
    """Tap a name: signed in, tap again: not signed in."""
    meeting = _console_meeting(request, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, meeting=meeting)
    form = forms.AttendanceForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.attendance_record(
                actor=request.user,
                participant=participant,
                attendance=form.cleaned_data["attendance"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = _("Choose an attendance.")
    return _done(request, meeting, error)


@login_required
@require_POST
def console_take_up(request, pk, item_pk):
    item = get_agenda_item_for_user(request.user, item_pk, meeting_pk=pk, write=True)
    meeting = _console_meeting(request, pk)
    error = None
    try:
        services.meeting_take_up(actor=request.user, meeting=meeting, item=item)
    except DomainError as exc:
        error = exc.message
    return _done(request, meeting, error)


@login_required
@require_POST
def console_phase(request, pk, item_pk):
    item = get_agenda_item_for_user(request.user, item_pk, meeting_pk=pk, write=True)
    meeting = _console_meeting(request, pk)
    error = None
    try:
        services.agenda_item_set_phase(
            actor=request.user, item=item, phase=request.POST.get("phase", "")
        )
    except DomainError as exc:
        error = exc.message
    return _done(request, meeting, error)


@login_required
@require_POST
def console_floor(request, pk):
    """Give the floor to someone present (the timer starts), or take it back."""
    meeting = _console_meeting(request, pk)
    form = forms.FloorForm(request.POST, meeting=meeting)
    error = None
    if form.is_valid():
        try:
            services.meeting_give_floor(
                actor=request.user, meeting=meeting, participant=form.cleaned_data["participant"]
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = _("The speaker is not at this meeting.")
    return _done(request, meeting, error)


def _form_answer(request, meeting, template, context, *, saved):
    """The form again: empty after a save (and every screen redraws), with the errors next
    to their fields and what was typed otherwise."""
    if not request.htmx:
        if saved:
            return redirect("meetings:console", meeting.pk)
        return render(
            request,
            "meetings/console/console.html",
            {**_console_context(request, meeting, **context), "sign_in_url": "", "qr_svg": ""},
            status=400,
        )
    full = _console_context(request, meeting, **context)
    response = render(request, template, full)
    if saved:
        response["HX-Trigger"] = CHANGED
    return response


@login_required
@require_POST
def console_opinion(request, pk, item_pk):
    item = get_agenda_item_for_user(request.user, item_pk, meeting_pk=pk, write=True)
    meeting = _console_meeting(request, pk)
    form = forms.ConsoleOpinionForm(
        request.POST, participants=meeting.participants.all(), auto_id="console-op_%s"
    )
    if form.is_valid():
        data = form.cleaned_data
        kind = data["kind"] or (
            Opinion.Kind.FREE if item.phase == AgendaItem.Phase.FREE else Opinion.Kind.IN_TURN
        )
        try:
            services.opinion_add(
                actor=request.user,
                item=item,
                kind=kind,
                stance=data["stance"],
                text=data["text"],
                participant=data["participant"],
                speaker_name=data["speaker_name"],
                spoken_seconds=data["spoken_seconds"] or 0,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return _form_answer(
                request, meeting, "meetings/console/opinion_form.html", {}, saved=True
            )
    return _form_answer(
        request,
        meeting,
        "meetings/console/opinion_form.html",
        {"opinion_form": form},
        saved=False,
    )


@login_required
@require_POST
def console_decide(request, pk, item_pk):
    item = get_agenda_item_for_user(request.user, item_pk, meeting_pk=pk, write=True)
    meeting = _console_meeting(request, pk)
    form = forms.DecideForm(request.POST, auto_id="console-de_%s")
    if form.is_valid():
        try:
            services.agenda_item_decide(actor=request.user, item=item, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return _form_answer(
                request, meeting, "meetings/console/decide_form.html", {}, saved=True
            )
    return _form_answer(
        request, meeting, "meetings/console/decide_form.html", {"decide_form": form}, saved=False
    )


# ---------------------------------------------------------------- the room


@login_required
def projector(request, pk):
    """Read-only, in large type, for the screen in the room: the item under discussion,
    who has the floor and for how long."""
    meeting = get_meeting_for_user(request.user, pk, queryset=_LIVE)
    return render(request, "meetings/console/projector.html", _stage(request, meeting))


@login_required
def projector_live(request, pk):
    meeting = get_meeting_for_user(request.user, pk, queryset=_LIVE)
    if request.GET.get("rev") == marker(meeting):
        return HttpResponse(status=204)
    return render(request, "meetings/console/projector_stage.html", _stage(request, meeting))


@login_required
def sign_in_sheet(request, pk):
    """The printable A4 sign-in sheet (签到表), for those who sign on paper."""
    meeting = get_meeting_for_user(request.user, pk, write=True, queryset=_LIVE)
    return render(
        request,
        "meetings/console/sign_in_sheet.html",
        {"meeting": meeting, "participants": list(meeting.participants.all())},
    )


@login_required
def opinion_form(request, pk):
    """The printable blank opinion form (意见征求表) of the meeting, a section for each item
    of its agenda, handed out to be filled in by hand (西湖: 依次发言、自由发言、意见征求表)."""
    meeting = get_meeting_for_user(request.user, pk, write=True, queryset=_LIVE)
    return render(
        request,
        "meetings/opinion_form.html",
        {"meeting": meeting, "items": list(meeting.agenda_items.only("title", "order"))},
    )


@login_required
def sign_in(request, token):
    """The address of the QR code: the invitee confirms, and is signed in."""
    meeting_pk = signin.meeting_pk_of(token)
    if meeting_pk is None:
        return render(request, "meetings/console/sign_in.html", {"expired": True}, status=410)
    meeting = get_meeting_for_user(request.user, meeting_pk)
    participant = participant_for(request.user, meeting)
    if participant is None:
        # Whoever runs the meeting opens the link to try it: say what it is for.
        if can_run_console(request.user, meeting):
            return render(
                request, "meetings/console/sign_in.html", {"meeting": meeting, "runs_it": True}
            )
        raise PermissionDenied
    error = None
    if request.method == "POST":
        try:
            participant = services.attendance_sign_in(actor=request.user, meeting=meeting)
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "meetings/console/sign_in.html",
        {
            "meeting": meeting,
            "participant": participant,
            "signed_in": participant.attendance in PRESENT_ATTENDANCES,
            "open": meeting.status in (Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS),
            "error": error,
        },
        status=400 if error else 200,
    )
