from django.urls import path

from core.views import not_built

app_name = "issues"

# Scaffolding: the names other apps link to. Replace with the real pages.
urlpatterns = [
    path("", not_built, name="list"),
    path("<int:pk>/", not_built, name="detail"),
    path("new/", not_built, name="create"),
    path("mine/", not_built, name="mine"),
    path("patrols/", not_built, name="patrol_list"),
    path("patrols/<int:pk>/", not_built, name="patrol_detail"),
    path("visits/", not_built, name="visit_list"),
]
