from django.db import transaction

from .models import Role, User


@transaction.atomic
def user_set_preferences(
    *, user: User, large_text: bool | None = None, language: str | None = None
):
    """Keep the user's display mode and language with their account, so they follow the
    person from the office computer to the phone."""
    fields = []
    if large_text is not None and user.large_text != large_text:
        user.large_text = large_text
        fields.append("large_text")
    if language is not None and user.language != language:
        user.language = language
        fields.append("language")
    if fields:
        user.save(update_fields=fields)


def account_claim(*, resident, phone: str):
    """A resident on record claims their account with the phone number the community has
    for them, proven with a one-time code (reach.verification): the account bound to
    their resident record, created now if they have none. Returns (user, created).
    Raises DomainError for an archived record, or an account that is not a resident's."""
    from django.utils.translation import gettext as _

    from core import audit
    from lib.errors import DomainError

    with transaction.atomic():
        existing = User.objects.select_for_update().filter(resident=resident).first()
        if existing is not None:
            if existing.role != Role.RESIDENT or not existing.is_active:
                raise DomainError(_("This account cannot be used here: ask the community office."))
            return existing, False
        user = _bind_resident(resident=resident, phone=phone)
        audit.record(
            actor=user,
            obj=resident,
            action="claim_account",
            note=_("%(name)s claimed an account with the phone number on record")
            % {"name": resident.name},
        )
    return user, True


def _bind_resident(*, resident, phone: str, username: str = "", email: str = "") -> User:
    """A resident's account bound to their record, without a password: they sign in with
    their phone and a code, or set one from a one-time link. The one way a resident's
    account is made, whether they claim it or the community opens it for them."""
    from django.utils.translation import gettext as _

    from lib.errors import DomainError

    if resident.archived_at is not None:
        raise DomainError(_("This record is no longer in use: ask the community office."))
    phone = (phone or "").strip()
    if not username:
        base = phone or f"resident-{resident.pk}"
        username = (
            base if not User.objects.filter(username=base).exists() else f"{base}-{resident.pk}"
        )
    user = User(
        username=username,
        name=resident.name,
        role=Role.RESIDENT,
        phone=phone,
        email=email,
        resident=resident,
    )
    user.set_unusable_password()
    user.save()
    return user


# ---------------------------------------------------------------- people and accounts
# Kept by street admins and community heads on the 人员与账号 pages (access.administration).


def _deny_account():
    from django.utils.translation import gettext as _

    from lib.errors import DomainError

    raise DomainError(_("You may not do this."))


def _account_community(account, community_ids=None):
    """The community an account's timeline rows belong to (the trail is scoped by it)."""
    from access.administration import account_community_ids
    from communities.models import Community

    ids = sorted(community_ids if community_ids is not None else account_community_ids(account))
    return Community.objects.filter(pk=ids[0]).first() if ids else None


def _names(objects) -> str:
    return "、".join(sorted(str(o) for o in objects))


def _check_username(username: str, *, exclude_pk=None) -> str:
    from django.utils.translation import gettext as _

    from lib.errors import DomainError

    username = (username or "").strip()
    field = User._meta.get_field("username")
    try:
        field.run_validators(username)
    except Exception:
        raise DomainError(
            _("Letters, digits and @/./+/-/_ only, at most 150 characters."), field="username"
        ) from None
    if not username:
        raise DomainError(_("Choose a username."), field="username")
    if User.objects.filter(username__iexact=username).exclude(pk=exclude_pk).exists():
        raise DomainError(_("This username is taken: choose another."), field="username")
    return username


def _check_scope(actor, *, role, communities, grids, organization=None) -> set[int]:
    """The communities the account will work in, all of them the actor's."""
    from django.utils.translation import gettext as _

    from access.administration import can_give_account_in, can_manage_role
    from lib.errors import DomainError

    if not can_manage_role(actor, role):
        _deny_account()
    if role == Role.STAFF:
        if not communities:
            raise DomainError(_("Choose the community they work for."), field="communities")
        ids = {c.pk for c in communities}
    elif role == Role.GRID_WORKER:
        if not grids:
            raise DomainError(_("Choose the grid they look after."), field="grids")
        ids = {g.community_id for g in grids}
    elif role == Role.ORG_CONTACT:
        ids = set(organization.communities.values_list("pk", flat=True)) if organization else set()
    else:
        ids = set()
    if not ids or not all(can_give_account_in(actor, c, role) for c in ids):
        if role == Role.ORG_CONTACT:
            # The organization serves a community of the actor's too: enough to open its
            # contact's account, but only within the actor's communities.
            from access.scope import get_scope

            if ids & get_scope(actor).community_ids:
                return ids & get_scope(actor).community_ids
        _deny_account()
    return ids


