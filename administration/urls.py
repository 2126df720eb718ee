from django.urls import path

from . import views

app_name = "administration"

urlpatterns = [
    path("", views.home, name="home"),
    # People and accounts.
    path("people/", views.people, name="people"),
    path("people/new/<slug:role>/", views.account_create, name="account_create"),
    path("people/<int:pk>/", views.account, name="account"),
    path("people/<int:pk>/edit/", views.account_edit, name="account_edit"),
    path("people/<int:pk>/password/", views.account_password, name="account_password"),
    path("people/<int:pk>/active/", views.account_active, name="account_active"),
    path("people/<int:pk>/channels/", views.account_channels, name="account_channels"),
    path("residents/<int:resident_pk>/account/", views.resident_account, name="resident_account"),
    path("residents/<int:pk>/sms-consent/", views.resident_consent, name="resident_consent"),
    path("contacts/<int:pk>/sms-consent/", views.contact_consent, name="contact_consent"),
    # A street's rules: categories, time limits, periods.
    path("streets/<int:pk>/", views.street_rules, name="street_rules"),
    path("streets/<int:street_pk>/categories/new/", views.category_form, name="category_create"),
    path("streets/<int:street_pk>/categories/<int:pk>/", views.category_form, name="category_edit"),
    path(
        "streets/<int:street_pk>/categories/preview/",
        views.category_preview,
        name="category_preview",
    ),
    path("streets/<int:pk>/periods/", views.street_periods, name="street_periods"),
    # A community's rules: fixed days, presence rules.
    path("communities/<int:pk>/", views.community_rules, name="community_rules"),
    path("communities/<int:pk>/days/", views.fixed_days, name="fixed_days"),
    path(
        "communities/<int:pk>/presence/<slug:form_code>/",
        views.presence_rule,
        name="presence_rule",
    ),
    # The country's working calendar and the district's reminder schedules.
    path("sms/", views.sms_budgets, name="sms_budgets"),
    path("sms/<int:pk>/", views.sms_budget, name="sms_budget"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<int:pk>/", views.calendar_day, name="calendar_day"),
    path("calendar/<int:pk>/archive/", views.calendar_day_archive, name="calendar_day_archive"),
    path("schedules/", views.schedule_list, name="schedules"),
    path("schedules/<int:pk>/", views.schedule_edit, name="schedule_edit"),
]
