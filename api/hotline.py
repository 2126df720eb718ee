"""Import of the 12345 hotline platform's daily export (.xlsx).

Each row is a ticket: ticket number, time received, caller phone, content, address,
request type and answer-by time. A ticket whose address names a compound or community
in the importer's streets becomes a hotline issue there (through issues.services); the
rest wait for staff, who choose the community. Tickets are unique by number, so
importing the same file again creates nothing new; changed rows are updated.
"""

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import get_scope
from communities.models import Community, Compound
from issues.models import Channel, HotlineType, Issue
from issues.services import hotline_update_note, issue_report
from lib.archives import is_bomb
from lib.errors import DomainError

from .models import HotlineTicket

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000

# Header -> field. The platform's Chinese headers and plain English ones are accepted.
HEADERS = {
    "ticket_number": ("工单编号", "工单号", "ticket number"),
    "received_at": ("受理时间", "来电时间", "time received"),
    "caller_phone": ("来电号码", "联系电话", "caller phone"),
    "content": ("诉求内容", "来电内容", "content"),
    "address": ("诉求地址", "地址", "address"),
    "request_type": ("诉求类型", "工单类型", "request type"),
    "answer_by": ("答复时限", "办结时限", "answer-by time", "answer by"),
}
REQUIRED = ("ticket_number", "received_at", "content")

TYPES = {
    "咨询": HotlineType.INQUIRY,
    "求助": HotlineType.HELP,
    "投诉": HotlineType.COMPLAINT,
    "举报": HotlineType.REPORT,
    "建议": HotlineType.SUGGESTION,
}
TYPES.update({value: value for value in HotlineType.values})
TYPES.update({str(label).lower(): value for value, label in HotlineType.choices})


@dataclass
class Row:
    line: int
    ticket_number: str
    received_at: datetime
    caller_phone: str
    content: str
    address: str
    request_type: str
    answer_by: datetime | None


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    left_for_staff: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.created) + len(self.updated) + len(self.unchanged)

    def as_dict(self):
        return {
            "created": [t.ticket_number for t in self.created],
            "updated": [t.ticket_number for t in self.updated],
            "unchanged": [t.ticket_number for t in self.unchanged],
            "left_for_staff": [t.ticket_number for t in self.left_for_staff],
        }


