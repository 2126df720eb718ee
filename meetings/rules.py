"""A community's presence rules (到会规则): who must be present at a meeting of each form
before it starts, kept by the community's head and its street's admins. A community's own
rule for a form comes first; the district's rule (no community) is the default."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from access.administration import can_manage_community_rules
from core import audit
from core.models import AuditEntry
from lib.errors import DomainError, StaleEdit

from .models import Form, FormRule, ParticipantRole

# A council of more representatives than this is a typing mistake.
MOST_REPRESENTATIVES = 50
# The forms where parties to a dispute sit at the table.
DISPUTE_FORMS = (Form.ONSITE_MEDIATION, Form.HEART_TO_HEART, Form.MERCHANT_ALLIANCE)


def presence_rule_for(*, community_id, form) -> FormRule | None:
    """The rule a meeting of this form in this community follows (one query)."""
    rules = {
        rule.community_id: rule
        for rule in FormRule.objects.filter(
            Q(community_id=community_id) | Q(community__isnull=True), form=form
        )
    }
    return rules.get(community_id) or rules.get(None)


def rules_for_community(community) -> list[dict]:
    """Every form with the rule its meetings follow in the community and where the rule
    comes from ("community" or "district", or None: nobody is required). One query."""
    rows = FormRule.objects.filter(Q(community=community) | Q(community__isnull=True))
    own, district = {}, {}
    for rule in rows:
        (own if rule.community_id else district)[rule.form] = rule
    labels = dict(ParticipantRole.choices)
    result = []
    for value, label in Form.choices:
        rule = own.get(value) or district.get(value)
        result.append(
            {
                "form": value,
                "label": label,
                "rule": rule,
                "source": "community" if value in own else "district" if rule else None,
                "roles": [labels.get(r, r) for r in (rule.required_roles if rule else [])],
            }
        )
    return result


def check_rule(*, form, required_roles, min_representatives, all_parties_required) -> None:
    """A rule must say something once and mean it: roles known, no role listed twice, the
    representatives counted in one place, parties only where a dispute is heard."""
    known = set(ParticipantRole.values)
    unknown = [r for r in required_roles if r not in known]
    if unknown:
        raise DomainError(_("Choose roles from the list."), field="required_roles")
    if len(set(required_roles)) != len(required_roles):
        raise DomainError(_("Each role once."), field="required_roles")
    if min_representatives < 0 or min_representatives > MOST_REPRESENTATIVES:
        raise DomainError(
            _("Between 0 and %(n)d.") % {"n": MOST_REPRESENTATIVES}, field="min_representatives"
        )
    if ParticipantRole.REPRESENTATIVE in required_roles and min_representatives:
        raise DomainError(
            _(
                "Resident representatives are counted below (at least %(n)d): take them off "
                "this list, or set the number to 0."
            )
            % {"n": min_representatives},
            field="required_roles",
        )
    if all_parties_required and form not in DISPUTE_FORMS:
        raise DomainError(
            _(
                "A %(form)s hears no dispute: the parties' presence is asked of mediations, "
                "heart-to-heart talks and merchants–residents alliances."
            )
            % {"form": Form(form).label},
            field="all_parties_required",
        )


def _snapshot(rule) -> dict[str, str]:
    labels = dict(ParticipantRole.choices)
    return {
        "required_roles": "、".join(str(labels.get(r, r)) for r in rule.required_roles),
        "min_representatives": str(rule.min_representatives),
        "all_parties_required": str(_("yes") if rule.all_parties_required else _("no")),
    }


@transaction.atomic
def presence_rule_save(
    *,
    actor,
    community,
    form: str,
    required_roles: list[str],
    min_representatives: int,
    all_parties_required: bool,
    rule: FormRule | None = None,
    version=None,
) -> FormRule:
    """Set the community's own presence rule of a meeting form (new, or the one given).
    The head of the community and its street's admins do it. Raises DomainError for a
    contradictory rule (check_rule) or a second rule of the same form, StaleEdit for an
    old form."""
    if not can_manage_community_rules(actor, community.pk):
        raise DomainError(_("You may not do this."))
    check_rule(
        form=form,
        required_roles=required_roles,
        min_representatives=min_representatives,
        all_parties_required=all_parties_required,
    )
    if rule is None:
        if FormRule.objects.filter(community=community, form=form).exists():
            raise DomainError(
                _("%(community)s already has a rule for %(form)s: change that one.")
                % {"community": community.name, "form": Form(form).label},
                field="form",
            )
        try:
            with transaction.atomic():
                saved = FormRule.objects.create(
                    community=community,
                    form=form,
                    required_roles=list(required_roles),
                    min_representatives=min_representatives,
                    all_parties_required=all_parties_required,
                )
        except IntegrityError:
            raise DomainError(
                _("%(community)s already has a rule for %(form)s: change that one.")
                % {"community": community.name, "form": Form(form).label},
                field="form",
            ) from None
        after = _snapshot(saved)
        audit.record(
            actor=actor,
            obj=saved,
            action=AuditEntry.Action.CREATE,
            community=community,
            changes={name: ["", value] for name, value in after.items()},
        )
        return saved
    locked = FormRule.objects.select_for_update().get(pk=rule.pk, community=community)
    if version is not None and int(version) != locked.version:
        raise StaleEdit(
            _("Someone else changed this rule while you were editing. Reload and try again.")
        )
    before = _snapshot(locked)
    locked.required_roles = list(required_roles)
    locked.min_representatives = min_representatives
    locked.all_parties_required = all_parties_required
    after = _snapshot(locked)
    changes = {name: [before[name], after[name]] for name in before if before[name] != after[name]}
    if changes:
        locked.version += 1
        locked.save()
        audit.record(
            actor=actor,
            obj=locked,
            action=AuditEntry.Action.UPDATE,
            community=community,
            changes=changes,
        )
    return locked
