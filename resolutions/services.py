"""Every write to resolutions, action items and their follow-up goes through here."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from access.resolutions import (
    can_answer_objection,
    can_confirm_share,
    can_create_resolution,
    can_evaluate,
    can_manage_resolution,
    can_object,
    can_record_revisit,
    legal_advisers_of,
    resident_may_answer_revisit,
    resident_may_evaluate,
)
from communities.models import Community
from communities.services import evaluation_days_of, publication_days_of
from core import audit
from issues.models import Issue, Kind
from issues.models import Status as IssueStatus
from issues.services import issue_transition
from lib.errors import DomainError, StaleEdit
from notifications.services import notify
from reach.services import link_act

from .models import (
    ActionItem,
    ActionItemCost,
    Confirmation,
    CostShare,
    Evaluation,
    Objection,
    ProgressPhoto,
    ProgressUpdate,
    Resolution,
    Revisit,
)
from .outreach import EVALUATION_PURPOSE, REVISIT_PURPOSE, send_outcome_later
from .workflow import FINISHED_ITEM_STATUSES, IN_FORCE, ITEM, RESOLUTION, REVIEW_ACTIONS

CENT = Decimal("0.01")
HUNDRED = Decimal("100")

RESOLUTION_FIELDS = (
    "title",
    "text",
    "legal_review_required",
    "publication_starts",
    "publication_ends",
    "evaluation_due",
)
ITEM_FIELDS = (
    "responsible_organization",
    "responsible_user",
    "responsible_resident",
    "measure",
    "starts_on",
    "deadline",
    "repeat",
    "repeat_until",
)


def _deny(message=None):
    raise DomainError(message or _("You may not do this."))


def _check_version(obj, expected_version, message):
    if expected_version is not None and obj.version != expected_version:
        raise StaleEdit(message)


def _validate_resolution(fields):
    if not (fields.get("text") or "").strip():
        raise DomainError(_("Write down what was agreed."), field="text")
    starts, ends = fields.get("publication_starts"), fields.get("publication_ends")
    if starts and ends and ends < starts:
        raise DomainError(
            _("The publication cannot end before it starts."), field="publication_ends"
        )


def _validate_item(fields):
    if not (
        fields.get("responsible_organization")
        or fields.get("responsible_user")
        or fields.get("responsible_resident")
    ):
        raise DomainError(
            _("Name who is responsible: an organization, a person or a resident."),
            field="responsible_organization",
        )
    if not (fields.get("measure") or "").strip():
        raise DomainError(_("Describe the measure."), field="measure")
    if not fields.get("starts_on"):
        raise DomainError(_("Give the start date."), field="starts_on")
    if not fields.get("deadline"):
        raise DomainError(_("Give the deadline."), field="deadline")
    if fields["deadline"] < fields["starts_on"]:
        raise DomainError(_("The deadline cannot be before the start."), field="deadline")
    repeat_until = fields.get("repeat_until")
    if repeat_until and not fields.get("repeat"):
        raise DomainError(_("Choose how often the item repeats."), field="repeat")
    if repeat_until and repeat_until < fields["starts_on"]:
        raise DomainError(_("The repetition cannot end before the start."), field="repeat_until")


def resolution_create(
    *,
    actor,
    text: str,
    agenda_item=None,
    issue=None,
    title: str = "",
    legal_review_required: bool | None = None,
    publication_starts=None,
    publication_ends=None,
    evaluation_due=None,
    items=(),
) -> Resolution:
    """Draft the resolution of an agenda item (or, for an escalated issue agreed without a
    meeting, of the issue). `items` are dicts of the ActionItem fields. Disputes need
    legal review unless said otherwise."""
    if agenda_item is not None:
        issue = agenda_item.issue
        if issue is None:
            raise DomainError(_("This agenda item is not about an issue."), field="agenda_item")
        if Resolution.objects.filter(agenda_item=agenda_item).exists():
            raise DomainError(_("This agenda item already has a resolution."), field="agenda_item")
    if issue is None:
        raise DomainError(_("Choose the issue."), field="issue")
    if not can_create_resolution(actor, issue):
        _deny()
    fields = {
        "title": (title or (agenda_item.title if agenda_item else "") or issue.title).strip(),
        "text": text,
        "legal_review_required": issue.is_private
        if legal_review_required is None
        else legal_review_required,
        "publication_starts": publication_starts,
        "publication_ends": publication_ends,
        "evaluation_due": evaluation_due,
    }
    _validate_resolution(fields)
    with transaction.atomic():
        resolution = Resolution.objects.create(
            agenda_item=agenda_item,
            issue=issue,
            community_id=issue.community_id,
            created_by=actor,
            **fields,
        )
        for order, item in enumerate(items):
            _item_create(resolution, order=order, **item)
        audit.record(actor=actor, obj=resolution, action="create")
    return resolution


def _item_create(resolution, *, order=0, **fields):
    fields = {k: fields.get(k) for k in ITEM_FIELDS}
    fields["repeat"] = fields["repeat"] or ""
    _validate_item(fields)
    return ActionItem.objects.create(
        resolution=resolution, community_id=resolution.community_id, order=order, **fields
    )


def resolution_update(*, actor, resolution, expected_version=None, **changes) -> Resolution:
    """Change the draft's text and dates (publication dates also while in force)."""
    with transaction.atomic():
        locked = Resolution.objects.select_for_update().get(pk=resolution.pk)
        if not can_manage_resolution(actor, locked):
            _deny()
        _check_version(
            locked,
            expected_version,
            _("Someone else changed this resolution while you were editing it. Reload it."),
        )
        editable = RESOLUTION_FIELDS
        if locked.status != Resolution.Status.DRAFT:
            editable = ("publication_starts", "publication_ends", "evaluation_due")
        unknown = set(changes) - set(editable)
        if unknown:
            raise DomainError(
                _("Only a draft can be changed; agreed text stays as agreed."),
                field=sorted(unknown)[0],
            )
        before = audit.snapshot(locked, list(changes))
        for name, value in changes.items():
            setattr(locked, name, value)
        _validate_resolution({f: getattr(locked, f) for f in RESOLUTION_FIELDS})
        locked.version += 1
        locked.save(update_fields=[*changes, "version", "updated_at"])
        audit.record(actor=actor, obj=locked, action="update", changes=audit.diff(before, locked))
    return locked


