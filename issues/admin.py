from django.contrib import admin

from . import models


class TimeLimitInline(admin.TabularInline):
    model = models.TimeLimit
    extra = 0


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "default_kind", "order", "is_active"]
    list_editable = ["order", "is_active"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [TimeLimitInline]


@admin.register(models.TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "accept_within", "handle_within", "unit"]
    list_filter = ["urgency", "unit"]


@admin.register(models.Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "category", "kind", "status", "channel", "reported_at"]
    list_filter = ["status", "kind", "channel", "urgency", "community"]
    search_fields = ["title", "description", "hotline_ticket"]
    date_hierarchy = "reported_at"
    raw_id_fields = [
        "grid",
        "compound",
        "building",
        "unit",
        "reporter_resident",
        "reporter_organization",
        "assignee",
        "lead_cadre",
        "merged_into",
        "recurrence_of",
        "created_by",
    ]
    # The lifecycle moves only through the services; the admin shows it.
    readonly_fields = ["status", "version"]


@admin.register(models.Summons)
class SummonsAdmin(admin.ModelAdmin):
    list_display = ["issue", "organization", "summoned_at", "arrived_at"]
    raw_id_fields = ["issue", "organization"]


class FindingInline(admin.TabularInline):
    model = models.PatrolFinding
    extra = 0
    raw_id_fields = ["compound", "building", "issue"]


@admin.register(models.Patrol)
class PatrolAdmin(admin.ModelAdmin):
    list_display = ["grid", "worker", "started_at", "ended_at"]
    list_filter = ["grid__community"]
    raw_id_fields = ["grid", "worker"]
    inlines = [FindingInline]


@admin.register(models.Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["household", "worker", "visited_at", "need_found"]
    raw_id_fields = ["household", "worker", "issue", "residents_seen"]
