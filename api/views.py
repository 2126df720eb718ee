"""The REST API: issues, categories, meetings, resolutions and action items, communities and
grids, with the pages' access rules (the access package) and writes through the services."""

from datetime import UTC

from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
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
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from access.api import can_report_in
from access.communities import (
    communities_visible_to,
    get_community_for_user,
    get_grid_for_user,
    grids_visible_to,
)
from access.issues import can_transition, get_issue_for_user, issues_visible_to
from access.meetings import get_meeting_for_user, meetings_visible_to
from access.resolutions import (
    action_items_open_to,
    can_report_progress,
    get_action_item_for_user,
    get_resolution_for_user,
    my_action_items,
    resolutions_visible_to,
)
from access.scope import get_scope
from communities.models import Community, Compound, Grid
from issues.models import Category, Channel, Issue, Kind, Status, Urgency
from issues.selectors import ISSUE_SORTS, issues_filter
from issues.services import issue_merge, issue_report, issue_transition
from lib.errors import DomainError, StaleEdit
from meetings.models import AgendaItem, Meeting
from meetings.services import meeting_ics
from resolutions.models import ActionItem, ProgressUpdate, Resolution
from resolutions.selectors import action_items_overdue, item_figures
from resolutions.services import progress_report

from .serializers import (
    ActionItemDetailSerializer,
    ActionItemSerializer,
    CategorySerializer,
    CommunitySerializer,
    GridSerializer,
    IssueCreateSerializer,
    IssueSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    ProgressReportSerializer,
    ResolutionDetailSerializer,
    ResolutionSerializer,
    TransitionSerializer,
)


class CalendarRenderer(BaseRenderer):
    """text/calendar for the .ics download (the view writes the body itself)."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict):
            return str(data.get("detail", "")).encode()
        return data.encode() if isinstance(data, str) else data


ISSUE_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values, description="Status."),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=Kind.values),
    OpenApiParameter("urgency", OpenApiTypes.STR, enum=Urgency.values),
    OpenApiParameter("channel", OpenApiTypes.STR, enum=Channel.values),
    OpenApiParameter("category", OpenApiTypes.INT),
    OpenApiParameter("community", OpenApiTypes.INT),
    OpenApiParameter("grid", OpenApiTypes.INT),
    OpenApiParameter("compound", OpenApiTypes.INT),
    OpenApiParameter("assignee", OpenApiTypes.INT, description="User the issue is assigned to."),
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description="Words in the title, description or place, or a 12345 ticket number.",
    ),
    OpenApiParameter("open", OpenApiTypes.BOOL, description="Only issues still being worked on."),
    OpenApiParameter(
        "overdue", OpenApiTypes.BOOL, description="Only open issues past a time limit."
    ),
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        enum=list(ISSUE_SORTS),
        description="Order: newest first (default), oldest first, or deadline soonest.",
    ),
]

_OBJECT = OpenApiResponse(OpenApiTypes.OBJECT)
READ_ERRORS = {401: _OBJECT, 403: _OBJECT, 404: _OBJECT}
LIST_ERRORS = {400: _OBJECT, 401: _OBJECT, 403: _OBJECT, 404: _OBJECT}
WRITE_ERRORS = {400: _OBJECT, 401: _OBJECT, 403: _OBJECT, 404: _OBJECT, 409: _OBJECT}


class CleanQueryMixin:
    """Refuse a query string carrying NUL characters (the database takes none) with 400."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, values in request.query_params.lists():
            if any("\x00" in value for value in values):
                raise ValidationError({name: [_("Null characters are not allowed.")]})


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
class CategoryViewSet(CleanQueryMixin, viewsets.ReadOnlyModelViewSet):
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
    CleanQueryMixin,
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
        filters = {
            name: _choice(params, name, choices)
            for name, choices in (
                ("status", Status.values),
                ("kind", Kind.values),
                ("urgency", Urgency.values),
                ("channel", Channel.values),
            )
        }
        for name in ("category", "community", "grid", "compound", "assignee"):
            if params.get(name):
                filters[name] = _int(params[name], name)
        filters.update(
            q=params.get("q"), open=_flag(params.get("open")), overdue=_flag(params.get("overdue"))
        )
        issues = issues_filter(issues, filters)
        sort = params.get("sort") or "-reported_at"
        if sort not in ISSUE_SORTS:
            raise ValidationError({"sort": [_("Not one of the choices.")]})
        return issues.order_by(sort, "-pk")

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
            if data["action"] == "merge":
                into = issues_visible_to(request.user).filter(pk=data.get("into") or 0).first()
                if into is None:
                    raise DomainError(_("Enter the number of an issue you can see."), field="into")
                issue_merge(
                    issue=issue,
                    into=into,
                    actor=request.user,
                    note=data.get("note", ""),
                    expected_version=data["expected_version"],
                )
            else:
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


# Meetings -------------------------------------------------------------------------------------