def action_item_add(*, actor, resolution, **fields) -> ActionItem:
    with transaction.atomic():
        locked = Resolution.objects.select_for_update().get(pk=resolution.pk)
        if not can_manage_resolution(actor, locked):
            _deny()
        if locked.status != Resolution.Status.DRAFT:
            raise DomainError(_("Items can be added only to a draft."))
        order = locked.items.count()
        item = _item_create(locked, order=order, **fields)
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        audit.record(actor=actor, obj=item, action="create")
    return item


def action_item_update(*, actor, item, expected_version=None, **changes) -> ActionItem:
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update().select_related("resolution").get(pk=item.pk)
        if not can_manage_resolution(actor, locked.resolution):
            _deny()
        if locked.resolution.status != Resolution.Status.DRAFT:
            raise DomainError(_("Items can be changed only while the resolution is a draft."))
        _check_version(
            locked,
            expected_version,
            _("Someone else changed this item while you were editing it. Reload it."),
        )
        before = audit.snapshot(locked, [k for k in changes if k in ITEM_FIELDS])
        for name in ITEM_FIELDS:
            if name in changes:
                setattr(locked, name, changes[name])
        locked.repeat = locked.repeat or ""
        _validate_item({name: getattr(locked, name) for name in ITEM_FIELDS})
        locked.version += 1
        locked.save(
            update_fields=[
                *(n for n in ITEM_FIELDS if n in changes),
                "repeat",
                "version",
                "updated_at",
            ]
        )
        audit.record(actor=actor, obj=locked, action="update", changes=audit.diff(before, locked))
    return locked


def split_parts(total, shares):
    """Each party's part in yuan: an amount as given, a share of the total rounded to
    the cent, with the rounding remainder on the last share so the parts add up."""
    parts = []
    for share in shares:
        amount = share.get("amount") if isinstance(share, dict) else share.amount
        percent = share.get("share_percent") if isinstance(share, dict) else share.share_percent
        if amount is not None:
            parts.append(Decimal(amount).quantize(CENT))
        elif total is not None and percent is not None:
            parts.append(
                (Decimal(total) * Decimal(percent) / HUNDRED).quantize(CENT, ROUND_HALF_UP)
            )
        else:
            parts.append(None)
    percents = [s.get("share_percent") if isinstance(s, dict) else s.share_percent for s in shares]
    complete = total is not None and parts and all(p is not None for p in parts)
    if complete and all(p is not None for p in percents) and sum(percents) == HUNDRED:
        parts[-1] += Decimal(total).quantize(CENT) - sum(parts)
    return parts


