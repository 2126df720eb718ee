from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import CHOOSABLE, MODES_OF, Category, Mode
from .models import Channel, Delivery


class ChannelsForm(forms.Form):
    email = forms.BooleanField(label=_("Send me an email too"), required=False)
    sms = forms.BooleanField(label=_("Send me a text message (SMS) too"), required=False)

    def __init__(self, *args, user, with_modes=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Per kind of message: at once, in the daily digest, in the app only.
        if with_modes:
            for category in CHOOSABLE:
                self.fields[f"mode_{category}"] = forms.ChoiceField(
                    label=Category(category).label,
                    choices=[(m, Mode(m).label) for m in MODES_OF[category]],
                    widget=forms.RadioSelect,
                    required=False,
                )
        self.fields["email"].help_text = (
            _("To %(address)s.") % {"address": user.email}
            if user.email
            else _("Your account has no email address: ask the community staff to add one.")
        )
        self.fields["sms"].help_text = (
            _("To %(phone)s.") % {"phone": user.phone}
            if user.phone
            else _("Your account has no mobile number: ask the community staff to add one.")
        )

    def mode_rows(self):
        """(label, bound field, {mode: radio}) per kind, for the table of choices."""
        rows = []
        for category in CHOOSABLE:
            bound = self[f"mode_{category}"]
            radios = {radio.data["value"]: radio for radio in bound}
            rows.append((Category(category).label, bound, [radios.get(m) for m in Mode]))
        return rows

    @property
    def modes(self) -> dict:
        """The kinds chosen on the form (one left blank keeps its current choice)."""
        return {
            c: self.cleaned_data[f"mode_{c}"]
            for c in CHOOSABLE
            if self.cleaned_data.get(f"mode_{c}")
        }

    def clean(self):
        data = super().clean()
        if data.get("email") and not self.user.email:
            self.add_error("email", _("There is no email address to send to."))
        if data.get("sms") and not self.user.phone:
            self.add_error("sms", _("There is no mobile number to send to."))
        return data


class SentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All statuses")), *Delivery.Status.choices],
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )
    channel = forms.ChoiceField(
        label=_("delivery channel"),
        required=False,
        choices=[("", _("SMS and email")), (Channel.SMS, _("SMS")), (Channel.EMAIL, _("Email"))],
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )
    community = forms.TypedChoiceField(
        label=_("community"),
        required=False,
        coerce=int,
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )
    about = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A street admin reads every community of their streets: one at a time, or all.
        if len(communities) > 1:
            self.fields["community"].choices = [
                ("", _("Every community")),
                *[(c.pk, c.name) for c in communities],
            ]
        else:
            del self.fields["community"]

    def clean_about(self):
        """`<content type id>-<pk>`: the record the messages were about."""
        value = self.cleaned_data["about"]
        if not value:
            return None
        content_type, _dash, object_id = value.partition("-")
        if not (content_type.isdigit() and object_id.isdigit()):
            return None
        return int(content_type), int(object_id)
