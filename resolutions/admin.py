from django.contrib import admin

from . import models


class ActionItemInline(admin.StackedInline):
    model = models.ActionItem
    extra = 0
    raw_id_fields = ["responsible_organization", "responsible_user", "responsible_resident"]
    readonly_fields = ["status", "percent", "confirmed_at", "confirmed_by", "version"]


@admin.register(models.Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "status", "publication_starts", "publication_ends"]
    list_filter = ["status", "community"]
    search_fields = ["title", "text"]
    raw_id_fields = ["agenda_item", "issue", "legal_reviewer", "created_by"]
    readonly_fields = ["status", "version"]
    inlines = [ActionItemInline]


class CostShareInline(admin.TabularInline):
    model = models.CostShare
    extra = 0
    raw_id_fields = ["household", "organization"]


@admin.register(models.ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["measure", "resolution", "deadline", "status", "percent"]
    list_filter = ["status", "community"]
    raw_id_fields = [
        "resolution",
        "responsible_organization",
        "responsible_user",
        "responsible_resident",
        "confirmed_by",
    ]
    readonly_fields = ["status", "version"]
    inlines = [CostShareInline]


for model in (
    models.Confirmation,
    models.Objection,
    models.ProgressUpdate,
    models.Evaluation,
    models.Revisit,
):
    admin.site.register(model)
