from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from communities.models import phone_validator
from core.models import CalendarDay
from issues.models import Kind, LimitUnit, Urgency
from meetings.models import ParticipantRole
from notifications.models import SmsConsent

CheckboxList = forms.CheckboxSelectMultiple

DAY_CHOICES = [(d, str(d)) for d in range(1, 32)]


def day_field(label, *, required=False, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=[("", _("No fixed day")), *DAY_CHOICES] if not required else DAY_CHOICES,
        coerce=int,
        empty_value=None,
        required=required,
        help_text=help_text,
    )


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# ---------------------------------------------------------------- people and accounts


class PeopleFilterForm(forms.Form):
    LONG_AGO = 90

    q = forms.CharField(label=_("name, username or phone"), required=False)
    role = forms.ChoiceField(label=_("role"), required=False)
    community = forms.TypedChoiceField(label=_("community"), required=False, coerce=int)
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[
            ("", _("Active")),
            ("inactive", _("Deactivated")),
            ("all", _("Active and deactivated")),
        ],
    )
    idle = forms.BooleanField(
        label=_("Not signed in for over 90 days"),
        required=False,
        help_text=_("Accounts never used count too."),
    )

    def __init__(self, *args, roles, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Every role")), *[(r, Role(r).label) for r in roles]]
        self.fields["community"].choices = [
            ("", _("Every community")),
            *[(c.pk, c.name) for c in communities],
        ]
        if len(communities) < 2:
            del self.fields["community"]


class AccountForm(VersionedForm):
    """A staff member's, grid worker's or contact's account: who, how to reach them, where
    they work."""

    username = forms.CharField(
        label=_("username"),
        max_length=150,
        help_text=_("What they type to sign in: letters, digits, @ . + - _ (pinyin is usual)."),
    )
    name = forms.CharField(label=_("full name"), max_length=50)
    title = forms.CharField(
        label=_("position"),
        max_length=100,
        required=False,
        help_text=_("For example 社区党委书记 or 网格长."),
    )
    phone = forms.CharField(
        label=_("mobile number"),
        max_length=20,
        required=False,
        validators=[phone_validator],
        help_text=_("For text messages and their one-time password link."),
    )
    email = forms.EmailField(label=_("email"), required=False)
    communities = forms.ModelMultipleChoiceField(
        label=_("communities"), queryset=None, required=False, widget=CheckboxList
    )
    grids = forms.ModelMultipleChoiceField(
        label=_("grids"), queryset=None, required=False, widget=CheckboxList
    )
    is_head = forms.BooleanField(label=_("head"), required=False)

    def __init__(self, *args, role, communities=None, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        if communities is not None:
            self.fields["communities"].queryset = communities
        if grids is not None:
            self.fields["grids"].queryset = grids.select_related("community")
            self.fields["grids"].label_from_instance = lambda g: f"{g.community.name} · {g.name}"
        if role == Role.STAFF:
            del self.fields["grids"]
            self.fields["communities"].required = True
            self.fields["is_head"].label = _("community head (书记/主任)")
            self.fields["is_head"].help_text = _(
                "Approves deferrals, receives escalations, manages the community's grid "
                "workers and residents' accounts."
            )
        elif role == Role.GRID_WORKER:
            del self.fields["communities"]
            self.fields["grids"].required = True
            self.fields["is_head"].label = _("grid head (网格长, the “1” of 1+2+N)")
            self.fields["is_head"].help_text = _(
                "The full-time grid worker who heads the grid; the party group leader, building "
                "and unit heads are set on the grid, building and unit pages."
            )
        else:
            del self.fields["communities"]
            del self.fields["grids"]
            del self.fields["is_head"]


class ContactAccountForm(AccountForm):
    contact = forms.ModelChoiceField(label=_("contact"), queryset=None)

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, role=Role.ORG_CONTACT, **kwargs)
        self.fields["contact"].queryset = contacts
        self.order_fields(["contact", "username", "name"])
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Empty: the contact's name.")


class ResidentAccountForm(forms.Form):
    username = forms.CharField(
        label=_("username"),
        max_length=150,
        required=False,
        help_text=_("Empty: their mobile number, as when they claim the account themselves."),
    )
    email = forms.EmailField(label=_("email"), required=False)


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("why"),
        max_length=200,
        help_text=_("For example: moved away, left the job, duplicate account."),
    )