def validate_cost_split(total, shares):
    """Rules: every share names one party and either an amount or a share, not both; a
    split uses one way only; shares add up to 100 % of a given total; amounts add up to
    the total when one is given."""
    if total is not None and total <= 0:
        raise DomainError(_("The total cost must be more than zero."), field="total")
    if not shares:
        return
    parties = set()
    uses_amount = uses_share = False
    for share in shares:
        household, organization = share.get("household"), share.get("organization")
        if bool(household) == bool(organization):
            raise DomainError(
                _("Each part names one household or one organization."), field="shares"
            )
        party = ("h", household.pk) if household else ("o", organization.pk)
        if party in parties:
            raise DomainError(
                _("%(party)s appears twice in the split.") % {"party": household or organization},
                field="shares",
            )
        parties.add(party)
        amount, percent = share.get("amount"), share.get("share_percent")
        if (amount is None) == (percent is None):
            raise DomainError(
                _("Give each party either an amount or a share, not both."), field="shares"
            )
        if (amount is not None and amount <= 0) or (percent is not None and not 0 < percent <= 100):
            raise DomainError(
                _("Amounts must be more than zero and shares between 0 and 100 %."),
                field="shares",
            )
        uses_amount |= amount is not None
        uses_share |= percent is not None
    if uses_amount and uses_share:
        raise DomainError(_("Split either by amounts or by shares, not both."), field="shares")
    if uses_share:
        if total is None:
            raise DomainError(_("A split by shares needs the total cost."), field="total")
        added = sum(Decimal(s["share_percent"]) for s in shares)
        if added != HUNDRED:
            raise DomainError(
                _("The shares add up to %(sum)s %%; they must add up to 100 %%.")
                % {"sum": f"{added.normalize():f}"},
                field="shares",
            )
    if uses_amount and total is not None:
        added = sum(Decimal(s["amount"]) for s in shares)
        if added != Decimal(total):
            raise DomainError(
                _("The amounts add up to %(sum)s yuan, not the total of %(total)s yuan.")
                % {"sum": added, "total": total},
                field="shares",
            )


def cost_split_set(
    *, actor, item, shares, total=None, note: str = "", expected_version=None
) -> ActionItem:
    """Replace an item's cost split. `shares`: dicts with household or organization and
    amount or share_percent."""
    validate_cost_split(total, shares)
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update().select_related("resolution").get(pk=item.pk)
        if not can_manage_resolution(actor, locked.resolution):
            _deny()
        if locked.resolution.status != Resolution.Status.DRAFT:
            raise DomainError(_("The cost split can be changed only while it is a draft."))
        _check_version(
            locked,
            expected_version,
            _("Someone else changed this item while you were editing it. Reload it."),
        )
        locked.cost_shares.all().delete()
        CostShare.objects.bulk_create(
            CostShare(
                item=locked,
                household=s.get("household"),
                organization=s.get("organization"),
                amount=s.get("amount"),
                share_percent=s.get("share_percent"),
            )
            for s in shares
        )
        if total is None:
            ActionItemCost.objects.filter(item=locked).delete()
        else:
            ActionItemCost.objects.update_or_create(
                item=locked, defaults={"total": total, "note": note}
            )
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        audit.record(
            actor=actor,
            obj=locked,
            action="cost_split",
            note=ngettext(
                "%(count)s party shares the cost", "%(count)s parties share the cost", len(shares)
            )
            % {"count": len(shares)}
            + (_(", %(total)s yuan in all") % {"total": total} if total is not None else ""),
        )
    return locked


def _issue_to_execution(*, actor, issue):
    """An agreed resolution starts execution of its issue."""
    issue = Issue.objects.get(pk=issue.pk)
    if issue.status in (IssueStatus.IN_DELIBERATION, IssueStatus.ESCALATED):
        issue = issue_transition(issue=issue, action="resolve", actor=actor, check_role=False)
    if issue.status == IssueStatus.RESOLVED:
        issue_transition(issue=issue, action="start_execution", actor=actor, check_role=False)


def resolution_transition(
    *, actor, resolution, action, note: str = "", expected_version=None
) -> Resolution:
    """Move a resolution along its lifecycle (workflow.RESOLUTION, applied by lib.lifecycle)."""
    return RESOLUTION.apply(
        resolution, action, actor=actor, note=note, expected_version=expected_version
    )


@RESOLUTION.effect("adopt", "submit_review")
def _has_items(resolution, move) -> list[str]:
    if move.action == "adopt" and resolution.legal_review_required:
        raise DomainError(_("This resolution needs legal review before it is adopted."))
    if not resolution.items.exclude(status=ActionItem.Status.CANCELLED).exists():
        raise DomainError(_("Add at least one action item first."))
    return []


@RESOLUTION.effect(*REVIEW_ACTIONS)
def _legal_review(resolution, move) -> list[str]:
    resolution.legal_reviewer = move.actor
    resolution.legal_review_note = move.note
    resolution.legal_reviewed_at = move.now
    return ["legal_reviewer", "legal_review_note", "legal_reviewed_at"]


@RESOLUTION.effect("adopt", "approve_review")
def _adopted(resolution, move) -> list[str]:
    resolution.adopted_at = move.now
    return ["adopted_at"]


