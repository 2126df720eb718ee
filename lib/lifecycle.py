"""One engine for every lifecycle: an issue, a meeting, a resolution, an action item.

A lifecycle is a declared table of transitions (action, label, sources, target, roles,
needs-note) plus what happens around each action, registered by the app that knows it:

- guards say why a move is refused now (`guard(obj) -> str | None`), for conditions held
  by other apps (an issue is complete only when its action items are);
- effects change the record's own fields as the action requires and return their names
  (`effect(obj, move) -> list[str]`); they may refuse with a DomainError;
- followers run once the move is saved and written on the timeline: cascades to other
  records, notifications.

`Lifecycle.apply` is the only code that assigns a lifecycle status: it locks the row,
treats the state that already holds as a no-op, rejects an impossible move with a
translated error, saves with `update_fields`, bumps the version and writes one timeline
row with from and to (tests/test_architecture.py holds every other module to that).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .errors import DomainError, StaleEdit


class TransitionNotAllowed(DomainError):
    """The state, the actor's role or another app's rule does not allow the move."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset
    # None: the lifecycle's `target_of` computes it (an issue resumes the state it had).
    target: str | None
    # Who may take it, in the words of the access module that decides (roles, parties).
    roles: frozenset = frozenset()
    # The actor must say why, or what was done.
    needs_note: bool = False
    # The timeline's action code when it differs from the action (a meeting's "close" is
    # the minutes finalised, not an issue closed).
    event: str = ""

    @property
    def timeline_action(self) -> str:
        return self.event or self.action


def transition(action, label, sources, target, roles=(), *, needs_note=False, event=""):
    return Transition(
        action, label, frozenset(sources), target, frozenset(roles), needs_note, event
    )


@dataclass
class Move:
    """One application of a transition, as effects and followers see it."""

    transition: Transition
    actor: Any
    note: str
    data: dict
    now: Any
    # What effects add to the timeline row beyond the note: structured data (a merged
    # issue's id) and fields changed along the way ({"percent": ["40", "60"]}).
    timeline_data: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)

    @property
    def action(self) -> str:
        return self.transition.action


@dataclass(frozen=True)
class Messages:
    """A lifecycle's own words for its refusals (lazy translations)."""

    # With %(status)s and %(action)s.
    impossible: str
    stale: str
    # With %(action)s.
    denied: str
    needs_note: str


