"""Who is told by e-mail or SMS, and what: residents following their problem, staff per preference.

- ``subscribe``: a reporter (holding the tracking code) asks to be told of each public change;
- ``unsubscribe``: the signed link in every message stops that subscription (or a staff user's
  e-mail/SMS, back to in-app only);
- ``public_event_queued``: a public event on a problem (a state change, a public note) queues
  one message for every active subscription of its feedback, in the event's transaction;
- ``staff_event_queued``: an in-app event notification also goes out by e-mail or SMS to the
  users whose preference asks for it;
- ``send_code``: "send to my phone" on the success page (the code and the tracking link).

Texts are written in the site's language (Chinese), like the in-app notifications.
"""

import re
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from minqing.core.errors import DomainError, ErrorCode
from minqing.ledger.enums import Action, State
from minqing.ledger.models import Feedback, Problem, ProblemEvent
from minqing.notify import outbox
from minqing.notify.models import MessageChannel, OutboxMessage, StaffDelivery, StaffPreference, Subscription
from minqing.notify.tokens import read_token, site_url, unsubscribe_token, unsubscribe_url

PHONE_RE = re.compile(r"^1\d{10}$")  # a mainland mobile number, 11 digits


def clean_address(channel: str, address: str) -> str:
    """The address normalised for ``channel`` (digits of a phone, a valid e-mail), or a DomainError."""
    address = (address or "").strip()
    if channel == MessageChannel.SMS:
        digits = re.sub(r"[\s\-()]", "", address)
        if digits.startswith("+86"):
            digits = digits[3:]
        if not PHONE_RE.match(digits):
            raise DomainError(ErrorCode.NOTIFY_BAD_PHONE, value=address[:20])
        return digits
    if channel == MessageChannel.EMAIL:
        try:
            validate_email(address)
        except ValidationError as err:
            raise DomainError(ErrorCode.NOTIFY_BAD_EMAIL, value=address[:60]) from err
        return address
    raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="channel", value=channel)


def tracking_url(code: str) -> str:
    return site_url(reverse("public:track", args=[code]))


def subscribe(*, feedback: Feedback, channel: str, address: str) -> Subscription:
    """Told of each public change of the feedback's problem; one confirmation message is queued.
    Subscribing the same address again keeps one active subscription."""
    address = clean_address(channel, address)
    with transaction.atomic():
        for sub in Subscription.objects.filter(feedback=feedback, channel=channel, stopped_at__isnull=True):
            if sub.address == address:  # encrypted: compared in Python, a handful of rows
                return sub
        sub = Subscription.objects.create(feedback=feedback, channel=channel, address=address)
        with translation.override(settings.LANGUAGE_CODE):
            body = _("您已订阅查询码 %(code)s 的办理进展,问题每有公开进展都会通知您。") % {
                "code": feedback.tracking_code
            }
            _queue_for(sub, body, _("民情:已订阅办理进展"))
    return sub


def _queue_for(sub: Subscription, text: str, subject: str) -> OutboxMessage:
    code = Feedback.objects.filter(pk=sub.feedback_id).values_list("tracking_code", flat=True).get()
    link = unsubscribe_url(unsubscribe_token(subscription_id=sub.pk))
    body = "\n".join(
        [text, _("查看进度:%(url)s") % {"url": tracking_url(code)}, _("退订:%(url)s") % {"url": link}]
    )
    return outbox.queue(
        channel=sub.channel, address=sub.address, subject=subject, body=body, subscription=sub
    )


def _event_text(event: ProblemEvent, problem: Problem, code: str) -> str:
    label = str(Action(event.action).label) if event.action in Action.values else event.action
    now = event.to_state or problem.state  # the caller's problem may be the one before the change
    state = str(State(now).label) if now in State.values else now
    text = _("【民情】您反映的问题(查询码 %(code)s)有新进展:%(action)s,当前状态:%(state)s。") % {
        "code": code,
        "action": label,
        "state": state,
    }
    if event.note and event.note_public:  # a note only when its author ticked 公开
        text += " " + event.note[:200]
    if now == State.RESOLVED:
        text += " " + _("请打开查询页面评价办理结果。")
    return text


