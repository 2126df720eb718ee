from django import forms
from django.db.models import BLANK_CHOICE_DASH, Q
from django.utils.translation import gettext_lazy as _

from communities.labels import PlaceChoiceField
from communities.lookups import resident_field
from communities.models import Building, Community, Compound, Organization, Resident, Unit
from lib.prompts import PromptedForm
from lib.widgets import ParentedSelect, QuickSelect

from .models import (
    Category,
    Channel,
    DeliberationLevel,
    EscalationMode,
    HotlineType,
    IssueParty,
    Kind,
    PositionSource,
    Status,
    Urgency,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos; their content is checked by lib.uploads in the view."""

    widget = MultipleFileInput(attrs={"accept": "image/*"})

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(PhotosField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _offer_people(
    form, community_ids, residents, *, resident="resident", organization="organization"
):
    """The residents a form may name (those the user may see: the lookup view offers the
    same ones) and the organizations serving the user's communities."""
    form.fields[resident].queryset = residents.filter(archived_at__isnull=True)
    form.fields[organization].queryset = Organization.objects.filter(
        communities__in=community_ids, archived_at__isnull=True
    ).distinct()


def _placeholder(text, **attrs):
    return {"placeholder": text, **attrs}


class DevicePositionForm(forms.Form):
    """The phone's position (WGS-84) and its accuracy, filled by "use my position"
    (static/js/geo.js); checked and rounded by the service that stores the record."""

    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    position_accuracy = forms.FloatField(required=False, min_value=0, widget=forms.HiddenInput)

    def position(self) -> dict:
        """The position as the services take it, with where it came from."""
        data = self.cleaned_data
        if data.get("latitude") is None or data.get("longitude") is None:
            return {}
        return {
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "position_accuracy": data.get("position_accuracy"),
            "position_source": PositionSource.DEVICE,
        }


class IssueForm(PromptedForm, DevicePositionForm):
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    # Chosen by staff of several communities; the only one of everyone else, preselected.
    # Without it the compound's community is taken.
    community = forms.ModelChoiceField(
        label=_("community"), queryset=Community.objects.none(), required=False
    )
    hotline_type = forms.ChoiceField(
        label=_("hotline request type"),
        choices=[*BLANK_CHOICE_DASH, *HotlineType.choices],
        required=False,
    )
    hotline_ticket = forms.CharField(
        label=_("hotline ticket number"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs=_placeholder(_("e.g. YC2026100100871"))),
    )
    category = forms.ModelChoiceField(label=_("category"), queryset=Category.objects.none())
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[("", _("The category's usual kind")), *Kind.choices],
        required=False,
    )
    urgency = forms.ChoiceField(label=_("urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    title = forms.CharField(
        label=_("title"),
        max_length=200,
        widget=forms.TextInput(
            attrs=_placeholder(_("In a few words, e.g. Cars block the fire lane at building 3"))
        ),
    )
    description = forms.CharField(
        label=_("description"),
        widget=forms.Textarea(
            attrs=_placeholder(
                _("What happens, since when, whom it affects, what the reporter asks for"),
                rows=3,
            )
        ),
    )
    compound = PlaceChoiceField(
        label=_("compound"),
        queryset=Compound.objects.none(),
        required=False,
        widget=ParentedSelect(parent_of=lambda compound: compound.community_id),
    )
    building = forms.ModelChoiceField(
        label=_("building"),
        queryset=Building.objects.none(),
        required=False,
        widget=ParentedSelect(parent_of=lambda building: building.compound_id),
    )
    unit = forms.ModelChoiceField(
        label=_("unit"),
        queryset=Unit.objects.none(),
        required=False,
        widget=ParentedSelect(parent_of=lambda unit: unit.building_id),
    )
    place_text = forms.CharField(
        label=_("place"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=_placeholder(_("e.g. north gate, south side of building 5"))),
    )
    reporter_resident = resident_field(_("reporting resident"))
    reporter_organization = forms.ModelChoiceField(
        label=_("reporting organization"), queryset=Organization.objects.none(), required=False
    )
    reporter_name = forms.CharField(
        label=_("reporter's name"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs=_placeholder(_("e.g. Ms Wang"))),
    )
    reporter_phone = forms.CharField(
        label=_("reporter's phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs=_placeholder(_("Mobile or landline"), inputmode="tel")),
    )
    is_anonymous = forms.BooleanField(label=_("anonymous"), required=False)
    photos = PhotosField(label=_("photos"), required=False)

    def __init__(self, *args, community_ids, residents, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = (
            categories if categories is not None else Category.objects.filter(is_active=True)
        )
        community = self.fields["community"]
        community.queryset = Community.objects.filter(
            pk__in=community_ids, archived_at__isnull=True
        )
        if len(community_ids) == 1:
            # Nothing to choose: the form carries the community without showing it.
            community.initial = next(iter(community_ids))
            community.empty_label = None
            community.widget = forms.HiddenInput()
        compounds = Compound.objects.filter(community__in=community_ids, archived_at__isnull=True)
        self.fields["compound"].offer(compounds, community_ids)
        self.fields["building"].queryset = Building.objects.filter(
            compound__in=compounds
        ).select_related("compound")
        self.fields["unit"].queryset = Unit.objects.filter(
            building__compound__in=compounds
        ).select_related("building__compound")
        _offer_people(
            self,
            community_ids,
            residents,
            resident="reporter_resident",
            organization="reporter_organization",
        )

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.HOTLINE and not data.get("hotline_ticket", "").strip():
            self.add_error("hotline_ticket", _("A 12345 hotline issue needs its ticket number."))
        community, compound = data.get("community"), data.get("compound")
        if community is not None and compound is not None and compound.community_id != community.pk:
            self.add_error("compound", _("Choose a compound of the chosen community."))
        return data


class PartyForm(PromptedForm, forms.Form):
    """Another party involved: a resident of the community, an organization, or a person
    named with a phone. An empty row is left out."""

    role = forms.ChoiceField(
        label=_("capacity"), choices=IssueParty.Role.choices, initial=IssueParty.Role.PARTY
    )
    resident = resident_field(_("resident"))
    organization = forms.ModelChoiceField(
        label=_("organization"), queryset=Organization.objects.none(), required=False
    )
    name = forms.CharField(label=_("or a name"), max_length=100, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)

    def __init__(self, *args, community_ids, residents, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_people(self, community_ids, residents)

    @staticmethod
    def _names_someone(data) -> bool:
        return bool(
            data.get("resident") or data.get("organization") or data.get("name", "").strip()
        )

    def clean(self):
        data = super().clean()
        if not self._names_someone(data) and data.get("phone", "").strip():
            self.add_error(
                "name", _("Say who the party is: a resident, an organization or a name.")
            )
        return data

    def party(self) -> dict | None:
        """The party as the service takes it, or None for an empty row."""
        data = getattr(self, "cleaned_data", {})
        if not self._names_someone(data):
            return None
        return {
            "role": data["role"],
            "resident": data.get("resident"),
            "organization": data.get("organization"),
            "name": data.get("name", "").strip(),
            "phone": data.get("phone", "").strip(),
        }


PartyFormSet = forms.formset_factory(PartyForm, extra=2, max_num=10, validate_max=True)


class ResidentIssueForm(PromptedForm, DevicePositionForm):
    category = forms.ModelChoiceField(label=_("category"), queryset=Category.objects.none())
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 5}))
    place_text = forms.CharField(label=_("place"), max_length=200, required=False)
    photos = PhotosField(label=_("photos"), required=False)

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = (
            categories if categories is not None else Category.objects.filter(is_active=True)
        )


class TransitionForm(PromptedForm, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("note"),
        widget=forms.Textarea(
            attrs=_placeholder(_("What was done or decided, as the timeline will show it"), rows=2)
        ),
        required=False,
    )
    deliberation_level = forms.ChoiceField(
        label=_("deliberation level"),
        choices=[*BLANK_CHOICE_DASH, *DeliberationLevel.choices],
        required=False,
    )
    escalation_mode = forms.ChoiceField(
        label=_("escalation"), choices=EscalationMode.choices, required=False
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("departments to summon"), queryset=Organization.objects.none(), required=False
    )
    lead_cadre = forms.ModelChoiceField(label=_("lead cadre"), queryset=None, required=False)
    into = forms.IntegerField(
        label=_("number of the issue to merge into"),
        required=False,
        widget=forms.NumberInput(attrs=_placeholder(_("e.g. 128"))),
    )

    def __init__(self, *args, issue=None, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        if issue is not None:
            self.fields["organizations"].queryset = Organization.objects.filter(
                communities=issue.community_id, archived_at__isnull=True
            )
        # The system administrator's account runs the site and leads no work.
        cadres = get_user_model().objects.filter(is_active=True, is_superuser=False)
        if issue is not None:
            # The cadres who may lead it: the community's staff and its street's admins
            # (not every cadre of the district).
            cadres = cadres.filter(
                Q(role="staff", communities=issue.community_id)
                | Q(role="street_admin", streets=issue.community.street_id)
            ).distinct()
        else:
            cadres = cadres.filter(role__in=["staff", "street_admin"])
        self.fields["lead_cadre"].queryset = cadres


class CommentForm(forms.Form):
    text = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}))


class HotlineAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("answer to the callers"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was done, as told to the 12345 callers."),
    )


class SummonsReportForm(forms.Form):
    arrived_at = forms.DateTimeField(
        label=_("arrived at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    action_taken = forms.CharField(label=_("what it did"), widget=forms.Textarea(attrs={"rows": 2}))


def _filter_select():
    return QuickSelect(attrs={"class": "form-select"})


class QueueFilterForm(forms.Form):
    """The work queue's filters. Its selects write their options directly (QuickSelect) and
    the categories are read once, for validating and for listing alike. A grid or compound
    is any number (the list is scoped anyway): one archived since a link was bookmarked
    does not void the other filters."""

    q = forms.CharField(label=_("search"), required=False)
    status = forms.ChoiceField(
        label=_("status"), choices=[("", _("All")), *Status.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[("", _("All")), *Kind.choices],
        required=False,
        widget=_filter_select(),
    )
    category = forms.TypedChoiceField(
        label=_("category"), required=False, coerce=int, widget=_filter_select()
    )
    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[("", _("All")), *Channel.choices],
        required=False,
        widget=_filter_select(),
    )
    urgency = forms.ChoiceField(
        label=_("urgency"),
        choices=[("", _("All")), *Urgency.choices],
        required=False,
        widget=_filter_select(),
    )
    grid = forms.IntegerField(label=_("grid"), required=False, widget=_filter_select())
    compound = forms.IntegerField(label=_("compound"), required=False, widget=_filter_select())
    assignee = forms.IntegerField(label=_("assignee"), required=False, widget=forms.HiddenInput)
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    sort = forms.ChoiceField(
        label=_("sort"),
        choices=[
            ("-reported_at", _("Newest first")),
            ("reported_at", _("Oldest first")),
            ("handle_deadline", _("Deadline soonest")),
        ],
        required=False,
        widget=_filter_select(),
    )

    def __init__(self, *args, categories=(), grids=(), compounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        # (pk, name) pairs: every category, the places the user may filter by.
        self.fields["category"].choices = [("", _("All")), *categories]
        self.fields["grid"].widget.choices = [("", _("All")), *grids]
        self.fields["compound"].widget.choices = [("", _("All")), *compounds]


class PatrolStartForm(PromptedForm, forms.Form):
    grid = PlaceChoiceField(label=_("grid"), queryset=None)
    route_notes = forms.CharField(
        label=_("route notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class FindingForm(PromptedForm, forms.Form):
    text = forms.CharField(
        label=_("what was found"),
        widget=forms.Textarea(
            attrs=_placeholder(
                _("e.g. Two e-bikes parked in the fire lane east of building 3"), rows=3
            )
        ),
    )
    compound = forms.ModelChoiceField(
        label=_("compound"), queryset=Compound.objects.none(), required=False
    )
    place_text = forms.CharField(
        label=_("place"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=_placeholder(_("e.g. north gate, south side of building 5"))),
    )
    photo = forms.FileField(
        label=_("photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class FindingToIssueForm(PromptedForm, forms.Form):
    category = forms.ModelChoiceField(
        label=_("category"), queryset=Category.objects.filter(is_active=True)
    )
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    urgency = forms.ChoiceField(label=_("urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)


class VisitForm(PromptedForm, DevicePositionForm):
    household = forms.IntegerField(widget=forms.HiddenInput)
    visited_at = forms.DateTimeField(
        label=_("visited at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    residents_seen = forms.ModelMultipleChoiceField(
        label=_("whom they saw"),
        queryset=Resident.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    findings = forms.CharField(
        label=_("what they found"),
        widget=forms.Textarea(
            attrs=_placeholder(_("Health, daily life, what they need or ask for"), rows=3)
        ),
        required=False,
    )
    need_found = forms.BooleanField(
        label=_("a need was found: open a special-group-need issue"), required=False
    )
    need_title = forms.CharField(
        label=_("title of the need"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=_placeholder(_("e.g. Medicine delivered every week"))),
    )


# The patrol a phone walks, offline or not (issues.field_views): the forms of the field page,
# rendered for their labels and choices and sent by its script one record at a time, each
# with the id the phone gave it, the time it was recorded and the phone's position.


class BuildingChoiceField(forms.ModelChoiceField):
    """A building by its own name: the compound is chosen beside it."""

    def label_from_instance(self, obj):
        return obj.name


class PhonePositionMixin(forms.Form):
    """What every record sent from the field page carries besides its own fields."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    recorded_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    accuracy = forms.FloatField(required=False, min_value=0, widget=forms.HiddenInput)


class FieldStartForm(PromptedForm, PhonePositionMixin):
    grid = PlaceChoiceField(label=_("grid"), queryset=None)
    route_notes = forms.CharField(
        label=_("route notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(
            attrs=_placeholder(_("e.g. North gate — building 3 — underground garage"), rows=2)
        ),
    )

    def __init__(self, *args, grids, community_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].offer(grids, community_ids)


class FieldFindingForm(PromptedForm, PhonePositionMixin):
    """A finding, and, when a category is chosen, the issue it becomes at once."""

    patrol = forms.UUIDField(widget=forms.HiddenInput)
    text = FindingForm.base_fields["text"]
    compound = forms.ModelChoiceField(
        label=_("compound"),
        queryset=Compound.objects.none(),
        required=False,
        widget=ParentedSelect(parent_of=lambda compound: compound.community_id),
    )
    building = BuildingChoiceField(
        label=_("building"),
        queryset=Building.objects.none(),
        required=False,
        widget=ParentedSelect(parent_of=lambda building: building.compound_id),
    )
    place_text = FindingForm.base_fields["place_text"]
    photo = FindingForm.base_fields["photo"]
    category = forms.ModelChoiceField(
        label=_("open an issue now"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Not now: decide on the patrol's page"),
        help_text=_("Choose its category to open an issue from the finding as it is sent."),
    )
    urgency = forms.ChoiceField(label=_("urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)

    def __init__(self, *args, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds
        self.fields["building"].queryset = Building.objects.filter(compound__in=compounds).order_by(
            "compound", "name"
        )
        self.fields["category"].queryset = Category.objects.filter(is_active=True)


class FieldVisitForm(PromptedForm, PhonePositionMixin):
    """A household visit; whom they saw is chosen among the residents the page lists for
    the household (its script), and checked against the household here."""

    household = forms.ModelChoiceField(label=_("household"), queryset=None, widget=QuickSelect)
    residents_seen = forms.ModelMultipleChoiceField(
        label=_("whom they saw"), queryset=Resident.objects.none(), required=False
    )
    findings = VisitForm.base_fields["findings"]
    need_found = VisitForm.base_fields["need_found"]
    need_title = VisitForm.base_fields["need_title"]

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        chosen = self.data.get("household") if self.is_bound else None
        if chosen and str(chosen).isdigit():
            self.fields["residents_seen"].queryset = Resident.objects.filter(household=chosen)


class FieldEndForm(PhonePositionMixin):
    patrol = forms.UUIDField(widget=forms.HiddenInput)
    route_notes = forms.CharField(
        label=_("route notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(PromptedForm, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    assignee = forms.ModelChoiceField(
        label=_("assignee"), queryset=None, required=False, widget=QuickSelect
    )

    def __init__(self, *args, issue, **kwargs):
        from access.issues import assignees_for

        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees_for(issue)


BULK_CHOICES = [
    ("accept", _("Accept")),
    ("assign", _("Assign to…")),
    ("category", _("Set the category…")),
    ("urgency", _("Set the urgency…")),
    ("merge", _("Merge into one…")),
    ("send_to_deliberation", _("Send to deliberation…")),
]


class BulkForm(forms.Form):
    """The work queue's bulk action: what to do, and with which issues (those ticked, or
    every one the filters select)."""

    action = forms.ChoiceField(
        label=_("With the selected issues"),
        choices=[("", _("Choose an action")), *BULK_CHOICES],
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    all_matching = forms.BooleanField(label=_("every issue the filters select"), required=False)
    # The queue's query string, to select "all matching" again and to go back to the list.
    filters = forms.CharField(required=False, widget=forms.HiddenInput)


class BulkReviewForm(PromptedForm, forms.Form):
    """What the chosen action needs, asked on the page that lists the issues it will
    touch."""

    assignee = forms.ModelChoiceField(
        label=_("assign to"), queryset=None, required=False, widget=QuickSelect
    )
    category = forms.ModelChoiceField(
        label=_("category"), queryset=Category.objects.filter(is_active=True), required=False
    )
    urgency = forms.ChoiceField(
        label=_("urgency"), choices=[*BLANK_CHOICE_DASH, *Urgency.choices], required=False
    )
    deliberation_level = forms.ChoiceField(
        label=_("deliberation level"),
        choices=[*BLANK_CHOICE_DASH, *DeliberationLevel.choices],
        required=False,
    )
    keep = forms.TypedChoiceField(
        label=_("the issue that carries on"),
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The others are merged into it; their reporters become its co-reporters."),
    )
    accept_kept = forms.BooleanField(
        label=_("accept it too, if it is still waiting"), required=False, initial=True
    )

    NEEDS = {
        "assign": (),
        "category": ("category",),
        "urgency": ("urgency",),
        "send_to_deliberation": ("deliberation_level",),
        "merge": ("keep",),
        "accept": (),
    }

    def __init__(self, *args, action, issues, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["assignee"].queryset = assignees
        self.fields["keep"].choices = [(i.pk, f"#{i.pk} {i.title}") for i in issues]
        if issues:
            self.fields["keep"].initial = issues[0].pk
        shown = {
            "assign": ("assignee",),
            "merge": ("keep", "accept_kept"),
        }.get(action, self.NEEDS.get(action, ()))
        for name in list(self.fields):
            if name not in shown:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        for name in self.NEEDS.get(self.action, ()):
            if not data.get(name):
                self.add_error(name, _("Choose one."))
        return data
