"""Senders are chosen by settings; each hands a message over or raises (no network: the SMS
adapter talks to an HTTP server on a local thread)."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core import mail

from minqing.notify.senders import Message, SendError, get_sender, sender_path
from minqing.notify.senders.file import FileSender, read_sent
from minqing.notify.senders.http_sms import HttpJsonSmsSender
from minqing.notify.senders.smtp import SmtpEmailSender

SMS = Message(channel="sms", to="13900001111", subject="", body="您的查询码是 ABCD2345")


def test_file_sender_is_the_default_for_both_channels(settings):
    settings.MINQING_SENDERS = {}
    assert isinstance(get_sender("email"), FileSender)
    assert isinstance(get_sender("sms"), FileSender)


def test_senders_are_chosen_by_short_name_or_dotted_path(settings):
    settings.MINQING_SENDERS = {"email": "smtp", "sms": "minqing.notify.senders.http_sms.HttpJsonSmsSender"}
    assert isinstance(get_sender("email"), SmtpEmailSender)
    assert isinstance(get_sender("sms"), HttpJsonSmsSender)
    settings.MINQING_SENDERS = {"sms": "http_sms"}
    assert sender_path("sms").endswith("HttpJsonSmsSender")


def test_an_unknown_sender_fails_loudly(settings):
    settings.MINQING_SENDERS = {"sms": "minqing.notify.senders.nothing.Here"}
    with pytest.raises(ImportError):
        get_sender("sms")


def test_file_sender_records_each_message(sent_file):
    FileSender().send(SMS)
    FileSender().send(Message(channel="email", to="a@example.com", subject="主题", body="正文"))
    sent = read_sent(sent_file)
    assert [(m["channel"], m["to"]) for m in sent] == [("sms", "13900001111"), ("email", "a@example.com")]
    assert sent[0]["body"] == "您的查询码是 ABCD2345" and sent[1]["subject"] == "主题"


def test_smtp_sender_goes_through_djangos_mail_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "minqing@example.org"
    SmtpEmailSender().send(Message(channel="email", to="zhang@example.com", subject="进展", body="已办结"))
    assert len(mail.outbox) == 1
    m = mail.outbox[0]
    assert (m.to, m.subject, m.body, m.from_email) == (
        ["zhang@example.com"],
        "进展",
        "已办结",
        "minqing@example.org",
    )


def test_smtp_sender_refuses_an_sms():
    with pytest.raises(SendError):
        SmtpEmailSender().send(SMS)


class _Provider(BaseHTTPRequestHandler):
    status = 200
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length).decode("utf-8"))
        type(self).received.append({"auth": self.headers.get("Authorization"), "body": body})
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def provider(settings) -> Iterator[type[_Provider]]:
    handler = type("Provider", (_Provider,), {"received": [], "status": 200})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MINQING_SMS_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.MINQING_SMS_KEY = "k-123"
    settings.MINQING_SMS_TEMPLATE = '{"to": "{phone}", "content": "{text}", "sign": "民情", "n": 1}'
    settings.MINQING_SMS_TIMEOUT = 5
    yield handler
    server.shutdown()
    server.server_close()


def test_sms_adapter_posts_the_configured_json(provider):
    HttpJsonSmsSender().send(SMS)
    assert provider.received == [
        {
            "auth": "Bearer k-123",
            "body": {"to": "13900001111", "content": "您的查询码是 ABCD2345", "sign": "民情", "n": 1},
        }
    ]


def test_sms_adapter_default_template(provider, settings):
    settings.MINQING_SMS_TEMPLATE = ""
    settings.MINQING_SMS_KEY = ""
    HttpJsonSmsSender().send(SMS)
    assert provider.received == [
        {"auth": None, "body": {"phone": "13900001111", "text": "您的查询码是 ABCD2345"}}
    ]


def test_sms_adapter_raises_on_a_provider_error(provider):
    provider.status = 503
    with pytest.raises(SendError, match="503"):
        HttpJsonSmsSender().send(SMS)


def test_sms_adapter_raises_when_unreachable_or_unset(settings):
    settings.MINQING_SMS_URL = ""
    with pytest.raises(SendError):
        HttpJsonSmsSender().send(SMS)
    settings.MINQING_SMS_URL = "http://127.0.0.1:9/send"  # the discard port: nothing listens
    settings.MINQING_SMS_TIMEOUT = 2
    with pytest.raises(SendError):
        HttpJsonSmsSender().send(SMS)
    settings.MINQING_SMS_URL = "file:///etc/passwd"
    with pytest.raises(SendError):
        HttpJsonSmsSender().send(SMS)
