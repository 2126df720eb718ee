import calendar as pycalendar
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.issues import issues_visible_to
from access.meetings import (
    agenda_item_access,
    can_convene,
    can_list_opinion_windows,
    can_manage_meeting,
    can_request_correction,
    can_run_console,
    get_agenda_item_for_user,
    get_meeting_for_user,
    meetings_visible_to,
    participant_for,
)
from access.reach import can_revoke_link
from access.scope import get_scope, page_versions
from core import audit
from core.attachments import attachments_context
from issues.models import Kind as IssueKind
from lib.errors import DomainError
from lib.pagecache import cached_page
from lib.pdf import pdf_response, render_pdf
from reach.services import links_in_force_for

from . import forms, services
from .followups import attach_follow_ups
from .forms import RecordAnswerForm
from .models import (
    OPEN_OUTCOMES,
    PRESENT_ATTENDANCES,
    AgendaItem,
    InvitationChannel,
    Meeting,
    MinutesCorrection,
    Opinion,
    Participant,
)
from .proposals import proposed_invitees
from .selectors import invitation_deliveries, live_marker, opinion_windows_of_items
from .workflow import MINUTES_DRAFT, RECORDING, TRANSITIONS, actions_from


def _field_error(form, error):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@login_required
def meeting_list(request):
    meetings = (
        meetings_visible_to(request.user)
        .select_related("community", "grid")
        .annotate(
            participant_count=Count("participants", distinct=True),
            item_count=Count("agenda_items", distinct=True),
        )
        .order_by("-starts_at", "-pk")
    )
    status = request.GET.get("status", "")
    if status in Meeting.Status.values:
        meetings = meetings.filter(status=status)
    page = Paginator(meetings, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/list.html",
        {
            "page_obj": page,
            "meetings": page.object_list,
            "status": status,
            "statuses": Meeting.Status.choices,
            "can_convene": can_convene(request.user),
        },
    )


@login_required
def meeting_create(request):
    if not can_convene(request.user):
        raise PermissionDenied
    scope = get_scope(request.user)
    issues = issues_visible_to(request.user)
    initial = {}
    if request.GET.get("issue"):
        initial["issues"] = issues.filter(pk=request.GET["issue"]).values_list("pk", flat=True)
    form = forms.MeetingForm(request.POST or None, scope=scope, issues=issues, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=request.user,
                community=data["community"],
                grid=data["grid"],
                compound=data["compound"],
                form=data["form"],
                title=data["title"],
                venue=data["venue"],
                place=data["place"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                is_private=data["is_private"],
                issues=list(data["issues"]),
            )
        except DomainError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("Meeting convened. Now invite the participants."))
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/form.html", {"form": form})


def _sessions(user, meeting):
    """The earlier meeting this one continues and its continuation (续会), those the user
    may open, in one query: the pages link both ways."""
    linked = Q(continues=meeting.pk)
    if meeting.continues_id:
        linked |= Q(pk=meeting.continues_id)
    earlier = continuation = None
    for other in (
        meetings_visible_to(user)
        .filter(linked)
        .exclude(status=Meeting.Status.CANCELLED)
        .only("pk", "title", "starts_at", "continues_id")
        .order_by("starts_at", "pk")
    ):
        if other.pk == meeting.continues_id:
            earlier = other
        else:
            continuation = other
    return {"earlier_session": earlier, "continuation": continuation}


