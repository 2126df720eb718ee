from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/invite.ics", views.ics, name="ics"),
    path("<int:pk>/transition/", views.meeting_transition, name="transition"),
    path("<int:pk>/participants/", views.participant_add, name="participant_add"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/invite/", views.meeting_invite, name="invite"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/continue/", views.meeting_continue, name="continue"),
    path(
        "<int:pk>/participants/<int:participant_pk>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path("<int:pk>/items/<int:item_pk>/opinions/", views.opinion_add, name="opinion_add"),
    path("<int:pk>/items/<int:item_pk>/phase/", views.item_phase, name="item_phase"),
    path("<int:pk>/items/<int:item_pk>/decide/", views.item_decide, name="item_decide"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
]
