"""API credentials and the answers kept for idempotent retries."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.fields import EncryptedCharField
from minqing.orgs.models import Application


class ApiKey(models.Model):
    """A secret that signs API calls in: an application's key (it acts as the application) or a
    user's personal token (it acts as the user). Only a SHA-256 digest of the secret is kept; the
    secret is shown once, when the key is made. ``prefix`` is the secret's first characters, kept
    to find the row and to tell keys apart on the management page."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("接入应用"),
        on_delete=models.CASCADE,
        related_name="keys",
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        null=True,
        blank=True,
    )
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    scopes = models.JSONField(_("权限范围"), default=list, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(application__isnull=False, user__isnull=True))
                | (models.Q(application__isnull=True, user__isnull=False)),
                name="apikey_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotentAnswer(models.Model):
    """The first answer to a POST that carried an ``Idempotency-Key``: a retry with the same key
    (from the same credential) gets it again and changes nothing. Written in the same transaction
    as the POST's own writes, so an answer is kept exactly when its effects are."""

    caller = models.CharField(max_length=64)  # a digest of the credential: keys never cross callers
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64)  # the request body's digest
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    # False while the answer is the one committed with the writes and its completion (the reading
    # after the commit) has not been kept yet; a process killed meanwhile leaves it so for good
    complete = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["caller", "key"], name="idempotent_answer_once")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"


class QueuedRegistration(models.Model):
    """A registration accepted with ``Prefer: respond-async`` (``POST /api/v1/problems/``): kept
    with one INSERT before the answer (202, ``token``), registered afterwards by the job
    (``minqing.api.queued.drain``) through the same services as an immediate one. The reporter is
    kept encrypted and erased once the registration is done. ``(key, idempotency_key)`` is unique,
    so a retry with the same ``Idempotency-Key`` finds this row and queues nothing twice."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        REGISTERED = "registered", _("已登记")
        FAILED = "failed", _("未能登记")

    token = models.CharField(max_length=32, unique=True)
    key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001  # NULL: none, unconstrained
    fingerprint = models.CharField(max_length=64)  # the request body's digest
    payload = models.JSONField()  # the validated body without its reporter
    reporter = EncryptedCharField(max_length=600, blank=True)  # the reporter, as JSON
    received_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    number = models.CharField(max_length=32, blank=True)
    tracking_code = models.CharField(max_length=32, blank=True)
    error = models.JSONField(null=True, blank=True)  # {code, message_zh, message_en, field}
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="queued_registration_once",
            )
        ]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(state="queued"), name="queued_registration_todo")
        ]

    def __str__(self) -> str:
        return f"{self.token} ({self.state})"
