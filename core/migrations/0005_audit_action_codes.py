"""Rows written before every audited action had its own code: resolutions and action
items stored "transition" or "update" with the code in the note ("adopt: …",
"progress 40%", "evaluation: satisfied"), a meeting's summary "publish" with the note
"summary"; meetings kept participants' roles, answers and outcomes as codes in the note.
Give them the codes the trail now names, and keep only the human part of the
note. Monthly reports kept their month as a change; it becomes the note."""

import re

from django.db import migrations

TRANSITION_CODES = {
    "submit_review",
    "approve_review",
    "return_review",
    "adopt",
    "publish",
    "withdraw",
    "start",
    "request_check",
    "pass_check",
    "fail_check",
    "cancel",
}
# The labels the codes had when these rows were written (resolutions.Evaluation.Rating,
# meetings.ParticipantRole, Participant.Response, AgendaItem.Outcome), in the language of
# the interface: a migration may not import the apps whose rows these are.
RATINGS = {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"}
ROLES = {
    "party_committee": "社区党组织",
    "residents_committee": "居委会",
    "staff": "社区工作人员",
    "grid_worker": "网格员",
    "property": "物业公司",
    "owners_committee": "业主委员会",
    "representative": "居民代表",
    "supervisor": "居务监督委员会",
    "resident": "居民",
    "party": "纠纷当事人",
    "merchant": "商户",
    "police": "民警",
    "legal": "法律顾问",
    "law_enforcement": "综合执法",
    "government": "政府部门",
    "co_building": "共建单位",
    "cppcc_npc": "政协委员/人大代表",
    "other": "其他",
}
ANSWERS = {"pending": "未回复", "yes": "参加", "no": "不参加"}
OUTCOMES = {
    "pending": "尚未讨论",
    "consensus": "达成共识",
    "vote": "表决通过",
    "no_agreement": "暂未达成一致",
    "referred": "提交上级",
}


def _recode(action, note):
    """The (action, note) an old row should have, or None to leave it as it is."""
    # Meetings wrote "name (role)", "name: yes" and "title: consensus" with the codes.
    if action == "participant":
        match = re.fullmatch(r"(.*) \((\w+)\)", note)
        if match and match.group(2) in ROLES:
            return action, f"{match.group(1)}（{ROLES[match.group(2)]}）"
        return None
    if action in ("respond", "decide"):
        labels = ANSWERS if action == "respond" else OUTCOMES
        name, _sep, code = note.rpartition(": ")
        if name and code in labels:
            return action, f"{name}：{labels[code]}"
        return None
    if action == "transition":
        code, _sep, rest = note.partition(":")
        if code.strip() in TRANSITION_CODES:
            return code.strip(), rest.strip()
        return None
    if action == "publish" and note == "summary":
        return "publish_summary", ""
    if action != "update":
        return None
    if note.startswith("confirmation:"):
        return "confirm", note.removeprefix("confirmation:").strip()
    if note == "objection lodged":
        return "object", ""
    if note == "objection answered":
        return "answer_objection", ""
    if note.startswith("evaluation:"):
        rating = note.removeprefix("evaluation:").strip()
        return "evaluate", RATINGS.get(rating, rating)
    if note.startswith("revisit:"):
        return "revisit", note.removeprefix("revisit:").strip()
    if note == "cost split":
        return "cost_split", ""
    match = re.fullmatch(r"progress (\d+)%", note)
    if match:
        return "progress", f"{match.group(1)}%"
    return None


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    old = AuditEntry.objects.filter(
        action__in=["transition", "update", "publish", "participant", "respond", "decide"]
    ).only(
        "action", "note", "changes"
    )
    changed = []
    for entry in old.iterator(chunk_size=2000):
        recoded = _recode(entry.action, entry.note)
        if recoded is None:
            continue
        entry.action, entry.note = recoded
        if entry.action == "cost_split":
            # {"shares": ["", "4"], "total": ["", "1200"]}: not fields of the item.
            shares = (entry.changes or {}).get("shares", ["", ""])[1]
            total = (entry.changes or {}).get("total", ["", ""])[1]
            entry.note = " · ".join(filter(None, [shares and f"{shares}方", total and f"{total}元"]))
            entry.changes = {}
        changed.append(entry)
    # Monthly reports stored their month as {"month": "2026-10"}, not a change.
    for entry in AuditEntry.objects.filter(action__in=["compute", "recompute"]).iterator():
        month = (entry.changes or {}).get("month")
        if isinstance(month, str):
            entry.note, entry.changes = month, {}
            changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["action", "note", "changes"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_action_labels")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
