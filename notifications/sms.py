"""The SMS channel (短信) behind an interface: `SMS_BACKEND` names the class, a provider's
adapter is a subclass whose `send` raises on failure.

The default backend logs each message and keeps it in `outbox` (as Django's locmem e-mail
backend does), so local runs and tests see what would have been sent.
"""

from __future__ import annotations

import abc
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("notifications.sms")


@dataclass(frozen=True)
class SMSMessage:
    phone: str
    text: str


class BaseSMSBackend(abc.ABC):
    """The interface a provider's backend implements (SMS_BACKEND names it): send one text
    message; raise any exception to mark the delivery failed."""

    @abc.abstractmethod
    def send(self, phone: str, text: str) -> None: ...


# Messages the logging backend has "sent" in this process (tests read and clear it).
outbox: list[SMSMessage] = []


class LoggingSMSBackend(BaseSMSBackend):
    """Records the message (log line with the number masked, and `outbox`) instead of sending."""

    def send(self, phone: str, text: str) -> None:
        from bureau.masking import mask_phone

        outbox.append(SMSMessage(phone=phone, text=text))
        logger.info("SMS to %s: %s", mask_phone(phone), text)


def get_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()
