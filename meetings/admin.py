from django.contrib import admin

from . import models


@admin.register(models.FormRule)
class FormRuleAdmin(admin.ModelAdmin):
    list_display = ["form", "required_roles", "min_representatives", "all_parties_required"]


class AgendaItemInline(admin.TabularInline):
    model = models.AgendaItem
    extra = 0
    raw_id_fields = ["issue", "carried_from"]
    fields = ["order", "title", "issue", "outcome"]


class ParticipantInline(admin.TabularInline):
    model = models.Participant
    extra = 0
    raw_id_fields = ["user", "resident", "contact"]
    fields = ["role", "name", "user", "resident", "contact", "response", "attendance"]


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "form", "community", "starts_at", "status"]
    list_filter = ["form", "status", "community"]
    search_fields = ["title", "venue"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["convener", "compound", "grid", "continues"]
    readonly_fields = ["status", "version"]
    inlines = [AgendaItemInline, ParticipantInline]


@admin.register(models.Opinion)
class OpinionAdmin(admin.ModelAdmin):
    list_display = ["agenda_item", "speaker_name", "role", "kind", "stance", "spoken_seconds"]
    list_filter = ["kind", "stance", "role"]
    raw_id_fields = ["agenda_item", "participant", "recorded_by"]


@admin.register(models.MinutesCorrection)
class MinutesCorrectionAdmin(admin.ModelAdmin):
    list_display = ["meeting", "requested_by", "status", "created_at"]
    raw_id_fields = ["meeting", "requested_by"]
