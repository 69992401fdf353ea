"""Pluggable senders: one per channel (``email``, ``sms``), chosen by ``MINQING_SENDERS``.

A sender is anything with ``send(message)`` that returns when the message is handed over and
raises ``SendError`` (or any exception) when it is not. ``MINQING_SENDERS`` maps a channel to a
short name (``file``, ``smtp``, ``http_sms``) or a dotted path to a class taking no arguments.
"""

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SendError(Exception):
    """The sender could not hand the message over (the outbox retries it later)."""


@dataclass(frozen=True)
class Message:
    channel: str  # "email" or "sms"
    to: str
    subject: str
    body: str


class Sender(Protocol):
    def send(self, message: Message) -> None: ...


SHORT_NAMES = {
    "file": "minqing.notify.senders.file.FileSender",
    "smtp": "minqing.notify.senders.smtp.SmtpEmailSender",
    "http_sms": "minqing.notify.senders.http_sms.HttpJsonSmsSender",
}


def sender_path(channel: str) -> str:
    """The class configured for ``channel`` (``file`` when nothing is configured)."""
    configured: dict[str, str] = getattr(settings, "MINQING_SENDERS", {}) or {}
    name = configured.get(channel) or "file"
    return SHORT_NAMES.get(name, name)


def get_sender(channel: str) -> Sender:
    cls = import_string(sender_path(channel))
    sender: Sender = cls()
    return sender
