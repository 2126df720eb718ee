import json

from django import forms
from django.utils.translation import gettext_lazy as _

from lib import geo, maps
from lib.errors import DomainError

from .lookups import household_field, resident_field
from .models import (
    Building,
    CoBuildingAgreement,
    Compound,
    Grid,
    Household,
    Organization,
    OrganizationContact,
    Resident,
    Shop,
    Unit,
    Venue,
)
from .services import ORGANIZATION_FIELDS, RESIDENT_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResidentForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    household = household_field(_("household"))

    class Meta:
        model = Resident
        fields = RESIDENT_FIELDS
        widgets = {"birth_date": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].for_community(community.pk)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        # Validation of the model runs in the service, with the same messages.
        pass


class OrganizationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Organization
        fields = (*ORGANIZATION_FIELDS, "communities", "compounds")
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "communities": forms.CheckboxSelectMultiple,
            "compounds": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, communities, compounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = communities
        self.fields["compounds"].queryset = compounds
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        pass


class ContactForm(forms.ModelForm):
    class Meta:
        model = OrganizationContact
        fields = ("name", "position", "phone")


class MapPositionMixin:
    """The position of a place as the map shows it: clicked on the map (communities map
    picker) or typed. The fields hold coordinates in the map's datum (GCJ-02 under a
    commercial Chinese map, else WGS-84); they are stored in WGS-84 (lib.maps)."""

    position_fields = ("latitude", "longitude")

    def _init_position(self):
        datum = maps.datum().upper().replace("WGS84", "WGS-84").replace("GCJ02", "GCJ-02")
        for name in self.position_fields:
            field = self.fields[name]
            field.help_text = _(
                "In %(datum)s, as the map shows it: click on the map or type it."
            ) % {"datum": datum}
            field.widget.attrs.update({"inputmode": "decimal", "step": "0.000001"})
        self.fields["latitude"].widget.attrs["data-map-latitude"] = ""
        self.fields["longitude"].widget.attrs["data-map-longitude"] = ""
        instance = self.instance
        if not self.is_bound and instance.latitude is not None and instance.longitude is not None:
            lat, lng = maps.to_map(instance.latitude, instance.longitude)
            self.initial["latitude"], self.initial["longitude"] = (
                geo.quantize(lat),
                geo.quantize(lng),
            )

    def clean(self):
        data = super().clean()
        lat, lng = data.get("latitude"), data.get("longitude")
        if lat is not None and lng is not None:
            data["latitude"], data["longitude"] = maps.from_map(lat, lng)
        return data


class OutlineField(forms.JSONField):
    """A compound's outline: a GeoJSON Polygon in the map's datum, drawn on the map (a
    hidden field the picker fills); empty for none."""

    widget = forms.HiddenInput

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value, separators=(",", ":"))
        return super().prepare_value(value)


class CompoundForm(MapPositionMixin, forms.ModelForm):
    outline = OutlineField(label=_("outline"), required=False)

    class Meta:
        model = Compound
        fields = ("name", "address", "built_year", "is_old_compound", "latitude", "longitude")

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self._init_position()
        self.fields["outline"].widget.attrs["data-map-outline"] = ""
        if not self.is_bound and self.instance.outline:
            self.initial["outline"] = maps.outline(self.instance.outline)

    def clean_outline(self):
        value = self.cleaned_data.get("outline")
        if not value:
            return None
        from .services import clean_outline

        try:
            polygon = clean_outline(value)
        except DomainError as error:
            raise forms.ValidationError(error.message) from None
        return geo.map_polygon(polygon, maps.from_map) if maps.datum() == maps.GCJ02 else polygon

    def _post_clean(self):
        pass


class BuildingForm(MapPositionMixin, forms.ModelForm):
    head = resident_field(Building._meta.get_field("head").verbose_name)

    class Meta:
        model = Building
        fields = ("compound", "name", "floors", "head", "latitude", "longitude")

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = community.compounds.filter(archived_at__isnull=True)
        self.fields["head"].for_community(community.pk)
        self._init_position()

    def _post_clean(self):
        pass


