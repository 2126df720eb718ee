from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class PreferencesForm(forms.Form):
    large_text = forms.BooleanField(
        label=_("Large text and high contrast"),
        required=False,
        help_text=_("Bigger letters, stronger colours and larger buttons on every page."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=[])

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES


class ChooseResidentForm(forms.Form):
    """A number a household shares: which of its residents signs in."""

    resident = forms.TypedChoiceField(label=_("Who are you?"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [
            (r.pk, f"{r.name}（{r.household or r.community.name}）") for r in residents
        ]
