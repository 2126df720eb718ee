"""Documents kept on a record (core.models.Attachment): adding one, archiving one, and the
list a record's page shows. Each add and archive is a row of the record's timeline."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.errors import DomainError
from lib.related import user_name_of
from lib.uploads import clean_document, thumbnail_of

from . import audit
from .models import Attachment, AuditEntry

# Kinds offered for each kind of record, most likely first.
KINDS_FOR = {
    "meeting": (
        Attachment.Kind.SIGN_IN_SHEET,
        Attachment.Kind.PHOTO,
        Attachment.Kind.HANDOUT,
        Attachment.Kind.OPINION_FORMS,
        Attachment.Kind.DOCUMENT,
    ),
    "resolution": (
        Attachment.Kind.AGREEMENT,
        Attachment.Kind.PHOTO,
        Attachment.Kind.DOCUMENT,
    ),
    "issue": (Attachment.Kind.PHOTO, Attachment.Kind.DOCUMENT),
}


def attachments_of(obj):
    """The attachments of a record, oldest first, archived ones too (the page folds them
    away), each with `added_by_name`: one query."""
    return (
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            object_id=obj.pk,
        )
        .annotate(added_by_name=user_name_of(Attachment, "added_by"))
        .order_by("added_at", "pk")
    )


def attachment_add(*, actor, target, upload, kind: str, title: str = "") -> Attachment:
    """Keep a document or photo on an issue, a meeting or a resolution. Checked by its
    content (lib.uploads.clean_document: PDF, photos, Office files; size limits); an image
    gets its thumbnail now, once. Raises DomainError (field "file") for a file refused,
    or when the actor may not add to the record."""
    from access.attachments import can_attach

    if not can_attach(actor, target):
        raise DomainError(_("You may not add documents to this record."))
    if upload is None:
        raise DomainError(_("Choose a file first."), field="file")
    clean = clean_document(upload)
    with transaction.atomic():
        attachment = Attachment(
            content_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
            object_id=target.pk,
            community_id=getattr(target, "community_id", None),
            kind=kind,
            title=(title or "").strip()[:200],
            original_name=clean.original_name[:200],
            media_type=clean.media_type,
            size=clean.file.size,
            is_image=clean.is_image,
            added_by=actor,
        )
        attachment.file.save(clean.file.name, clean.file, save=False)
        if clean.is_image:
            thumb = thumbnail_of(clean.file)
            attachment.thumbnail.save(thumb.name, thumb, save=False)
        attachment.save()
        audit.record(
            actor=actor,
            obj=target,
            action=AuditEntry.Action.ATTACH,
            note=f"{attachment.get_kind_display()}：{attachment}",
            data={"attachment": attachment.pk},
        )
    return attachment


def attachment_archive(*, actor, attachment: Attachment, reason: str) -> Attachment:
    """Archive an attachment (a wrong file, a page scanned twice): it leaves the list and
    stays in the record's history with the reason, never deleted. Raises DomainError
    without a reason or for someone who may not archive it. Archiving twice is a no-op."""
    from access.attachments import can_attach

    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why it is archived."), field="reason")
    target = attachment.target
    if not can_attach(actor, target):
        raise DomainError(_("You may not archive documents of this record."))
    with transaction.atomic():
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if locked.archived_at is not None:
            return locked
        locked.archived_at = timezone.now()
        locked.archived_by = actor
        locked.archive_reason = reason[:200]
        locked.save(update_fields=["archived_at", "archived_by", "archive_reason"])
        audit.record(
            actor=actor,
            obj=target,
            action=AuditEntry.Action.DETACH,
            note=f"{locked}：{reason}",
            data={"attachment": locked.pk},
        )
    return locked


def attachments_context(user, target) -> dict:
    """What a record's page needs for its attachments section (core/_attachments.html):
    one query."""
    from access.attachments import can_attach, target_key

    rows = list(attachments_of(target))
    return {
        "attachments": [a for a in rows if a.archived_at is None],
        "archived_attachments": [a for a in rows if a.archived_at is not None],
        "attach_key": target_key(target),
        "attach_pk": target.pk,
        "can_attach": can_attach(user, target),
    }
