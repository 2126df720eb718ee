"""Recording changes for the audit trail. Services call these inside their transaction."""

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


def _community_id(obj):
    """The community a record belongs to: its own, or its parent's for records such as
    action items (resolution.community) and participants (meeting.community)."""
    if getattr(obj, "community_id", None):
        return obj.community_id
    for parent in ("resolution", "meeting", "issue", "household", "organization"):
        related = getattr(obj, parent, None)
        if related is not None and getattr(related, "community_id", None):
            return related.community_id
    return None


def record(*, actor, obj, action, changes=None, note="", community=None) -> AuditEntry:
    """Write one row of the trail. `action` is one of AuditEntry.Action, so the trail can
    name every row in the reader's language; an unknown code raises ValueError."""
    action = AuditEntry.Action(action)
    return AuditEntry.objects.create(
        community_id=community.pk if community is not None else _community_id(obj),
        actor=actor if actor is not None and actor.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        action=action,
        changes=changes or {},
        note=note,
    )


def status_change(before: str, after: str) -> dict[str, list[str]]:
    """The `changes` of a lifecycle move, as status codes the trail shows as labels."""
    return {"status": [before, after]} if before != after else {}
