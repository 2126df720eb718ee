from django.urls import path

from . import views

app_name = "resolutions"

urlpatterns = [
    path("", views.resolution_list, name="list"),
    path("<int:pk>/", views.resolution_detail, name="detail"),
    path("new/agenda-item/<int:agenda_item_pk>/", views.resolution_create, name="create"),
    path("new/issue/<int:issue_pk>/", views.resolution_create, name="create_for_issue"),
    path("<int:pk>/edit/", views.resolution_edit, name="edit"),
    path("<int:pk>/do/<slug:action>/", views.resolution_transition, name="transition"),
    path("<int:pk>/legal-review/", views.legal_review, name="legal_review"),
    path("<int:pk>/confirmations/", views.confirmations, name="confirm"),
    path("<int:pk>/confirm-share/", views.confirm_share, name="confirm_share"),
    path("<int:pk>/print/", views.print_agreement, name="print"),
    path("<int:pk>/poster/", views.poster, name="poster"),
    path("<int:pk>/object/", views.objection_create, name="object"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/cost/", views.cost_split, name="cost_split"),
    path("items/<int:pk>/do/<slug:action>/", views.item_transition, name="item_transition"),
    path("items/mine/", views.my_items, name="my_items"),
    path("issues/<int:issue_pk>/evaluate/", views.evaluate, name="evaluate"),
    path("issues/<int:issue_pk>/revisit/", views.revisit, name="revisit"),
    path("board/", views.board, name="board"),
    path("board/<int:pk>/", views.public_detail, name="public_detail"),
]
