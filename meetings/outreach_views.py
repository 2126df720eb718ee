"""Reaching invitees and residents who have no account: answers recorded by staff,
invitations sent again, printed slips (通知单) and the notice for the building's board, and
online opinion-taking (线上征求意见) from an issue or an agenda item."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.issues import get_issue_for_user
from access.meetings import (
    can_list_opinion_windows,
    can_manage_opinion_window,
    can_open_opinion_window,
    get_agenda_item_for_user,
    get_meeting_for_user,
    get_opinion_window_for_user,
    is_public_opinion_window,
    opinion_windows_visible_to,
)
from access.reach import can_revoke_link
from lib.errors import DomainError
from reach.services import link_url, links_in_force_for, links_of

from . import services
from .forms import OpinionWindowForm, PaperOpinionForm, RecordAnswerForm, area_value
from .link_views import _agenda
from .models import InvitationChannel, OpinionWindow, Participant
from .selectors import with_opinion_results
from .signin import qr_svg
from .texts import share_text


def _participant(request, pk, participant_pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    return meeting, get_object_or_404(Participant, pk=participant_pk, meeting=meeting)


@login_required
@require_POST
def record_answer(request, pk, participant_pk):
    """Staff record an answer given on the phone, in person or on a reply slip."""
    meeting, participant = _participant(request, pk, participant_pk)
    form = RecordAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.participant_respond(
                actor=request.user, participant=participant, **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The answer of %(name)s is recorded.") % {"name": participant.name},
            )
    else:
        messages.error(request, _("Choose the answer and how it was given."))
    return redirect(
        reverse("meetings:detail", args=[meeting.pk]) + f"#participant-{participant.pk}"
    )


@login_required
@require_POST
def resend_invitation(request, pk, participant_pk):
    meeting, participant = _participant(request, pk, participant_pk)
    try:
        services.invitation_resend(actor=request.user, participant=participant)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("A new invitation SMS is on its way to %(name)s; the old link no longer works.")
            % {"name": participant.name},
        )
    return redirect(
        reverse("meetings:detail", args=[meeting.pk]) + f"#participant-{participant.pk}"
    )


def _slip_people(meeting, everyone):
    """The invitees a slip is printed for: those no channel reached, or (`everyone`) every
    invitee without an account, in the participants' order."""
    participants = list(
        meeting.participants.select_related(
            "resident__household__unit__building__compound", "contact"
        )
    )
    if not everyone:
        return [p for p in participants if p.invited_via == InvitationChannel.SLIP]
    return [p for p, account in services.with_accounts(participants) if account is None]


@login_required
def slips(request, pk):
    """通知单: one A4 page per invitee to hand over, with the meeting, the agenda, and their
    personal link as a QR code and a short address; a reply slip to tear off."""
    meeting = get_meeting_for_user(request.user, pk, write=True)
    everyone = request.GET.get("all") == "1"
    people = _slip_people(meeting, everyone)
    links = links_in_force_for(people, purpose=services.INVITATION_PURPOSE)
    for participant in people:
        link = links.get(participant.pk)
        participant.slip_url = link_url(link) if link else ""
        participant.slip_qr = mark_safe(qr_svg(participant.slip_url)) if link else ""
    return render(
        request,
        "meetings/slips.html",
        {
            "meeting": meeting,
            "people": people,
            "items": _agenda(meeting),
            "everyone": everyone,
            "printed_on": timezone.localdate(),
        },
    )


@login_required
def notice(request, pk):
    """The notice for the building's board: the meeting, its agenda, and a QR code to its
    page (with any opinion-taking open before it)."""
    meeting = get_meeting_for_user(request.user, pk, write=True)
    if meeting.is_private:
        messages.error(request, _("A private mediation is not announced on the board."))
        return redirect("meetings:detail", meeting.pk)
    link = services.notice_link(meeting, actor=request.user)
    url = link_url(link)
    return render(
        request,
        "meetings/notice.html",
        {
            "meeting": meeting,
            "items": _agenda(meeting),
            "url": url,
            "qr": mark_safe(qr_svg(url)),  # drawn by qrcode from our own address
            "printed_on": timezone.localdate(),
        },
    )


# ---------------------------------------------------------------- online opinion-taking


@login_required
def opinion_window_list(request):
    if not can_list_opinion_windows(request.user):
        raise PermissionDenied
    windows = (
        opinion_windows_visible_to(request.user)
        .select_related("community", "compound", "building__compound", "unit__building__compound")
        .annotate(opinion_count=Count("opinions"))
        .order_by("-opens_at", "-pk")
    )
    page = Paginator(windows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/opinion_windows.html",
        {"page_obj": page, "windows": page.object_list, "now": timezone.now()},
    )


