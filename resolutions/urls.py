from django.urls import path

from core.views import not_built

app_name = "resolutions"

# Scaffolding: the names other apps link to. Replace with the real pages.
urlpatterns = [
    path("<int:pk>/", not_built, name="detail"),
    path("items/<int:pk>/", not_built, name="item_detail"),
    path("board/", not_built, name="board"),
    path("board/<int:pk>/", not_built, name="public_detail"),
    path("items/mine/", not_built, name="my_items"),
]