def check_xlsx(data: bytes) -> None:
    """Refuse anything that is not an Office Open XML workbook, whatever its name says."""
    if len(data) > MAX_BYTES:
        raise DomainError(_("The file is larger than 10 MB."), field="file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise DomainError(_("This is not an .xlsx workbook."), field="file") from None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise DomainError(_("This is not an .xlsx workbook."), field="file")
    if is_bomb(data):
        raise DomainError(
            _("The spreadsheet unpacks to more than 100 MB. Split it into smaller files."),
            field="file",
        )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _when(value, *, line, label):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        text = _text(value).replace("/", "-")
        for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            raise DomainError(
                _("Row %(line)s: “%(value)s” is not a time for %(label)s.")
                % {"line": line, "value": text, "label": label},
                field="file",
            )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def read_rows(data: bytes) -> list[Row]:
    """The workbook's rows, checked. Any bad row stops the import with its row number."""
    from openpyxl import load_workbook

    check_xlsx(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise DomainError(_("The workbook could not be read."), field="file") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    names = [_text(cell).lower() for cell in header]
    columns = {}
    for key, options in HEADERS.items():
        for option in options:
            if option.lower() in names:
                columns[key] = names.index(option.lower())
                break
    missing = [HEADERS[key][0] for key in REQUIRED if key not in columns]
    if missing:
        raise DomainError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": "、".join(missing)},
            field="file",
        )
    result, seen = [], set()
    for line, values in enumerate(rows, start=2):
        if not any(_text(v) for v in values):
            continue
        if len(result) >= MAX_ROWS:
            raise DomainError(_("A file may hold at most 5000 tickets."), field="file")

        def cell(key, values=values):
            index = columns.get(key)
            return values[index] if index is not None and index < len(values) else None

        number = _text(cell("ticket_number"))
        content = _text(cell("content"))
        if not number or not content:
            raise DomainError(
                _("Row %(line)s has no ticket number or no content.") % {"line": line},
                field="file",
            )
        if number in seen:
            raise DomainError(
                _("Ticket %(number)s appears twice in the file.") % {"number": number},
                field="file",
            )
        seen.add(number)
        received = _when(cell("received_at"), line=line, label=_("time received"))
        if received is None:
            raise DomainError(
                _("Row %(line)s has no time received.") % {"line": line}, field="file"
            )
        kind = _text(cell("request_type"))
        result.append(
            Row(
                line=line,
                ticket_number=number[:50],
                received_at=received,
                caller_phone=_text(cell("caller_phone"))[:20],
                content=content,
                address=_text(cell("address"))[:200],
                request_type=TYPES.get(kind, TYPES.get(kind.lower(), "")),
                answer_by=_when(cell("answer_by"), line=line, label=_("answer-by time")),
            )
        )
    return result


class AddressMatcher:
    """Finds the community and compound an address names, among the given communities.
    The longest matching name or address wins; a tie between communities is no match."""

    def __init__(self, communities):
        self.compounds = []
        for compound in Compound.objects.filter(
            community__in=communities, archived_at__isnull=True
        ).select_related("community"):
            for needle in (compound.name, compound.address):
                if needle and len(needle) >= 2:
                    self.compounds.append((needle, compound))
        self.communities = []
        for community in communities:
            for needle in (community.name, community.address):
                if needle and len(needle) >= 2:
                    self.communities.append((needle, community))

    @staticmethod
    def _best(address, candidates, key):
        hits = [(len(needle), obj) for needle, obj in candidates if needle in address]
        if not hits:
            return None
        longest = max(length for length, _ in hits)
        winners = {key(obj): obj for length, obj in hits if length == longest}
        return next(iter(winners.values())) if len(winners) == 1 else None

    def match(self, address: str):
        if not address:
            return None, None
        compound = self._best(address, self.compounds, key=lambda c: c.pk)
        if compound is not None:
            return compound.community, compound
        return self._best(address, self.communities, key=lambda c: c.pk), None


def _title(content: str) -> str:
    first = content.splitlines()[0] if content else ""
    return first[:60] + ("…" if len(first) > 60 else "")


def hotline_import(*, actor, data: bytes, category) -> ImportReport:
    """Import the export's tickets. All or nothing: any bad row imports none."""
    scope = get_scope(actor)
    if not (scope.is_staff or scope.is_street_admin):
        raise DomainError(_("Only community staff and street admins import 12345 tickets."))
    if not scope.street_ids:
        raise DomainError(_("Your account is not assigned to a street or community."))
    rows = read_rows(data)
    communities = list(
        Community.objects.filter(pk__in=scope.community_ids, archived_at__isnull=True)
    )
    matcher = AddressMatcher(communities)
    home_street = min(scope.street_ids)
    report = ImportReport()
    try:
        with transaction.atomic():
            _import_rows(
                rows,
                actor=actor,
                category=category,
                matcher=matcher,
                home_street=home_street,
                report=report,
            )
    except IntegrityError:
        # Two people imported the same tickets at the same moment: the other one won.
        raise DomainError(
            _("Another import of these tickets ran at the same time. Import the file again."),
            field="file",
        ) from None
    return report


def _import_rows(rows, *, actor, category, matcher, home_street, report):
    """Inside the import's transaction: create, update or leave each ticket."""
    existing = {
        t.ticket_number: t
        for t in HotlineTicket.objects.select_for_update().filter(
            ticket_number__in=[row.ticket_number for row in rows]
        )
    }
    for row in rows:
        ticket = existing.get(row.ticket_number)
        if ticket is None:
            ticket = HotlineTicket(ticket_number=row.ticket_number, imported_by=actor)
            _copy(ticket, row)
            community, compound = matcher.match(row.address)
            ticket.street_id = community.street_id if community else home_street
            # The ticket may already have been logged by hand as a hotline issue.
            logged = (
                Issue.objects.filter(
                    hotline_ticket=row.ticket_number, hotline_ticket_record__isnull=True
                )
                .order_by("pk")
                .first()
            )
            if logged is not None:
                ticket.street_id = logged.community.street_id
                ticket.issue = logged
                ticket.state = HotlineTicket.State.FILED
            ticket.save()
            if logged is None and community is not None:
                _file(
                    ticket,
                    actor=actor,
                    community=community,
                    compound=compound,
                    category=category,
                )
            report.created.append(ticket)
        else:
            changed = _copy(ticket, row)
            if changed:
                ticket.save()
                if ticket.issue_id:
                    hotline_update_note(
                        issue=ticket.issue,
                        text=_("The 12345 platform updated this ticket: %(fields)s.")
                        % {"fields": "、".join(changed)},
                    )
                report.updated.append(ticket)
            else:
                report.unchanged.append(ticket)
        if ticket.state == HotlineTicket.State.PENDING:
            report.left_for_staff.append(ticket)


def _copy(ticket, row) -> list[str]:
    """Copy the row onto the ticket; the labels of the fields that changed."""
    labels = {
        "received_at": _("time received"),
        "caller_phone": _("caller's phone"),
        "content": _("request content"),
        "address": _("address"),
        "request_type": _("hotline request type"),
        "answer_by": _("answer-by time"),
    }
    changed = []
    for name, label in labels.items():
        value = getattr(row, name)
        if getattr(ticket, name, None) != value:
            if ticket.pk is not None:
                changed.append(str(label))
            setattr(ticket, name, value)
    return changed


def _file(ticket, *, actor, community, compound, category):
    issue = issue_report(
        actor=actor,
        community=community,
        compound=compound,
        category=category,
        title=_title(ticket.content),
        description=ticket.content,
        channel=Channel.HOTLINE,
        place_text=ticket.address,
        reporter_phone=ticket.caller_phone,
        hotline_type=ticket.request_type,
        hotline_ticket=ticket.ticket_number,
        hotline_answer_by=ticket.answer_by,
        reported_at=ticket.received_at,
    )
    ticket.issue = issue
    ticket.state = HotlineTicket.State.FILED
    ticket.save(update_fields=["issue", "state", "updated_at"])
    return issue


def hotline_ticket_file(*, actor, ticket, community, compound=None, category) -> HotlineTicket:
    """Staff file a waiting ticket as an issue in the community they chose."""
    from access.api import can_report_in

    with transaction.atomic():
        locked = HotlineTicket.objects.select_for_update().get(pk=ticket.pk)
        if locked.state != HotlineTicket.State.PENDING:
            raise DomainError(_("This ticket has already been filed."))
        if not can_report_in(actor, community):
            raise DomainError(_("Choose one of your communities."), field="community")
        if compound is not None and compound.community_id != community.pk:
            raise DomainError(_("The compound is not in that community."), field="compound")
        _file(locked, actor=actor, community=community, compound=compound, category=category)
    return locked