class UnitForm(forms.ModelForm):
    head = resident_field(Unit._meta.get_field("head").verbose_name)

    class Meta:
        model = Unit
        fields = ("building", "name", "head")

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(
            compound__community=community
        ).select_related("compound")
        self.fields["head"].for_community(community.pk)

    def _post_clean(self):
        pass


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ("compound", "unit", "room", "address")

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = community.compounds.filter(archived_at__isnull=True)
        self.fields["unit"].queryset = Unit.objects.filter(
            building__compound__community=community
        ).select_related("building__compound")

    def _post_clean(self):
        pass


class GridForm(forms.ModelForm):
    party_leader = resident_field(Grid._meta.get_field("party_leader").verbose_name)

    class Meta:
        model = Grid
        fields = ("name", "code", "compounds", "buildings", "party_leader")
        widgets = {
            "compounds": forms.CheckboxSelectMultiple,
            "buildings": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compounds"].queryset = community.compounds.filter(archived_at__isnull=True)
        self.fields["buildings"].queryset = Building.objects.filter(
            compound__community=community
        ).select_related("compound")
        self.fields["party_leader"].for_community(community.pk)
        if not self.instance.pk and not self.is_bound:
            self.initial["code"] = community.area_code

    def _post_clean(self):
        pass


class ShopForm(forms.ModelForm):
    class Meta:
        model = Shop
        fields = ("name", "compound", "merchant", "address", "business")

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = community.compounds.filter(archived_at__isnull=True)
        self.fields["merchant"].queryset = community.organizations.filter(
            kind=Organization.Kind.MERCHANT, archived_at__isnull=True
        )

    def _post_clean(self):
        pass


class AgreementForm(forms.ModelForm):
    class Meta:
        model = CoBuildingAgreement
        fields = ("organization", "title", "signed_on", "valid_until", "text")
        widgets = {"signed_on": DATE_WIDGET, "valid_until": DATE_WIDGET}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = community.organizations.filter(
            archived_at__isnull=True
        )

    def _post_clean(self):
        pass


class AgreementEntryForm(forms.Form):
    list_kind = forms.ChoiceField(label=_("list"), choices=[])
    description = forms.CharField(label=_("description"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import AgreementEntry

        self.fields["list_kind"].choices = AgreementEntry.ListKind.choices


class ImportForm(forms.Form):
    community = forms.ModelChoiceField(label=_("community"), queryset=None)
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An .xlsx or .csv file with the template's headers."),
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        if communities.count() == 1:
            self.fields["community"].initial = communities.first()
            self.fields["community"].widget = forms.HiddenInput()


def form_error(form, error):
    """Put a DomainError next to its field (or on top of the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = (
            "name",
            "kind",
            "parent",
            "compound",
            "address",
            "capacity",
            "latitude",
            "longitude",
            "notes",
        )
        widgets = {
            "name": forms.TextInput(attrs={"placeholder": _("e.g. 西湖苑红色网格议事亭")}),
            "address": forms.TextInput(attrs={"placeholder": _("e.g. 西湖苑小区3号楼南侧")}),
            "latitude": forms.NumberInput(attrs={"placeholder": "38.487193", "step": "0.000001"}),
            "longitude": forms.NumberInput(attrs={"placeholder": "106.230909", "step": "0.000001"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "latitude": _(
                "Decimal degrees as a phone's GPS shows them (WGS-84), e.g. 38.487193; "
                "leave empty if unknown."
            ),
            "longitude": _("Decimal degrees east, e.g. 106.230909."),
        }

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        rooms = community.venues.filter(kind=Venue.Kind.COUNCIL_ROOM, archived_at__isnull=True)
        if self.instance.pk:
            rooms = rooms.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = rooms
        self.fields["compound"].queryset = community.compounds.filter(archived_at__isnull=True)

    def _post_clean(self):
        pass
