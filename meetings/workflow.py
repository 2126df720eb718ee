"""The meeting lifecycle as data: which action moves a meeting from which states to which.
`lib.lifecycle` applies it (through `meetings.services.meeting_transition`)."""

from django.utils.translation import gettext_lazy as _

from core import audit
from lib.lifecycle import Lifecycle, Messages
from lib.lifecycle import transition as _t

from .models import Meeting

S = Meeting.Status

# Who may take an action: the access module decides who counts (the community's staff,
# the workers of the meeting's grid).
MANAGER = "manager"

MEETING = Lifecycle(
    model=Meeting,
    transitions=[
        _t("start", _("Start the meeting"), [S.PLANNED], S.IN_PROGRESS, [MANAGER]),
        # Time ran out or a party is missing: open items go to a continuation meeting.
        _t("adjourn", _("Adjourn"), [S.IN_PROGRESS], S.ADJOURNED, [MANAGER], needs_note=True),
        _t("end", _("End the meeting"), [S.IN_PROGRESS], S.ENDED, [MANAGER]),
        # The minutes are final and locked.
        _t(
            "close",
            _("Finalise the minutes"),
            [S.ENDED, S.ADJOURNED],
            S.CLOSED,
            [MANAGER],
            event="finalise",
        ),
        _t("cancel", _("Cancel the meeting"), [S.PLANNED], S.CANCELLED, [MANAGER], needs_note=True),
    ],
    permission="access.meetings.can_meeting_transition",
    record=audit.record,
    messages=Messages(
        impossible=_("A meeting that is “%(status)s” cannot “%(action)s”."),
        stale=_(
            "Someone else changed this meeting while you were working on it. "
            "Reload the page, then try again."
        ),
        denied=_("Only the community's staff or the grid's workers run this meeting."),
        needs_note=_("Please say why."),
    ),
)
TRANSITIONS = MEETING.table
actions_from = MEETING.actions_from

# States in which the live record (attendance, opinions, outcomes) may be written.
RECORDING = frozenset([S.IN_PROGRESS])
# States in which the minutes may still be corrected.
MINUTES_DRAFT = frozenset([S.ENDED, S.ADJOURNED])
