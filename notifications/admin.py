from django.contrib import admin

from .models import Delivery, Notification, Preference


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ["channel", "status", "attempts", "last_error", "sent_at"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "step", "title", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username", "recipient__name"]
    raw_id_fields = ["recipient"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "notification", "channel", "status", "attempts", "last_error"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["notification"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "sms"]
    raw_id_fields = ["user"]
