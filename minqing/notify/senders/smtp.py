"""E-mail through Django's mail settings (``EMAIL_HOST``, ``EMAIL_PORT``, ``EMAIL_HOST_USER``,
``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS``/``EMAIL_USE_SSL``, ``DEFAULT_FROM_EMAIL``)."""

from django.conf import settings
from django.core.mail import EmailMessage

from minqing.notify.senders import Message, SendError


class SmtpEmailSender:
    def send(self, message: Message) -> None:
        if message.channel != "email":
            raise SendError(f"the e-mail sender cannot send {message.channel}")
        mail = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
        )
        try:
            sent = mail.send(fail_silently=False)
        except OSError as err:  # smtplib.SMTPException is an OSError
            raise SendError(str(err)) from err
        if sent != 1:
            raise SendError("the mail backend accepted no message")
