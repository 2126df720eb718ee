from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("channels/", views.channels, name="channels"),
    path("digests/<slug:category>/<str:day>/", views.digest, name="digest"),
    path("sent/", views.sent, name="sent"),
    path("sent/<int:pk>/retry/", views.retry, name="retry"),
]
