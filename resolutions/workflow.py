"""The lifecycles of a resolution and of its action items, as data.

`lib.lifecycle` applies them (through `resolutions.services`); `access.resolutions` asks
them who may take an action."""

from django.utils.translation import gettext_lazy as _

from core import audit
from lib.lifecycle import Lifecycle, Messages
from lib.lifecycle import transition as _t

from .models import ActionItem, Resolution

R = Resolution.Status
A = ActionItem.Status

# Who may take an action. Not roles of the accounts app: the access module decides who
# counts as each (community staff; the party responsible for an item; staff or a
# supervision-committee member of the community for the on-site check).
MANAGER = "manager"
RESPONSIBLE = "responsible"
CHECKER = "checker"
# The community's legal adviser (法律顾问): the contact of a law firm serving it. The
# review is his own professional opinion, so staff cannot record it for him.
LEGAL_ADVISER = "legal_adviser"
# The community's staff, while the resolution is a draft.
DRAFTER = "drafter"


RESOLUTION = Lifecycle(
    model=Resolution,
    transitions=[
        # Disputes and anything with legal risk go to the legal adviser first.
        _t("submit_review", _("Send for legal review"), [R.DRAFT], R.AWAITING_REVIEW, [MANAGER]),
        _t(
            "approve_review",
            _("Approve after legal review"),
            [R.AWAITING_REVIEW],
            R.ADOPTED,
            [LEGAL_ADVISER],
            needs_note=True,
        ),
        _t(
            "return_review",
            _("Return for changes"),
            [R.AWAITING_REVIEW],
            R.DRAFT,
            [LEGAL_ADVISER],
            needs_note=True,
        ),
        _t("adopt", _("Adopt resolution"), [R.DRAFT], R.ADOPTED, [MANAGER]),
        # 公示: shown on the public outcomes board; residents may object.
        _t("publish", _("Publish (公示)"), [R.ADOPTED], R.PUBLISHED, [MANAGER]),
        _t(
            "withdraw",
            _("Withdraw"),
            [R.DRAFT, R.AWAITING_REVIEW, R.ADOPTED, R.PUBLISHED],
            R.WITHDRAWN,
            [MANAGER],
            needs_note=True,
        ),
    ],
    permission="access.resolutions.can_resolution_transition",
    record=audit.record,
    messages=Messages(
        impossible=_("A resolution that is “%(status)s” cannot be sent to “%(action)s”."),
        stale=_("Someone else changed this resolution while you were working on it. Reload it."),
        denied=_("You may not do this."),
        needs_note=_("Please say why, or what was found."),
    ),
)

ITEM = Lifecycle(
    model=ActionItem,
    transitions=[
        _t("start", _("Start work"), [A.PENDING], A.IN_PROGRESS, [RESPONSIBLE, MANAGER]),
        # Progress with photos; the first report starts the work.
        _t(
            "progress",
            _("Report progress"),
            [A.PENDING, A.IN_PROGRESS],
            A.IN_PROGRESS,
            [RESPONSIBLE, MANAGER],
        ),
        _t(
            "request_check",
            _("Report done, ask for the on-site check"),
            [A.PENDING, A.IN_PROGRESS],
            A.AWAITING_CHECK,
            [RESPONSIBLE, MANAGER],
        ),
        _t("pass_check", _("Confirm on site"), [A.AWAITING_CHECK], A.DONE, [CHECKER]),
        # A failed check (also of work confirmed earlier) sends the item back: 返工.
        _t(
            "fail_check",
            _("Send back for rework"),
            [A.AWAITING_CHECK, A.DONE],
            A.IN_PROGRESS,
            [CHECKER],
            needs_note=True,
        ),
        _t(
            "cancel",
            _("Cancel item"),
            [A.PENDING, A.IN_PROGRESS, A.AWAITING_CHECK],
            A.CANCELLED,
            [MANAGER],
            needs_note=True,
        ),
        # An item taken out of a draft before it was agreed (nothing is deleted).
        _t(
            "cancel_draft",
            _("Remove from the draft"),
            [A.PENDING, A.IN_PROGRESS, A.AWAITING_CHECK],
            A.CANCELLED,
            [DRAFTER],
        ),
    ],
    permission="access.resolutions.can_item_transition",
    record=audit.record,
    lock_related=("resolution__issue",),
    messages=Messages(
        impossible=_("This item cannot be changed that way now."),
        stale=_("Someone else changed this item. Reload it."),
        denied=_("You may not do this."),
        needs_note=_("Please say why."),
    ),
)
RESOLUTION_TRANSITIONS = RESOLUTION.table
ITEM_TRANSITIONS = ITEM.table
resolution_actions_from = RESOLUTION.actions_from
item_actions_from = ITEM.actions_from

# Items that are finished for the closure rule.
FINISHED_ITEM_STATUSES = (A.DONE, A.CANCELLED)
# The moves that are the legal review itself, made on the review form.
REVIEW_ACTIONS = ("approve_review", "return_review")
# Resolutions whose items are being carried out.
IN_FORCE = (R.ADOPTED, R.PUBLISHED)
