from django.urls import path

from core.views import not_built

app_name = "meetings"

# Scaffolding: the names other apps link to. Replace with the real pages.
urlpatterns = [
    path("", not_built, name="list"),
    path("<int:pk>/", not_built, name="detail"),
    path("calendar/", not_built, name="calendar"),
    path("<int:pk>/invite.ics", not_built, name="ics"),
]
