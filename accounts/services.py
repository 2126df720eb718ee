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
        if resident.archived_at is not None:
            raise DomainError(_("This record is no longer in use: ask the community office."))
        username = (
            phone if not User.objects.filter(username=phone).exists() else f"{phone}-{resident.pk}"
        )
        user = User(
            username=username,
            name=resident.name,
            role=Role.RESIDENT,
            phone=phone,
            resident=resident,
        )
        user.set_unusable_password()
        user.save()
        audit.record(
            actor=user,
            obj=resident,
            action="claim_account",
            note=_("%(name)s claimed an account with the phone number on record")
            % {"name": resident.name},
        )
    return user, True
