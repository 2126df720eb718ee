from django.urls import path

from . import views

app_name = "communities"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("lookup/<slug:kind>/", views.lookup, name="lookup"),
    path("map/places.geojson", views.map_places, name="map_places"),
    path("c/<int:pk>/", views.community_detail, name="community_detail"),
    path("c/<int:community_pk>/compounds/new/", views.compound_form, name="compound_create"),
    path("c/<int:community_pk>/compounds/<int:pk>/", views.compound_form, name="compound_edit"),
    path("c/<int:community_pk>/buildings/new/", views.building_form, name="building_create"),
    path("c/<int:community_pk>/buildings/<int:pk>/", views.building_form, name="building_edit"),
    path("c/<int:community_pk>/units/new/", views.unit_form, name="unit_create"),
    path("c/<int:community_pk>/units/<int:pk>/", views.unit_form, name="unit_edit"),
    path("c/<int:community_pk>/households/new/", views.household_form, name="household_create"),
    path("c/<int:community_pk>/households/<int:pk>/", views.household_form, name="household_edit"),
    path("c/<int:community_pk>/grids/new/", views.grid_form, name="grid_create"),
    path("c/<int:community_pk>/grids/<int:pk>/edit/", views.grid_form, name="grid_edit"),
    path("c/<int:community_pk>/shops/new/", views.shop_form, name="shop_create"),
    path("c/<int:community_pk>/shops/<int:pk>/", views.shop_form, name="shop_edit"),
    path("c/<int:community_pk>/shops/<int:pk>/archive/", views.shop_archive, name="shop_archive"),
    path("c/<int:community_pk>/agreements/new/", views.agreement_form, name="agreement_create"),
    path(
        "c/<int:community_pk>/agreements/<int:pk>/edit/",
        views.agreement_form,
        name="agreement_edit",
    ),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path(
        "agreements/<int:pk>/entries/<int:entry_pk>/status/",
        views.agreement_entry_status,
        name="agreement_entry_status",
    ),
    path("agreements/<int:pk>/archive/", views.agreement_archive, name="agreement_archive"),
    path("grids/<int:pk>/", views.grid_detail, name="grid_detail"),
    path("grids/mine/", views.my_grid, name="my_grid"),
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/export.xlsx", views.resident_export, name="resident_export"),
    path("residents/new/", views.resident_create, name="resident_create"),
    path("residents/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("residents/<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("residents/<int:pk>/archive/", views.resident_archive, name="resident_archive"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/export.xlsx", views.organization_export, name="organization_export"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path(
        "organizations/<int:pk>/archive/",
        views.organization_archive,
        name="organization_archive",
    ),
    path("organizations/<int:pk>/contacts/new/", views.contact_form, name="contact_create"),
    path(
        "organizations/<int:pk>/contacts/<int:contact_pk>/",
        views.contact_form,
        name="contact_edit",
    ),
    path(
        "organizations/<int:pk>/contacts/<int:contact_pk>/archive/",
        views.contact_archive,
        name="contact_archive",
    ),
    path("import/<slug:kind>/", views.import_upload, name="import"),
    path("import/<slug:kind>/template.xlsx", views.import_template, name="import_template"),
]