def _detail_context(request, meeting, **extra):
    items = list(
        meeting.agenda_items.select_related("issue").prefetch_related(
            Prefetch("opinions", queryset=Opinion.objects.order_by("order", "pk"))
        )
    )
    # A participant carries its own name and organization: nothing to join.
    participants = list(meeting.participants.all())
    manage = can_manage_meeting(request.user, meeting)
    recording = meeting.status in RECORDING and manage
    present = [p for p in participants if p.attendance in PRESENT_ATTENDANCES]
    attach_follow_ups(request.user, meeting, items)
    item_forms = extra.pop("item_forms", {})
    access = agenda_item_access(request.user, items)
    for item in items:
        item.access = access[item.pk]
        given = item_forms.get(item.pk, {})
        item.opinion_form = given.get("opinion_form") or (
            forms.OpinionForm(
                participants=meeting.participants.all(),
                auto_id=f"op{item.pk}_%s",
                initial={"kind": "free" if item.phase == AgendaItem.Phase.FREE else "in_turn"},
            )
            if recording
            else None
        )
        item.decide_form = given.get("decide_form") or (
            forms.DecideForm(auto_id=f"de{item.pk}_%s") if recording else None
        )
    windows = opinion_windows_of_items(items)
    may_see_windows = can_list_opinion_windows(request.user)
    for item in items:
        item.windows_asked = _windows_shown(item, windows, may_see_windows)
        item.may_ask_opinions = (
            manage
            and not meeting.is_private
            and not item.access.withheld
            # A dispute (白茶) is never put to the building.
            and not (item.issue_id and item.issue.kind == IssueKind.DISPUTE)
            and meeting.status in (Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS)
        )
    if manage:
        _attach_invitation_state(request.user, meeting, participants)
    context = {
        "meeting": meeting,
        "items": items,
        "participants": participants,
        "answer_form": RecordAnswerForm()
        if manage and meeting.status == Meeting.Status.PLANNED
        else None,
        "slip_count": sum(1 for p in participants if p.invited_via == InvitationChannel.SLIP),
        # The messages sent about this meeting, on the list of messages sent.
        "about_meeting": f"{ContentType.objects.get_for_model(Meeting).pk}-{meeting.pk}",
        "invited_by": _invited_by(participants),
        "manage": manage,
        "recording": recording,
        "present_count": len(present),
        "actions": actions_from(meeting.status) if manage else [],
        "problems": services.presence_problems(meeting)
        if manage and meeting.status == Meeting.Status.PLANNED
        else [],
        "speaking": services.speaking_time_by_role(meeting),
        "proposals": proposed_invitees(meeting)
        if manage and meeting.status == Meeting.Status.PLANNED
        else [],
        "participant_form": forms.ParticipantForm(community_id=meeting.community_id),
        "attendance_choices": Participant.Attendance.choices,
        "opinion_kinds": Opinion.Kind.choices,
        "stances": Opinion.Stance.choices,
        "outcomes": [c for c in AgendaItem.Outcome.choices if c[0] != AgendaItem.Outcome.PENDING],
        "phases": AgendaItem.Phase.choices,
        "continue_form": forms.ContinueForm(),
        "agenda_form": forms.AgendaItemForm(
            issues=issues_visible_to(request.user).filter(community=meeting.community_id)
        )
        if manage and meeting.status in (Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS)
        else None,
        "mine": participant_for(request.user, meeting, among=participants),
        "marker": live_marker(meeting),
        "may_see_windows": may_see_windows,
        "console": can_run_console(request.user, meeting),
        # The meeting's record of who did what, for those who run it.
        "history": list(audit.history_of(meeting)) if manage else [],
        "has_continuation": meeting.has_continuation
        if hasattr(meeting, "has_continuation")
        else meeting.continuations.exclude(status=Meeting.Status.CANCELLED).exists(),
        # Those the button will invite: everyone not invited yet but whoever presses it.
        "uninvited": sum(
            1 for p in participants if p.invited_at is None and p.user_id != request.user.pk
        ),
        # A continuation carries over what is still open; with nothing open none is offered.
        "has_open_items": any(item.outcome in OPEN_OUTCOMES for item in items),
        **_sessions(request.user, meeting),
        # The signed sign-in sheet, photos and handouts kept with the meeting.
        **attachments_context(request.user, meeting),
    }
    context.update(extra)
    return context


def _windows_shown(item, windows, may_see_windows):
    """The opinion-taking shown with an agenda item: none for a withheld item; for those
    outside the community's work (an invited resident), only what has closed, its results
    final."""
    if item.access.withheld:
        return []
    return [w for w in windows[item.pk] if may_see_windows or w.closed]


def _attach_invitation_state(user, meeting, participants):
    """Set on each participant how their invitation went out beyond the app (`delivery`:
    channel, status, last error) and their personal link in force (`invitation_link`):
    two queries."""
    deliveries = invitation_deliveries(meeting)
    links = links_in_force_for(participants, purpose=services.INVITATION_PURPOSE)
    for p in participants:
        p.delivery = deliveries.get(p.pk)
        p.invitation_link = links.get(p.pk)
        p.may_revoke_link = p.invitation_link is not None and can_revoke_link(
            user, p.invitation_link
        )


