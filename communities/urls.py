from django.urls import path

from core.views import not_built

app_name = "communities"

# Scaffolding: the names other apps link to. Replace with the real pages.
urlpatterns = [
    path("c/<int:pk>/", not_built, name="community_detail"),
    path("grids/<int:pk>/", not_built, name="grid_detail"),
    path("grids/mine/", not_built, name="my_grid"),
    path("residents/<int:pk>/", not_built, name="resident_detail"),
    path("organizations/<int:pk>/", not_built, name="organization_detail"),
    path("", not_built, name="overview"),
]