@transaction.atomic
def account_create(
    *,
    actor,
    role: str,
    username: str,
    name: str,
    phone: str = "",
    email: str = "",
    title: str = "",
    is_head: bool = False,
    communities=(),
    grids=(),
    contact=None,
) -> User:
    """Open an account for a community's staff member, a grid worker (网格员, with their
    grids; the grid head 网格长 with is_head) or an organization's contact (bound to their
    contact record). Street admins open every kind in their streets' communities;
    community heads grid workers and contacts of their community. The account has no
    password until its person sets one from a one-time link (account_password_link).
    Residents' accounts are opened by account_give_resident. Raises DomainError for
    anything out of the actor's reach or a taken username."""
    from django.utils.translation import gettext as _

    from core import audit
    from core.models import AuditEntry
    from lib.errors import DomainError

    if role == Role.RESIDENT:
        raise DomainError(_("Open a resident's account from their record."))
    organization = contact.organization if contact is not None else None
    if role == Role.ORG_CONTACT:
        if contact is None:
            raise DomainError(_("Choose the contact."), field="contact")
        if User.objects.filter(contact=contact).exists():
            raise DomainError(_("This contact already has an account."), field="contact")
    ids = _check_scope(
        actor, role=role, communities=communities, grids=grids, organization=organization
    )
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give their full name."), field="name")
    user = User(
        username=_check_username(username),
        name=name,
        role=role,
        phone=(phone or "").strip(),
        email=(email or "").strip(),
        title=(title or "").strip(),
        is_head=bool(is_head) and role in (Role.STAFF, Role.GRID_WORKER),
        contact=contact,
        organization=organization,
    )
    user.set_unusable_password()
    user.save()
    if role == Role.STAFF:
        user.communities.set(communities)
    if role == Role.GRID_WORKER:
        user.grids.set(grids)
    changes = {
        "role": ["", role],
        "name": ["", user.name],
        "username": ["", user.username],
    }
    if role == Role.STAFF:
        changes["communities"] = ["", _names(communities)]
    if role == Role.GRID_WORKER:
        changes["grids"] = ["", _names(grids)]
    if user.is_head:
        changes["is_head"] = ["", str(_("yes"))]
    audit.record(
        actor=actor,
        obj=user,
        action=AuditEntry.Action.CREATE,
        community=_account_community(user, ids),
        changes=changes,
    )
    return user


@transaction.atomic
def account_give_resident(*, actor, resident, username: str = "", email: str = "") -> User:
    """Open an account for a resident on record, bound to their record: the same binding
    as when they claim it themselves with their phone and a code (account_claim), so they
    may sign in that way at once; a password is set from a one-time link. Street admins
    and the community's head do it. Raises DomainError for a resident who already has an
    account, an archived record or a taken username."""
    from django.utils.translation import gettext as _

    from access.administration import can_give_account_in
    from core import audit
    from core.models import AuditEntry
    from lib.errors import DomainError

    if not can_give_account_in(actor, resident.community_id, Role.RESIDENT):
        _deny_account()
    if User.objects.select_for_update().filter(resident=resident).exists():
        raise DomainError(_("%(name)s already has an account.") % {"name": resident.name})
    username = _check_username(username) if username else ""
    user = _bind_resident(
        resident=resident, phone=resident.phone, username=username, email=(email or "").strip()
    )
    audit.record(
        actor=actor,
        obj=user,
        action=AuditEntry.Action.CREATE,
        community=resident.community,
        changes={"role": ["", Role.RESIDENT], "username": ["", user.username]},
        note=_("Account opened for the resident on record %(name)s") % {"name": resident.name},
    )
    return user


ACCOUNT_FIELDS = ("username", "name", "phone", "email", "title", "is_head")


