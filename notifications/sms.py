"""SMS through a pluggable backend.

A gateway plugs in by subclassing `BaseSMSBackend` and implementing `send(phone, text)`:
raise `TransientSMSError` for failures worth retrying (timeouts, rate limits) and any other
exception for permanent ones. Point settings.SMS_BACKEND at the class's dotted path.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("yishi.sms")


class TransientSMSError(Exception):
    """The gateway may accept the message if asked again later."""


class BaseSMSBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LoggingSMSBackend(BaseSMSBackend):
    """The default: writes each message to the log instead of a gateway."""

    def send(self, phone, text):
        logger.info("SMS to %s: %s", phone, text)


class LocmemSMSBackend(BaseSMSBackend):
    """For tests: keeps messages in `LocmemSMSBackend.outbox`."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone, text):
        self.outbox.append((phone, text))


def get_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()