@login_required
def opinion_window_create(request):
    """Open online opinion-taking from an issue's page (?issue=) or an agenda item's
    (?item=)."""
    issue = item = None
    if request.GET.get("item"):
        item = get_agenda_item_for_user(request.user, request.GET["item"], write=True)
        issue = item.issue
        community_id, grid_id = item.meeting.community_id, item.meeting.grid_id
        back = reverse("meetings:detail", args=[item.meeting_id]) + f"#item-{item.pk}"
    elif request.GET.get("issue"):
        issue = get_issue_for_user(request.user, request.GET["issue"])
        community_id, grid_id = issue.community_id, issue.grid_id
        back = reverse("issues:detail", args=[issue.pk])
    else:
        raise PermissionDenied
    if not can_open_opinion_window(request.user, community_id, grid_id):
        raise PermissionDenied
    subject = item or issue
    initial = {"question": subject.title}
    if issue is not None:
        initial["area"] = area_value(
            compound=issue.compound, building=issue.building, unit=issue.unit
        )
    form = OpinionWindowForm(request.POST or None, community_id=community_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            window = services.opinion_window_open(
                actor=request.user,
                issue=issue,
                agenda_item=item,
                question=data["question"],
                details=data["details"],
                per=data["per"],
                closes_at=data["closes_at"],
                **data["area"],
            )
        except DomainError as error:
            field = {"compound": "area", "building": "area", "unit": "area"}.get(
                error.field, error.field
            )
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Opinion-taking is open. Print the poster or share the link in the group."),
            )
            return redirect("meetings:opinion_window", window.pk)
    return render(
        request,
        "meetings/opinion_window_form.html",
        {"form": form, "subject": subject, "item": item, "issue": issue, "back": back},
    )


def _window_page(request, window, *, paper_form=None, status=200):
    with_opinion_results([window])
    link = services.opinions_link(window, actor=request.user)
    url = link_url(link)
    manage = can_manage_opinion_window(request.user, window)
    now = timezone.now()
    asked = services.residents_asked(window)
    links = list(links_of(window, purposes=[services.OPINION_REQUEST_PURPOSE]))
    opinions = list(
        window.opinions.select_related(
            "resident__household__unit__building__compound", "recorded_by"
        )
    )
    return render(
        request,
        "meetings/opinion_window.html",
        {
            "window": window,
            "manage": manage,
            "is_open": window.is_open_at(now),
            "url": url,
            "share": share_text(window, url),
            "qr": mark_safe(qr_svg(url)),  # drawn by qrcode from our own address
            "asked_count": asked.count(),
            "opinions": opinions,
            "links": links,
            "may_revoke": can_revoke_link(request.user, links[0]) if links else False,
            "paper_form": paper_form
            or (
                PaperOpinionForm(residents=asked.order_by("name"))
                if manage and window.is_open_at(now)
                else None
            ),
            "public": is_public_opinion_window(window, now=now),
        },
        status=status,
    )


@login_required
def opinion_window(request, pk):
    window = get_opinion_window_for_user(request.user, pk)
    return _window_page(request, window)


@login_required
def opinion_window_poster(request, pk):
    """The A4 poster for the building's board and the WeChat group: the question, the
    closing time, a QR code and the short link."""
    window = get_opinion_window_for_user(request.user, pk)
    link = services.opinions_link(window, actor=request.user)
    url = link_url(link)
    return render(
        request,
        "meetings/opinion_poster.html",
        {
            "window": window,
            "url": url,
            "qr": mark_safe(qr_svg(url)),  # drawn by qrcode from our own address
            "printed_on": timezone.localdate(),
        },
    )


@login_required
@require_POST
def opinion_window_close(request, pk):
    window = get_opinion_window_for_user(request.user, pk, write=True)
    try:
        services.opinion_window_close(actor=request.user, window=window)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Opinion-taking is closed; the results are final."))
    return redirect("meetings:opinion_window", window.pk)


@login_required
@require_POST
def opinion_window_request(request, pk):
    window = get_opinion_window_for_user(request.user, pk, write=True)
    try:
        report = services.opinion_window_request(actor=request.user, window=window)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Asked: %(sms)d by SMS, %(in_app)d in the app; %(no_phone)d residents have no "
                "mobile number on record (the poster reaches them)."
            )
            % {"sms": report.sms, "in_app": report.in_app, "no_phone": report.no_phone},
        )
    return redirect("meetings:opinion_window", window.pk)


@login_required
@require_POST
def opinion_window_paper(request, pk):
    """An opinion given on paper (意见征求表) or in person, entered by staff."""
    window = get_opinion_window_for_user(request.user, pk, write=True)
    form = PaperOpinionForm(
        request.POST, residents=services.residents_asked(window).order_by("name")
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.online_opinion_give(
                window=window,
                resident=data["resident"],
                stance=data["stance"],
                comment=data["comment"],
                via="paper",
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The opinion is counted."))
            return redirect(reverse("meetings:opinion_window", args=[window.pk]) + "#opinions")
    return _window_page(request, window, paper_form=form, status=400)


def opinion_results(request, pk):
    """The results of a closed window about a public matter, for anyone (from the board)."""
    window = get_object_or_404(
        OpinionWindow.objects.select_related(
            "community", "compound", "building__compound", "unit__building__compound", "issue"
        ),
        pk=pk,
    )
    if not is_public_opinion_window(window, now=timezone.now()):
        from django.http import Http404

        raise Http404
    with_opinion_results([window])
    return render(request, "meetings/opinion_results.html", {"window": window})
