from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEntry(models.Model):
    """The one timeline: every change to an issue, a meeting, a resolution, an action item,
    a resident or an organization, who made it and when. An issue's history, a meeting's
    record, an action item's history and the admins' audit trail are all read from here.
    Rows are written through `core.audit.record` (lifecycle moves through
    `lib.lifecycle.Lifecycle.apply`), which rejects an action this list does not name."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        TRANSITION = "transition", _("Status changed")
        ARCHIVE = "archive", _("Archived")
        RESTORE = "restore", _("Restored")
        IMPORT = "import", _("Imported")
        # Issues (issues.services, issues.workflow.ISSUE).
        REPORT = "report", pgettext_lazy("audit action", "Reported")
        ACCEPT = "accept", pgettext_lazy("audit action", "Accepted")
        REJECT = "reject", pgettext_lazy("audit action", "Rejected")
        HANDLE_ON_SPOT = "handle_on_spot", pgettext_lazy("audit action", "Handled on the spot")
        SEND_TO_DELIBERATION = (
            "send_to_deliberation",
            pgettext_lazy("audit action", "Sent to deliberation"),
        )
        START_DELIBERATION = (
            "start_deliberation",
            pgettext_lazy("audit action", "Deliberation started"),
        )
        ESCALATE = "escalate", pgettext_lazy("audit action", "Escalated")
        RESOLVE = "resolve", pgettext_lazy("audit action", "Resolution recorded")
        START_EXECUTION = "start_execution", pgettext_lazy("audit action", "Execution started")
        COMPLETE = "complete", pgettext_lazy("audit action", "Completion confirmed")
        SEND_BACK = "send_back", pgettext_lazy("audit action", "Sent back to execution")
        CLOSE = "close", pgettext_lazy("audit action", "Closed")
        REOPEN = "reopen", pgettext_lazy("audit action", "Reopened")
        MERGE = "merge", pgettext_lazy("audit action", "Merged into another issue")
        ABSORB = "absorb", pgettext_lazy("audit action", "Duplicate merged in")
        DEFER = "defer", pgettext_lazy("audit action", "Deferred")
        RESUME = "resume", pgettext_lazy("audit action", "Resumed")
        ASSIGN = "assign", pgettext_lazy("audit action", "Assigned")
        COMMENT = "comment", pgettext_lazy("audit action", "Comment")
        NOTE = "note", pgettext_lazy("audit action", "Note")
        SUMMON = "summon", pgettext_lazy("audit action", "Department summoned")
        SUMMONS = "summons", pgettext_lazy("audit action", "Department reported in")
        HOTLINE_ANSWER = "hotline_answer", pgettext_lazy("audit action", "Caller answered")
        # Documents kept on an issue, a meeting or a resolution (core.attachments).
        ATTACH = "attach", pgettext_lazy("audit action", "Attachment added")
        DETACH = "detach", pgettext_lazy("audit action", "Attachment archived")
        # Meetings (meetings.services, meetings.workflow.MEETING).
        AGENDA = "agenda", pgettext_lazy("audit action", "Agenda item added")
        PARTICIPANT = "participant", pgettext_lazy("audit action", "Participant added")
        INVITE = "invite", pgettext_lazy("audit action", "Invitations sent")
        RESPOND = "respond", pgettext_lazy("audit action", "Invitation answered")
        ATTENDANCE = "attendance", pgettext_lazy("audit action", "Attendance recorded")
        START = "start", pgettext_lazy("audit action", "Started")
        ADJOURN = "adjourn", pgettext_lazy("audit action", "Adjourned")
        END = "end", pgettext_lazy("audit action", "Ended")
        FINALISE = "finalise", pgettext_lazy("audit action", "Minutes finalised")
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
        CANCEL_DRAFT = "cancel_draft", pgettext_lazy("audit action", "Removed from the draft")
        PROGRESS = "progress", pgettext_lazy("audit action", "Progress reported")
        REQUEST_CHECK = "request_check", pgettext_lazy("audit action", "Reported done")
        PASS_CHECK = "pass_check", pgettext_lazy("audit action", "Confirmed on site")
        FAIL_CHECK = "fail_check", pgettext_lazy("audit action", "Sent back for rework")
        EVALUATE = "evaluate", pgettext_lazy("audit action", "Evaluated")
        REVISIT = "revisit", pgettext_lazy("audit action", "Revisited")
        # Reaching people without accounts (reach, and the apps whose links they are).
        LINK_OPEN = "link_open", pgettext_lazy("audit action", "Personal link opened")
        LINK_REVOKE = "link_revoke", pgettext_lazy("audit action", "Personal link revoked")
        CLAIM_ACCOUNT = "claim_account", pgettext_lazy("audit action", "Account claimed")
        # Online opinion-taking (meetings.services).
        OPEN_OPINIONS = "open_opinions", pgettext_lazy("audit action", "Opinions invited")
        GIVE_OPINION = "give_opinion", pgettext_lazy("audit action", "Opinion given")
        CLOSE_OPINIONS = "close_opinions", pgettext_lazy("audit action", "Opinion-taking closed")
        # People, accounts and work rules (accounts.services, the rules' services).
        PASSWORD_LINK = "password_link", pgettext_lazy("audit action", "Password link issued")
        PASSWORD_SET = "password_set", pgettext_lazy("audit action", "Password set with a link")
        DEACTIVATE = "deactivate", pgettext_lazy("audit action", "Account deactivated")
        REACTIVATE = "reactivate", pgettext_lazy("audit action", "Account reactivated")
        SMS_CONSENT = "sms_consent", pgettext_lazy("audit action", "SMS consent recorded")
        RETRY = "retry", pgettext_lazy("audit action", "Message sent again")
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
    # The street of a street's own rule (its categories and time limits, its periods),
    # which belongs to no community: its admins read these rows on the trail.
    street = models.ForeignKey(
        "communities.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("street"),
        db_index=False,
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # A lifecycle move: the status codes before and after, shown as the record's labels.
    from_status = models.CharField(_("from"), max_length=25, blank=True)
    to_status = models.CharField(_("to"), max_length=25, blank=True)
    # {"field": [old, new]}: values as displayed strings, or a field's choice codes, which
    # the trail shows as their labels.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Structured detail for code that reads the timeline: the issue a duplicate was merged
    # into, the 12345 ticket answered, the summons reported on.
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"], name="audit_target"),
            models.Index(fields=["community", "-created_at"], name="audit_community"),
            models.Index(
                fields=["street", "-created_at"],
                name="audit_street",
                condition=models.Q(street__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def _status_label(self, code):
        # The content type's cache: no query per row.
        model = ContentType.objects.get_for_id(self.content_type_id).model_class() if code else None
        if model is None:
            return code
        try:
            choices = model._meta.get_field("status").flatchoices
        except LookupError:
            return code
        return str(dict(choices).get(code, code))

    @property
    def from_label(self):
        return self._status_label(self.from_status)

    @property
    def to_label(self):
        return self._status_label(self.to_status)


def attachment_storage():
    """Outside MEDIA_ROOT (settings.ATTACHMENTS_ROOT): read only through the attachment
    views, which ask access/ first."""
    return storages["attachments"]


def attachment_path(instance, filename):
    return f"{instance.content_type.model}/{instance.object_id}/{filename}"


def thumbnail_path(instance, filename):
    return f"{instance.content_type.model}/{instance.object_id}/thumbs/{filename}"


class Attachment(models.Model):
    """A document or photo kept on an issue, a meeting or a resolution: the signed sign-in
    sheet, photos of the meeting, handouts, the scanned agreement. Checked by its content
    when added (lib.uploads), seen by exactly those who see its record (access.attachments),
    archived with a reason, never deleted."""

    class Kind(models.TextChoices):
        SIGN_IN_SHEET = "sign_in_sheet", _("Signed sign-in sheet")
        PHOTO = "photo", _("Photo")
        HANDOUT = "handout", _("Handout")
        AGREEMENT = "agreement", _("Signed agreement")
        OPINION_FORMS = "opinion_forms", _("Filled-in opinion forms")
        DOCUMENT = "document", _("Other document")

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("record type"), db_index=False
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    target = GenericForeignKey("content_type", "object_id")
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(_("file"), storage=attachment_storage, upload_to=attachment_path)
    thumbnail = models.ImageField(
        _("thumbnail"), storage=attachment_storage, upload_to=thumbnail_path, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=200)
    media_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    is_image = models.BooleanField(_("is a photo"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("archived by"),
    )
    archive_reason = models.CharField(_("why it was archived"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["added_at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "added_at"], name="attachment_target")
        ]

    def __str__(self):
        return self.title or self.original_name


class CalendarDay(models.Model):
    """A day of the State Council's holiday arrangement (国务院办公厅关于节假日安排的通知)
    entered by a street admin, for a year the built-in official calendar (the
    chinese-calendar package) does not know yet: a holiday (放假) or a weekend day made a
    working day (调休上班). lib.worktime reads them through core.calendar."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (no work)")
        WORKDAY = "workday", _("Working weekend day (调休)")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("holiday"), max_length=30, help_text=_("For example 元旦 or 春节."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(archived_at__isnull=True),
                name="calendarday_unique_date",
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"
