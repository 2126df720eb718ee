from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.models import Community, Compound, Grid
from issues.models import (
    Category,
    Channel,
    DeliberationLevel,
    EscalationMode,
    Issue,
    Kind,
    Urgency,
)
from issues.workflow import TRANSITIONS
from meetings.models import AgendaItem, Meeting, Participant
from resolutions.models import ActionItem, ProgressUpdate, Resolution

API_CHANNELS = [c for c in Channel.choices if c[0] != Channel.HOTLINE]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name", "default_kind"]


class IssueSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    category_code = serializers.CharField(source="category.code", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True, allow_null=True)
    compound_name = serializers.CharField(source="compound.name", read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    hotline_type = serializers.CharField(
        read_only=True, help_text="inquiry, help, complaint, report, suggestion; blank if none."
    )

    class Meta:
        model = Issue
        fields = [
            "id",
            "title",
            "description",
            "status",
            "status_display",
            "kind",
            "urgency",
            "channel",
            "community",
            "community_name",
            "grid",
            "grid_name",
            "compound",
            "compound_name",
            "place_text",
            "category",
            "category_code",
            "hotline_ticket",
            "hotline_type",
            "hotline_answer_by",
            "reported_at",
            "accept_deadline",
            "handle_deadline",
            "accepted_at",
            "closed_at",
            "resolution_note",
            "version",
        ]
        read_only_fields = fields


class IssueCreateSerializer(serializers.Serializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    compound = serializers.PrimaryKeyRelatedField(
        queryset=Compound.objects.all(), required=False, allow_null=True
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    channel = serializers.ChoiceField(choices=API_CHANNELS, default=Channel.ONLINE)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    place_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reporter_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    reporter_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)

    def validate_title(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("Write a title."))
        return value

    def validate_description(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("Describe the issue."))
        return value

    def validate(self, attrs):
        compound = attrs.get("compound")
        if compound is not None and compound.community_id != attrs["community"].pk:
            raise serializers.ValidationError(
                {"compound": _("The compound is not in that community.")}
            )
        return attrs


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(TRANSITIONS))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    expected_version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    into = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        help_text="For merge: the number of the issue that carries on (same community, open).",
    )
    deliberation_level = serializers.ChoiceField(choices=DeliberationLevel.choices, required=False)
    escalation_mode = serializers.ChoiceField(choices=EscalationMode.choices, required=False)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# Meetings ---------------------------------------------------------------------------------


class AgendaItemSerializer(serializers.ModelSerializer):
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "order",
            "title",
            "issue",
            "phase",
            "outcome",
            "outcome_display",
            "outcome_text",
            "votes_for",
            "votes_against",
            "votes_abstain",
        ]
        read_only_fields = fields


class ParticipantSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "name",
            "organization_name",
            "role",
            "role_display",
            "response",
            "attendance",
        ]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    form_display = serializers.CharField(source="get_form_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    participant_count = serializers.IntegerField(read_only=True)
    agenda_item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "form",
            "form_display",
            "status",
            "status_display",
            "community",
            "community_name",
            "grid",
            "compound",
            "venue",
            "starts_at",
            "ends_at",
            "is_private",
            "continues",
            "participant_count",
            "agenda_item_count",
            "version",
        ]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    summary = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "started_at",
            "ended_at",
            "adjourn_reason",
            "minutes_finalised_at",
            "summary",
            "agenda",
            "participants",
        ]
        read_only_fields = fields

    def get_summary(self, meeting) -> str:
        """The summary for residents, once published."""
        return meeting.summary if meeting.summary_published_at else ""


# Resolutions and action items ---------------------------------------------------------------


class ActionItemSerializer(serializers.ModelSerializer):
    responsible = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "resolution",
            "community",
            "measure",
            "responsible",
            "responsible_organization",
            "starts_on",
            "deadline",
            "repeat",
            "repeat_until",
            "status",
            "status_display",
            "percent",
            "confirmed_at",
            "done_on_time",
            "rework_count",
            "version",
        ]
        read_only_fields = fields

    def get_responsible(self, item) -> str:
        """Who does it: the organization, the person or the resident, by name."""
        party = item.responsible
        if party is None:
            return ""
        return getattr(party, "name", "") or str(party)


class ProgressUpdateSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = ["id", "kind", "kind_display", "text", "percent", "author_name", "created_at"]
        read_only_fields = fields

    def get_author_name(self, update) -> str:
        author = update.author
        return (getattr(author, "name", "") or author.get_username()) if author else ""


class ActionItemDetailSerializer(ActionItemSerializer):
    updates = ProgressUpdateSerializer(many=True, read_only=True)

    class Meta(ActionItemSerializer.Meta):
        fields = [*ActionItemSerializer.Meta.fields, "updates"]
        read_only_fields = fields


class ResolutionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    meeting = serializers.IntegerField(
        source="agenda_item.meeting_id", read_only=True, allow_null=True
    )
    item_count = serializers.IntegerField(read_only=True)
    done_count = serializers.IntegerField(read_only=True)
    progress = serializers.IntegerField(read_only=True)

    class Meta:
        model = Resolution
        fields = [
            "id",
            "title",
            "status",
            "status_display",
            "issue",
            "community",
            "community_name",
            "meeting",
            "adopted_at",
            "publication_starts",
            "publication_ends",
            "evaluation_due",
            "item_count",
            "done_count",
            "progress",
            "version",
        ]
        read_only_fields = fields


class ResolutionDetailSerializer(ResolutionSerializer):
    items = ActionItemSerializer(many=True, read_only=True)

    class Meta(ResolutionSerializer.Meta):
        fields = [*ResolutionSerializer.Meta.fields, "text", "legal_review_required", "items"]
        read_only_fields = fields


class ProgressReportSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, help_text="What has been done.")
    percent = serializers.IntegerField(min_value=0, max_value=100)
    request_check = serializers.BooleanField(
        default=False, help_text="The work is done: ask for the on-site check (sets 100 %)."
    )
    expected_version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)

    def validate_text(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("Say what has been done."))
        return value


# Places ---------------------------------------------------------------------------------------


class CommunitySerializer(serializers.ModelSerializer):
    street_name = serializers.CharField(source="street.name", read_only=True)
    grid_count = serializers.IntegerField(read_only=True)
    compound_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Community
        fields = [
            "id",
            "name",
            "kind",
            "area_code",
            "street",
            "street_name",
            "address",
            "phone",
            "grid_count",
            "compound_count",
        ]
        read_only_fields = fields


class GridSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    compounds = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Grid
        fields = ["id", "name", "code", "community", "community_name", "compounds"]
        read_only_fields = fields
