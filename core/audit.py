"""Writing the one timeline (core.models.AuditEntry). Services call these inside their
transaction; lifecycle moves are written by lib.lifecycle.Lifecycle.apply through `record`."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def _display(instance, field):
    value = getattr(instance, field.attname)
    if value is None:
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        related = getattr(instance, field.name)
        return str(related) if related is not None else ""
    return str(value)


def snapshot(instance, fields=None) -> dict[str, str]:
    """The displayed values of an instance's concrete fields, to diff after a change."""
    names = fields or [
        f.name for f in instance._meta.concrete_fields if not f.primary_key and f.editable
    ]
    return {name: _display(instance, instance._meta.get_field(name)) for name in names}


def diff(before: dict[str, str], instance) -> dict[str, list[str]]:
    after = snapshot(instance, list(before))
    return {name: [before[name], after[name]] for name in before if before[name] != after[name]}


def community_id_of(obj):
    """The community a record belongs to: its own, or its parent's for records such as
    action items (resolution.community) and participants (meeting.community)."""
    if getattr(obj, "community_id", None):
        return obj.community_id
    for parent in ("resolution", "meeting", "issue", "household", "organization"):
        related = getattr(obj, parent, None)
        if related is not None and getattr(related, "community_id", None):
            return related.community_id
    return None


def entry(
    *,
    actor,
    obj,
    action,
    changes=None,
    note="",
    community=None,
    street=None,
    from_status="",
    to_status="",
    data=None,
) -> AuditEntry:
    """An unsaved row of the timeline, for `record` and for bulk writers (the demo at
    scale). `action` is one of AuditEntry.Action, so every row can be named in the
    reader's language and found by the trail's filter: an unknown code raises ValueError."""
    action = AuditEntry.Action(action)
    return AuditEntry(
        community_id=community.pk if community is not None else community_id_of(obj),
        street_id=street.pk if street is not None else None,
        actor=actor if actor is not None and actor.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        action=action,
        from_status=from_status or "",
        to_status=to_status or "",
        changes=changes or {},
        note=note,
        data=data or {},
    )


def record(**kwargs) -> AuditEntry:
    """Write one row of the timeline (see `entry` for the arguments)."""
    row = entry(**kwargs)
    row.save(force_insert=True)
    return row


def timeline_of(obj):
    """The rows about one record, oldest first (the index audit_target serves it)."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
    ).order_by("created_at", "pk")


def about(model):
    """The rows about records of one model (issues, meetings...), to filter further."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=True)
    )


def history_of(obj):
    """`timeline_of` with each row's actor name, for pages that show a record's history."""
    from lib.related import user_name_of

    return timeline_of(obj).annotate(actor_name=user_name_of(AuditEntry, "actor"))
