from django.urls import path

from core.views import not_built

app_name = "reports"

# Scaffolding: the names other apps link to. Replace with the real pages.
urlpatterns = [
    path("dashboard/", not_built, name="dashboard"),
    path("streets/", not_built, name="street_dashboard"),
    path("", not_built, name="monthly"),
]
