from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import home
from core.views import audit_list, floor, healthz
from lib import media

admin.site.site_header = _("Yishi administration")
admin.site.site_title = _("Yishi")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("audit/", audit_list, name="audit"),
    path("floor", floor, name="floor"),
    path("accounts/", include("accounts.urls")),
    path("communities/", include("communities.urls")),
    path("issues/", include("issues.urls")),
    path("meetings/", include("meetings.urls")),
    path("resolutions/", include("resolutions.urls")),
    path("notifications/", include("notifications.urls")),
    # Personal links (/s/<token>) and their management.
    path("", include("reach.urls")),
    path("reports/", include("reports.urls")),
    path("manage/", include("administration.urls")),
    path("search/", include("search.urls")),
    path("attachments/", include("core.attachment_urls")),
    # Photos, by the signed address of the page that shows them (lib.media).
    path("media/<str:token>/", media.serve, name="media"),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
