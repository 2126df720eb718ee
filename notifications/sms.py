"""SMS through a pluggable backend.

A gateway plugs in by subclassing `BaseSMSBackend` and implementing `send(phone, text)`:
raise `TransientSMSError` for failures worth retrying (timeouts, rate limits) and any other
exception for permanent ones. Point settings.SMS_BACKEND at the class's dotted path.
"""

import json
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("yishi.sms")

# One SMS segment holds 70 characters of Chinese text (UCS-2); longer messages are cut
# into several and cost several. Every message the product writes fits one.
SEGMENT = 70
SIGNATURE = "【议事】"


def default_text(community: str, title: str) -> str:
    """The SMS of a notification whose sender wrote none: the signature, the community and
    the title, cut to one segment."""
    head = f"{SIGNATURE}{community}：" if community else SIGNATURE
    text = head + title
    if len(text) > SEGMENT:
        text = text[: SEGMENT - 1] + "…"
    return text


class TransientSMSError(Exception):
    """The gateway may accept the message if asked again later."""


class BaseSMSBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LoggingSMSBackend(BaseSMSBackend):
    """The default: writes each message to the log instead of a gateway."""

    def send(self, phone, text):
        logger.info("SMS to %s: %s", phone, text)


class FileSMSBackend(BaseSMSBackend):
    """For the demo, as Django's file email backend: each message is one line of JSON in
    `settings.SMS_FILE_PATH/<date>.jsonl` (var/sms/ by default), and in the log."""

    def send(self, phone, text):
        folder = Path(getattr(settings, "SMS_FILE_PATH", settings.BASE_DIR / "var" / "sms"))
        folder.mkdir(parents=True, exist_ok=True)
        now = timezone.localtime()
        line = json.dumps(
            {"at": now.isoformat(timespec="seconds"), "to": phone, "text": text},
            ensure_ascii=False,
        )
        with open(folder / f"{now.date().isoformat()}.jsonl", "a", encoding="utf-8") as out:
            out.write(line + "\n")
        logger.info("SMS to %s: %s", phone, text)


class LocmemSMSBackend(BaseSMSBackend):
    """For tests: keeps messages in `LocmemSMSBackend.outbox`."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone, text):
        self.outbox.append((phone, text))


def get_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()
