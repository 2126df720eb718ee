"""The pages the meetings app's short links open (reach.purposes, registered in apps.py):
an invitation answered without an account, the notice on the building's board, and online
opinion-taking (线上征求意见) from a poster, a WeChat group or a personal link.

Each gets the link already checked by reach (known, in force, the holder's own) and does
only what its purpose says, about the link's own record and person."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from access.meetings import agenda_item_access, is_public_opinion_window
from access.scope import get_scope
from accounts.forms import ChooseResidentForm
from lib.errors import DomainError
from reach import throttle
from reach.forms import CodeForm, PhoneForm
from reach.models import PhoneCode
from reach.pages import render_link_page, render_refusal
from reach.services import link_path
from reach.session import remember_verified, verified_phone
from reach.verification import (
    TooManyRequests,
    masked,
    phone_code_check,
    phone_code_request,
    residents_with_phone,
)

from . import services
from .forms import RespondForm, StanceForm
from .models import Meeting, OnlineOpinion, Participant
from .selectors import with_opinion_results


def _form_error(form, error):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _agenda(meeting):
    """The agenda as the public may read it: a dispute's title is withheld."""
    items = list(meeting.agenda_items.select_related("issue"))
    access = agenda_item_access(None, items)
    for item in items:
        item.withheld = access[item.pk].withheld or (
            item.issue_id is not None and item.issue.kind == "dispute"
        )
    return items


# ---------------------------------------------------------------- invitations


