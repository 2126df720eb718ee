from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import open311, pages, views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("issues", views.IssueViewSet, basename="issue")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("resolutions", views.ResolutionViewSet, basename="resolution")
router.register("action-items", views.ActionItemViewSet, basename="actionitem")
router.register("communities", views.CommunityViewSet, basename="community")
router.register("grids", views.GridViewSet, basename="grid")

FMT = r"(?P<fmt>json|xml)"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", pages.docs, name="docs"),
    path("token/", pages.token, name="token"),
    path("token/new/", pages.token_create, name="token_create"),
    path("token/revoke/", pages.token_revoke, name="token_revoke"),
    path("hotline/", pages.hotline, name="hotline"),
    path("hotline/<int:pk>/", pages.hotline_ticket, name="hotline_ticket"),
    re_path(rf"^open311/discovery\.{FMT}$", open311.discovery, name="open311_discovery"),
    re_path(rf"^open311/v2/services\.{FMT}$", open311.services, name="open311_services"),
    re_path(
        rf"^open311/v2/services/(?P<code>[-\w]+)\.{FMT}$",
        open311.service_definition,
        name="open311_service",
    ),
    re_path(rf"^open311/v2/requests\.{FMT}$", open311.requests, name="open311_requests"),
    re_path(
        rf"^open311/v2/requests/(?P<pk>\d{{1,10}})\.{FMT}$",
        open311.request_detail,
        name="open311_request",
    ),
]
