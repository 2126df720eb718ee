from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from access.reach import can_revoke_link, links_visible_to
from access.scope import get_scope
from lib.errors import DomainError
from lib.urls import local_next

from . import throttle
from .pages import private_headers, render_refusal
from .purposes import purpose_of
from .services import find_link, link_revoke, link_visit, refusal_of

# Tokens that name no link, from one address, before every link page answers "too many".
MISSES_PER_HOUR = 30


def _not_yours(user, link) -> bool:
    """A signed-in resident or contact opening a link issued to someone else."""
    scope = get_scope(user)
    if not link.is_personal or not scope.is_authenticated:
        return False
    mine = (link.resident_id and link.resident_id == scope.resident_id) or (
        link.contact_id and link.contact_id == getattr(user, "contact_id", None)
    )
    bound = scope.resident_id or getattr(user, "contact_id", None)
    return bool(bound) and not mine


@never_cache
def open_link(request, token):
    """/s/<token>: check the link, then hand it to the page of its purpose."""
    address = throttle.client_ip(request)
    if throttle.exhausted(f"link-misses:{address}", limit=MISSES_PER_HOUR):
        return render_refusal(request, "throttled")
    link = find_link(token)
    reason = refusal_of(link)
    if reason == "unknown":
        throttle.allow(f"link-misses:{address}", limit=MISSES_PER_HOUR, seconds=3600)
    if reason:
        return render_refusal(request, reason, link)
    if _not_yours(request.user, link):
        return render_refusal(request, "not_yours", link)
    if request.method == "GET":
        link_visit(link=link, user=request.user)
    # Whatever the page, its address is a key: not cached, indexed or sent on.
    return private_headers(purpose_of(link.purpose).view(request, link))


@login_required
@require_POST
def link_revoke_view(request, pk):
    link = get_object_or_404(links_visible_to(request.user), pk=pk)
    if not can_revoke_link(request.user, link):
        raise PermissionDenied
    try:
        link_revoke(link=link, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The link of %(person)s no longer opens anything.")
            % {"person": link.person.name if link.person else _("the public")},
        )
    return redirect(local_next(request, "home"))
