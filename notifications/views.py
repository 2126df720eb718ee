from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.scope import page_versions
from lib.pagecache import cached_page

from .forms import ChannelsForm
from .models import Notification, Preference
from .services import notification_mark_read, notifications_mark_all_read, preference_set


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
        {"page_obj": page, "notifications": page.object_list},
    )


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
    """Which outside channels the user wants, besides the in-app notification centre."""
    preference = Preference.objects.filter(user=request.user).first()
    initial = (
        {"email": preference.email, "sms": preference.sms}
        if preference
        else {
            "email": True,
            "sms": False,
        }
    )
    form = ChannelsForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        preference_set(
            user=request.user, email=form.cleaned_data["email"], sms=form.cleaned_data["sms"]
        )
        messages.success(request, _("Your notification channels are saved."))
        return redirect("notifications:channels")
    return render(request, "notifications/channels.html", {"form": form})
