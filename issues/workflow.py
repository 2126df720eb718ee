"""The issue lifecycle as data: which action moves an issue from which states to which,
and which roles may take it. `lib.lifecycle` applies it (through
`issues.services.issue_transition`); `access.issues.can_transition` asks it who may."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core import audit
from lib.lifecycle import Lifecycle, Messages
from lib.lifecycle import transition as _t

from .models import Issue, Status

STAFF = Role.STAFF
GRID = Role.GRID_WORKER
STREET = Role.STREET_ADMIN
# Not a role of its own: community staff with is_head (书记/主任), who approves deferrals.
HEAD = "head"

WORKING = (
    Status.ACCEPTED,
    Status.TO_DELIBERATE,
    Status.IN_DELIBERATION,
    Status.ESCALATED,
    Status.EXECUTING,
)

ISSUE = Lifecycle(
    model=Issue,
    transitions=[
        # Triage (受理 or 不予受理).
        _t("accept", _("Accept"), [Status.REPORTED], Status.ACCEPTED, [STAFF]),
        _t("reject", _("Reject"), [Status.REPORTED], Status.REJECTED, [STAFF], needs_note=True),
        # Small matters: handled on the spot (现场直办) and closed with what was done.
        _t(
            "handle_on_spot",
            _("Handle on the spot"),
            [Status.ACCEPTED, Status.TO_DELIBERATE],
            Status.CLOSED,
            [STAFF, GRID],
            needs_note=True,
        ),
        # Larger ones go to a meeting at a level (大事微网格议, 难事党群议).
        _t(
            "send_to_deliberation",
            _("Send to deliberation"),
            [Status.ACCEPTED],
            Status.TO_DELIBERATE,
            [STAFF],
        ),
        _t(
            "start_deliberation",
            _("Start deliberation"),
            [Status.TO_DELIBERATE],
            Status.IN_DELIBERATION,
            [STAFF],
        ),
        # What the community cannot solve: 吹哨报到, 干部领办, 村镇联办.
        _t(
            "escalate",
            _("Escalate"),
            [Status.ACCEPTED, Status.TO_DELIBERATE, Status.IN_DELIBERATION],
            Status.ESCALATED,
            [STAFF, STREET],
            needs_note=True,
        ),
        # A resolution is adopted (by a meeting, or by the departments that reported in).
        _t(
            "resolve",
            _("Record resolution"),
            [Status.IN_DELIBERATION, Status.ESCALATED],
            Status.RESOLVED,
            [STAFF, STREET],
        ),
        _t("start_execution", _("Start execution"), [Status.RESOLVED], Status.EXECUTING, [STAFF]),
        # Work done and verified on site: residents are asked to evaluate.
        _t(
            "complete",
            _("Confirm completion"),
            [Status.EXECUTING, Status.ESCALATED],
            Status.AWAITING_EVALUATION,
            [STAFF, STREET],
        ),
        # Verification failed: back to execution, counted as rework (返工).
        _t(
            "send_back",
            _("Send back for rework"),
            [Status.AWAITING_EVALUATION],
            Status.EXECUTING,
            [STAFF],
            needs_note=True,
        ),
        _t("close", _("Close (销号)"), [Status.AWAITING_EVALUATION], Status.CLOSED, [STAFF]),
        # Recurrence or an unsatisfied evaluation reopens the case with its history.
        _t(
            "reopen",
            _("Reopen"),
            [Status.CLOSED, Status.AWAITING_EVALUATION],
            Status.ACCEPTED,
            [STAFF],
            needs_note=True,
        ),
        _t(
            "merge",
            _("Merge into another issue"),
            [Status.REPORTED, Status.ACCEPTED, Status.TO_DELIBERATE],
            Status.MERGED,
            [STAFF],
        ),
        # 缓办: approved by the community head; stops the handling clock.
        _t("defer", _("Defer"), WORKING, Status.DEFERRED, [HEAD], needs_note=True),
        _t("resume", _("Resume"), [Status.DEFERRED], None, [STAFF]),
    ],
    # Resuming returns to the state the issue had before it was deferred.
    target_of=lambda issue, transition: issue.status_before_deferral,
    permission="access.issues.can_transition",
    record=audit.record,
    messages=Messages(
        impossible=_("An issue that is “%(status)s” cannot be sent to “%(action)s”."),
        stale=_(
            "Someone else changed this issue while you were working on it. "
            "Check the timeline below, then try again."
        ),
        denied=_("Your role does not allow “%(action)s” for this issue."),
        needs_note=_("Please say why, or what was done."),
    ),
)
TRANSITIONS = ISSUE.table
actions_from = ISSUE.actions_from


# Conditions a move needs beyond state and role, held by the apps that know the facts: an
# issue shows 已形成决议 only once a resolution is adopted, and its work is confirmed
# complete only when no action item of that resolution is still open. The resolutions app
# registers them from its AppConfig.ready(), so issues imports nothing above it. A guard
# is `guard(issue) -> str | None`: the translated reason the move is refused, or None.
register_guard = ISSUE.guard
unregister_guard = ISSUE.unguard
refusal = ISSUE.refusal
