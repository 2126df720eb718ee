from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "name", "role", "title", "is_head", "is_active"]
    list_filter = ["role", "is_head", "is_active", "is_superuser"]
    search_fields = ["username", "name", "phone", "email"]
    filter_horizontal = ["streets", "communities", "grids", "groups", "user_permissions"]
    raw_id_fields = ["resident", "organization", "contact"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["name", "email", "phone", "title", "language", "large_text"]}),
        (
            _("Role and scope"),
            {
                "fields": [
                    "role",
                    "is_head",
                    "streets",
                    "communities",
                    "grids",
                    "resident",
                    "organization",
                    "contact",
                ]
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["username", "name", "role", "password1", "password2"]},
        )
    ]