def _invited_by(participants) -> list:
    """(label, count) of the invitations sent, by the channel that took them."""
    counts = {}
    for p in participants:
        if p.invited_via:
            counts[p.invited_via] = counts.get(p.invited_via, 0) + 1
    return [
        (label, counts[value]) for value, label in InvitationChannel.choices if counts.get(value)
    ]


# The meeting as its page shows it, built once (making a queryset costs about as much as
# running this one): with the community and grid it names, and whether it was continued
# (a cancelled continuation may be convened again).
_DETAIL = Meeting.objects.select_related("community", "grid", "place").annotate(
    has_continuation=Exists(
        Meeting.objects.filter(continues=OuterRef("pk")).exclude(status=Meeting.Status.CANCELLED)
    )
)


@login_required
@cached_page(page_versions)
def meeting_detail(request, pk):
    meeting = get_meeting_for_user(request.user, pk, queryset=_DETAIL)
    if request.htmx and "rev" in request.GET:
        # The page's poll: the present counts, when someone signed in on another screen
        # or with the QR code.
        if request.GET["rev"] == live_marker(meeting):
            return HttpResponse(status=204)
        return render(
            request,
            "meetings/partials/present_count.html",
            {
                "meeting": meeting,
                "present_count": services.present_count(meeting),
                "marker": live_marker(meeting),
                "oob": True,
            },
        )
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


