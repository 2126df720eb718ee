"""Who may see and add the documents kept on a record (core.Attachment): exactly those
who see the record see its attachments; those who run it add and archive them. The rules
are the records' own: an issue's (access.issues), a meeting's (access.meetings), a
resolution's (access.resolutions)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from core.models import Attachment
from issues.models import Issue
from meetings.models import Meeting
from resolutions.models import Resolution

from .issues import can_edit_issue, get_issue_for_user
from .meetings import can_manage_meeting, get_meeting_for_user
from .resolutions import can_manage_resolution, get_resolution_for_user

# The kinds of record that keep attachments: (model, accessor, who adds and archives).
TARGETS = {
    "issue": (Issue, get_issue_for_user, can_edit_issue),
    "meeting": (Meeting, get_meeting_for_user, can_manage_meeting),
    "resolution": (Resolution, get_resolution_for_user, can_manage_resolution),
}
_BY_MODEL = {model: key for key, (model, _get, _may) in TARGETS.items()}


def target_key(obj) -> str:
    """ "issue", "meeting" or "resolution" for a record that keeps attachments."""
    return _BY_MODEL[type(obj)]


_PAGES = {
    "issue": "issues:detail",
    "meeting": "meetings:detail",
    "resolution": "resolutions:detail",
}


def target_url(target) -> str:
    """The page of the record an attachment belongs to."""
    return reverse(_PAGES[target_key(target)], args=[target.pk])


def get_target_for_user(user, key, pk, *, write=False):
    """The record an attachment is added to, if the user may see it (else 404); with
    write=True only if they may add to it (else 403)."""
    if key not in TARGETS:
        raise Http404
    _model, get, may = TARGETS[key]
    target = get(user, pk)
    if write and not may(user, target):
        raise PermissionDenied
    return target


def can_attach(user, target) -> bool:
    """Those who work an issue, run a meeting or manage a resolution add documents to it
    and archive them."""
    return TARGETS[target_key(target)][2](user, target)


def get_attachment_for_user(user, pk, *, write=False) -> Attachment:
    """The attachment if the user may see its record (else 404); with write=True only if
    they may also archive it (else 403). Its `target` is set to the record."""
    try:
        attachment = Attachment.objects.select_related("content_type").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    key = _BY_MODEL.get(attachment.content_type.model_class())
    if key is None:
        raise Http404
    attachment.target = get_target_for_user(user, key, attachment.object_id, write=write)
    return attachment
