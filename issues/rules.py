"""A street's categories and time limits (处置时限): the writes and the reads of the 工作规则
pages. The district's shared categories and default limits are kept by the superuser;
a street admin adds categories of their own street and sets, for any category offered in
their street, the limit of each urgency, which then comes first for its communities
(issues.services.time_limit_for)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from access.administration import can_manage_street_rules
from core import audit
from core.models import AuditEntry
from lib.errors import DomainError, StaleEdit
from lib.worktime import add_working_hours

from .models import Category, LimitUnit, TimeLimit, Urgency

# Most urgent last: a more urgent limit may not be longer than a less urgent one.
URGENCY_ORDER = (Urgency.NORMAL, Urgency.URGENT, Urgency.VERY_URGENT)
# The longest limit accepted: a year of office hours, or a year.
LONGEST = {LimitUnit.WORKING_HOURS: 7 * 250, LimitUnit.CALENDAR_DAYS: 365}


def _deny():
    raise DomainError(_("You may not do this."))


@dataclass(frozen=True)
class Limit:
    """A limit as typed: within how long an issue is accepted and handled."""

    accept_within: int
    handle_within: int
    unit: str


def deadline(start: datetime, amount: int, unit: str) -> datetime:
    """`amount` of the unit after `start`: calendar days, or office hours on China's
    working days (lib.worktime)."""
    if unit == LimitUnit.CALENDAR_DAYS:
        return start + timedelta(days=amount)
    return add_working_hours(start, amount)


def preview(start: datetime, limit: Limit) -> dict:
    """The deadlines an issue reported at `start` would get: accepted by, and handled by
    if accepted at once. For the form's preview."""
    accept_by = deadline(start, limit.accept_within, limit.unit)
    return {
        "start": start,
        "accept_by": accept_by,
        "handle_by": deadline(start, limit.handle_within, limit.unit),
    }


def check_limits(limits: dict[str, Limit | None]) -> None:
    """The limits of one category, by urgency, must not contradict each other: each is
    within bounds, and a more urgent one is never longer than a less urgent one in the
    same unit. Raises DomainError naming the field (`<urgency>_handle_within`)."""
    for urgency, limit in limits.items():
        if limit is None:
            continue
        longest = LONGEST[limit.unit]
        for part in ("accept_within", "handle_within"):
            value = getattr(limit, part)
            if value < 1 or value > longest:
                raise DomainError(
                    _("Between 1 and %(n)d %(unit)s.")
                    % {"n": longest, "unit": LimitUnit(limit.unit).label},
                    field=f"{urgency}_{part}",
                )
    previous = None
    for urgency in URGENCY_ORDER:
        limit = limits.get(urgency)
        if limit is None:
            continue
        if previous is not None and previous[1].unit == limit.unit:
            for part in ("accept_within", "handle_within"):
                if getattr(limit, part) > getattr(previous[1], part):
                    raise DomainError(
                        _(
                            "Longer than the limit of “%(less)s” (%(n)d): a more urgent "
                            "issue gets a shorter limit."
                        )
                        % {"less": Urgency(previous[0]).label, "n": getattr(previous[1], part)},
                        field=f"{urgency}_{part}",
                    )
        previous = (urgency, limit)


def categories_for_street(street):
    """The categories offered in a street (the district's and its own), each with the
    street's limits and the district's (`street_limits`, `district_limits`: {urgency:
    TimeLimit}), and the district's defaults: three queries whatever the count."""
    categories = list(
        Category.objects.filter(Q(street__isnull=True) | Q(street=street)).order_by("order", "name")
    )
    rows = TimeLimit.objects.filter(
        Q(street=street) | Q(street__isnull=True),
        Q(category__in=[c.pk for c in categories]) | Q(category__isnull=True),
    )
    own, district, defaults = {}, {}, {}
    for row in rows:
        if row.category_id is None:
            defaults[row.urgency] = row
        elif row.street_id is None:
            district.setdefault(row.category_id, {})[row.urgency] = row
        else:
            own.setdefault(row.category_id, {})[row.urgency] = row
    for category in categories:
        category.street_limits = own.get(category.pk, {})
        category.district_limits = district.get(category.pk, {})
        category.effective = [
            (
                urgency,
                category.street_limits.get(urgency)
                or category.district_limits.get(urgency)
                or defaults.get(urgency),
                "street"
                if urgency in category.street_limits
                else "district"
                if urgency in category.district_limits
                else "default",
            )
            for urgency in URGENCY_ORDER
        ]
    return categories, defaults


def _code_for(street) -> str:
    return f"s{street.pk}-{get_random_string(6, 'abcdefghijkmnpqrstuvwxyz23456789')}"


