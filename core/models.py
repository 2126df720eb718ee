from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEntry(models.Model):
    """Who changed what, and when, on residents, organizations, meetings, resolutions and
    action items. Issues keep their own timeline (issues.IssueEvent), which users read and
    admins audit: one table each, never two for the same record."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        TRANSITION = "transition", _("Status changed")
        ARCHIVE = "archive", _("Archived")
        RESTORE = "restore", _("Restored")
        IMPORT = "import", _("Imported")
        # Meetings (meetings.services, meetings.workflow.TRANSITIONS).
        AGENDA = "agenda", pgettext_lazy("audit action", "Agenda item added")
        PARTICIPANT = "participant", pgettext_lazy("audit action", "Participant added")
        INVITE = "invite", pgettext_lazy("audit action", "Invitations sent")
        RESPOND = "respond", pgettext_lazy("audit action", "Invitation answered")
        ATTENDANCE = "attendance", pgettext_lazy("audit action", "Attendance recorded")
        START = "start", pgettext_lazy("audit action", "Started")
        ADJOURN = "adjourn", pgettext_lazy("audit action", "Adjourned")
        END = "end", pgettext_lazy("audit action", "Ended")
        CLOSE = "close", pgettext_lazy("audit action", "Minutes finalised")
        CANCEL = "cancel", pgettext_lazy("audit action", "Cancelled")
        DECIDE = "decide", pgettext_lazy("audit action", "Outcome recorded")
        EDIT_MINUTES = "edit_minutes", pgettext_lazy("audit action", "Minutes edited")
        PUBLISH_SUMMARY = "publish_summary", pgettext_lazy("audit action", "Summary published")
        # Resolutions and action items (resolutions.services, resolutions.workflow).
        SUBMIT_REVIEW = "submit_review", pgettext_lazy("audit action", "Sent for legal review")
        APPROVE_REVIEW = "approve_review", pgettext_lazy("audit action", "Legal review passed")
        RETURN_REVIEW = "return_review", pgettext_lazy("audit action", "Returned for changes")
        ADOPT = "adopt", pgettext_lazy("audit action", "Adopted")
        PUBLISH = "publish", pgettext_lazy("audit action", "Published")
        WITHDRAW = "withdraw", pgettext_lazy("audit action", "Withdrawn")
        CONFIRM = "confirm", pgettext_lazy("audit action", "Signature recorded")
        OBJECT = "object", pgettext_lazy("audit action", "Objection lodged")
        ANSWER_OBJECTION = "answer_objection", pgettext_lazy("audit action", "Objection answered")
        COST_SPLIT = "cost_split", pgettext_lazy("audit action", "Cost split")
        PROGRESS = "progress", pgettext_lazy("audit action", "Progress reported")
        REQUEST_CHECK = "request_check", pgettext_lazy("audit action", "Reported done")
        PASS_CHECK = "pass_check", pgettext_lazy("audit action", "Confirmed on site")
        FAIL_CHECK = "fail_check", pgettext_lazy("audit action", "Sent back for rework")
        EVALUATE = "evaluate", pgettext_lazy("audit action", "Evaluated")
        REVISIT = "revisit", pgettext_lazy("audit action", "Revisited")
        # Monthly reports (reports.services).
        COMPUTE = "compute", pgettext_lazy("audit action", "Monthly report stored")
        RECOMPUTE = "recompute", pgettext_lazy("audit action", "Monthly report recounted")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        verbose_name=_("record type"),
        db_index=False,
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("record"), max_length=200)
    # Where the record belongs, so the trail can be scoped like everything else.
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
        db_index=False,
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # {"field": [old, new]}: values as displayed strings, or a field's choice codes (a
    # status: ["in_progress", "adjourned"]), which the trail shows as their labels.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"], name="audit_target"),
            models.Index(fields=["community", "-created_at"], name="audit_community"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"
