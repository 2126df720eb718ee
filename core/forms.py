from functools import reduce
from operator import or_

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry

# The records whose changes are audited, in the order the filter lists them.
AUDITED = [
    ("issues", "issue"),
    ("meetings", "meeting"),
    ("resolutions", "resolution"),
    ("resolutions", "actionitem"),
    ("communities", "resident"),
    ("communities", "organization"),
]


class AuditFilterForm(forms.Form):
    record_type = forms.ModelChoiceField(
        label=_("Record type"),
        queryset=ContentType.objects.none(),
        required=False,
        empty_label=_("All records"),
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    q = forms.CharField(label=_("Record or note contains"), required=False, max_length=100)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        audited = reduce(or_, (Q(app_label=app, model=model) for app, model in AUDITED))
        self.fields["record_type"].queryset = ContentType.objects.filter(audited).order_by("pk")
        self.fields["action"].choices = [("", _("All actions")), *AuditEntry.Action.choices]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filter(self, entries):
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data.get("record_type"):
            entries = entries.filter(content_type=data["record_type"])
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("q"):
            entries = entries.filter(
                Q(object_repr__icontains=data["q"]) | Q(note__icontains=data["q"])
            )
        if data.get("since"):
            entries = entries.filter(created_at__date__gte=data["since"])
        if data.get("until"):
            entries = entries.filter(created_at__date__lte=data["until"])
        return entries


class AttachmentForm(forms.Form):
    """A document or photo to keep on a record; the file is checked by its content in the
    service (lib.uploads)."""

    kind = forms.ChoiceField(label=_("what it is"))
    title = forms.CharField(
        label=_("title"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Sign-in sheet with signatures")}),
    )
    file = forms.FileField(
        label=_("file"),
        help_text=_(
            "PDF, a photo (JPEG, PNG, WebP) or a Word, Excel or PowerPoint file; up to 20 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,image/jpeg,image/png,image/webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
            }
        ),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]


class ArchiveAttachmentForm(forms.Form):
    reason = forms.CharField(label=_("why it is archived"), max_length=200)