class Lifecycle:
    def __init__(
        self,
        *,
        model,
        transitions,
        messages: Messages,
        record: Callable,
        permission: str | None = None,
        field: str = "status",
        target_of: Callable | None = None,
        lock_related: tuple = (),
    ):
        self.model = model
        self.field = field
        self.table = {t.action: t for t in transitions}
        self.messages = messages
        self._record = record
        # A dotted path to `may(actor, obj, action) -> bool` in access/, imported when
        # first needed: the access module reads these tables, so it cannot be imported here.
        self._permission_path = permission
        self._permission = None
        self._target_of = target_of
        self._lock_related = lock_related
        self._guards: dict[str, list] = {}
        self._effects: dict[str, list] = {}
        self._followers: dict[str, list] = {}

    # ------------------------------------------------------------------ the table

    def __getitem__(self, action) -> Transition:
        return self.table[action]

    def get(self, action) -> Transition | None:
        return self.table.get(action)

    def actions_from(self, status) -> list[Transition]:
        """The transitions that start from a status, in table order."""
        return [t for t in self.table.values() if status in t.sources]

    def target(self, obj, transition: Transition) -> str:
        if transition.target is not None:
            return transition.target
        return self._target_of(obj, transition)

    # ------------------------------------------------------------------ registries

    def guard(self, action: str, guard=None):
        """Register `guard(obj) -> str | None`; usable as a decorator."""

        def register(function):
            guards = self._guards.setdefault(action, [])
            if function not in guards:
                guards.append(function)
            return function

        return register(guard) if guard is not None else register

    def unguard(self, action: str, guard) -> None:
        if guard in self._guards.get(action, []):
            self._guards[action].remove(guard)

    def effect(self, *actions):
        """Register `effect(obj, move) -> list[str]` (the fields it changed)."""

        def register(function):
            for action in actions:
                self._effects.setdefault(action, []).append(function)
            return function

        return register

    def follow(self, *actions):
        """Register `follower(obj, move)`, run after the move is saved."""

        def register(function):
            for action in actions:
                self._followers.setdefault(action, []).append(function)
            return function

        return register

    def refusal(self, obj, action: str) -> str | None:
        """Why another app's rule refuses `action` now, or None. Each guard runs one
        query at most; actions without guards run none."""
        for guard in self._guards.get(action, ()):
            reason = guard(obj)
            if reason:
                return str(reason)
        return None

    def may(self, actor, obj, action: str) -> bool:
        if self._permission_path is None:
            return True
        if self._permission is None:
            self._permission = import_string(self._permission_path)
        return self._permission(actor, obj, action)

    # ------------------------------------------------------------------ applying

    def apply(
        self,
        obj,
        action: str,
        *,
        actor,
        note: str = "",
        expected_version: int | None = None,
        check_actor: bool = True,
        data: dict | None = None,
        impossible: Callable | None = None,
        stale: str | None = None,
    ):
        """Move `obj` by `action` and return the fresh, locked instance.

        `impossible(locked) -> str` words the refusal of a state the move does not start
        from, where the service knows a clearer word than the lifecycle's own; `stale`
        likewise for an edit overtaken by another.

        `check_actor=False` is for the services of higher apps that have checked their
        own rule (a resolution adopted by a meeting moves its issue on). Raises
        TransitionNotAllowed, StaleEdit or DomainError (a missing note, an effect's own
        rule); nothing is written then."""
        transition = self.table.get(action)
        if transition is None:
            raise TransitionNotAllowed(_("Unknown action."))
        note = (note or "").strip()
        with transaction.atomic():
            locked = self._lock(obj)
            current = getattr(locked, self.field)
            target = self.target(locked, transition)
            if current == target and current not in transition.sources:
                return locked
            if expected_version is not None and locked.version != expected_version:
                raise StaleEdit(str(stale or self.messages.stale))
            if current not in transition.sources:
                if impossible is not None:
                    raise TransitionNotAllowed(impossible(locked))
                raise TransitionNotAllowed(
                    str(self.messages.impossible)
                    % {
                        "status": getattr(locked, f"get_{self.field}_display")(),
                        "action": transition.label,
                    }
                )
            if check_actor and not self.may(actor, locked, action):
                raise TransitionNotAllowed(str(self.messages.denied) % {"action": transition.label})
            if transition.needs_note and not note:
                raise DomainError(str(self.messages.needs_note), field="note")
            reason = self.refusal(locked, action)
            if reason:
                raise TransitionNotAllowed(reason)
            move = Move(
                transition=transition,
                actor=actor,
                note=note,
                # The caller's own dict: effects may leave results in it (the progress
                # update they wrote).
                data=data if data is not None else {},
                now=timezone.now(),
            )
            fields = []
            for effect in self._effects.get(action, ()):
                fields.extend(effect(locked, move) or ())
            setattr(locked, self.field, target)
            locked.version += 1
            update = [*dict.fromkeys(fields), self.field, "version"]
            if any(f.name == "updated_at" for f in self.model._meta.concrete_fields):
                update.append("updated_at")
            locked.save(update_fields=update)
            self._record(
                actor=actor,
                obj=locked,
                action=transition.timeline_action,
                from_status=current,
                to_status=target,
                note=note,
                changes=move.changes,
                data=move.timeline_data,
            )
            for follower in self._followers.get(action, ()):
                follower(locked, move)
        return locked

    def _lock(self, obj):
        rows = self.model.objects.select_for_update(of=("self",))
        if self._lock_related:
            rows = rows.select_related(*self._lock_related)
        return rows.get(pk=obj.pk)