@login_required
@require_POST
def meeting_transition(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = forms.TransitionForm(request.POST)
    if form.is_valid() and form.cleaned_data["action"] in TRANSITIONS:
        try:
            services.meeting_transition(
                actor=request.user,
                meeting=meeting,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
                override_presence=form.cleaned_data["override_presence"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Done: %(action)s.") % {"action": TRANSITIONS[form.cleaned_data["action"]].label},
            )
    else:
        messages.error(request, _("The request was incomplete. Please try again."))
    meeting.refresh_from_db(fields=["status"])
    if request.POST.get("next") == "console" and can_run_console(request.user, meeting):
        return redirect("meetings:console", meeting.pk)
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def participant_add(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    proposals = proposed_invitees(meeting)
    chosen = request.POST.getlist("proposal")
    try:
        if chosen:
            for index in chosen:
                if index.isdigit() and int(index) < len(proposals):
                    p = proposals[int(index)]
                    services.participant_add(
                        actor=request.user,
                        meeting=meeting,
                        role=p.role,
                        name=p.name,
                        user=p.user,
                        resident=p.resident,
                        contact=p.contact,
                        organization_name=p.organization_name,
                    )
            messages.success(request, _("Proposed invitees added."))
        else:
            form = forms.ParticipantForm(request.POST, community_id=meeting.community_id)
            if not form.is_valid():
                return render(
                    request,
                    "meetings/detail.html",
                    _detail_context(request, meeting, participant_form=form),
                    status=400,
                )
            services.participant_add(actor=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, _("Participant added."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#participants")


@login_required
@require_POST
def meeting_invite(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    try:
        report = services.meeting_invite(actor=request.user, meeting=meeting)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        (messages.warning if report.to_print else messages.success)(request, report.summary())
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#participants")


@login_required
@require_POST
def attendance(request, pk, participant_pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    participant = get_object_or_404(Participant, pk=participant_pk, meeting=meeting)
    form = forms.AttendanceForm(request.POST)
    error = None
    if form.is_valid():
        try:
            participant = services.attendance_record(
                actor=request.user,
                participant=participant,
                attendance=form.cleaned_data["attendance"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = _("Choose an attendance.")
    if request.htmx:
        # The row, then the present counts of the page out of band (htmx's hx-swap-oob).
        return render(
            request,
            "meetings/partials/attendance.html",
            {
                "p": participant,
                "meeting": meeting,
                "manage": True,
                "error": error,
                "attendance_choices": Participant.Attendance.choices,
                "present_count": services.present_count(meeting),
                "marker": live_marker(meeting),
            },
        )
    if error:
        messages.error(request, error)
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#participants")


def _item_response(request, meeting, item, *, opinion_form=None, decide_form=None, status=200):
    item = AgendaItem.objects.prefetch_related(
        Prefetch("opinions", queryset=Opinion.objects.order_by("order", "pk"))
    ).get(pk=item.pk)
    if request.htmx:
        context = _detail_context(
            request,
            meeting,
            item_forms={item.pk: {"opinion_form": opinion_form, "decide_form": decide_form}},
        )
        context["item"] = next(i for i in context["items"] if i.pk == item.pk)
        # htmx swaps only 2xx answers: the form with its errors comes back as 200.
        return render(request, "meetings/partials/item.html", context)
    if status != 200:
        return render(
            request,
            "meetings/detail.html",
            _detail_context(
                request,
                meeting,
                item_forms={item.pk: {"opinion_form": opinion_form, "decide_form": decide_form}},
            ),
            status=status,
        )
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#item-{item.pk}")


@login_required
@require_POST
def opinion_add(request, pk, item_pk):
    item = get_agenda_item_for_user(request.user, item_pk, meeting_pk=pk, write=True)
    meeting = item.meeting
    form = forms.OpinionForm(
        request.POST, participants=meeting.participants.all(), auto_id=f"op{item.pk}_%s"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.opinion_add(
                actor=request.user,
                item=item,
                kind=data["kind"],
                stance=data["stance"],
                text=data["text"],
                participant=data["participant"],
                speaker_name=data["speaker_name"],
                spoken_seconds=data["spoken_seconds"] or 0,
            )
        except DomainError as error:
            _field_error(form, error)
        else:
            return _item_response(request, meeting, item)
    return _item_response(request, meeting, item, opinion_form=form, status=400)


@login_required
@require_POST
def item_phase(request, pk, item_pk):
    item = get_agenda_item_for_user(request.user, item_pk, meeting_pk=pk, write=True)
    meeting = item.meeting
    try:
        services.agenda_item_set_phase(
            actor=request.user, item=item, phase=request.POST.get("phase", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    return _item_response(request, meeting, item)


@login_required
@require_POST
def item_decide(request, pk, item_pk):
    item = get_agenda_item_for_user(request.user, item_pk, meeting_pk=pk, write=True)
    meeting = item.meeting
    form = forms.DecideForm(request.POST, auto_id=f"de{item.pk}_%s")
    if form.is_valid():
        try:
            services.agenda_item_decide(actor=request.user, item=item, **form.cleaned_data)
        except DomainError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("Outcome recorded."))
            return _item_response(request, meeting, item)
    return _item_response(request, meeting, item, decide_form=form, status=400)


@login_required
@require_POST
def meeting_continue(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = forms.ContinueForm(request.POST)
    if form.is_valid():
        try:
            follow = services.meeting_continue(
                actor=request.user, meeting=meeting, **form.cleaned_data
            )
        except DomainError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("Continuation convened with the open items."))
            return redirect("meetings:detail", follow.pk)
    return render(
        request,
        "meetings/detail.html",
        _detail_context(request, meeting, continue_form=form),
        status=400,
    )


@login_required
def respond(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    participant = participant_for(request.user, meeting)
    if participant is None:
        raise PermissionDenied
    form = forms.RespondForm(request.POST or None, initial={"response": participant.response})
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_respond(
                actor=request.user, participant=participant, **form.cleaned_data
            )
        except DomainError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("Thank you, your answer was recorded."))
            return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/respond.html",
        {"meeting": meeting, "participant": participant, "form": form},
    )


@login_required
def ics(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    response = HttpResponse(
        services.meeting_ics(meeting), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
def calendar_view(request):
    view = request.GET.get("view", "month")
    if view not in ("week", "month"):
        view = "month"
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    if view == "week":
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=6)
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
    else:
        first = day.replace(day=1)
        last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
        previous = (first - timedelta(days=1)).replace(day=1)
        following = last + timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    meetings = list(
        meetings_visible_to(request.user)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("community")
        .order_by("starts_at")
    )
    by_day = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    grid_start = first - timedelta(days=first.weekday())
    grid_end = last + timedelta(days=6 - last.weekday())
    weeks, current = [], grid_start
    while current <= grid_end:
        weeks.append(
            [
                {
                    "date": current + timedelta(days=i),
                    "meetings": by_day.get(current + timedelta(days=i), []),
                    "outside": not (first <= current + timedelta(days=i) <= last),
                }
                for i in range(7)
            ]
        )
        current += timedelta(days=7)
    return render(
        request,
        "meetings/calendar.html",
        {
            "view": view,
            "first": first,
            "last": last,
            "weeks": weeks,
            "previous": previous,
            "following": following,
            "today": timezone.localdate(),
            "count": len(meetings),
        },
    )


def _minutes_context(request, meeting):
    items = list(
        meeting.agenda_items.select_related("issue").prefetch_related(
            Prefetch("opinions", queryset=Opinion.objects.order_by("order", "pk"))
        )
    )
    access = agenda_item_access(request.user, items)
    participants = list(meeting.participants.all())
    attach_follow_ups(request.user, meeting, items)
    # Each correction request goes beside the section it concerns: its agenda item's, or the
    # first section's when it concerns the minutes as a whole.
    corrections = list(meeting.corrections.select_related("requested_by"))
    windows = opinion_windows_of_items(items)
    may_see_windows = can_list_opinion_windows(request.user)
    for item in items:
        item.access = access[item.pk]
        item.windows_asked = _windows_shown(item, windows, may_see_windows)
        # What was asked about a private matter stays with those who may read the matter.
        item.margin = (
            [] if item.access.withheld else [c for c in corrections if c.agenda_item_id == item.pk]
        )
    # 记录人: whoever recorded what was said, in the order they first did.
    recorder_ids = list(
        dict.fromkeys(o.recorded_by_id for item in items for o in item.opinions.all())
    )
    return {
        "meeting": meeting,
        "items": items,
        "present": [p for p in participants if p.attendance in PRESENT_ATTENDANCES],
        "absent": [p for p in participants if p.attendance == Participant.Attendance.ABSENT],
        "invited_count": len(participants),
        **_host_and_recorders(meeting, recorder_ids),
        # The appendix of speaking time, when the meeting timed its speakers.
        "speaking": [row for row in services.speaking_time_by_role(meeting) if row["seconds"]],
        "corrections": corrections,
        "general_corrections": [c for c in corrections if c.agenda_item_id is None],
        "open_corrections": sum(
            1 for c in corrections if c.status == MinutesCorrection.Status.OPEN
        ),
        "followed_items": [item for item in items if item.follow_ups],
        **_sessions(request.user, meeting),
    }


def _host_and_recorders(meeting, recorder_ids):
    """主持人 (the convener) and 记录人 (those who recorded what was said; the convener when
    no one did), named in one query."""
    people = {
        user.pk: user.get_full_name() or user.username
        for user in get_user_model().objects.filter(
            pk__in=[meeting.convener_id, *filter(None, recorder_ids)]
        )
    }
    recorders = [people[pk] for pk in recorder_ids if pk in people]
    host = people.get(meeting.convener_id, "")
    return {"host": host, "recorders": recorders or [host]}


def _version(post) -> int:
    """The version of the meeting the page was built from (0, never current, if missing)."""
    value = post.get("version", "")
    return int(value) if value.isdigit() else 0


def _minutes_post(request, meeting, *, manage, minutes_form, correction_form, corrections):
    """Run the one service a POST on the minutes page asks for. Returns the redirect on
    success, None when the page must show what went wrong (errors are put on the forms,
    on the correction answered, or in a message)."""
    post = request.POST
    try:
        if "save_minutes" in post and minutes_form is not None:
            if not minutes_form.is_valid():
                return None
            data = minutes_form.cleaned_data
            services.minutes_edit(
                actor=request.user,
                meeting=meeting,
                expected_version=data["version"],
                outcomes={
                    k.split("_", 1)[1]: v for k, v in data.items() if k.startswith("outcome_")
                },
                summary=data["summary"],
            )
            messages.success(request, _("Minutes saved."))
        elif "publish" in post and manage:
            services.summary_publish(
                actor=request.user,
                meeting=meeting,
                summary=post.get("summary", meeting.summary),
                expected_version=_version(post),
            )
            messages.success(request, _("Summary published for residents."))
        elif "finalise" in post and manage:
            services.meeting_transition(
                actor=request.user,
                meeting=meeting,
                action="close",
                expected_version=_version(post),
            )
            messages.success(request, _("The minutes are final and locked."))
        elif "correction" in post:
            if not correction_form.is_valid():
                return None
            services.correction_request(
                actor=request.user,
                meeting=meeting,
                text=correction_form.cleaned_data["text"],
                agenda_item=correction_form.cleaned_data["agenda_item"],
            )
            messages.success(request, _("Your correction request was sent to the convener."))
        elif "answer_correction" in post and manage:
            correction = next(
                (c for c in corrections if str(c.pk) == post.get("correction_pk")), None
            )
            if correction is None:
                raise Http404
            # Kept on the correction, so a declined answer without a reason shows what was
            # typed with the error beside it.
            correction.typed_answer = post.get("answer", "")
            try:
                services.correction_answer(
                    actor=request.user,
                    correction=correction,
                    accept=post.get("accept") == "1",
                    answer=correction.typed_answer,
                )
            except DomainError as error:
                correction.answer_error = error.message
                return None
            messages.success(request, _("Correction answered."))
        else:
            messages.error(request, _("The request was incomplete. Please try again."))
            return None
    except DomainError as error:
        if "save_minutes" in post:
            _field_error(minutes_form, error)
        elif "correction" in post:
            _field_error(correction_form, error)
        else:
            messages.error(request, error.message)
        return None
    return redirect("meetings:minutes", meeting.pk)


@login_required
def minutes(request, pk):
    """The minutes as a document: read by everyone at the meeting, edited in place by those
    who run it while they are a draft, then finalised (locked)."""
    meeting = get_meeting_for_user(request.user, pk)
    context = _minutes_context(request, meeting)
    manage = can_manage_meeting(request.user, meeting)
    draft = meeting.status in MINUTES_DRAFT
    post = request.POST if request.method == "POST" else None
    minutes_form = None
    if manage and draft:
        minutes_form = forms.MinutesForm(
            post if post and "save_minutes" in post else None,
            items=[item for item in context["items"] if not item.access.withheld],
            initial={"version": meeting.version, "summary": meeting.summary},
        )
    readable = [item for item in context["items"] if not item.access.withheld]
    correction_form = forms.CorrectionForm(
        post if post and "correction" in post else None, items=readable
    )
    status = 200
    if post is not None:
        done = _minutes_post(
            request,
            meeting,
            manage=manage,
            minutes_form=minutes_form,
            correction_form=correction_form,
            corrections=context["corrections"],
        )
        if done is not None:
            return done
        status = 400
    if minutes_form is not None:
        for item in context["items"]:
            name = f"outcome_{item.pk}"
            item.outcome_field = minutes_form[name] if name in minutes_form.fields else None
    context.update(
        {
            "manage": manage,
            "draft": draft,
            "minutes_form": minutes_form,
            "correction_form": correction_form,
            # Those who run the meeting edit the minutes themselves; attendees ask.
            "may_correct": draft and not manage and can_request_correction(request.user, meeting),
            "may_finalise": manage and draft,
            "editor": True,
        }
    )
    return render(request, "meetings/minutes.html", context, status=status)


@login_required
def minutes_pdf(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    pdf = render_pdf(
        "meetings/minutes_pdf.html",
        _minutes_context(request, meeting),
        request=request,
        stylesheets=["css/document.css"],
    )
    return pdf_response(
        pdf,
        _("%(title)s minutes.pdf") % {"title": meeting.title},
        inline="download" not in request.GET,
    )


@login_required
@require_POST
def agenda_add(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    issues = issues_visible_to(request.user).filter(community=meeting.community_id)
    form = forms.AgendaItemForm(request.POST, issues=issues)
    if form.is_valid():
        try:
            services.agenda_item_add(
                actor=request.user,
                meeting=meeting,
                issue=form.cleaned_data["issue"],
                title=form.cleaned_data["title"],
            )
        except DomainError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("Added to the agenda."))
            return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/detail.html",
        _detail_context(request, meeting, agenda_form=form),
        status=400,
    )


@login_required
def meeting_edit(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    initial = {
        "title": meeting.title,
        "venue": meeting.venue,
        "place": meeting.place_id,
        "version": meeting.version,
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at),
    }
    form = forms.MeetingEditForm(
        request.POST or None, initial=initial, community_id=meeting.community_id
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.meeting_update(
                actor=request.user, meeting=meeting, expected_version=version, **data
            )
        except DomainError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("Meeting changed."))
            return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )
