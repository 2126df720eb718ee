from django.urls import path

from . import field_views, map_views, views

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
    path("patrols/<int:pk>/map.geojson", map_views.patrol_geojson, name="patrol_geojson"),
    # The field page and what makes it work offline, under the path its service worker
    # controls.
    path("patrols/field/", field_views.field, name="field"),
    path("patrols/field/session/", field_views.field_session, name="field_session"),
    path("patrols/field/sync/", field_views.field_sync, name="field_sync"),
    path("patrols/manifest.webmanifest", field_views.manifest, name="field_manifest"),
    path("patrols/sw.js", field_views.service_worker, name="field_worker"),
    path("map/", map_views.community_map, name="map"),
    path("map/issues.geojson", map_views.issues_geojson, name="map_issues"),
    path("grids/<int:pk>/map/", map_views.grid_map, name="grid_map"),
    path(
        "patrols/<int:pk>/findings/<int:finding_pk>/issue/",
        views.finding_to_issue,
        name="finding_to_issue",
    ),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/household/<int:household_pk>/", views.visit_create, name="visit_create"),
]
