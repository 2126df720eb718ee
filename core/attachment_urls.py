from django.urls import path

from . import attachment_views as views

app_name = "attachments"

urlpatterns = [
    path("<slug:kind>/<int:pk>/new/", views.attachment_add_view, name="add"),
    path("<int:pk>/file/", views.attachment_file, name="file"),
    path("<int:pk>/thumbnail/", views.attachment_thumbnail, name="thumbnail"),
    path("<int:pk>/archive/", views.attachment_archive_view, name="archive"),
]