class PasswordLinkForm(forms.Form):
    via = forms.ChoiceField(
        label=_("how the link reaches them"),
        widget=forms.RadioSelect,
        choices=[
            ("sms", _("By SMS to their mobile")),
            ("email", _("By email")),
            ("in_person", _("Show it to me once: I hand it over in person")),
        ],
    )


class ChannelsForm(forms.Form):
    email = forms.BooleanField(label=_("Email"), required=False)
    sms = forms.BooleanField(label=_("SMS"), required=False)


class ConsentForm(VersionedForm):
    consent = forms.ChoiceField(
        label=_("SMS consent"), choices=SmsConsent.Consent.choices, widget=forms.RadioSelect
    )
    via = forms.ChoiceField(
        label=_("how it was given"), choices=SmsConsent.Via.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("note"),
        max_length=200,
        required=False,
        help_text=_("For example: signed form kept in the 2026 file; said so at the door."),
    )


# ---------------------------------------------------------------- categories and time limits


class CategoryForm(VersionedForm):
    """A category with its three time limits. Left empty, an urgency keeps the district's
    limit."""

    name = forms.CharField(label=_("name"), max_length=50)
    default_kind = forms.ChoiceField(
        label=_("kind (红茶/白茶/绿茶)"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        help_text=_("The usual kind of its issues; staff may change it on an issue."),
    )
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=999, initial=100)
    is_active = forms.BooleanField(label=_("offered for new issues"), required=False, initial=True)

    def __init__(self, *args, limits_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        if limits_only:
            for name in ("name", "default_kind", "order", "is_active"):
                del self.fields[name]
        for urgency, label in Urgency.choices:
            self.fields[f"{urgency}_accept_within"] = forms.IntegerField(
                label=_("%(urgency)s: accept within") % {"urgency": label},
                min_value=1,
                required=False,
                widget=forms.NumberInput(attrs={"class": "limit-input"}),
            )
            self.fields[f"{urgency}_handle_within"] = forms.IntegerField(
                label=_("%(urgency)s: handle within") % {"urgency": label},
                min_value=1,
                required=False,
                widget=forms.NumberInput(attrs={"class": "limit-input"}),
            )
            self.fields[f"{urgency}_unit"] = forms.ChoiceField(
                label=_("%(urgency)s: counted in") % {"urgency": label},
                choices=LimitUnit.choices,
                initial=LimitUnit.WORKING_HOURS,
            )

    def clean(self):
        data = super().clean()
        for urgency, _label in Urgency.choices:
            accept = data.get(f"{urgency}_accept_within")
            handle = data.get(f"{urgency}_handle_within")
            if (accept is None) != (handle is None):
                self.add_error(
                    f"{urgency}_handle_within" if handle is None else f"{urgency}_accept_within",
                    _("Give both limits of this urgency, or neither."),
                )
        return data

    def limits(self):
        from issues.rules import Limit

        data = self.cleaned_data
        result = {}
        for urgency, _label in Urgency.choices:
            accept = data.get(f"{urgency}_accept_within")
            handle = data.get(f"{urgency}_handle_within")
            result[urgency] = (
                Limit(accept, handle, data.get(f"{urgency}_unit") or LimitUnit.WORKING_HOURS)
                if accept is not None and handle is not None
                else None
            )
        return result

    def limit_rows(self):
        """The limit fields, one row per urgency, for the table of the form."""
        return [
            (
                label,
                urgency,
                self[f"{urgency}_accept_within"],
                self[f"{urgency}_handle_within"],
                self[f"{urgency}_unit"],
            )
            for urgency, label in Urgency.choices
        ]


class PeriodsForm(VersionedForm):
    publication_days = forms.IntegerField(
        label=_("publication period (days)"),
        min_value=1,
        max_value=90,
        required=False,
        help_text=_("Empty: the district's %(n)d days."),
    )
    evaluation_days = forms.IntegerField(
        label=_("evaluation period (days)"),
        min_value=1,
        max_value=90,
        required=False,
        help_text=_("Empty: the district's %(n)d days."),
    )

    def __init__(self, *args, defaults, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publication_days"].help_text = self.fields["publication_days"].help_text % {
            "n": defaults["publication"]
        }
        self.fields["evaluation_days"].help_text = self.fields["evaluation_days"].help_text % {
            "n": defaults["evaluation"]
        }


# ---------------------------------------------------------------- a community's rules


class FixedDaysForm(VersionedForm):
    monthly_council_day = day_field(
        _("monthly council day"),
        help_text=_(
            "The fixed monthly council (e.g. 左邻右舍). A day a month does not have (the 31st in "
            "April, the 29th–31st in February) falls on that month's last day."
        ),
    )
    visit_day = day_field(
        _("special-group visit day"),
        required=True,
        help_text=_("Grid workers get their list of special-group residents to visit that day."),
    )
    joint_meeting_day = day_field(
        _("party-building joint meeting day"),
        help_text=_(
            "In January, April, July and October. No fixed day: staff are reminded on the "
            "first day of the quarter."
        ),
    )


class PresenceRuleForm(VersionedForm):
    required_roles = forms.MultipleChoiceField(
        label=_("must be present (at least one of each)"),
        choices=ParticipantRole.choices,
        required=False,
        widget=CheckboxList,
    )
    min_representatives = forms.IntegerField(
        label=_("least resident representatives"), min_value=0, max_value=50, initial=0
    )
    all_parties_required = forms.BooleanField(
        label=_("every party to the dispute must attend"), required=False
    )


# ---------------------------------------------------------------- calendar and schedules


class CalendarDayForm(VersionedForm):
    date = forms.DateField(
        label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    kind = forms.ChoiceField(
        label=_("kind"), choices=CalendarDay.Kind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(
        label=_("holiday"), max_length=30, help_text=_("For example 元旦 or 春节.")
    )


class ScheduleForm(forms.Form):
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)
    enabled = forms.BooleanField(label=_("runs"), required=False)
    hour = forms.TypedChoiceField(
        label=_("hour"), coerce=int, choices=[(h, f"{h:02d}") for h in range(24)], required=False
    )
    minute = forms.TypedChoiceField(
        label=_("minute"),
        coerce=int,
        choices=[(m, f"{m:02d}") for m in range(0, 60, 5)],
        required=False,
    )
    every_minutes = forms.TypedChoiceField(
        label=_("every (minutes)"), coerce=int, choices=[], required=False
    )

    def __init__(self, *args, kind, **kwargs):
        from core.schedules import INTERVALS

        super().__init__(*args, **kwargs)
        if kind == "interval":
            del self.fields["hour"]
            del self.fields["minute"]
            self.fields["every_minutes"].choices = [(n, str(n)) for n in INTERVALS]
        else:
            del self.fields["every_minutes"]


class SmsBudgetForm(VersionedForm):
    monthly_limit = forms.IntegerField(
        label=_("text messages a month"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        error_messages={
            "min_value": _("A number of messages from 0 to 10,000,000."),
            "max_value": _("A number of messages from 0 to 10,000,000."),
            "invalid": _("A number of messages from 0 to 10,000,000."),
        },
        help_text=_(
            "Once the month's messages are spent, reminders that would go by SMS wait for "
            "the daily digest; invitations and changed meeting times still go. Leave empty "
            "for no limit."
        ),
    )
