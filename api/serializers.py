from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.models import Community, Compound
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
    action = serializers.ChoiceField(choices=sorted(a for a in TRANSITIONS if a != "merge"))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    expected_version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    deliberation_level = serializers.ChoiceField(choices=DeliberationLevel.choices, required=False)
    escalation_mode = serializers.ChoiceField(choices=EscalationMode.choices, required=False)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
