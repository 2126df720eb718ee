from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Notification, Preference, SmsBudget, SmsConsent


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ["channel", "status", "attempts", "last_error", "sent_at"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "category", "step", "title", "read_at"]
    list_filter = ["kind", "category", "held"]
    search_fields = ["title", "recipient__username", "recipient__name"]
    raw_id_fields = ["recipient", "resident", "contact", "community", "digest"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Failed deliveries are listed with their last error; "Retry" queues them again."""

    list_display = ["created_at", "notification", "channel", "status", "attempts", "last_error"]
    list_filter = ["status", "channel"]
    search_fields = ["notification__title", "notification__recipient__username", "last_error"]
    raw_id_fields = ["notification"]
    readonly_fields = ["attempts", "last_error", "claimed_at", "sent_at"]
    actions = ["retry"]

    @admin.action(description=_("Retry the selected failed deliveries"))
    def retry(self, request, queryset):
        from .tasks import deliver

        ids = list(queryset.filter(status=Delivery.Status.FAILED).values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.PENDING)
        for pk in ids:
            deliver.delay(pk)
        self.message_user(request, _("%(count)d deliveries queued again.") % {"count": len(ids)})


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "sms"]
    raw_id_fields = ["user"]


@admin.register(SmsConsent)
class SmsConsentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "consent", "via", "recorded_by", "recorded_at"]
    list_filter = ["consent", "via"]
    raw_id_fields = ["resident", "contact", "recorded_by"]


@admin.register(SmsBudget)
class SmsBudgetAdmin(admin.ModelAdmin):
    """Street admins set budgets on 管理 ▸ 短信额度; here for the superuser."""

    list_display = ["community", "monthly_limit", "updated_by", "updated_at"]
    raw_id_fields = ["community", "updated_by"]
    readonly_fields = ["updated_at", "version"]
