from django.urls import path

from . import views

app_name = "reach"

urlpatterns = [
    # No trailing slash: every character counts in an SMS.
    path("s/<str:token>", views.open_link, name="open"),
    path("reach/links/<int:pk>/revoke/", views.link_revoke_view, name="revoke"),
]
