from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from communities.lookups import household_field, resident_field
from communities.models import Organization
from lib.errors import DomainError
from lib.prompts import PromptedForm
from lib.uploads import clean_photos
from lib.widgets import QuickSelect

from .models import ActionItem, Evaluation, Resolution, Revisit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ResolutionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Resolution
        fields = [
            "title",
            "text",
            "legal_review_required",
            "publication_starts",
            "publication_ends",
            "evaluation_due",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "publication_starts": DATE,
            "publication_ends": DATE,
            "evaluation_due": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            if self.instance.status != Resolution.Status.DRAFT:
                for name in ("title", "text", "legal_review_required"):
                    del self.fields[name]


class ActionItemForm(PromptedForm, forms.ModelForm):
    item_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    responsible_resident = resident_field(_("responsible resident"))

    class Meta:
        model = ActionItem
        fields = [
            "measure",
            "responsible_organization",
            "responsible_user",
            "responsible_resident",
            "starts_on",
            "deadline",
            "repeat",
            "repeat_until",
        ]
        widgets = {
            "measure": forms.Textarea(
                attrs={
                    "rows": 2,
                    "placeholder": _("What is to be done, e.g. Clear the fire lane and mark it"),
                }
            ),
            "starts_on": DATE,
            "deadline": DATE,
            "repeat_until": DATE,
        }

    prompts = {
        "responsible_organization": _("Choose an organization"),
        "responsible_user": _("Choose a person"),
    }

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Work starts the day it is agreed, unless the meeting said otherwise.
        self.fields["starts_on"].initial = timezone.localdate
        if community is not None:
            self.fields["responsible_organization"].queryset = Organization.objects.filter(
                communities=community, archived_at__isnull=True
            )
            self.fields["responsible_user"].queryset = (
                # The system administrator's account runs the site and carries out no work.
                User.objects.filter(
                    is_active=True,
                    is_superuser=False,
                    role__in=[Role.STAFF, Role.GRID_WORKER, Role.STREET_ADMIN],
                )
                .filter(models_q_for_community(community))
                .distinct()
            )
            self.fields["responsible_resident"].for_community(community.pk)
        self.fields["repeat"].required = False

    def clean(self):
        data = super().clean()
        if not (
            data.get("responsible_organization")
            or data.get("responsible_user")
            or data.get("responsible_resident")
        ):
            self.add_error(
                "responsible_organization",
                _("Name who is responsible: an organization, a person or a resident."),
            )
        return data

    def _post_clean(self):
        # The service validates and saves; the model's constraints are checked there.
        pass


def models_q_for_community(community):
    from django.db.models import Q

    return Q(communities=community) | Q(grids__community=community) | Q(streets=community.street_id)


ActionItemFormSet = formset_factory(ActionItemForm, extra=1, can_delete=True)


class CostTotalForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    total = forms.DecimalField(
        label=_("Total cost (yuan)"), max_digits=12, decimal_places=2, required=False
    )
    note = forms.CharField(label=_("Note on the cost"), max_length=200, required=False)


class CostShareForm(PromptedForm, forms.Form):
    household = household_field(_("Household"))
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), max_digits=12, decimal_places=2, required=False
    )
    share_percent = forms.DecimalField(
        label=_("Share (%)"), max_digits=6, decimal_places=2, required=False
    )

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        if community is not None:
            self.fields["household"].for_community(community.pk)
            self.fields["organization"].queryset = Organization.objects.filter(
                communities=community, archived_at__isnull=True
            )


CostShareFormSet = formset_factory(CostShareForm, extra=2, can_delete=True)


class TransitionForm(VersionForm):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ConfirmationForm(forms.Form):
    party_name = forms.CharField(label=_("Party"), max_length=150)
    signed_by = forms.CharField(label=_("Signed by"), max_length=100)
    confirmed_at = forms.DateTimeField(
        label=_("Confirmed at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_confirmed_at(self):
        # Year 1 in local time is year 0 in UTC, which PostgreSQL stores but Python cannot
        # read back: only plausible signing dates are accepted.
        value = self.cleaned_data["confirmed_at"]
        if value is not None and not 2000 <= value.year <= 2100:
            raise forms.ValidationError(_("Enter a date between 2000 and 2100."))
        return value


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Your objection and the reason"), widget=forms.Textarea(attrs={"rows": 5})
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.ImageField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        """Checked by content like the issue photos (lib.uploads): type, size, pixel
        count (decompression bombs), and re-encoded without metadata."""
        files = [d for d in (data if isinstance(data, list | tuple) else [data]) if d]
        try:
            return clean_photos(files)
        except DomainError as error:
            raise forms.ValidationError(error.message) from None


class ProgressForm(VersionForm):
    text = forms.CharField(label=_("What has been done"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    photos = PhotosField(label=_("Photos"), required=False)
    request_check = forms.BooleanField(
        label=_("The work is done: ask for the on-site check"), required=False
    )


class CheckForm(VersionForm):
    passed = forms.TypedChoiceField(
        label=_("Result of the on-site check"),
        choices=[("1", _("Passed: the work is done")), ("0", _("Failed: rework needed"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("What the check found"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    photos = PhotosField(label=_("Photos"), required=False)


class EvaluationForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("How satisfied are you?"),
        choices=Evaluation.Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Your comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RevisitForm(PromptedForm, forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=Revisit.Method.choices)
    visited_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        help_text=_("Leave it empty for a revisit made just now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    findings = forms.CharField(
        label=_("What the revisit found"), widget=forms.Textarea(attrs={"rows": 4})
    )
    problem_recurred = forms.BooleanField(label=_("The problem has come back"), required=False)
    rating = forms.ChoiceField(
        label=_("The reporter's rating"),
        choices=[("", _("Not asked")), *Evaluation.Rating.choices],
        required=False,
        help_text=_("Asked at the revisit, in person or on the phone."),
    )


class BoardFilterForm(forms.Form):
    compound = forms.TypedChoiceField(
        label=_("Compound"), required=False, coerce=int, widget=QuickSelect
    )
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, widget=QuickSelect
    )


class RevisitAnswerForm(forms.Form):
    """The reporter's own answer to the revisit (事后回访), from the personal link."""

    recurred = forms.TypedChoiceField(
        label=_("Has the problem come back?"),
        choices=[("no", _("No, all is well")), ("yes", _("Yes, it has come back"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    rating = forms.ChoiceField(
        label=_("How satisfied are you with how it was handled?"),
        choices=Evaluation.Rating.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    comment = forms.CharField(
        label=_("In your words (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the problem has come back or you are not satisfied."),
    )