@transaction.atomic
def category_save(
    *,
    actor,
    street,
    name: str,
    default_kind: str,
    order: int = 0,
    is_active: bool = True,
    code: str = "",
    category: Category | None = None,
    version=None,
) -> Category:
    """Add a category of the street's own, or change one. A street admin of the street
    does it; the district's shared categories are the superuser's. Raises DomainError
    for a name the street (or the district) already uses, StaleEdit for an old form."""
    if not can_manage_street_rules(actor, street.pk):
        _deny()
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the category."), field="name")
    clash = Category.objects.filter(Q(street__isnull=True) | Q(street=street), name=name).exclude(
        pk=category.pk if category else None
    )
    if clash.exists():
        raise DomainError(
            _("“%(name)s” is already a category here: choose it, or another name.")
            % {"name": name},
            field="name",
        )
    code = (code or "").strip()
    if (
        code
        and Category.objects.filter(code=code)
        .exclude(pk=category.pk if category else None)
        .exists()
    ):
        raise DomainError(_("This code is already used."), field="code")
    if category is None:
        saved = Category.objects.create(
            street=street,
            name=name,
            code=code or _code_for(street),
            default_kind=default_kind,
            order=order,
            is_active=is_active,
        )
        audit.record(
            actor=actor,
            obj=saved,
            action=AuditEntry.Action.CREATE,
            street=street,
            changes={
                "name": ["", name],
                "default_kind": ["", str(saved.get_default_kind_display())],
            },
        )
        return saved
    locked = Category.objects.select_for_update().get(pk=category.pk)
    if locked.street_id != street.pk:
        _deny()
    if version is not None and int(version) != locked.version:
        raise StaleEdit(
            _("Someone else changed this category while you were editing. Reload and try again.")
        )
    before = audit.snapshot(locked, ["name", "code", "default_kind", "order", "is_active"])
    locked.name, locked.default_kind, locked.order, locked.is_active = (
        name,
        default_kind,
        order,
        is_active,
    )
    if code:
        locked.code = code
    changes = audit.diff(before, locked)
    if changes:
        locked.version += 1
        locked.save()
        audit.record(
            actor=actor, obj=locked, action=AuditEntry.Action.UPDATE, changes=changes, street=street
        )
    return locked


def _limit_text(limit) -> str:
    if limit is None:
        return ""
    return _("accept %(a)d, handle %(h)d %(unit)s") % {
        "a": limit.accept_within,
        "h": limit.handle_within,
        "unit": LimitUnit(limit.unit).label,
    }


@transaction.atomic
def time_limits_save(
    *, actor, street, category: Category, limits: dict[str, Limit | None], version=None
) -> dict[str, TimeLimit]:
    """Set the street's limits of a category, urgency by urgency (None: the street has
    none of its own for that urgency, the district's applies). Checked against each other
    (check_limits); written on the category's timeline with before and after. Issues
    already running keep their deadline; new ones and reclassified ones get these.
    `version` is the category's, from when the form was loaded: limits changed since
    raise StaleEdit."""
    if not can_manage_street_rules(actor, street.pk):
        _deny()
    if category.street_id not in (None, street.pk):
        _deny()
    check_limits(limits)
    locked = Category.objects.select_for_update().get(pk=category.pk)
    if version is not None and int(version) != locked.version:
        raise StaleEdit(
            _("Someone else changed these limits while you were editing. Reload and try again.")
        )
    existing = {
        row.urgency: row
        for row in TimeLimit.objects.select_for_update().filter(street=street, category=locked)
    }
    changes = {}
    saved = {}
    for urgency in URGENCY_ORDER:
        new = limits.get(urgency)
        old = existing.get(urgency)
        before = _limit_text(old)
        if new is None:
            if old is not None:
                # Kept, never deleted: a limit once set is changed, not taken away.
                raise DomainError(
                    _("The street's own limit stays: change its figures instead."),
                    field=f"{urgency}_accept_within",
                )
            continue
        if old is None:
            try:
                with transaction.atomic():
                    saved[urgency] = TimeLimit.objects.create(
                        street=street,
                        category=locked,
                        urgency=urgency,
                        accept_within=new.accept_within,
                        handle_within=new.handle_within,
                        unit=new.unit,
                    )
            except IntegrityError:
                raise DomainError(
                    _("This street already has a limit for this category and urgency."),
                    field=f"{urgency}_accept_within",
                ) from None
        else:
            old.accept_within, old.handle_within, old.unit = (
                new.accept_within,
                new.handle_within,
                new.unit,
            )
            old.version += 1
            old.save()
            saved[urgency] = old
        after = _limit_text(saved.get(urgency))
        if before != after:
            changes[str(Urgency(urgency).label)] = [before, after]
    if changes:
        # The category's version guards its limits too: a form opened before is stale.
        locked.version += 1
        locked.save(update_fields=["version"])
        audit.record(
            actor=actor,
            obj=locked,
            action=AuditEntry.Action.UPDATE,
            street=street,
            changes=changes,
            note=_("Time limits of %(street)s") % {"street": street.name},
        )
    return saved


@transaction.atomic
def category_with_limits_save(
    *, actor, street, category: Category | None, own: bool, limits, version=None, **values
) -> Category:
    """The category form in one transaction: the street's own category (added or
    changed, `values`) and its limits, or only the street's limits of a district category
    (`own` False). A limit refused leaves the category as it was."""
    if own:
        saved = category_save(
            actor=actor, street=street, category=category, version=version, **values
        )
        version = saved.version
    else:
        saved = category
    time_limits_save(actor=actor, street=street, category=saved, limits=limits, version=version)
    return saved
