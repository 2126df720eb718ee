from django.contrib.auth.password_validation import MinimumLengthValidator as BaseMinimumLength
from django.utils.translation import ngettext


class MinimumLengthValidator(BaseMinimumLength):
    """Django's validator, with a message that carries its own translation (Django's
    zh-hans catalogue lags behind the message of this release)."""

    def get_error_message(self):
        return ngettext(
            "This password is too short: use at least %(min_length)d character.",
            "This password is too short: use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
