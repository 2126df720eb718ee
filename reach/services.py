"""Every write to personal links: issuing, using, spending and revoking them."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access.reach import can_revoke_link
from communities.models import OrganizationContact, Resident
from core import audit
from lib.errors import DomainError

from .models import ShortLink
from .purposes import purpose_of

# Lower-case letters and digits without those read alike (0/o, 1/l/i): a link copied from
# a printed slip is typed right, and ten of them (31^10, about 8·10^14) cannot be guessed.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
TOKEN_LENGTH = 10

# A visit is written on the timeline once per this long: a page read again and again
# (an elderly resident checking the progress every morning) leaves one row per visit.
VISIT_GAP = timedelta(minutes=30)


def new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(TOKEN_LENGTH))


def person_fields(person) -> dict:
    """{"resident": r} or {"contact": c}: the columns that name a person; {} for none."""
    if person is None:
        return {}
    if isinstance(person, Resident):
        return {"resident": person}
    if isinstance(person, OrganizationContact):
        return {"contact": person}
    raise TypeError(f"a person is a Resident or an OrganizationContact, not {type(person)}")


def link_path(link: ShortLink) -> str:
    return reverse("reach:open", args=[link.token])


def link_url(link: ShortLink) -> str:
    """The absolute short address, as an SMS, a slip or a QR code carries it."""
    return settings.SHORT_LINK_URL + link_path(link)


def link_issue(
    *,
    purpose: str,
    target,
    community,
    expires_at,
    person=None,
    step: str = "",
    actor=None,
) -> ShortLink:
    """The link in force for this person, purpose, record and round, issued now if there is
    none. Issuing again returns the same link (one SMS, one slip and one QR code name the
    same address) and carries its expiry forward to `expires_at` when that is later (a
    meeting moved to another day). Raises ValueError for a purpose no app registered and
    for a personal purpose without a person."""
    registered = purpose_of(purpose)
    if registered is None:
        raise ValueError(f"no app registered the link purpose {purpose!r}")
    if registered.personal != (person is not None):
        raise ValueError(
            f"the purpose {purpose!r} is {'' if registered.personal else 'not '}personal"
        )
    key = {
        "purpose": purpose,
        "content_type": ContentType.objects.get_for_model(target),
        "object_id": target.pk,
        "step": step,
        "revoked_at__isnull": True,
        **(person_fields(person) or {"resident__isnull": True, "contact__isnull": True}),
    }
    existing = ShortLink.objects.filter(**key).first()
    if existing is None:
        fields = {k: v for k, v in key.items() if "__" not in k}
        try:
            with transaction.atomic():
                return ShortLink.objects.create(
                    **fields,
                    token=new_token(),
                    community=community,
                    expires_at=expires_at,
                    single_use=registered.single_use,
                    created_by=actor if actor is not None and actor.is_authenticated else None,
                )
        except IntegrityError:
            # Issued at the same moment by another request (or, once in 10^14, a token
            # drawn twice): the link now in force is the one.
            existing = ShortLink.objects.filter(**key).first()
            if existing is None:
                raise
    if existing.expires_at < expires_at:
        ShortLink.objects.filter(pk=existing.pk).update(expires_at=expires_at)
        existing.expires_at = expires_at
    return existing


def find_link(token: str) -> ShortLink | None:
    """The link a token names, with its person and community, or None. Tokens are read
    case-blind (typed from paper) and anything but the alphabet is no token at all."""
    token = (token or "").strip().lower()
    if len(token) != TOKEN_LENGTH or any(ch not in ALPHABET for ch in token):
        return None
    return (
        ShortLink.objects.select_related("resident", "contact__organization", "community")
        .filter(token=token)
        .first()
    )


def refusal_of(link: ShortLink | None) -> str:
    """Why a link cannot be used now ("" when it can): unknown (forged or damaged),
    revoked, expired or spent."""
    if link is None or purpose_of(link.purpose) is None:
        return "unknown"
    if link.is_revoked:
        return "revoked"
    if link.is_spent:
        return "spent"
    if link.is_expired:
        return "expired"
    return ""


def _person_name(link):
    person = link.person
    return person.name if person is not None else _("a visitor")


def link_visit(*, link: ShortLink, user=None) -> None:
    """Someone opened the link. Counted every time; written on the timeline of the record
    the link points at once per visit (VISIT_GAP)."""
    now = timezone.now()
    ShortLink.objects.filter(pk=link.pk).update(uses=F("uses") + 1, last_used_at=now)
    if link.last_used_at is None or now - link.last_used_at >= VISIT_GAP:
        audit.record(
            actor=user,
            obj=link.target,
            action="link_open",
            community=link.community,
            note=_("%(person)s opened the personal link: %(purpose)s")
            % {"person": _person_name(link), "purpose": purpose_of(link.purpose).label},
            data={"link": link.pk, "purpose": link.purpose},
        )
    link.uses += 1
    link.last_used_at = now


def link_act(*, link: ShortLink) -> bool:
    """The holder did what the link is for: counted, and a single-use link is spent. Call it
    inside the transaction of the service that acts. Returns False when a single-use link
    was spent meanwhile (two submissions at once): the caller then refuses."""
    now = timezone.now()
    if link.single_use:
        done = (
            ShortLink.objects.filter(pk=link.pk, spent_at__isnull=True, revoked_at__isnull=True)
            .filter(expires_at__gt=now)
            .update(spent_at=now, uses=F("uses") + 1, last_used_at=now)
        )
        if done:
            link.spent_at = now
        return bool(done)
    ShortLink.objects.filter(pk=link.pk).update(uses=F("uses") + 1, last_used_at=now)
    return True


def link_revoke(*, link: ShortLink, actor) -> ShortLink:
    """Staff withdraw a link (sent to a wrong number, a phone lost): it opens nothing from
    now on. Revoking twice changes nothing."""
    if not can_revoke_link(actor, link):
        raise DomainError(_("Only the community's staff may revoke its links."))
    with transaction.atomic():
        locked = ShortLink.objects.select_for_update().get(pk=link.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(
            actor=actor,
            obj=locked.target,
            action="link_revoke",
            community=locked.community,
            note=_("Personal link of %(person)s revoked: %(purpose)s")
            % {"person": _person_name(locked), "purpose": purpose_of(locked.purpose).label},
            data={"link": locked.pk, "purpose": locked.purpose},
        )
    return locked


def links_revoke_for(*, target, purpose: str, actor, person=None) -> int:
    """Revoke the links in force of a purpose on a record (for one person, or all): a
    meeting cancelled takes its invitation links with it."""
    links = ShortLink.objects.filter(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        purpose=purpose,
        revoked_at__isnull=True,
        **person_fields(person),
    )
    return links.update(revoked_at=timezone.now(), revoked_by=actor if actor else None)


def links_of(target, *, purposes=None):
    """The links issued for a record (newest first), with their people: one query."""
    links = ShortLink.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).select_related("resident", "contact")
    if purposes:
        links = links.filter(purpose__in=purposes)
    return links


def links_in_force_for(targets, *, purpose: str) -> dict:
    """{target pk: link} of the links in force of one purpose on records of one model
    (a meeting's participants): one query."""
    targets = list(targets)
    if not targets:
        return {}
    links = ShortLink.objects.filter(
        content_type=ContentType.objects.get_for_model(targets[0]),
        object_id__in=[t.pk for t in targets],
        purpose=purpose,
        revoked_at__isnull=True,
        spent_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("created_at", "pk")
    return {link.object_id: link for link in links}
