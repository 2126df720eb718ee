from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from .models import AuditEntry, CalendarDay
from .schedules import describe_when, title_of


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "note"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "created_by", "archived_at"]
    list_filter = ["kind"]
    readonly_fields = ["created_by", "created_at", "archived_at", "version"]


# The periodic tasks under their Chinese titles (config.schedule.TITLES): the names stay
# the keys sync_schedules finds them by.
admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class TitledPeriodicTaskAdmin(PeriodicTaskAdmin):
    list_display = ["title", "when", "enabled", "last_run_at", "name"]
    list_select_related = ["crontab", "interval"]

    @admin.display(description=_("reminder"))
    def title(self, task):
        return title_of(task.name)

    @admin.display(description=_("when"))
    def when(self, task):
        return describe_when(task)
