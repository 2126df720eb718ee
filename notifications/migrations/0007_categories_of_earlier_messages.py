"""The kind of duty of the messages sent before kinds had one, so a community's SMS of the
month read by kind on 短信额度 from the first day (the table as it was written then)."""

from django.db import migrations

KINDS = {
    "items": ["action_item_due", "action_item_overdue", "action_item_escalated", "publication_ending"],
    "issues": ["issue_accept_due", "issue_handle_due", "hotline_answer_due", "special_group_visits"],
    "follow_up": ["revisit_due", "evaluation_request", "revisit_asked"],
    "meetings": ["meeting_reminder", "meeting_not_closed", "monthly_council", "party_building_joint"],
    "invitations": ["meeting_invitation", "meeting_changed", "meeting_cancelled", "opinion_request"],
    "system": ["password_link", "phone_code"],
}


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for category, kinds in KINDS.items():
        Notification.objects.filter(category="", kind__in=kinds).update(category=category)
    Notification.objects.filter(category="").update(category="work")


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_digests_quiet_hours_and_sms_budget")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