MEETING_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=Meeting.Status.values),
    OpenApiParameter("community", OpenApiTypes.INT),
    OpenApiParameter("grid", OpenApiTypes.INT),
    OpenApiParameter(
        "starts_after", OpenApiTypes.DATETIME, description="Meetings starting at or after this."
    ),
    OpenApiParameter("starts_before", OpenApiTypes.DATETIME, description="Starting before this."),
]


def _datetime(value, name):
    try:
        parsed = parse_datetime(value) if value else None
        if parsed is not None and timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        if parsed is not None:
            # In UTC: the database takes no offset beyond its own range.
            parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        raise ValidationError({name: [_("Enter a date and time (ISO 8601).")]})
    return parsed


def _choice(params, name, choices):
    value = params.get(name)
    if value and value not in choices:
        raise ValidationError({name: [_("Not one of the choices.")]})
    return value


class MeetingViewSet(CleanQueryMixin, viewsets.ReadOnlyModelViewSet):
    """Meetings the user may see (access.meetings): staff their community's, grid workers
    their grid's and the community's open ones, residents and organization contacts the
    ones they are invited to."""

    serializer_class = MeetingSerializer

    def get_queryset(self):
        meetings = (
            meetings_visible_to(self.request.user)
            .select_related("community")
            .annotate(
                participant_count=Count("participants", distinct=True),
                agenda_item_count=Count("agenda_items", distinct=True),
            )
        )
        params = self.request.query_params
        status_ = _choice(params, "status", Meeting.Status.values)
        if status_:
            meetings = meetings.filter(status=status_)
        for name in ("community", "grid"):
            if params.get(name):
                meetings = meetings.filter(**{f"{name}_id": _int(params[name], name)})
        if params.get("starts_after"):
            meetings = meetings.filter(
                starts_at__gte=_datetime(params["starts_after"], "starts_after")
            )
        if params.get("starts_before"):
            meetings = meetings.filter(
                starts_at__lt=_datetime(params["starts_before"], "starts_before")
            )
        return meetings.order_by("-starts_at", "-pk")

    def get_object(self):
        meeting = get_meeting_for_user(
            self.request.user,
            self.kwargs["pk"],
            queryset=Meeting.objects.select_related("community", "grid", "compound", "convener")
            .annotate(
                participant_count=Count("participants", distinct=True),
                agenda_item_count=Count("agenda_items", distinct=True),
            )
            .prefetch_related(
                Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order", "pk")),
                "participants",
            ),
        )
        return meeting

    @extend_schema(
        summary="Meetings you may see",
        parameters=MEETING_FILTERS,
        responses={200: MeetingSerializer(many=True), **LIST_ERRORS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="A meeting, with its agenda and participants",
        responses={200: MeetingDetailSerializer, **READ_ERRORS},
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(MeetingDetailSerializer(self.get_object()).data)

    @extend_schema(
        summary="The meeting as an iCalendar file",
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, description="iCalendar"),
            **READ_ERRORS,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, CalendarRenderer])
    def ics(self, request, pk=None):
        meeting = get_meeting_for_user(request.user, pk)
        response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
        return response


# Resolutions and action items ------------------------------------------------------------------


def _resolutions_annotated(queryset):
    return queryset.annotate(**item_figures("items__"))


def _items_related(queryset):
    return queryset.select_related(
        "responsible_organization", "responsible_user", "responsible_resident"
    )


@extend_schema_view(
    list=extend_schema(
        summary="Resolutions you may see",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=Resolution.Status.values),
            OpenApiParameter("community", OpenApiTypes.INT),
            OpenApiParameter("issue", OpenApiTypes.INT),
        ],
        responses={200: ResolutionSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A resolution, with its action items",
        responses={200: ResolutionDetailSerializer, **READ_ERRORS},
    ),
)
class ResolutionViewSet(CleanQueryMixin, viewsets.ReadOnlyModelViewSet):
    """Staff see their community's resolutions, drafts included; others see agreed
    resolutions of issues they may see and those naming them (access.resolutions)."""

    serializer_class = ResolutionSerializer

    def get_queryset(self):
        resolutions = _resolutions_annotated(
            resolutions_visible_to(self.request.user).select_related("community", "agenda_item")
        )
        params = self.request.query_params
        status_ = _choice(params, "status", Resolution.Status.values)
        if status_:
            resolutions = resolutions.filter(status=status_)
        for name in ("community", "issue"):
            if params.get(name):
                resolutions = resolutions.filter(**{f"{name}_id": _int(params[name], name)})
        return resolutions.order_by("-created_at", "-pk")

    def get_object(self):
        return get_resolution_for_user(
            self.request.user,
            self.kwargs["pk"],
            queryset=_resolutions_annotated(
                Resolution.objects.select_related("community", "agenda_item")
            ).prefetch_related(
                Prefetch(
                    "items",
                    queryset=_items_related(ActionItem.objects.order_by("order", "pk")),
                )
            ),
        )

    def retrieve(self, request, *args, **kwargs):
        return Response(ResolutionDetailSerializer(self.get_object()).data)


