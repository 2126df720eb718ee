import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from access.reports import report_communities_visible_to, report_streets_visible_to


class ReportChoiceForm(forms.Form):
    """Which report: a street or a community the user may see, and a month."""

    target = forms.ChoiceField(label=_("Report for"))
    month = forms.CharField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("Year and month, for example 2026-10."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (f"street:{street.pk}", _("%(street)s (whole street)") % {"street": street.name})
            for street in report_streets_visible_to(user)
        ]
        choices += [
            (f"community:{community.pk}", community.name)
            for community in report_communities_visible_to(user)
        ]
        self.fields["target"].choices = choices

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        try:
            parsed = dt.datetime.strptime(value, "%Y-%m")
        except ValueError:
            raise forms.ValidationError(
                _("Enter a month as year-month, for example 2026-10.")
            ) from None
        if not 2000 <= parsed.year <= 2100:
            raise forms.ValidationError(_("Enter a month between 2000 and 2100."))
        return parsed.year, parsed.month

    def clean_target(self):
        scope, _sep, pk = self.cleaned_data["target"].partition(":")
        return scope, int(pk)
