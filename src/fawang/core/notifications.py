"""Notification adapters: how an outbox message actually leaves, one adapter per channel.

``settings.FAWANG_NOTIFICATION_ADAPTERS`` maps channel → dotted path of an adapter class. An
adapter's ``send`` returns normally on success and raises on failure (the outbox retries).
Real SMS / WeChat gateways are deployment-specific: implement ``NotificationAdapter`` and point
the setting at it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.module_loading import import_string

from fawang.core.pii import mask_phone, pii_blind_index

if TYPE_CHECKING:
    from fawang.core.models import OutboxMessage

logger = logging.getLogger("fawang.notifications")


class NotificationError(Exception):
    """A send that failed; the message says why (stored as the outbox row's last error)."""


class NotificationHeld(NotificationError):
    """The recipient cannot be reached on this channel for now, and retrying soon will not help.

    WeChat, for one, lets an account write to a follower only within 48 hours of the follower's
    last message. The outbox keeps the message as "held" (no more tries) and sends
    ``outbox_message_held``, so that the business line can send it another way (an SMS when it
    knows a phone) or the channel can release it when the recipient is back
    (``outbox.outbox_release``).
    """


class NotificationAdapter:
    def send(self, message: OutboxMessage) -> None:
        raise NotImplementedError


CONSOLE_ADAPTER_PATH = "fawang.core.notifications.ConsoleAdapter"


class ConsoleAdapter(NotificationAdapter):
    """Development: log the message (recipient masked) instead of sending it."""

    def send(self, message: OutboxMessage) -> None:
        logger.info(
            "[%s] to %s: %s %s", message.channel, mask_phone(message.recipient), message.subject, message.body
        )


class SiteMessageAdapter(NotificationAdapter):
    """Store an in-site message for the user (or, without an account, for their phone)."""

    def send(self, message: OutboxMessage) -> None:
        from fawang.core.models import SiteMessage

        user_id = message.user_id
        recipient_index = "" if user_id is not None else pii_blind_index(message.recipient)
        SiteMessage.objects.get_or_create(
            outbox=message,
            defaults={
                "user_id": user_id,
                "recipient_index": recipient_index,
                "subject": message.subject,
                "body": message.body,
                "related_type": message.related_type,
                "related_id": message.related_id,
            },
        )


def adapter_for(channel: str) -> NotificationAdapter:
    path = settings.FAWANG_NOTIFICATION_ADAPTERS.get(channel)
    if not path:
        raise NotificationError(f"No notification adapter configured for channel {channel!r}")
    return import_string(path)()