@RESOLUTION.effect("publish")
def _publication(resolution, move) -> list[str]:
    today = timezone.localdate()
    if not resolution.publication_starts or resolution.publication_starts < today:
        resolution.publication_starts = today
    if not resolution.publication_ends:
        # The street's publication period (公示期), or the district's default.
        resolution.publication_ends = resolution.publication_starts + timedelta(
            days=publication_days_of(resolution.community.street_id)
        )
    if resolution.publication_ends < resolution.publication_starts:
        raise DomainError(
            _("The publication cannot end before it starts."), field="publication_ends"
        )
    return ["publication_starts", "publication_ends"]


@RESOLUTION.follow("adopt", "approve_review")
def _execute(resolution, move) -> None:
    _issue_to_execution(actor=move.actor, issue=resolution.issue)


@RESOLUTION.follow("publish")
def _tell_the_reporter(resolution, move) -> None:
    """The reporter and the parties learn of the outcome: through their account, or by SMS
    with a personal link to follow it (resolutions.outreach)."""
    send_outcome_later(resolution)


@RESOLUTION.follow("submit_review")
def _ask_legal_advisers(resolution, move) -> None:
    from django.urls import reverse

    # Each sending (again after a return) is its own request to the lawyer.
    for lawyer in legal_advisers_of(resolution.community_id):
        notify(
            recipient=lawyer,
            kind="legal_review_requested",
            title=_("Legal review requested: “%(title)s”") % {"title": resolution.title},
            body=_("The community asks for your legal review of this agreement."),
            target=resolution,
            step=f"v{resolution.version}",
            url=reverse("resolutions:detail", args=[resolution.pk]) + "#legal-review",
        )


def confirmation_record(
    *,
    actor,
    resolution,
    party_name: str,
    signed_by: str,
    resident=None,
    organization=None,
    confirmed_at=None,
) -> Confirmation:
    """A party confirms or signs the agreement (签字确认), recorded by staff."""
    if not party_name.strip():
        raise DomainError(_("Name the party."), field="party_name")
    if not signed_by.strip():
        raise DomainError(_("Who signed?"), field="signed_by")
    with transaction.atomic():
        locked = Resolution.objects.select_for_update().get(pk=resolution.pk)
        if not can_manage_resolution(actor, locked):
            _deny()
        if locked.status == Resolution.Status.WITHDRAWN:
            raise DomainError(_("A withdrawn resolution cannot be signed."))
        confirmation = Confirmation.objects.create(
            resolution=locked,
            party_name=party_name.strip(),
            signed_by=signed_by.strip(),
            resident=resident,
            organization=organization,
            confirmed_at=confirmed_at or timezone.now(),
            recorded_by=actor,
        )
        audit.record(actor=actor, obj=locked, action="confirm", note=str(confirmation))
    return confirmation


def cost_share_confirm(*, actor, resolution) -> Confirmation:
    """A household that pays part of the agreed cost confirms the agreement itself (签字
    确认): a resident of the household confirms for it, once. Staff record the signatures
    of parties without an account (confirmation_record).

    Raises DomainError when the user's household pays no part of an agreed item of this
    resolution, or has already confirmed it."""
    from communities.lookups import household_label

    with transaction.atomic():
        locked = Resolution.objects.select_for_update().get(pk=resolution.pk)
        if not can_confirm_share(actor, locked):
            _deny(_("Only a household that pays part of the agreed cost confirms it."))
        resident = actor.resident
        if Confirmation.objects.filter(
            resolution=locked, resident__household=resident.household_id
        ).exists():
            raise DomainError(_("Your household has already confirmed this agreement."))
        confirmation = Confirmation.objects.create(
            resolution=locked,
            party_name=household_label(resident.household),
            signed_by=resident.name,
            resident=resident,
            confirmed_at=timezone.now(),
            recorded_by=actor,
        )
        audit.record(actor=actor, obj=locked, action="update", note=f"confirmation: {confirmation}")
    return confirmation


def objection_lodge(*, actor, resolution, reason: str) -> Objection:
    """A resident of the community objects (异议) during the publication period."""
    if not reason.strip():
        raise DomainError(_("Say what you object to and why."), field="reason")
    if not can_object(actor, resolution):
        raise DomainError(_("Objections can be lodged only while the resolution is published."))
    with transaction.atomic():
        objection = Objection.objects.create(
            resolution=resolution, resident_id=actor.resident_id, reason=reason.strip()
        )
        audit.record(actor=actor, obj=resolution, action="object", note=objection.reason)
        for user in resolution.community.staff.filter(is_active=True):
            notify(
                recipient=user,
                kind="objection_lodged",
                title=_("Objection to “%(title)s”") % {"title": resolution.title},
                body=objection.reason,
                target=objection,
            )
    return objection