def public_event_queued(*, problem: Problem, event: ProblemEvent) -> list[OutboxMessage]:
    """One message per active subscription of the problem's feedback; call in the event's
    transaction (a rollback takes the messages with it)."""
    subs = list(
        Subscription.objects.filter(feedback__problem_id=problem.pk, stopped_at__isnull=True).select_related(
            "feedback"
        )
    )
    if not subs:
        return []
    out = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("民情:办理进展通知")
        for sub in subs:
            out.append(_queue_for(sub, _event_text(event, problem, sub.feedback.tracking_code), subject))
    return out


def staff_event_queued(*, user_ids: Iterable[int], text: str) -> list[OutboxMessage]:
    """The in-app ``text`` also by e-mail or SMS to the users whose preference asks for it."""
    ids = list(user_ids)
    if not ids:
        return []
    prefs = StaffPreference.objects.filter(user_id__in=ids).exclude(delivery=StaffDelivery.IN_APP)
    prefs = prefs.select_related("user")
    out = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("民情:工作通知")
        for pref in prefs:
            if pref.delivery == StaffDelivery.EMAIL:
                channel, address = MessageChannel.EMAIL, pref.user.email
            else:
                channel, address = MessageChannel.SMS, pref.phone
            if not address or not pref.user.is_active:
                continue
            link = unsubscribe_url(unsubscribe_token(user_id=pref.user_id))
            body = "\n".join([text, _("退订(改为仅站内通知):%(url)s") % {"url": link}])
            out.append(
                outbox.queue(
                    channel=channel, address=address, subject=subject, body=body, user_id=pref.user_id
                )
            )
    return out


def send_code(*, feedback: Feedback, phone: str) -> OutboxMessage:
    """ "Send to my phone": the tracking code and its link by SMS (no subscription)."""
    phone = clean_address(MessageChannel.SMS, phone)
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        body = _("【民情】您的查询码是 %(code)s,凭它查询办理进度:%(url)s") % {
            "code": feedback.tracking_code,
            "url": tracking_url(feedback.tracking_code),
        }
        return outbox.queue(channel=MessageChannel.SMS, address=phone, body=body)


def unsubscribe(token: str) -> bool:
    """Stop what the token names; True when it named something (stopping twice is harmless)."""
    read = read_token(token)
    if read is None:
        return False
    kind, pk = read
    now = timezone.now()
    if kind == "s":
        if not Subscription.objects.filter(pk=pk).exists():
            return False
        Subscription.objects.filter(pk=pk, stopped_at__isnull=True).update(stopped_at=now)
        return True
    if not get_user_model().objects.filter(pk=pk).exists():
        return False
    StaffPreference.objects.filter(user_id=pk).update(delivery=StaffDelivery.IN_APP)
    return True


def active_subscriptions(feedback: Feedback) -> list[Subscription]:
    return list(Subscription.objects.filter(feedback=feedback, stopped_at__isnull=True).order_by("pk"))


def mask(address: str) -> str:
    """``138****5678`` / ``z***@example.com``: what the tracking page shows of an address."""
    if "@" in address:
        name, _at, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{address[:3]}****{address[-4:]}" if len(address) >= 8 else "****"


def set_preference(*, user_id: int, delivery: str, phone: str = "") -> StaffPreference:
    """A staff user's own choice (the settings page checks it is their own)."""
    if delivery not in StaffDelivery.values:
        raise DomainError(ErrorCode.TRANSITION_BAD_VALUE, field="delivery", value=delivery)
    phone = clean_address(MessageChannel.SMS, phone) if phone.strip() else ""
    if delivery == StaffDelivery.SMS and not phone:
        raise DomainError(ErrorCode.NOTIFY_NO_PHONE)
    if delivery == StaffDelivery.EMAIL:
        email = get_user_model().objects.filter(pk=user_id).values_list("email", flat=True).first()
        if not email:
            raise DomainError(ErrorCode.NOTIFY_NO_EMAIL)
    pref, _created = StaffPreference.objects.update_or_create(
        user_id=user_id, defaults={"delivery": delivery, "phone": phone}
    )
    return pref
