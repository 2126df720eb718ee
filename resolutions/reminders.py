"""Time-based reminders about resolutions, action items and their follow-up, derived from
the database by set-based queries. Each function is a pure sweep: run it as often as you
like, late or twice, and every (kind, object, recipient, step) goes out once.

Recipients are looked up only through `notifications.recipients`."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lib.urls import reverse_by_pk
from notifications import recipients
from notifications.services import notify_bulk

from .models import ITEM_OPEN_STATUSES, ActionItem, Resolution, Revisit
from .outreach import KIND_EVALUATION, evaluation_requests_to_people, revisit_asks
from .selectors import action_items_overdue

KIND_ITEM_DUE = "action_item_due"
KIND_ITEM_OVERDUE = "action_item_overdue"
KIND_ITEM_ESCALATED = "action_item_escalated"
KIND_PUBLICATION_ENDING = "publication_ending"
KIND_REVISIT_DUE = "revisit_due"


def _item_rows(items):
    return list(
        items.values(
            "pk",
            "measure",
            "deadline",
            "community_id",
            "responsible_user_id",
            "responsible_organization_id",
            "responsible_resident_id",
            "resolution__issue__grid_id",
            "resolution__title",
        )
    )


def item_recipients(rows) -> dict[int, set[int]]:
    """The responsible party of each item (a user, an organization's accounts or a
    resident's account) and the worker of the issue's grid."""
    orgs = recipients.organization_users(
        r["responsible_organization_id"] for r in rows if r["responsible_organization_id"]
    )
    residents = recipients.resident_users(
        r["responsible_resident_id"] for r in rows if r["responsible_resident_id"]
    )
    workers = recipients.grid_workers(
        r["resolution__issue__grid_id"] for r in rows if r["resolution__issue__grid_id"]
    )
    result = {}
    for r in rows:
        users = set()
        if r["responsible_user_id"]:
            users.add(r["responsible_user_id"])
        users |= orgs.get(r["responsible_organization_id"], set())
        if r["responsible_resident_id"] in residents:
            users.add(residents[r["responsible_resident_id"]])
        users |= workers.get(r["resolution__issue__grid_id"], set())
        result[r["pk"]] = users
    return result


# Work is binding once its resolution is agreed: no reminder about a draft's items, which
# their parties cannot open yet (access.resolutions), nor a withdrawn or archived one's.
NOT_BINDING = (
    Resolution.Status.DRAFT,
    Resolution.Status.AWAITING_REVIEW,
    Resolution.Status.WITHDRAWN,
)


def _agreed(items):
    return items.filter(resolution__archived_at__isnull=True).exclude(
        resolution__status__in=NOT_BINDING
    )


def _targets(model, pks):
    # notify_bulk needs type(target) and target.pk; unsaved shells carry both cheaply.
    return {pk: model(pk=pk) for pk in pks}


def _to_each(rows, who, compose):
    """Each item's message, written once, to each of its recipients: `who` maps an item to
    its user ids, `compose(row)` gives the reminder's step, title and body. A digest lists
    it under its resolution."""
    url_of = reverse_by_pk("resolutions:item_detail")
    for r in rows:
        users = who.get(r["pk"])
        if not users:
            continue
        step, title, body = compose(r)
        target = ActionItem(pk=r["pk"])  # notify_bulk reads only its type and pk
        url = url_of(r["pk"])
        for user_id in users:
            yield (user_id, target, step, title, body, url, r["resolution__title"])


def action_item_deadlines(*, today=None) -> int:
    """Deadline in 3 days and tomorrow: to the responsible party and the grid's worker."""
    today = today or timezone.localdate()
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for days, step in ((3, "3d"), (1, "1d")):
            rows = _item_rows(
                _agreed(
                    ActionItem.objects.filter(
                        status__in=ITEM_OPEN_STATUSES, deadline=today + timedelta(days=days)
                    )
                )
            )
            title = _("Action item due in 3 days") if days == 3 else _("Action item due tomorrow")

            def compose(r, title=title, step=step):
                return (
                    step,
                    _("%(title)s: %(subject)s") % {"title": title, "subject": r["measure"][:80]},
                    _("%(measure)s — deadline %(deadline)s (%(resolution)s).")
                    % {
                        "measure": r["measure"],
                        "deadline": r["deadline"].isoformat(),
                        "resolution": r["resolution__title"],
                    },
                )

            sent += notify_bulk(
                kind=KIND_ITEM_DUE,
                messages=_to_each(rows, item_recipients(rows), compose),
            )
    return sent


def action_item_overdue(*, today=None) -> int:
    """Overdue open items, once a day (the step is the date); after
    YISHI["ESCALATE_AFTER_DAYS_OVERDUE"] days, once to the community head."""
    today = today or timezone.localdate()
    escalate_after = settings.YISHI["ESCALATE_AFTER_DAYS_OVERDUE"]
    rows = _item_rows(_agreed(action_items_overdue(today=today)))
    with override(settings.LANGUAGE_CODE):

        def body(r):
            return _("%(measure)s — deadline %(deadline)s, %(days)d days overdue.") % {
                "measure": r["measure"],
                "deadline": r["deadline"].isoformat(),
                "days": (today - r["deadline"]).days,
            }

        sent = notify_bulk(
            kind=KIND_ITEM_OVERDUE,
            messages=_to_each(
                rows,
                item_recipients(rows),
                lambda r: (
                    f"overdue-{today.isoformat()}",
                    _("Action item overdue: %(measure)s") % {"measure": r["measure"][:80]},
                    body(r),
                ),
            ),
        )
        late = [r for r in rows if (today - r["deadline"]).days >= escalate_after]
        heads = recipients.community_heads(r["community_id"] for r in late)
        sent += notify_bulk(
            kind=KIND_ITEM_ESCALATED,
            messages=_to_each(
                late,
                {r["pk"]: heads.get(r["community_id"], set()) for r in late},
                lambda r: (
                    f"escalated-{r['deadline'].isoformat()}",
                    _("Escalated: action item overdue %(days)d days")
                    % {"days": (today - r["deadline"]).days},
                    body(r),
                ),
            ),
        )
    return sent


def evaluation_requests(*, today=None) -> int:
    """When every item of an issue's resolution is confirmed done and the issue awaits
    evaluation: ask the reporter, the parties and the grid's resident representatives;
    the reporter and parties without an account by SMS with a personal link."""
    from issues.models import Issue, IssueParty, Status

    open_items = ActionItem.objects.filter(
        resolution__issue=OuterRef("pk"), status__in=ITEM_OPEN_STATUSES
    )
    done_items = ActionItem.objects.filter(
        resolution__issue=OuterRef("pk"), status=ActionItem.Status.DONE
    )
    issues = list(
        Issue.objects.filter(status=Status.AWAITING_EVALUATION, archived_at__isnull=True)
        .filter(Exists(done_items), ~Exists(open_items))
        .values("pk", "title", "grid_id", "reporter_resident_id", "reopen_count")
    )
    if not issues:
        return 0
    party_residents = {}
    for issue_id, resident_id in IssueParty.objects.filter(
        issue__in=[i["pk"] for i in issues], resident__isnull=False
    ).values_list("issue", "resident"):
        party_residents.setdefault(issue_id, set()).add(resident_id)
    resident_ids = {i["reporter_resident_id"] for i in issues if i["reporter_resident_id"]}
    for ids in party_residents.values():
        resident_ids |= ids
    accounts = recipients.resident_users(resident_ids)
    representatives = recipients.grid_representative_users(
        i["grid_id"] for i in issues if i["grid_id"]
    )
    targets = _targets(Issue, [i["pk"] for i in issues])
    messages = []
    with override(settings.LANGUAGE_CODE):
        for i in issues:
            users = {accounts[r] for r in party_residents.get(i["pk"], set()) if r in accounts}
            if i["reporter_resident_id"] in accounts:
                users.add(accounts[i["reporter_resident_id"]])
            users |= representatives.get(i["grid_id"], set())
            for user_id in users:
                messages.append(
                    (
                        user_id,
                        targets[i["pk"]],
                        f"round-{i['reopen_count']}",
                        _("Please evaluate: %(title)s") % {"title": i["title"][:100]},
                        _(
                            "The work agreed on “%(title)s” has been confirmed done on site. "
                            "Tell us whether you are satisfied."
                        )
                        % {"title": i["title"]},
                        reverse("issues:detail", args=[i["pk"]]),
                    )
                )
    sent = notify_bulk(kind=KIND_EVALUATION, messages=messages)
    return sent + evaluation_requests_to_people(issues, accounts=accounts)


def publication_ending(*, today=None) -> int:
    """A published resolution whose publication period (公示期) ends tomorrow: to the staff
    who drafted it and the community head, so objections are answered in time."""
    today = today or timezone.localdate()
    rows = list(
        Resolution.objects.filter(
            status=Resolution.Status.PUBLISHED,
            publication_ends=today + timedelta(days=1),
            archived_at__isnull=True,
        ).values("pk", "title", "community_id", "created_by_id", "publication_ends")
    )
    heads = recipients.community_heads(r["community_id"] for r in rows)
    targets = _targets(Resolution, [r["pk"] for r in rows])
    messages = []
    with override(settings.LANGUAGE_CODE):
        for r in rows:
            users = set(heads.get(r["community_id"], set()))
            if r["created_by_id"]:
                users.add(r["created_by_id"])
            for user_id in users:
                messages.append(
                    (
                        user_id,
                        targets[r["pk"]],
                        f"ends-{r['publication_ends'].isoformat()}",
                        _("Publication period ends tomorrow: %(title)s")
                        % {"title": r["title"][:100]},
                        _(
                            "The publication of “%(title)s” ends on %(date)s. Answer any "
                            "objection before then."
                        )
                        % {"title": r["title"], "date": r["publication_ends"].isoformat()},
                        reverse("resolutions:detail", args=[r["pk"]]),
                    )
                )
    return notify_bulk(kind=KIND_PUBLICATION_ENDING, messages=messages)


def revisits_due(*, today=None) -> int:
    """Issues closed YISHI["REVISIT_AFTER_DAYS"] days ago or more with no revisit since:
    to the grid's worker (or the assignee where the grid has none); and the reporter is
    asked how things are with a personal link, by SMS when they have no account."""
    from issues.models import Issue, Status

    today = today or timezone.localdate()
    after = settings.YISHI["REVISIT_AFTER_DAYS"]
    now = timezone.now()
    cutoff = now - timedelta(days=after)
    revisited = Revisit.objects.filter(issue=OuterRef("pk"), visited_at__gte=OuterRef("closed_at"))
    rows = list(
        Issue.objects.filter(
            status=Status.CLOSED,
            closed_at__lte=cutoff,
            closed_at__gte=cutoff - timedelta(days=after),
            archived_at__isnull=True,
        )
        .filter(~Exists(revisited))
        .values("pk", "title", "grid_id", "assignee_id", "closed_at", "reporter_resident_id")
    )
    workers = recipients.grid_workers(r["grid_id"] for r in rows if r["grid_id"])
    targets = _targets(Issue, [r["pk"] for r in rows])
    messages = []
    with override(settings.LANGUAGE_CODE):
        for r in rows:
            users = set(workers.get(r["grid_id"], set()))
            if not users and r["assignee_id"]:
                users.add(r["assignee_id"])
            for user_id in users:
                messages.append(
                    (
                        user_id,
                        targets[r["pk"]],
                        f"closed-{timezone.localdate(r['closed_at']).isoformat()}",
                        _("Revisit due: %(title)s") % {"title": r["title"][:100]},
                        _("“%(title)s” was closed %(days)d days ago. Visit and record a revisit.")
                        % {"title": r["title"], "days": after},
                        # Straight to the revisit form, which leads back to the issue.
                        reverse("resolutions:revisit", args=[r["pk"]]),
                    )
                )
    return notify_bulk(kind=KIND_REVISIT_DUE, messages=messages) + revisit_asks(rows)