def objection_answer(*, actor, objection, answer: str) -> Objection:
    if not answer.strip():
        raise DomainError(_("Write the answer."), field="answer")
    with transaction.atomic():
        locked = (
            Objection.objects.select_for_update().select_related("resolution").get(pk=objection.pk)
        )
        if not can_answer_objection(actor, locked):
            _deny()
        locked.answer = answer.strip()
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answer", "answered_by", "answered_at"])
        audit.record(
            actor=actor, obj=locked.resolution, action="answer_objection", note=locked.answer
        )
        user = getattr(locked.resident, "user", None)
        if user is not None and user.is_active:
            from django.urls import reverse

            notify(
                recipient=user,
                kind="objection_answered",
                title=_("Your objection was answered"),
                body=locked.answer,
                target=locked,
                url=reverse("resolutions:public_detail", args=[locked.resolution_id]),
            )
    return locked


def _add_update(item, *, actor, kind, text, percent, photos):
    update = ProgressUpdate.objects.create(
        item=item, kind=kind, text=text, percent=percent, author=actor
    )
    for photo in photos or ():
        ProgressPhoto.objects.create(update=update, image=photo)
    return update


def progress_report(
    *,
    actor,
    item,
    text: str,
    percent: int,
    photos=(),
    request_check: bool = False,
    expected_version=None,
) -> ProgressUpdate:
    """The responsible party (or staff, a grid worker) reports progress with photos;
    `request_check` says the work is done and asks for the on-site check. Both are moves
    of the item's lifecycle (workflow.ITEM: "progress", "request_check")."""
    if not text.strip():
        raise DomainError(_("Say what has been done."), field="text")
    if percent is None or not 0 <= percent <= 100:
        raise DomainError(_("Progress is between 0 and 100 %."), field="percent")
    move_data = {"text": text.strip(), "percent": percent, "photos": photos}
    ITEM.apply(
        item,
        "request_check" if request_check else "progress",
        actor=actor,
        note=text.strip(),
        expected_version=expected_version,
        data=move_data,
        impossible=_no_report,
        stale=_("Someone else updated this item while you were writing. Check the timeline."),
    )
    return move_data["update"]


def _no_report(item) -> str:
    if item.status == ActionItem.Status.AWAITING_CHECK:
        return _("This item is waiting for the on-site check.")
    return _("This item is finished.")


@ITEM.effect("progress", "request_check")
def _progress(item, move) -> list[str]:
    percent = 100 if move.action == "request_check" else move.data["percent"]
    if percent < item.percent:
        raise DomainError(
            _("Progress cannot go back below %(percent)s %%.") % {"percent": item.percent},
            field="percent",
        )
    if percent != item.percent:
        move.changes["percent"] = [str(item.percent), str(percent)]
    item.percent = percent
    move.data["update"] = _add_update(
        item,
        actor=move.actor,
        kind=ProgressUpdate.Kind.PROGRESS,
        text=move.data["text"],
        percent=percent,
        photos=move.data["photos"],
    )
    move.timeline_data["update"] = move.data["update"].pk
    return ["percent"]


@ITEM.follow("progress", "request_check")
def _tell_grid_workers(item, move) -> None:
    update = move.data["update"]
    grid = item.resolution.issue.grid
    if grid is None:
        return
    from django.urls import reverse

    for worker in grid.workers.filter(is_active=True).exclude(pk=move.actor.pk):
        notify(
            recipient=worker,
            kind="progress_reported",
            title=_("Progress on “%(item)s”") % {"item": item},
            body=f"{item.percent}% · {update.text}",
            target=update,
            url=reverse("resolutions:item_detail", args=[item.pk]),
        )


@ITEM.follow("request_check")
def _request_check(item, move) -> None:
    _ask_supervisors_to_check(item, actor=move.actor, update=move.data["update"])


