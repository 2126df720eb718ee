from datetime import datetime, time, timedelta

from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.labels import PlaceChoiceField
from communities.lookups import resident_field
from communities.models import Community, Compound, Grid, Venue
from issues.models import Issue
from issues.models import Status as IssueStatus
from lib.prompts import PromptedForm

from .models import (
    AgendaItem,
    Form,
    OnlineOpinion,
    Opinion,
    OpinionWindow,
    Participant,
    ParticipantRole,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


TITLE = forms.TextInput(
    attrs={"placeholder": _("e.g. Courtyard council on the fire lane of building 3")}
)
VENUE = forms.TextInput(attrs={"placeholder": _("e.g. the community's meeting room")})


def next_morning():
    """A new meeting's default time: tomorrow, 9:30 to 11:00, local time."""
    day = timezone.localdate() + timedelta(days=1)
    starts = timezone.make_aware(datetime.combine(day, time(9, 30)))
    return starts, starts + timedelta(minutes=90)


class MeetingForm(PromptedForm, forms.Form):
    community = forms.ModelChoiceField(Community.objects.none(), label=_("community"))
    grid = PlaceChoiceField(Grid.objects.none(), label=_("grid"), required=False)
    compound = PlaceChoiceField(Compound.objects.none(), label=_("compound"), required=False)
    form = forms.ChoiceField(choices=[*BLANK_CHOICE_DASH, *Form.choices], label=_("form"))
    title = forms.CharField(label=_("title"), max_length=200, widget=TITLE)
    place = PlaceChoiceField(
        Venue.objects.none(),
        label=_("meeting place"),
        required=False,
        help_text=_("One of the community's places (议事室, 议事亭 …)."),
    )
    venue = forms.CharField(
        label=_("venue"),
        max_length=200,
        widget=VENUE,
        required=False,
        help_text=_("Or where it is held, in words; left empty, the place's name and address."),
    )
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DATETIME)
    is_private = forms.BooleanField(
        label=_("Private mediation (only staff, the grid's workers and the parties see it)"),
        required=False,
    )
    issues = forms.ModelMultipleChoiceField(
        Issue.objects.none(),
        label=_("issues on the agenda"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, scope, issues, **kwargs):
        super().__init__(*args, **kwargs)
        communities = Community.objects.filter(pk__in=scope.community_ids)
        self.fields["community"].queryset = communities
        if len(scope.community_ids) == 1:
            self.fields["community"].initial = next(iter(scope.community_ids))
            self.fields["community"].empty_label = None
        if len(scope.grid_ids) == 1:
            self.fields["grid"].initial = next(iter(scope.grid_ids))
        self.fields["starts_at"].initial, self.fields["ends_at"].initial = next_morning()
        grids = Grid.objects.filter(community__in=scope.community_ids, archived_at__isnull=True)
        if scope.is_grid_worker:
            grids = grids.filter(pk__in=scope.grid_ids)
            self.fields["grid"].required = True
        self.fields["grid"].offer(grids, scope.community_ids)
        self.fields["compound"].offer(
            Compound.objects.filter(community__in=scope.community_ids, archived_at__isnull=True),
            scope.community_ids,
        )
        self.fields["issues"].queryset = issues.filter(
            status__in=[IssueStatus.TO_DELIBERATE, IssueStatus.IN_DELIBERATION]
        )
        self.fields["place"].offer(
            Venue.objects.filter(community__in=scope.community_ids, archived_at__isnull=True),
            scope.community_ids,
        )

    def clean(self):
        data = super().clean()
        community = data.get("community")
        if not data.get("place") and not (data.get("venue") or "").strip():
            self.add_error("venue", _("Choose a place, or say where it is held."))
        for name in ("grid", "compound", "place"):
            value = data.get(name)
            if value is not None and community is not None and value.community_id != community.pk:
                self.add_error(name, _("Choose one in the meeting's community."))
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


class ParticipantForm(PromptedForm, forms.Form):
    """Someone to invite: a resident of the community (who then gets the invitation in the
    app), or anyone by name."""

    role = forms.ChoiceField(choices=ParticipantRole.choices, label=_("capacity"))
    resident = resident_field(_("resident"))
    name = forms.CharField(
        label=_("or a full name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Someone not on record")}),
    )
    organization_name = forms.CharField(
        label=_("organization"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. the property company")}),
    )

    def __init__(self, *args, community_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].for_community(community_id)

    def clean(self):
        data = super().clean()
        if (
            not data.get("resident")
            and not data.get("name", "").strip()
            and "name" not in self.errors
        ):
            self.add_error("name", _("Pick a resident or give a full name."))
        return data


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(choices=Participant.Attendance.choices, label=_("attendance"))
    reason = forms.CharField(label=_("reason for absence"), max_length=200, required=False)


class OpinionForm(PromptedForm, forms.Form):
    participant = forms.ModelChoiceField(
        Participant.objects.none(), label=_("speaker"), required=False
    )
    speaker_name = forms.CharField(label=_("or name"), max_length=100, required=False)
    kind = forms.ChoiceField(choices=Opinion.Kind.choices, label=_("kind"))
    stance = forms.ChoiceField(choices=Opinion.Stance.choices, label=_("stance"), initial="other")
    text = forms.CharField(label=_("what was said"), widget=forms.Textarea(attrs={"rows": 3}))
    spoken_seconds = forms.IntegerField(
        label=_("speaking time (seconds)"),
        min_value=0,
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"data-timer-target": "seconds"}),
    )

    def __init__(self, *args, participants=None, prefix=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["participant"].queryset = (
            participants if participants is not None else Participant.objects.none()
        )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[c for c in AgendaItem.Outcome.choices if c[0] != AgendaItem.Outcome.PENDING],
        label=_("outcome"),
    )
    outcome_text = forms.CharField(
        label=_("what was decided"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    votes_for = forms.IntegerField(label=_("for"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("against"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("abstain"), min_value=0, required=False)
    vote_options = forms.CharField(
        label=_("or a choice between options"),
        help_text=_("One option a line, with its votes after a colon, e.g. “Plan A: 12”."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_vote_options(self):
        options = []
        for line in self.cleaned_data.get("vote_options", "").splitlines():
            if not line.strip():
                continue
            label, sep, votes = line.replace("：", ":").rpartition(":")
            if not sep or not label.strip() or not votes.strip().isdigit():
                raise forms.ValidationError(
                    _("Write each option as “option: votes”, e.g. “Plan A: 12”.")
                )
            options.append({"label": label.strip(), "votes": int(votes.strip())})
        return options


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    override_presence = forms.BooleanField(
        label=_("Start although the presence rule is not met"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ContinueForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DATETIME)
    venue = forms.CharField(label=_("venue"), max_length=200, required=False)


class RespondForm(forms.Form):
    response = forms.ChoiceField(
        choices=[
            (Participant.Response.YES, _("Yes, I will come")),
            (Participant.Response.NO, _("No, I cannot come")),
        ],
        label=_("Will you come?"),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("reason (if not)"), max_length=200, required=False)


class CorrectionForm(forms.Form):
    agenda_item = forms.ModelChoiceField(
        AgendaItem.objects.none(),
        label=_("Which part?"),
        required=False,
        empty_label=_("The minutes as a whole"),
    )
    text = forms.CharField(
        label=_("What should be corrected?"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the items the person may read: a withheld private matter is not offered.
        field = self.fields["agenda_item"]
        field.queryset = AgendaItem.objects.filter(pk__in=[item.pk for item in items])
        field.label_from_instance = lambda item: f"{item.order}. {item.title}"


class CorrectionAnswerForm(forms.Form):
    accept = forms.BooleanField(label=_("adopt"), required=False)
    answer = forms.CharField(label=_("answer"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


# The minutes are edited in place: each field sits in its section of the document and
# belongs to the one form by its `form` attribute.
IN_MINUTES = {"form": "minutes-edit"}


class MinutesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput(attrs=IN_MINUTES))
    summary = forms.CharField(
        label=_("Summary of the meeting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, **IN_MINUTES}),
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"outcome_{item.pk}"] = forms.CharField(
                label=_("What was agreed on “%(title)s”") % {"title": item.title},
                required=False,
                initial=item.outcome_text,
                widget=forms.Textarea(attrs={"rows": 3, **IN_MINUTES}),
            )


class AgendaItemForm(PromptedForm, forms.Form):
    issue = forms.ModelChoiceField(Issue.objects.none(), label=_("issue"), required=False)
    title = forms.CharField(label=_("title"), max_length=200, required=False)

    def __init__(self, *args, issues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if issues is not None:
            self.fields["issue"].queryset = issues.filter(
                status__in=[IssueStatus.TO_DELIBERATE, IssueStatus.IN_DELIBERATION]
            )

    def clean(self):
        data = super().clean()
        if not data.get("issue") and not (data.get("title") or "").strip():
            self.add_error("title", _("Choose an issue or give a title."))
        return data


class MeetingEditForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, widget=TITLE)
    place = forms.ModelChoiceField(Venue.objects.none(), label=_("meeting place"), required=False)
    venue = forms.CharField(label=_("venue"), max_length=200, widget=VENUE, required=False)
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DATETIME)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, community_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Venue.objects.filter(
            community=community_id, archived_at__isnull=True
        )

    def clean(self):
        data = super().clean()
        if not data.get("place") and not (data.get("venue") or "").strip():
            self.add_error("venue", _("Choose a place, or say where it is held."))
        return data


class ConsoleOpinionForm(OpinionForm):
    """An opinion as the console records it: the kind follows the item's phase (依次发言 or
    自由发言) unless it is a written form or an official's answer; the stance is tapped."""

    kind = forms.ChoiceField(
        choices=[
            ("", _("As the discussion goes (in turn or free)")),
            (Opinion.Kind.WRITTEN, Opinion.Kind.WRITTEN.label),
            (Opinion.Kind.ANSWER, Opinion.Kind.ANSWER.label),
        ],
        label=_("kind"),
        required=False,
    )
    stance = forms.ChoiceField(
        choices=Opinion.Stance.choices,
        label=_("stance"),
        initial=Opinion.Stance.OTHER,
        widget=forms.RadioSelect,
    )


class FloorForm(forms.Form):
    """Who has the floor: a participant of the meeting, or nobody."""

    participant = forms.ModelChoiceField(Participant.objects.none(), required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = meeting.participants.all()


class RecordAnswerForm(forms.Form):
    """Staff record an answer given on the phone, in person or on a reply slip."""

    response = forms.ChoiceField(
        choices=[
            (Participant.Response.YES, _("Coming")),
            (Participant.Response.NO, _("Not coming")),
        ],
        label=_("reply"),
    )
    via = forms.ChoiceField(choices=(), label=_("given"))
    reason = forms.CharField(label=_("reason (if not)"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        from .services import answer_via_choices

        super().__init__(*args, **kwargs)
        self.fields["via"].choices = answer_via_choices()


# ---------------------------------------------------------------- online opinion-taking


def area_choices(community_id):
    """Compounds, then each compound's buildings and units, as one grouped list:
    "c12" the whole compound, "b34" a building, "u56" a unit. Three queries."""
    from communities.models import Building, Unit

    compounds = list(
        Compound.objects.filter(community=community_id, archived_at__isnull=True).order_by("name")
    )
    buildings = {}
    for building in Building.objects.filter(compound__in=compounds).order_by("name"):
        buildings.setdefault(building.compound_id, []).append(building)
    units = {}
    for unit in Unit.objects.filter(building__compound__in=compounds).order_by("name"):
        units.setdefault(unit.building_id, []).append(unit)
    groups = []
    for compound in compounds:
        options = [
            (
                f"c{compound.pk}",
                _("%(compound)s (the whole compound)") % {"compound": compound.name},
            )
        ]
        for building in buildings.get(compound.pk, []):
            options.append((f"b{building.pk}", f"{compound.name}{building.name}"))
            options.extend(
                (f"u{unit.pk}", f"{compound.name}{building.name}{unit.name}")
                for unit in units.get(building.pk, [])
            )
        groups.append((compound.name, options))
    return groups


def area_value(*, compound=None, building=None, unit=None) -> str:
    if unit is not None:
        return f"u{unit.pk}"
    if building is not None:
        return f"b{building.pk}"
    return f"c{compound.pk}" if compound is not None else ""


def week_from_now():
    """A window's default closing time: a week from today, 20:00 (after work)."""
    day = timezone.localdate() + timedelta(days=7)
    return timezone.make_aware(datetime.combine(day, time(20, 0)))


class OpinionWindowForm(PromptedForm, forms.Form):
    area = forms.ChoiceField(
        label=_("Who is asked"),
        help_text=_("The residents of this compound, building or unit."),
    )
    question = forms.CharField(
        label=_("What residents are asked"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. Install charging piles on the east side of building 3?")}
        ),
    )
    details = forms.CharField(
        label=_("details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What residents should know before they answer: the plan, the cost."),
    )
    per = forms.ChoiceField(
        label=_("counted"),
        choices=OpinionWindow.Per.choices,
        widget=forms.RadioSelect,
        initial=OpinionWindow.Per.HOUSEHOLD,
    )
    closes_at = forms.DateTimeField(
        label=_("closes at"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )

    def __init__(self, *args, community_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("Choose who is asked")), *area_choices(community_id)]
        if not self.is_bound and "closes_at" not in self.initial:
            self.initial["closes_at"] = week_from_now()

    def clean_area(self):
        from communities.models import Building, Unit

        value = self.cleaned_data["area"]
        kind, pk = value[:1], value[1:]
        model = {"c": Compound, "b": Building, "u": Unit}.get(kind)
        if model is None or not pk.isdigit():
            raise forms.ValidationError(_("Choose who is asked."))
        place = model.objects.filter(pk=pk).first()
        if place is None:
            raise forms.ValidationError(_("Choose who is asked."))
        if kind == "u":
            return {"compound": place.building.compound, "building": place.building, "unit": place}
        if kind == "b":
            return {"compound": place.compound, "building": place, "unit": None}
        return {"compound": place, "building": None, "unit": None}


class StanceForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("Where do you stand?"),
        choices=OnlineOpinion.Stance.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Your words (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why, or what you would do instead. Required for another opinion."),
    )


class PaperOpinionForm(StanceForm):
    """An opinion given on paper (意见征求表) or in person, entered by staff: the resident
    picked by typing, among those asked."""

    resident = resident_field(_("resident"))

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
        self.fields["resident"].required = True
        self.fields["comment"].label = _("what they said")
        self.fields["stance"].label = _("stance")
        self.order_fields(["resident", "stance", "comment"])