@extend_schema_view(
    list=extend_schema(
        summary="Action items you may see",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=ActionItem.Status.values),
            OpenApiParameter("community", OpenApiTypes.INT),
            OpenApiParameter("resolution", OpenApiTypes.INT),
            OpenApiParameter(
                "mine",
                OpenApiTypes.BOOL,
                description="Only the items you (or your organization) are responsible for.",
            ),
            OpenApiParameter(
                "overdue", OpenApiTypes.BOOL, description="Only unfinished items past deadline."
            ),
        ],
        responses={200: ActionItemSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="An action item, with its progress updates",
        responses={200: ActionItemDetailSerializer, **READ_ERRORS},
    ),
)
class ActionItemViewSet(CleanQueryMixin, viewsets.ReadOnlyModelViewSet):
    """Items of the resolutions the user may see, and the items they are responsible for."""

    serializer_class = ActionItemSerializer

    def get_queryset(self):
        user = self.request.user
        params = self.request.query_params
        mine = _flag(params.get("mine"))
        items = _items_related(my_action_items(user) if mine else action_items_open_to(user))
        status_ = _choice(params, "status", ActionItem.Status.values)
        if status_:
            items = items.filter(status=status_)
        for name in ("community", "resolution"):
            if params.get(name):
                items = items.filter(**{f"{name}_id": _int(params[name], name)})
        if _flag(params.get("overdue")):
            items = action_items_overdue(items)
        return items.order_by("deadline", "pk")

    def get_object(self):
        return get_action_item_for_user(
            self.request.user,
            self.kwargs["pk"],
            queryset=_items_related(ActionItem.objects.all()).prefetch_related(
                Prefetch(
                    "updates",
                    queryset=ProgressUpdate.objects.select_related("author").order_by(
                        "created_at", "pk"
                    ),
                )
            ),
        )

    def retrieve(self, request, *args, **kwargs):
        return Response(ActionItemDetailSerializer(self.get_object()).data)

    @extend_schema(
        summary="Report progress on an action item",
        description=(
            "For the responsible party, the community's staff and the workers of the issue's "
            "grid, while the resolution is adopted or published. Progress never goes back; "
            "`request_check` says the work is done and asks for the on-site check. Send the "
            "item's `version` as `expected_version`: 409 if someone changed it meanwhile."
        ),
        request=ProgressReportSerializer,
        responses={201: ActionItemDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        item = self.get_object()
        if not can_report_progress(request.user, item):
            raise PermissionDenied(_("You may not report progress on this item."))
        form = ProgressReportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            progress_report(
                actor=request.user,
                item=item,
                text=data["text"],
                percent=data["percent"],
                request_check=data["request_check"],
                expected_version=data["expected_version"],
            )
        except DomainError as error:
            return domain_error(error)
        return Response(
            ActionItemDetailSerializer(self.get_object()).data, status=status.HTTP_201_CREATED
        )


# Places ---------------------------------------------------------------------------------------


def _require_workers(user):
    if not get_scope(user).works_for_community:
        raise PermissionDenied(_("Only community staff, grid workers and street admins."))


@extend_schema_view(
    list=extend_schema(
        summary="Communities you work for",
        responses={200: CommunitySerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A community", responses={200: CommunitySerializer, **READ_ERRORS}
    ),
)
class CommunityViewSet(CleanQueryMixin, viewsets.ReadOnlyModelViewSet):
    """Staff and grid workers: their communities; street admins: their streets'. Residents
    and organization contacts get 403."""

    serializer_class = CommunitySerializer
    queryset = Community.objects.none()  # typing of the path parameter only

    def get_queryset(self):
        _require_workers(self.request.user)
        return (
            communities_visible_to(self.request.user)
            .select_related("street")
            .annotate(
                grid_count=Count("grids", filter=Q(grids__archived_at__isnull=True), distinct=True),
                compound_count=Count(
                    "compounds", filter=Q(compounds__archived_at__isnull=True), distinct=True
                ),
            )
            .order_by("street__code", "area_code", "pk")
        )

    def get_object(self):
        _require_workers(self.request.user)
        community = get_community_for_user(self.request.user, self.kwargs["pk"])
        return self.get_queryset().get(pk=community.pk)


@extend_schema_view(
    list=extend_schema(
        summary="Grids of the communities you work for",
        parameters=[OpenApiParameter("community", OpenApiTypes.INT)],
        responses={200: GridSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(summary="A grid", responses={200: GridSerializer, **READ_ERRORS}),
)
class GridViewSet(CleanQueryMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = GridSerializer
    queryset = Grid.objects.none()  # typing of the path parameter only

    def get_queryset(self):
        _require_workers(self.request.user)
        grids = (
            grids_visible_to(self.request.user)
            .select_related("community")
            .prefetch_related(
                Prefetch("compounds", queryset=Compound.objects.filter(archived_at__isnull=True))
            )
        )
        community = self.request.query_params.get("community")
        if community:
            grids = grids.filter(community_id=_int(community, "community"))
        return grids.order_by("code", "pk")

    def get_object(self):
        _require_workers(self.request.user)
        grid = get_grid_for_user(self.request.user, self.kwargs["pk"])
        return self.get_queryset().get(pk=grid.pk)