def _ask_supervisors_to_check(item, *, actor, update):
    """Work reported done waits for the on-site check (现场核查): the supervision committee
    (居监会) of the community is asked, with a link to the check itself. Each round of work
    asks again (the step counts the rework). Disputes stay between their parties: the
    committee does not see them."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from notifications.recipients import community_supervisor_users

    if item.resolution.issue.kind == Kind.DISPUTE:
        return
    supervisors = community_supervisor_users([item.community_id]).get(item.community_id, set())
    supervisors.discard(actor.pk)
    if not supervisors:
        return
    url = reverse("resolutions:item_detail", args=[item.pk]) + "#check"
    for user in get_user_model().objects.filter(pk__in=supervisors).order_by("pk"):
        notify(
            recipient=user,
            kind="check_requested",
            title=_("Please check on site: %(item)s") % {"item": item},
            body=_(
                "The work on “%(item)s” (%(resolution)s) is reported done: %(text)s Please "
                "check it on site and record what you found."
            )
            % {"item": item, "resolution": item.resolution.title, "text": update.text},
            target=item,
            step=f"check-{item.rework_count}",
            url=url,
        )


def action_item_transition(
    *, actor, item, action, note: str = "", expected_version=None
) -> ActionItem:
    """Start or cancel an item (workflow.ITEM); reports and checks have their own
    services, which say what they need."""
    if action not in ("start", "cancel"):
        raise DomainError(_("Unknown action."))
    return ITEM.apply(item, action, actor=actor, note=note, expected_version=expected_version)


@ITEM.follow("cancel", "cancel_draft")
def _cancelled(item, move) -> None:
    if move.action == "cancel":
        _after_item_finished(actor=move.actor, resolution=item.resolution)


def item_check(
    *, actor, item, passed: bool, text: str, photos=(), expected_version=None
) -> ActionItem:
    """The on-site check by staff or a supervision-committee member. Passing confirms the
    item (done on time or late); failing sends it back for rework (返工), and if the
    issue was already awaiting evaluation it goes back to execution too."""
    text = (text or "").strip()
    if not passed and not text:
        raise DomainError(_("Say what still needs to be done."), field="text")
    return ITEM.apply(
        item,
        "pass_check" if passed else "fail_check",
        actor=actor,
        note=text,
        expected_version=expected_version,
        data={"photos": photos},
        impossible=lambda locked: _("Only work reported as done can be checked."),
    )


@ITEM.effect("pass_check")
def _passed(item, move) -> list[str]:
    item.percent = 100
    item.confirmed_at = move.now
    item.confirmed_by = move.actor
    item.done_on_time = timezone.localdate() <= item.deadline
    move.timeline_data["update"] = _add_update(
        item,
        actor=move.actor,
        kind=ProgressUpdate.Kind.CHECK_PASSED,
        text=move.note or _("Confirmed on site."),
        percent=item.percent,
        photos=move.data.get("photos"),
    ).pk
    return ["percent", "confirmed_at", "confirmed_by", "done_on_time"]


@ITEM.effect("fail_check")
def _failed(item, move) -> list[str]:
    item.rework_count += 1
    item.confirmed_at = None
    item.confirmed_by = None
    item.done_on_time = None
    item.percent = min(item.percent, 90)
    move.timeline_data["update"] = _add_update(
        item,
        actor=move.actor,
        kind=ProgressUpdate.Kind.CHECK_FAILED,
        text=move.note,
        percent=item.percent,
        photos=move.data.get("photos"),
    ).pk
    return ["rework_count", "confirmed_at", "confirmed_by", "done_on_time", "percent"]


@ITEM.follow("pass_check")
def _confirmed(item, move) -> None:
    _after_item_finished(actor=move.actor, resolution=item.resolution)


@ITEM.follow("fail_check")
def _rework(item, move) -> None:
    issue = item.resolution.issue
    if Issue.objects.get(pk=issue.pk).status == IssueStatus.AWAITING_EVALUATION:
        issue_transition(
            issue=issue, action="send_back", actor=move.actor, note=move.note, check_role=False
        )
    responsible = item.responsible_user
    if responsible is None and item.responsible_organization_id:
        responsible = item.responsible_organization.users.filter(is_active=True).first()
    if responsible is not None and responsible.pk != move.actor.pk:
        from django.urls import reverse

        notify(
            recipient=responsible,
            kind="rework_required",
            title=_("Rework needed: %(item)s") % {"item": item},
            body=move.note,
            target=item,
            step=f"rework-{item.rework_count}",
            url=reverse("resolutions:item_detail", args=[item.pk]),
        )


def _after_item_finished(*, actor, resolution):
    """When every item of every resolution of the issue in force is finished, the work is
    complete: the issue awaits evaluation."""
    issue = Issue.objects.get(pk=resolution.issue_id)
    if issue.status != IssueStatus.EXECUTING:
        return
    items = ActionItem.objects.filter(
        resolution__issue=issue,
        resolution__status__in=IN_FORCE,
    )
    if items.exists() and not items.exclude(status__in=FINISHED_ITEM_STATUSES).exists():
        issue_transition(issue=issue, action="complete", actor=actor, check_role=False)
        # Residents now have the evaluation period to rate the result.
        due = timezone.localdate() + timedelta(
            days=evaluation_days_of(
                Community.objects.filter(pk=issue.community_id)
                .values_list("street_id", flat=True)
                .first()
            )
        )
        Resolution.objects.filter(issue=issue, status__in=IN_FORCE).filter(
            Q(evaluation_due__isnull=True) | Q(evaluation_due__lt=due)
        ).update(evaluation_due=due)


def evaluation_round(issue) -> int:
    """Each round of execution is evaluated afresh: a reopened issue asks again."""
    return issue.reopen_count


def closure_due(issue, *, today=None) -> bool:
    """The closure rule (销号): every item confirmed, and an evaluation is in or the
    evaluation period of the issue's resolutions has passed."""
    if issue.status != IssueStatus.AWAITING_EVALUATION:
        return False
    resolutions = Resolution.objects.filter(issue=issue, status__in=IN_FORCE)
    items = ActionItem.objects.filter(resolution__in=resolutions)
    if items.exclude(status__in=FINISHED_ITEM_STATUSES).exists():
        return False
    if Evaluation.objects.filter(issue=issue, round=evaluation_round(issue)).exists():
        return True
    today = today or timezone.localdate()
    due_dates = [d for d in resolutions.values_list("evaluation_due", flat=True) if d]
    return bool(due_dates) and max(due_dates) < today


