from django.contrib import admin

from .models import HotlineTicket


@admin.register(HotlineTicket)
class HotlineTicketAdmin(admin.ModelAdmin):
    list_display = ["ticket_number", "received_at", "state", "street", "issue", "answer_by"]
    list_filter = ["state", "street"]
    search_fields = ["ticket_number", "address", "content"]
    list_select_related = ["street", "issue"]
    raw_id_fields = ["issue", "imported_by"]

    def has_add_permission(self, request):
        # Tickets come from the platform's export (the 12345 import page), never by hand.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
