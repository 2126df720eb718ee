from django.urls import path

from . import views

app_name = "issues"

urlpatterns = [
    path("", views.issue_list, name="list"),
    path("bulk/", views.issue_bulk, name="bulk"),
    path("bulk/done/", views.issue_bulk_done, name="bulk_done"),
    path("<int:pk>/", views.issue_detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.issue_transition, name="transition"),
    path("<int:pk>/do/<slug:action>/form/", views.issue_transition_form, name="transition_form"),
    path("<int:pk>/comment/", views.issue_comment, name="comment"),
    path("<int:pk>/assign/", views.issue_assign, name="assign"),
    path("<int:pk>/photos/", views.issue_photos, name="photos"),
    path("<int:pk>/hotline-answer/", views.hotline_answer, name="hotline_answer"),
    path("summons/<int:pk>/report/", views.summons_report, name="summons_report"),
    path("new/", views.issue_create, name="create"),
    path("new/duplicates/", views.duplicates, name="duplicates"),
    path("mine/", views.issue_mine, name="mine"),
    path("patrols/", views.patrol_list, name="patrol_list"),
    path("patrols/<int:pk>/", views.patrol_detail, name="patrol_detail"),
    path("patrols/<int:pk>/findings/", views.patrol_finding, name="patrol_finding"),
    path("patrols/<int:pk>/end/", views.patrol_end, name="patrol_end"),
    path(
        "patrols/<int:pk>/findings/<int:finding_pk>/issue/",
        views.finding_to_issue,
        name="finding_to_issue",
    ),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/household/<int:household_pk>/", views.visit_create, name="visit_create"),
]
