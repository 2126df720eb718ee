"""Pages: the user's API token, the API documentation and the 12345 import."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.authtoken.models import Token

from access.api import (
    can_import_hotline,
    communities_for_reporting,
    get_hotline_ticket_for_user,
    hotline_tickets_visible_to,
)
from communities.models import Compound
from issues.models import Category
from lib.errors import DomainError

from .hotline import MAX_BYTES, hotline_import, hotline_ticket_file
from .models import HotlineTicket


@login_required
def token(request):
    current = Token.objects.filter(user=request.user).first()
    return render(request, "api/token.html", {"token": current})


@login_required
@require_POST
def token_create(request):
    """A new token replaces the old one, which stops working at once."""
    Token.objects.filter(user=request.user).delete()
    Token.objects.create(user=request.user)
    messages.success(request, _("Your new API token is ready. The old one no longer works."))
    return redirect("api:token")


@login_required
@require_POST
def token_revoke(request):
    deleted, _count = Token.objects.filter(user=request.user).delete()
    if deleted:
        messages.success(request, _("Your API token was revoked."))
    return redirect("api:token")


def docs(request):
    return render(request, "api/docs.html")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Daily export of the 12345 platform (.xlsx)"),
        help_text=gettext_lazy(
            "Columns: ticket number, time received, caller phone, content, address, request "
            "type, answer-by time. Importing the same file again creates no duplicates."
        ),
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category for the new issues"),
        queryset=Category.objects.filter(is_active=True),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def hotline(request):
    if not can_import_hotline(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = hotline_import(
                actor=request.user,
                data=form.cleaned_data["file"].read(),
                category=form.cleaned_data["category"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Imported %(total)s tickets: %(created)s new, %(updated)s updated, "
                    "%(left)s left for staff."
                )
                % {
                    "total": report.total,
                    "created": len(report.created),
                    "updated": len(report.updated),
                    "left": len(report.left_for_staff),
                },
            )
    pending = hotline_tickets_visible_to(request.user).filter(state=HotlineTicket.State.PENDING)
    page = Paginator(pending.order_by("-received_at", "-pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "api/hotline.html",
        {"form": form, "report": report, "page_obj": page, "tickets": page.object_list},
    )


class FileForm(forms.Form):
    community = forms.ModelChoiceField(label=gettext_lazy("community"), queryset=None)
    compound = forms.ModelChoiceField(label=gettext_lazy("compound"), queryset=None, required=False)
    category = forms.ModelChoiceField(
        label=gettext_lazy("category"), queryset=Category.objects.filter(is_active=True)
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = communities_for_reporting(user)
        self.fields["community"].queryset = communities
        self.fields["compound"].queryset = Compound.objects.filter(
            community__in=communities, archived_at__isnull=True
        ).select_related("community")


@login_required
@require_http_methods(["GET", "POST"])
def hotline_ticket(request, pk):
    if not can_import_hotline(request.user):
        raise PermissionDenied
    ticket = get_hotline_ticket_for_user(request.user, pk)
    form = FileForm(request.POST or None, user=request.user)
    if request.method == "POST" and ticket.state == HotlineTicket.State.PENDING and form.is_valid():
        try:
            ticket = hotline_ticket_file(
                actor=request.user,
                ticket=ticket,
                community=form.cleaned_data["community"],
                compound=form.cleaned_data["compound"],
                category=form.cleaned_data["category"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The ticket was filed as an issue."))
            return redirect("issues:detail", pk=ticket.issue_id)
    return render(request, "api/hotline_ticket.html", {"ticket": ticket, "form": form})
