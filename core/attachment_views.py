"""Documents kept on issues, meetings and resolutions: adding one (a page of its own, so a
refused file is said next to the field with what was typed kept), reading one and its
thumbnail (after access/ says the user sees the record; never a public media address), and
archiving one with a reason."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.attachments import get_attachment_for_user, get_target_for_user, target_url
from lib.errors import DomainError

from .attachments import KINDS_FOR, attachment_add, attachment_archive
from .forms import ArchiveAttachmentForm, AttachmentForm


@login_required
def attachment_add_view(request, kind, pk):
    target = get_target_for_user(request.user, kind, pk, write=True)
    form = AttachmentForm(request.POST or None, request.FILES or None, kinds=KINDS_FOR[kind])
    if request.method == "POST" and form.is_valid():
        try:
            attachment = attachment_add(
                actor=request.user,
                target=target,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Added: %(name)s") % {"name": attachment})
            return redirect(target_url(target) + "#attachments")
    if request.method == "POST" and form.errors:
        messages.warning(request, _("Your input is kept; please choose the file again."))
    return render(
        request,
        "core/attachment_form.html",
        {"form": form, "target": target, "kind": kind, "back": target_url(target)},
        status=400 if form.errors else 200,
    )


def _serve(field, *, download_name, media_type, inline):
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, content_type=media_type, as_attachment=not inline, filename=download_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    # A document opened in the browser runs nothing of its own.
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'"
    )
    return response


@login_required
def attachment_file(request, pk):
    attachment = get_attachment_for_user(request.user, pk)
    inline = attachment.is_image or attachment.media_type == "application/pdf"
    extension = attachment.file.name.rsplit(".", 1)[-1]
    name = attachment.original_name
    if not name.lower().endswith(f".{extension}"):
        name = f"{name}.{extension}"
    return _serve(
        attachment.file,
        download_name=name,
        media_type=attachment.media_type
        or mimetypes.guess_type(name)[0]
        or "application/octet-stream",
        inline=inline,
    )


@login_required
def attachment_thumbnail(request, pk):
    attachment = get_attachment_for_user(request.user, pk)
    if not attachment.thumbnail:
        raise Http404
    return _serve(
        attachment.thumbnail, download_name="thumbnail.jpg", media_type="image/jpeg", inline=True
    )


@login_required
@require_POST
def attachment_archive_view(request, pk):
    attachment = get_attachment_for_user(request.user, pk, write=True)
    form = ArchiveAttachmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why it is archived."))
    else:
        try:
            attachment_archive(
                actor=request.user, attachment=attachment, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Archived: %(name)s") % {"name": attachment})
    return redirect(target_url(attachment.target) + "#attachments")
