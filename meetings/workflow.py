"""The meeting lifecycle as data: which action moves a meeting from which states to which.
`meetings.services.meeting_transition` is the one function that applies it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Meeting

S = Meeting.Status


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset
    target: str
    needs_note: bool = False


def _t(action, label, sources, target, needs_note=False):
    return Transition(action, label, frozenset(sources), target, needs_note)


TRANSITIONS = {
    t.action: t
    for t in [
        _t("start", _("Start the meeting"), [S.PLANNED], S.IN_PROGRESS),
        # Time ran out or a party is missing: open items go to a continuation meeting.
        _t("adjourn", _("Adjourn"), [S.IN_PROGRESS], S.ADJOURNED, needs_note=True),
        _t("end", _("End the meeting"), [S.IN_PROGRESS], S.ENDED),
        # The minutes are final and locked.
        _t("close", _("Finalise the minutes"), [S.ENDED, S.ADJOURNED], S.CLOSED),
        _t("cancel", _("Cancel the meeting"), [S.PLANNED], S.CANCELLED, needs_note=True),
    ]
}

# States in which the live record (attendance, opinions, outcomes) may be written.
RECORDING = frozenset([S.IN_PROGRESS])
# States in which the minutes may still be corrected.
MINUTES_DRAFT = frozenset([S.ENDED, S.ADJOURNED])


def actions_from(status) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]