def issue_close_if_due(*, actor, issue, today=None) -> bool:
    """Close the issue when the closure rule holds. Returns whether it was closed. The
    reminders sweep calls this for issues whose evaluation period has passed."""
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if not closure_due(locked, today=today):
            return False
        issue_transition(
            issue=locked,
            action="close",
            actor=actor,
            note=_("All items confirmed; evaluation in or its period passed."),
            check_role=False,
        )
    return True


def evaluation_submit(*, actor, issue, rating: str, comment: str = "", link=None) -> Evaluation:
    """A resident rates the result (满意/基本满意/不满意): signed in, or from the personal
    link of their evaluation request (`link`; the holder needs no account, and the link
    is spent by it). Unsatisfied reopens the issue with its history; otherwise the
    closure rule is applied."""
    if rating not in Evaluation.Rating.values:
        raise DomainError(_("Choose how satisfied you are."), field="rating")
    comment = (comment or "").strip()
    if rating == Evaluation.Rating.UNSATISFIED and not comment:
        raise DomainError(_("Tell us what is still wrong."), field="comment")
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        round_ = evaluation_round(locked)
        if link is not None:
            resident = link.resident
            if (
                link.purpose != EVALUATION_PURPOSE
                or link.object_id != locked.pk
                or link.step != f"round-{round_}"
                or not resident_may_evaluate(resident, locked)
            ):
                raise DomainError(_("This issue is not waiting for your evaluation."))
            resident_id, name = resident.pk, resident.name
        else:
            if not can_evaluate(actor, locked):
                raise DomainError(_("This issue is not waiting for your evaluation."))
            resident_id, name = actor.resident_id, ""
        if Evaluation.objects.filter(issue=locked, resident_id=resident_id, round=round_).exists():
            raise DomainError(_("You have already evaluated this round of work."))
        evaluation = Evaluation.objects.create(
            issue=locked,
            resident_id=resident_id,
            rating=rating,
            comment=comment,
            round=round_,
        )
        if link is not None and not link_act(link=link):
            raise DomainError(_("You have already evaluated this round of work."))
        note = " ".join(filter(None, [evaluation.get_rating_display(), comment]))
        audit.record(
            actor=actor,
            obj=locked,
            action="evaluate",
            note=_("%(name)s with the personal link: %(note)s") % {"name": name, "note": note}
            if link is not None
            else note,
        )
        if rating == Evaluation.Rating.UNSATISFIED:
            issue_transition(
                issue=locked,
                action="reopen",
                actor=actor if link is None else None,
                note=_("Unsatisfied evaluation: %(comment)s") % {"comment": comment},
                check_role=False,
            )
        else:
            issue_close_if_due(actor=actor if link is None else None, issue=locked)
    return evaluation


def revisit_record(
    *,
    actor,
    issue,
    method: str,
    findings: str,
    problem_recurred: bool = False,
    visited_at=None,
    rating: str = "",
) -> Revisit:
    """A revisit after closure (事后回访). A problem that has come back reopens the issue.

    `rating` is the reporter's answer to "how satisfied are you?" asked at the revisit, as
    the 12345 callback asks it: it is recorded as the reporter's evaluation of this round
    (most reporters have no account and answer in person or on the phone); unsatisfied
    reopens the issue like a problem that came back."""
    if method not in Revisit.Method.values:
        raise DomainError(_("Choose how the revisit was made."), field="method")
    if not (findings or "").strip():
        raise DomainError(_("Write down what the revisit found."), field="findings")
    if rating and rating not in Evaluation.Rating.values:
        raise DomainError(_("Choose how satisfied you are."), field="rating")
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if not can_record_revisit(actor, locked):
            _deny(_("Only a closed issue of your community can be revisited."))
        if rating and locked.reporter_resident_id is None:
            raise DomainError(
                _("The reporter is not a resident on record: nobody to rate it."),
                field="rating",
            )
        return _revisit(
            locked,
            actor=actor,
            resident_id=locked.reporter_resident_id,
            method=method,
            findings=findings.strip(),
            problem_recurred=problem_recurred,
            visited_at=visited_at,
            rating=rating,
            note=findings.strip(),
        )


