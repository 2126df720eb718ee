from django.contrib import admin

from . import models


@admin.register(models.Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "code"]
    search_fields = ["name", "code"]


@admin.register(models.Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "street", "area_code", "monthly_council_day", "archived_at"]
    list_filter = ["street", "kind"]
    search_fields = ["name", "area_code"]


@admin.register(models.Compound)
class CompoundAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "is_old_compound"]
    list_filter = ["community"]
    search_fields = ["name"]


class UnitInline(admin.TabularInline):
    model = models.Unit
    extra = 0
    raw_id_fields = ["head"]


@admin.register(models.Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "compound", "head"]
    list_filter = ["compound__community"]
    search_fields = ["name", "compound__name"]
    raw_id_fields = ["head"]
    inlines = [UnitInline]


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "building", "head"]
    search_fields = ["name", "building__name"]
    raw_id_fields = ["head"]


@admin.register(models.Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["__str__", "community", "compound", "unit", "room"]
    list_filter = ["community"]
    raw_id_fields = ["unit", "compound"]


@admin.register(models.Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "community", "party_leader"]
    list_filter = ["community"]
    search_fields = ["name", "code"]
    filter_horizontal = ["compounds", "buildings"]
    raw_id_fields = ["party_leader"]


@admin.register(models.Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "grid", "household", "is_representative", "is_supervisor"]
    list_filter = [
        "community",
        "is_party_member",
        "is_representative",
        "is_supervisor",
        "is_elderly_alone",
        "is_disabled",
        "is_low_income",
        "is_very_old",
    ]
    search_fields = ["name", "phone"]
    raw_id_fields = ["household", "grid"]


class ContactInline(admin.TabularInline):
    model = models.OrganizationContact
    extra = 0


@admin.register(models.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "phone"]
    list_filter = ["kind", "communities"]
    search_fields = ["name"]
    filter_horizontal = ["communities", "compounds"]
    inlines = [ContactInline]


@admin.register(models.Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "compound", "merchant"]
    list_filter = ["community"]
    search_fields = ["name"]


class AgreementEntryInline(admin.TabularInline):
    model = models.AgreementEntry
    extra = 0


@admin.register(models.CoBuildingAgreement)
class CoBuildingAgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "community", "signed_on", "valid_until"]
    list_filter = ["community"]
    inlines = [AgreementEntryInline]
