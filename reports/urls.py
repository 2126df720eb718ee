from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("streets/", views.street_dashboard, name="street_dashboard"),
    path("monthly/recompute/", views.recompute, name="recompute"),
    path("monthly/", views.monthly, name="monthly"),
    path("ledger.xlsx", views.issue_ledger, name="issue_ledger"),
]