def _revisit(
    locked,
    *,
    actor,
    resident_id,
    method,
    findings,
    problem_recurred,
    visited_at,
    rating,
    note,
    answered_by=None,
) -> Revisit:
    """Write a revisit of a locked, closed issue: the rating as the resident's evaluation
    of this round (once), the revisit, its timeline row; reopen the issue when the problem
    came back or the resident is unsatisfied."""
    if rating:
        if Evaluation.objects.filter(
            issue=locked, resident_id=resident_id, round=evaluation_round(locked)
        ).exists():
            raise DomainError(
                _("The reporter has already rated this round of work."), field="rating"
            )
        Evaluation.objects.create(
            issue=locked,
            resident_id=resident_id,
            rating=rating,
            comment=findings if rating == Evaluation.Rating.UNSATISFIED else "",
            round=evaluation_round(locked),
        )
        problem_recurred = problem_recurred or rating == Evaluation.Rating.UNSATISFIED
    revisit = Revisit.objects.create(
        issue=locked,
        visited_at=visited_at or timezone.now(),
        visitor=actor if actor is not None and actor.is_authenticated else None,
        resident=answered_by,
        method=method,
        findings=findings,
        problem_recurred=problem_recurred,
    )
    audit.record(actor=actor, obj=locked, action="revisit", note=note)
    if problem_recurred:
        issue_transition(
            issue=locked,
            action="reopen",
            actor=actor if actor is not None and actor.is_authenticated else None,
            note=_("Revisit found the problem back: %(findings)s") % {"findings": findings},
            check_role=False,
        )
    return revisit


def revisit_answer(
    *, link, problem_recurred: bool, rating: str = "", comment: str = "", actor=None
) -> Revisit:
    """The reporter answers the revisit (事后回访) themselves, from the personal link of the
    revisit SMS: has the problem come back, how satisfied are they, in their words. Counts
    as the revisit of this closure (an online one); the link is spent by it. A problem
    back, or unsatisfied, reopens the issue."""
    if rating and rating not in Evaluation.Rating.values:
        raise DomainError(_("Choose how satisfied you are."), field="rating")
    comment = (comment or "").strip()
    if (problem_recurred or rating == Evaluation.Rating.UNSATISFIED) and not comment:
        raise DomainError(_("Tell us what is wrong again."), field="comment")
    resident = link.resident
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=link.object_id)
        if link.purpose != REVISIT_PURPOSE or not resident_may_answer_revisit(resident, locked):
            raise DomainError(_("This issue is not waiting for your answer."))
        if (
            rating
            and Evaluation.objects.filter(
                issue=locked, resident=resident, round=evaluation_round(locked)
            ).exists()
        ):
            # Rated already (at the evaluation): the answer to the revisit still counts.
            rating = ""
        findings = comment or (
            _("The problem has come back.") if problem_recurred else _("All is well.")
        )
        revisit = _revisit(
            locked,
            actor=actor,
            resident_id=resident.pk,
            method=Revisit.Method.ONLINE,
            findings=findings,
            problem_recurred=problem_recurred,
            visited_at=None,
            rating=rating,
            note=_("%(name)s answered with the personal link: %(findings)s")
            % {"name": resident.name, "findings": findings},
            answered_by=resident,
        )
        if not link_act(link=link):
            raise DomainError(_("This link has already been used."))
    return revisit


def action_item_cancel_draft(*, actor, item) -> ActionItem:
    """Take an item out of a draft. Nothing is deleted: the item is cancelled."""
    return ITEM.apply(item, "cancel_draft", actor=actor)


@ITEM.guard("cancel_draft")
def _only_from_a_draft(item) -> str | None:
    if item.resolution.status != Resolution.Status.DRAFT:
        return _("Items can be removed only from a draft.")
    return None


def issues_close_due(*, today=None) -> int:
    """Close (销号) every issue awaiting evaluation whose evaluation period has passed with
    all items finished. Safe to run twice: a closed issue no longer awaits evaluation."""
    today = today or timezone.localdate()
    candidates = (
        Issue.objects.filter(
            status=IssueStatus.AWAITING_EVALUATION,
            resolutions__status__in=IN_FORCE,
            resolutions__evaluation_due__lt=today,
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    closed = 0
    for pk in candidates.iterator():
        closed += issue_close_if_due(actor=None, issue=Issue(pk=pk), today=today)
    return closed
