from django.db import transaction

from .models import User


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
