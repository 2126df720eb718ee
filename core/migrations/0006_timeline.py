"""The audit trail becomes the one timeline: a lifecycle move keeps its statuses in from
and to, and structured detail in data (0007 moves the rows already written)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_audit_action_codes'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='data',
            field=models.JSONField(blank=True, default=dict, verbose_name='data'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='from_status',
            field=models.CharField(blank=True, max_length=25, verbose_name='from'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='to_status',
            field=models.CharField(blank=True, max_length=25, verbose_name='to'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=[('create', 'Created'), ('update', 'Changed'), ('transition', 'Status changed'), ('archive', 'Archived'), ('restore', 'Restored'), ('import', 'Imported'), ('report', 'Reported'), ('accept', 'Accepted'), ('reject', 'Rejected'), ('handle_on_spot', 'Handled on the spot'), ('send_to_deliberation', 'Sent to deliberation'), ('start_deliberation', 'Deliberation started'), ('escalate', 'Escalated'), ('resolve', 'Resolution recorded'), ('start_execution', 'Execution started'), ('complete', 'Completion confirmed'), ('send_back', 'Sent back to execution'), ('close', 'Closed'), ('reopen', 'Reopened'), ('merge', 'Merged into another issue'), ('absorb', 'Duplicate merged in'), ('defer', 'Deferred'), ('resume', 'Resumed'), ('assign', 'Assigned'), ('comment', 'Comment'), ('note', 'Note'), ('summon', 'Department summoned'), ('summons', 'Department reported in'), ('hotline_answer', 'Caller answered'), ('agenda', 'Agenda item added'), ('participant', 'Participant added'), ('invite', 'Invitations sent'), ('respond', 'Invitation answered'), ('attendance', 'Attendance recorded'), ('start', 'Started'), ('adjourn', 'Adjourned'), ('end', 'Ended'), ('finalise', 'Minutes finalised'), ('cancel', 'Cancelled'), ('decide', 'Outcome recorded'), ('edit_minutes', 'Minutes edited'), ('publish_summary', 'Summary published'), ('submit_review', 'Sent for legal review'), ('approve_review', 'Legal review passed'), ('return_review', 'Returned for changes'), ('adopt', 'Adopted'), ('publish', 'Published'), ('withdraw', 'Withdrawn'), ('confirm', 'Signature recorded'), ('object', 'Objection lodged'), ('answer_objection', 'Objection answered'), ('cost_split', 'Cost split'), ('cancel_draft', 'Removed from the draft'), ('progress', 'Progress reported'), ('request_check', 'Reported done'), ('pass_check', 'Confirmed on site'), ('fail_check', 'Sent back for rework'), ('evaluate', 'Evaluated'), ('revisit', 'Revisited'), ('compute', 'Monthly report stored'), ('recompute', 'Monthly report recounted')], max_length=20, verbose_name='action'),
        ),
    ]
