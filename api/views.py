"""The REST API: issues and categories, with the pages' access rules (access package)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from access.api import can_report_in
from access.issues import can_transition, get_issue_for_user, issues_visible_to
from access.scope import get_scope
from issues.models import OPEN_STATUSES, Category, Channel, Issue, Kind, Status, Urgency
from issues.services import issue_report, issue_transition
from lib.errors import DomainError, StaleEdit

from .serializers import (
    CategorySerializer,
    IssueCreateSerializer,
    IssueSerializer,
    TransitionSerializer,
)

ISSUE_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values, description="Status."),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=Kind.values),
    OpenApiParameter("urgency", OpenApiTypes.STR, enum=Urgency.values),
    OpenApiParameter("channel", OpenApiTypes.STR, enum=Channel.values),
    OpenApiParameter("category", OpenApiTypes.INT),
    OpenApiParameter("community", OpenApiTypes.INT),
    OpenApiParameter("grid", OpenApiTypes.INT),
    OpenApiParameter("q", OpenApiTypes.STR, description="Words in the title or description."),
    OpenApiParameter("open", OpenApiTypes.BOOL, description="Only issues still being worked on."),
    OpenApiParameter(
        "overdue", OpenApiTypes.BOOL, description="Only open issues past a time limit."
    ),
]


_OBJECT = OpenApiResponse(OpenApiTypes.OBJECT)
READ_ERRORS = {401: _OBJECT, 403: _OBJECT, 404: _OBJECT}
LIST_ERRORS = {400: _OBJECT, 401: _OBJECT, 403: _OBJECT, 404: _OBJECT}
WRITE_ERRORS = {400: _OBJECT, 401: _OBJECT, 403: _OBJECT, 404: _OBJECT, 409: _OBJECT}


def domain_error(error: DomainError):
    if isinstance(error, StaleEdit):
        return Response({"detail": error.message}, status=status.HTTP_409_CONFLICT)
    return Response(
        {error.field or "detail": [error.message] if error.field else error.message},
        status=status.HTTP_400_BAD_REQUEST,
    )


@extend_schema_view(
    list=extend_schema(
        summary="Categories of issues",
        responses={200: CategorySerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A category", responses={200: CategorySerializer, **READ_ERRORS}
    ),
)
class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CategorySerializer
    queryset = Category.objects.filter(is_active=True).order_by("order", "name")


def _flag(value) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


def _int(value, name):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: [_("Enter a whole number.")]}) from None
    # A number no row can have matches nothing (rather than overflowing the column).
    return number if -(2**31) < number < 2**31 else 0


@extend_schema_view(
    list=extend_schema(
        summary="Issues you may see",
        parameters=ISSUE_FILTERS,
        responses={200: IssueSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(summary="An issue", responses={200: IssueSerializer, **READ_ERRORS}),
    create=extend_schema(
        summary="Log an issue",
        request=IssueCreateSerializer,
        responses={201: IssueSerializer, **WRITE_ERRORS},
    ),
)
class IssueViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = IssueSerializer

    def get_queryset(self):
        issues = issues_visible_to(self.request.user).select_related(
            "community", "category", "grid", "compound"
        )
        params = self.request.query_params
        for name, choices in (
            ("status", Status.values),
            ("kind", Kind.values),
            ("urgency", Urgency.values),
            ("channel", Channel.values),
        ):
            value = params.get(name)
            if value:
                if value not in choices:
                    raise ValidationError({name: [_("Not one of the choices.")]})
                issues = issues.filter(**{name: value})
        for name in ("category", "community", "grid"):
            if params.get(name):
                issues = issues.filter(**{f"{name}_id": _int(params[name], name)})
        if _flag(params.get("open")):
            issues = issues.filter(status__in=OPEN_STATUSES)
        if _flag(params.get("overdue")):
            now = timezone.now()
            issues = issues.filter(
                Q(status=Status.REPORTED, accept_deadline__lt=now)
                | Q(status__in=OPEN_STATUSES, handle_deadline__lt=now)
                & ~Q(status__in=[Status.REPORTED, Status.DEFERRED])
            )
        words = (params.get("q") or "").strip()
        if words:
            issues = issues.filter(Q(title__icontains=words) | Q(description__icontains=words))
        return issues.order_by("-reported_at", "-pk")

    def get_object(self):
        return get_issue_for_user(
            self.request.user,
            self.kwargs["pk"],
            queryset=Issue.objects.select_related("community", "category", "grid", "compound"),
        )

    def create(self, request, *args, **kwargs):
        form = IssueCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if not can_report_in(request.user, data["community"]):
            raise ValidationError({"community": [_("Choose one of your communities.")]})
        scope = get_scope(request.user)
        try:
            issue = issue_report(
                actor=request.user,
                community=data["community"],
                category=data["category"],
                compound=data.get("compound"),
                title=data["title"],
                description=data["description"],
                channel=data["channel"],
                kind=data.get("kind"),
                urgency=data["urgency"],
                place_text=data.get("place_text", ""),
                reporter_resident=_resident(scope),
                reporter_name=data.get("reporter_name", ""),
                reporter_phone=data.get("reporter_phone", ""),
            )
        except DomainError as error:
            return domain_error(error)
        issue = Issue.objects.select_related("community", "category", "grid", "compound").get(
            pk=issue.pk
        )
        return Response(IssueSerializer(issue).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move an issue along its lifecycle",
        request=TransitionSerializer,
        responses={200: IssueSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        issue = self.get_object()
        form = TransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if not can_transition(request.user, issue, data["action"]):
            raise PermissionDenied(_("Your role does not allow this for this issue."))
        changes = {
            key: data[key] for key in ("deliberation_level", "escalation_mode") if data.get(key)
        }
        try:
            issue_transition(
                issue=issue,
                action=data["action"],
                actor=request.user,
                note=data.get("note", ""),
                expected_version=data["expected_version"],
                **changes,
            )
        except DomainError as error:
            return domain_error(error)
        return Response(IssueSerializer(self.get_object()).data)


def _resident(scope):
    if scope.is_resident and scope.resident_id:
        from communities.models import Resident

        return Resident.objects.get(pk=scope.resident_id)
    return None