@transaction.atomic
def account_update(
    *, actor, account: User, version=None, communities=None, grids=None, **values
) -> User:
    """Change an account's details and scope (a staff member's communities, a grid
    worker's grids, the head's mark). Its manager does it, within their own communities;
    written on the account's timeline with before and after. Raises DomainError,
    StaleEdit when `version` is old."""
    from django.utils.translation import gettext as _

    from access.administration import account_community_ids, can_manage_account
    from access.scope import get_scope
    from core import audit
    from core.models import AuditEntry
    from lib.errors import StaleEdit

    unknown = set(values) - set(ACCOUNT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown account fields: {sorted(unknown)}")
    locked = User.objects.select_for_update().get(pk=account.pk)
    if not can_manage_account(actor, locked):
        _deny_account()
    if version is not None and int(version) != locked.version:
        raise StaleEdit(
            _("Someone else changed this account while you were editing. Reload and try again.")
        )
    before = audit.snapshot(locked, list(ACCOUNT_FIELDS))
    before_communities = _names(locked.communities.all())
    before_grids = _names(locked.grids.all())
    if "username" in values:
        values["username"] = _check_username(values["username"], exclude_pk=locked.pk)
    for name, value in values.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if locked.role not in (Role.STAFF, Role.GRID_WORKER):
        locked.is_head = False
    changes = audit.diff(before, locked)
    mine = get_scope(actor).community_ids
    if locked.role == Role.STAFF and communities is not None:
        _check_scope(actor, role=Role.STAFF, communities=communities, grids=())
        # Communities of other streets the staff member also works for stay as they are.
        kept = [c for c in locked.communities.all() if c.pk not in mine]
        locked.communities.set([*kept, *communities])
        after = _names(locked.communities.all())
        if after != before_communities:
            changes["communities"] = [before_communities, after]
    if locked.role == Role.GRID_WORKER and grids is not None:
        _check_scope(actor, role=Role.GRID_WORKER, communities=(), grids=grids)
        kept = [g for g in locked.grids.all() if g.community_id not in mine]
        locked.grids.set([*kept, *grids])
        after = _names(locked.grids.all())
        if after != before_grids:
            changes["grids"] = [before_grids, after]
    if changes:
        locked.version += 1
        locked.save()
        audit.record(
            actor=actor,
            obj=locked,
            action=AuditEntry.Action.UPDATE,
            community=_account_community(locked, account_community_ids(locked)),
            changes=changes,
        )
    return locked


@transaction.atomic
def account_set_active(*, actor, account: User, active: bool, reason: str = "") -> User:
    """Deactivate an account (停用: its person can no longer sign in, by password or by
    phone code; nothing of theirs is deleted) or activate it again. Its manager does it,
    with a reason when deactivating. Raises DomainError."""
    from django.utils.translation import gettext as _

    from access.administration import can_manage_account
    from core import audit
    from core.models import AuditEntry
    from lib.errors import DomainError

    locked = User.objects.select_for_update().get(pk=account.pk)
    if not can_manage_account(actor, locked):
        _deny_account()
    if locked.is_active == active:
        return locked
    reason = (reason or "").strip()
    if not active and not reason:
        raise DomainError(_("Say why the account is deactivated."), field="reason")
    locked.is_active = active
    locked.version += 1
    locked.save(update_fields=["is_active", "version"])
    audit.record(
        actor=actor,
        obj=locked,
        action=AuditEntry.Action.REACTIVATE if active else AuditEntry.Action.DEACTIVATE,
        community=_account_community(locked),
        note=reason,
    )
    return locked


class PasswordLinkVia:
    SMS = "sms"
    EMAIL = "email"
    IN_PERSON = "in_person"


def password_link_hours() -> int:
    from django.conf import settings

    return settings.PASSWORD_RESET_TIMEOUT // 3600


@transaction.atomic
def account_password_link(*, actor, account: User, via: str) -> str:
    """A one-time link to set the account's password (Django's token generator): it
    expires after PASSWORD_RESET_TIMEOUT and is spent once used (the token changes with
    the password). Sent by SMS or email through the notifications' deliveries (secret:
    its text is blanked once sent), or returned to be shown once to the admin, who hands
    it over in person. Its manager does it. Returns the link (absolute). Raises
    DomainError for an inactive account or a channel without an address."""
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode
    from django.utils.translation import gettext as _

    from access.administration import can_manage_account
    from core import audit
    from core.models import AuditEntry
    from lib.errors import DomainError
    from notifications.models import Channel
    from notifications.services import notify, user_sms_withdrawn

    locked = User.objects.select_for_update().get(pk=account.pk)
    if not can_manage_account(actor, locked):
        _deny_account()
    if not locked.is_active:
        raise DomainError(_("Activate the account first."))
    if via == PasswordLinkVia.SMS and (not locked.phone or user_sms_withdrawn(locked)):
        raise DomainError(
            _("No text message can reach them: no mobile number, or no consent to SMS."),
            field="via",
        )
    if via == PasswordLinkVia.EMAIL and not locked.email:
        raise DomainError(_("The account has no email address."), field="via")
    path = reverse(
        "accounts:password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(locked.pk)),
            default_token_generator.make_token(locked),
        ],
    )
    link = f"{settings.SITE_URL}{path}"
    hours = password_link_hours()
    community = _account_community(locked)
    if via in (PasswordLinkVia.SMS, PasswordLinkVia.EMAIL):
        where = community.name if community else _("Yishi")
        notify(
            recipient=locked,
            kind="password_link",
            title=_("Set your password for Yishi"),
            body=_(
                "%(where)s opened the link to set your password (hidden here). It works "
                "once, within %(hours)d hours."
            )
            % {"where": where, "hours": hours},
            target=locked,
            step=timezone.now().strftime("%Y%m%d%H%M%S%f"),
            url=path,
            sms_text=_("【%(where)s】Set your Yishi password (once, %(hours)dh): %(link)s")
            % {"where": where, "hours": hours, "link": link},
            community=community,
            secret=True,
            channels=[Channel.SMS if via == PasswordLinkVia.SMS else Channel.EMAIL],
        )
    audit.record(
        actor=actor,
        obj=locked,
        action=AuditEntry.Action.PASSWORD_LINK,
        community=community,
        note={
            PasswordLinkVia.SMS: _("sent by SMS"),
            PasswordLinkVia.EMAIL: _("sent by email"),
            PasswordLinkVia.IN_PERSON: _("shown to hand over in person"),
        }.get(via, ""),
    )
    return link


def account_password_set_with_link(*, user: User) -> None:
    """The person set their password from the one-time link (the link is spent): on the
    account's timeline."""
    from core import audit
    from core.models import AuditEntry

    audit.record(
        actor=user,
        obj=user,
        action=AuditEntry.Action.PASSWORD_SET,
        community=_account_community(user),
    )
