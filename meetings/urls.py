from django.urls import path

from . import console_views, outreach_views, views

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
    # The console of whoever runs the meeting, the projector in the room, signing in.
    path("<int:pk>/console/", console_views.console, name="console"),
    path("<int:pk>/console/live/", console_views.console_live, name="console_live"),
    path(
        "<int:pk>/console/participants/<int:participant_pk>/",
        console_views.console_attendance,
        name="console_attendance",
    ),
    path("<int:pk>/console/floor/", console_views.console_floor, name="console_floor"),
    path(
        "<int:pk>/console/items/<int:item_pk>/take-up/",
        console_views.console_take_up,
        name="console_take_up",
    ),
    path(
        "<int:pk>/console/items/<int:item_pk>/phase/",
        console_views.console_phase,
        name="console_phase",
    ),
    path(
        "<int:pk>/console/items/<int:item_pk>/opinions/",
        console_views.console_opinion,
        name="console_opinion",
    ),
    path(
        "<int:pk>/console/items/<int:item_pk>/decide/",
        console_views.console_decide,
        name="console_decide",
    ),
    path("<int:pk>/projector/", console_views.projector, name="projector"),
    path("<int:pk>/projector/live/", console_views.projector_live, name="projector_live"),
    path("<int:pk>/sign-in-sheet/", console_views.sign_in_sheet, name="sign_in_sheet"),
    path("<int:pk>/opinion-form/", console_views.opinion_form, name="opinion_form"),
    path("sign-in/<str:token>/", console_views.sign_in, name="sign_in"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    # Reaching invitees without an account: answers taken by staff, SMS sent again, slips
    # (通知单) and the board's notice.
    path(
        "<int:pk>/participants/<int:participant_pk>/answer/",
        outreach_views.record_answer,
        name="record_answer",
    ),
    path(
        "<int:pk>/participants/<int:participant_pk>/resend/",
        outreach_views.resend_invitation,
        name="resend_invitation",
    ),
    path("<int:pk>/slips/", outreach_views.slips, name="slips"),
    path("<int:pk>/notice/", outreach_views.notice, name="notice"),
    # Online opinion-taking (线上征求意见).
    path("opinions/", outreach_views.opinion_window_list, name="opinion_windows"),
    path("opinions/new/", outreach_views.opinion_window_create, name="opinion_window_create"),
    path("opinions/<int:pk>/", outreach_views.opinion_window, name="opinion_window"),
    path(
        "opinions/<int:pk>/poster/",
        outreach_views.opinion_window_poster,
        name="opinion_window_poster",
    ),
    path(
        "opinions/<int:pk>/close/", outreach_views.opinion_window_close, name="opinion_window_close"
    ),
    path(
        "opinions/<int:pk>/ask/",
        outreach_views.opinion_window_request,
        name="opinion_window_request",
    ),
    path(
        "opinions/<int:pk>/paper/", outreach_views.opinion_window_paper, name="opinion_window_paper"
    ),
    path("opinions/<int:pk>/results/", outreach_views.opinion_results, name="opinion_results"),
]
