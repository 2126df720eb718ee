from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.notifications import (
    can_retry_delivery,
    can_see_sent_messages,
    deliveries_visible_to,
    sent_communities_for,
)
from access.scope import page_versions
from lib.errors import DomainError
from lib.pagecache import cached_page
from lib.urls import local_next

from . import digests, routing
from .forms import ChannelsForm, SentFilterForm
from .kinds import CHOOSABLE, DIGEST_KIND, Category, Mode
from .models import Notification, Preference
from .selectors import failed_deliveries, sent_deliveries
from .services import (
    delivery_retry,
    notification_mark_read,
    notifications_mark_all_read,
    preference_set,
)


@login_required
@cached_page(page_versions)
def notification_list(request):
    notifications = request.user.notifications.all()
    if request.GET.get("unread"):
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "notifications": page.object_list, "runs": runs(page.object_list)},
    )


# Three reminders of one kind on one day are shown as one group in the bell's list.
GROUP_FROM = 3


def runs(notifications) -> list[tuple[str, list]]:
    """The page's notifications as runs of one kind on one day: [(title of the kind, the
    notifications)], a run shorter than GROUP_FROM as runs of one (title "")."""
    result = []
    for notification in notifications:
        key = (notification.kind, notification.created_at.date())
        if result and result[-1][0] == key and notification.kind != DIGEST_KIND:
            result[-1][1].append(notification)
        else:
            result.append((key, [notification]))
    grouped = []
    for _key, items in result:
        if len(items) >= GROUP_FROM:
            grouped.append((items[0].title.partition("：")[0].partition(":")[0], items))
        else:
            grouped += [("", [n]) for n in items]
    return grouped


@login_required
def digest(request, category, day):
    """A daily digest as a page: what waited for it, by community and resolution, most
    urgent first, each line opening its record. Only the reader's own."""
    if category not in Category.values:
        raise Http404
    day = _day(day)
    notification = get_object_or_404(
        Notification,
        kind=DIGEST_KIND,
        recipient=request.user,
        step=routing.digest_step(category, day),
    )
    notification_mark_read(notification=notification, actor=request.user)
    lines = digests.digest_lines(notification)
    return render(
        request,
        "notifications/digest.html",
        {
            "digest": notification,
            "what": Category(category).label,
            "day": day,
            "groups": digests.grouped(lines),
            "figures": digests.counts(lines),
        },
    )


def _day(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


@login_required
@require_POST
def notification_open(request, pk):
    # Only the recipient's own notifications exist for them.
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification, actor=request.user)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = notifications_mark_all_read(actor=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:list")


@login_required
def channels(request):
    """提醒方式: which outside channels the user wants, besides the in-app notification
    centre, and per kind of message whether it comes at once, in the daily digest or in
    the app only (unchosen: their role's default)."""
    preference = Preference.objects.filter(user=request.user).first()
    reach = routing.Reach(
        role=request.user.role, channels=[], modes=preference.modes if preference else {}
    )
    initial = {
        "email": preference.email if preference else True,
        "sms": preference.sms if preference else False,
        **{f"mode_{c}": reach.mode(c) for c in CHOOSABLE},
    }
    form = ChannelsForm(request.POST or None, user=request.user, initial=initial, with_modes=True)
    if request.method == "POST" and form.is_valid():
        preference_set(
            user=request.user,
            email=form.cleaned_data["email"],
            sms=form.cleaned_data["sms"],
            modes=form.modes,
        )
        messages.success(request, _("How reminders reach you is saved."))
        return redirect("notifications:channels")
    return render(request, "notifications/channels.html", {"form": form, "modes": Mode.choices})


# ---------------------------------------------------------------- messages sent (staff)


@login_required
def sent(request):
    """发送记录: the SMS and emails sent in the name of the user's communities, with their
    status; a failed one is sent again from here. Filters: status, channel, and the record
    they were about (?about=<content type>-<pk>, e.g. a meeting's invitations)."""
    if not can_see_sent_messages(request.user):
        raise PermissionDenied
    form = SentFilterForm(request.GET or None, communities=sent_communities_for(request.user))
    deliveries = sent_deliveries(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("community"):
            deliveries = deliveries.filter(notification__community=data["community"])
        if data["status"]:
            deliveries = deliveries.filter(status=data["status"])
        if data["channel"]:
            deliveries = deliveries.filter(channel=data["channel"])
        if data["about"]:
            content_type, object_id = data["about"]
            deliveries = deliveries.filter(
                notification__content_type=content_type, notification__object_id=object_id
            )
    page = Paginator(deliveries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/sent.html",
        {
            "page_obj": page,
            "deliveries": page.object_list,
            "form": form,
            "failed_count": failed_deliveries(request.user).count(),
        },
    )


@login_required
@require_POST
def retry(request, pk):
    delivery = get_object_or_404(
        deliveries_visible_to(request.user).select_related("notification"), pk=pk
    )
    if not can_retry_delivery(request.user, delivery):
        raise PermissionDenied
    try:
        delivery_retry(delivery=delivery, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The message is queued again."))
    return redirect(local_next(request, "notifications:sent"))
