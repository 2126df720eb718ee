"""The district's ledger of issues (台账) as .xlsx: the rows the work queue shows for its
filters, in the columns the district's ledgers use. Read in a constant number of queries:
the issues with the names they show (subqueries), then the departments summoned, the
responsible parties of their action items and their latest evaluation, each one query
over the same selection. Phone numbers are masked for those who may not read them in full
(access.communities.sees_full_numbers)."""

from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from access.communities import sees_full_numbers
from issues.models import Issue, Summons
from lib.masking import mask_phone
from lib.related import name_of
from lib.xlsx import Sheet, workbook_bytes
from resolutions.models import ActionItem, Evaluation

# The most rows one export writes: a street's two years of issues.
LEDGER_LIMIT = 50_000


def _headers():
    return [
        pgettext("ledger column", "No."),
        pgettext("ledger column", "Acceptance number"),
        pgettext("ledger column", "12345 ticket"),
        pgettext("ledger column", "Reported at"),
        pgettext("ledger column", "Channel"),
        pgettext("ledger column", "Reporter"),
        pgettext("ledger column", "Contact phone"),
        pgettext("ledger column", "Community"),
        pgettext("ledger column", "Grid"),
        pgettext("ledger column", "Address"),
        pgettext("ledger column", "Category"),
        pgettext("ledger column", "Kind"),
        pgettext("ledger column", "Request"),
        pgettext("ledger column", "Urgency"),
        pgettext("ledger column", "How it was handled"),
        pgettext("ledger column", "Responsible unit"),
        pgettext("ledger column", "Result"),
        pgettext("ledger column", "Closed at"),
        pgettext("ledger column", "Closed on time"),
        pgettext("ledger column", "Status"),
        pgettext("ledger column", "Satisfaction"),
    ]


def _stamp(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def ledger_rows(user, issues):
    """The ledger's rows for `issues` (already scoped and filtered), oldest first."""
    latest_rating = (
        Evaluation.objects.filter(issue=OuterRef("pk")).order_by("-created_at").values("rating")[:1]
    )
    rows = (
        issues.order_by("reported_at", "pk").annotate(
            community_name=name_of(Issue, "community"),
            grid_name=name_of(Issue, "grid"),
            category_name=name_of(Issue, "category"),
            reporter_resident_name=name_of(Issue, "reporter_resident"),
            reporter_resident_phone=name_of(Issue, "reporter_resident", "phone"),
            reporter_resident_grid=name_of(Issue, "reporter_resident", "grid_id"),
            reporter_organization_name=name_of(Issue, "reporter_organization"),
            assignee_name=name_of(Issue, "assignee"),
            rating=Subquery(latest_rating),
        )
    )[:LEDGER_LIMIT]
    rows = list(rows)
    ids = [issue.pk for issue in rows]
    units = {}
    for issue_id, name in Summons.objects.filter(issue__in=ids).values_list(
        "issue", "organization__name"
    ):
        units.setdefault(issue_id, []).append(name)
    for issue_id, name in (
        ActionItem.objects.filter(resolution__issue__in=ids, responsible_organization__isnull=False)
        .exclude(status=ActionItem.Status.CANCELLED)
        .values_list("resolution__issue", "responsible_organization__name")
    ):
        if name not in units.setdefault(issue_id, []):
            units[issue_id].append(name)
    ratings = dict(Evaluation.Rating.choices)
    yes, no = _("yes"), _("no")
    for number, issue in enumerate(rows, start=1):
        if issue.is_anonymous:
            reporter, phone = _("anonymous"), ""
        else:
            reporter = (
                issue.reporter_resident_name
                or issue.reporter_organization_name
                or issue.reporter_name
            )
            phone = issue.reporter_phone or issue.reporter_resident_phone or ""
            grids = {issue.grid_id, issue.reporter_resident_grid} - {None}
            if phone and not any(
                sees_full_numbers(user, community_id=issue.community_id, grid_id=grid)
                for grid in grids or {None}
            ):
                phone = mask_phone(phone)
        handling = issue.get_handling_display()
        if issue.deliberation_level:
            handling = f"{handling}（{issue.get_deliberation_level_display()}）"
        elif issue.escalation_mode:
            handling = f"{handling}（{issue.get_escalation_mode_display()}）"
        yield [
            number,
            issue.pk,
            issue.hotline_ticket,
            _stamp(issue.reported_at),
            issue.get_channel_display(),
            reporter,
            phone,
            issue.community_name,
            issue.grid_name or "",
            issue.address,
            issue.category_name,
            issue.get_kind_display(),
            f"{issue.title}：{issue.description}",
            issue.get_urgency_display(),
            handling,
            "、".join(units.get(issue.pk, [])) or issue.assignee_name or "",
            issue.resolution_note,
            _stamp(issue.closed_at),
            "" if issue.closed_on_time is None else (yes if issue.closed_on_time else no),
            issue.get_status_display(),
            str(ratings.get(issue.rating, "")) if issue.rating else "",
        ]


def ledger_xlsx(user, issues, *, title) -> bytes:
    """The workbook: one sheet, a title line, the ledger's columns, in Chinese (the
    district's ledger is kept in Chinese whatever language the exporter reads)."""
    with translation.override("zh-hans"):
        headers = _headers()
        rows = list(ledger_rows(user, issues))
        return workbook_bytes(
            [
                Sheet(
                    _("Ledger"),
                    headers,
                    rows,
                    title=str(title),
                    widths=[
                        6,
                        10,
                        20,
                        17,
                        12,
                        12,
                        14,
                        12,
                        12,
                        28,
                        12,
                        10,
                        50,
                        8,
                        16,
                        24,
                        36,
                        17,
                        8,
                        12,
                        10,
                    ],
                )
            ]
        )