def invitation_page(request, link):
    """A resident or contact without an account answers their invitation: coming or not
    (and why not), changeable until the meeting starts."""
    participant = (
        Participant.objects.select_related("meeting__community").filter(pk=link.object_id).first()
    )
    if participant is None:
        return render_refusal(request, "unknown", link)
    meeting = participant.meeting
    open_for_answers = meeting.status == Meeting.Status.PLANNED
    form = RespondForm(
        request.POST or None,
        initial={"response": participant.response}
        if participant.response != Participant.Response.PENDING
        else None,
    )
    if request.method == "POST" and open_for_answers and form.is_valid():
        try:
            services.participant_respond(
                actor=request.user,
                participant=participant,
                link=link,
                **form.cleaned_data,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Thank you, your answer was recorded."))
            return redirect(link_path(link))
    return render_link_page(
        request,
        link,
        "meetings/link/invitation.html",
        {
            "participant": participant,
            "meeting": meeting,
            "items": _agenda(meeting),
            "form": form,
            "open_for_answers": open_for_answers,
        },
    )


def notice_page(request, link):
    """The notice on the building's board, read from its QR code: when, where, what, and
    the opinions the community is asking for before the meeting."""
    meeting = Meeting.objects.select_related("community").filter(pk=link.object_id).first()
    if meeting is None or meeting.is_private or meeting.archived_at is not None:
        return render_refusal(request, "unknown", link)
    now = timezone.now()
    windows = [w for w in meeting_open_windows(meeting) if w.is_open_at(now)]
    return render_link_page(
        request,
        link,
        "meetings/link/notice.html",
        {
            "meeting": meeting,
            "items": _agenda(meeting),
            "windows": windows,
        },
    )


def meeting_open_windows(meeting):
    from django.db.models import Q

    from .models import OpinionWindow

    items = list(meeting.agenda_items.values_list("pk", "issue_id"))
    issue_ids = {issue for _pk, issue in items if issue}
    windows = OpinionWindow.objects.filter(
        Q(agenda_item__in=[pk for pk, _issue in items])
        | Q(agenda_item__isnull=True, issue__in=issue_ids)
    ).select_related("compound", "building__compound", "unit__building__compound", "community")
    for window in windows:
        window.poster_link = services.opinions_link(window)
        yield window


# ---------------------------------------------------------------- opinion-taking


def _window(link):
    from .models import OpinionWindow

    return (
        OpinionWindow.objects.select_related(
            "community",
            "issue",
            "agenda_item__meeting",
            "compound",
            "building__compound",
            "unit__building__compound",
        )
        .filter(pk=link.object_id)
        .first()
    )


def _closed_page(request, link, window):
    public = is_public_opinion_window(window, now=timezone.now())
    if public:
        with_opinion_results([window])
    return render_link_page(
        request, link, "meetings/link/opinion_closed.html", {"window": window, "public": public}
    )


def _stance_page(request, link, window, resident, *, via, step_fields=None):
    """The stance form for a known resident, or what their household already said."""
    given = services.opinion_given(window, resident)
    form = StanceForm(request.POST if request.POST.get("step") == "opinion" else None)
    if given is None and form.is_bound and form.is_valid():
        try:
            services.online_opinion_give(
                window=window,
                resident=resident,
                via=via,
                actor=request.user,
                link=link if via == OnlineOpinion.Via.LINK else None,
                **form.cleaned_data,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Thank you: your opinion is counted."))
            chosen = (step_fields or {}).get("as_resident")
            return redirect(link_path(link) + (f"?as={chosen}" if chosen else ""))
    return render_link_page(
        request,
        link,
        "meetings/link/opinion.html",
        {
            "window": window,
            "resident": resident,
            "given": given,
            "form": form,
            "step": "opinion",
            **(step_fields or {}),
        },
    )


def opinion_request_page(request, link):
    """A resident's personal link to give their opinion: no code needed."""
    window = _window(link)
    if window is None:
        return render_refusal(request, "unknown", link)
    if window.has_closed_at(timezone.now()):
        return _closed_page(request, link, window)
    return _stance_page(request, link, window, link.resident, via=OnlineOpinion.Via.LINK)


def opinions_page(request, link):
    """The window's public page, from the poster or the WeChat group: a resident of the
    area proves their number with a code (or is signed in), then gives their opinion."""
    window = _window(link)
    if window is None:
        return render_refusal(request, "unknown", link)
    now = timezone.now()
    if window.has_closed_at(now):
        return _closed_page(request, link, window)
    asked = services.residents_asked(window)
    scope = get_scope(request.user)
    if scope.is_resident and scope.resident_id:
        resident = asked.filter(pk=scope.resident_id).first()
        if resident is not None:
            return _stance_page(request, link, window, resident, via=OnlineOpinion.Via.ACCOUNT)
    step = request.POST.get("step", "")
    address = throttle.client_ip(request)
    phone_form = PhoneForm(request.POST if step == "send_code" else None)
    code_form = CodeForm(request.POST if step == "check_code" else None)
    if step == "send_code" and phone_form.is_valid():
        try:
            phone_code_request(
                phone=phone_form.cleaned_data["phone"],
                purpose=PhoneCode.Purpose.VERIFY,
                ip=address,
            )
        except DomainError as error:
            _form_error(phone_form, error)
        else:
            code_form = CodeForm(initial={"phone": phone_form.cleaned_data["phone"]})
            return _verify_page(request, link, window, phone_form, code_form, sent=True)
    if step == "check_code":
        if code_form.is_valid():
            try:
                phone = phone_code_check(
                    phone=code_form.cleaned_data["phone"],
                    code=code_form.cleaned_data["code"],
                    purpose=PhoneCode.Purpose.VERIFY,
                    ip=address,
                )
            except DomainError as error:
                _form_error(code_form, error)
            else:
                remember_verified(request, phone)
                return redirect(link_path(link))
        return _verify_page(request, link, window, phone_form, code_form, sent=True)
    phone = verified_phone(request)
    if phone is None:
        return _verify_page(request, link, window, phone_form, code_form, sent=False)
    people = list(
        residents_with_phone(phone)
        .filter(pk__in=asked.values("pk"))
        .select_related("community", "household__unit__building__compound")
    )
    if not people:
        return render_link_page(
            request,
            link,
            "meetings/link/opinion_not_asked.html",
            {"window": window, "phone": masked(phone)},
        )
    chosen = None
    if len(people) == 1:
        chosen = people[0]
    else:
        choose = ChooseResidentForm(request.POST if step == "choose" else None, residents=people)
        wanted = request.POST.get("resident") or request.GET.get("as")
        chosen = next((p for p in people if str(p.pk) == wanted), None)
        if chosen is None:
            return render_link_page(
                request,
                link,
                "meetings/link/opinion.html",
                {"window": window, "choose": choose, "step": "choose"},
            )
    return _stance_page(
        request,
        link,
        window,
        chosen,
        via=OnlineOpinion.Via.PHONE,
        step_fields={"as_resident": chosen.pk if len(people) > 1 else None},
    )


def _verify_page(request, link, window, phone_form, code_form, *, sent):
    return render_link_page(
        request,
        link,
        "meetings/link/opinion.html",
        {
            "window": window,
            "phone_form": phone_form,
            "code_form": code_form,
            "sent": sent,
            "step": "check_code" if sent else "send_code",
        },
        status=200,
    )


__all__ = [
    "TooManyRequests",
    "invitation_page",
    "notice_page",
    "opinion_request_page",
    "opinions_page",
]
