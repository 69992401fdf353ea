"""Open311 GeoReport v2 (docs/open311.md): which categories a unit accepts (``ServiceOffer``),
the questions a service asks (``ServiceAttribute`` and its ``ServiceAttributeValue`` choices),
what a request brought beyond the feedback it became (``ServiceRequest``: the token, the
location, the answers, the reporter's e-mail encrypted), and the updates external systems
posted (``ExternalUpdate``: one row per caller and ``update_id``, so a repeat is refused)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minqing.core.fields import EncryptedCharField
from minqing.ledger.models import Category, Feedback, Problem, ProblemEvent
from minqing.orgs.models import Application, Unit


class ServiceOffer(models.Model):
    """A category a unit accepts as an Open311 service. The nearest unit on a jurisdiction's
    path (itself, then its ancestors) that has offers decides its list; a tree with none offers
    the whole taxonomy."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        Category, verbose_name=_("问题分类"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("受理的服务")
        verbose_name_plural = _("受理的服务")
        constraints = [models.UniqueConstraint(fields=["unit", "category"], name="open311_offer_once")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.category}"


class Datatype(models.TextChoices):
    STRING = "string", _("短文本")
    NUMBER = "number", _("数字")
    DATETIME = "datetime", _("日期时间")
    TEXT = "text", _("长文本")
    SINGLE = "singlevaluelist", _("单选")
    MULTI = "multivaluelist", _("多选")


LIST_TYPES = (Datatype.SINGLE, Datatype.MULTI)


class ServiceAttribute(models.Model):
    """One question of a service's definition (GeoReport ``attribute``)."""

    category = models.ForeignKey(
        Category, verbose_name=_("问题分类"), on_delete=models.CASCADE, related_name="open311_attributes"
    )
    code = models.SlugField(_("代码"), max_length=50)
    description = models.CharField(_("问题"), max_length=300)
    datatype = models.CharField(_("类型"), max_length=20, choices=Datatype.choices, default=Datatype.STRING)
    datatype_description = models.CharField(_("类型说明"), max_length=200, blank=True)
    required = models.BooleanField(_("必填"), default=False)
    variable = models.BooleanField(_("需要填写"), default=True)  # false: information only
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)

    class Meta:
        verbose_name = _("服务属性")
        verbose_name_plural = _("服务属性")
        ordering = ["category", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="open311_attribute_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.code}"


class ServiceAttributeValue(models.Model):
    """A choice of a single- or multi-value list attribute."""

    attribute = models.ForeignKey(
        ServiceAttribute, verbose_name=_("服务属性"), on_delete=models.CASCADE, related_name="values"
    )
    key = models.CharField(_("取值"), max_length=50)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("属性选项")
        verbose_name_plural = _("属性选项")
        ordering = ["attribute", "id"]
        constraints = [models.UniqueConstraint(fields=["attribute", "key"], name="open311_value_key_once")]

    def __str__(self) -> str:
        return f"{self.key} {self.name}"


class ServiceRequest(models.Model):
    """What an Open311 POST brought: the token it is answered with, the service, the location
    and answers, and the e-mail of the reporter (encrypted; FeedbackIdentity keeps name and
    phone). ``feedback`` is empty while a queued request waits for the intake job."""

    token = models.CharField(max_length=32, unique=True)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    feedback = models.OneToOneField(
        Feedback, null=True, blank=True, on_delete=models.SET_NULL, related_name="open311"
    )
    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.SET_NULL, related_name="open311_requests"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10)
    description = models.TextField()
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    address_string = models.CharField(max_length=200, blank=True)
    address_id = models.CharField(max_length=64, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    first_name = EncryptedCharField(max_length=50, blank=True)
    last_name = EncryptedCharField(max_length=50, blank=True)
    phone = EncryptedCharField(max_length=20, blank=True)
    email = EncryptedCharField(max_length=100, blank=True)
    received_at = models.DateTimeField(db_index=True)
    failure = models.CharField(max_length=300, blank=True)  # a queued request the job refused
    # answered before it was recorded (the token flow): the intake job records it
    queued = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("Open311 请求")
        verbose_name_plural = _("Open311 请求")
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(queued=True, feedback__isnull=True, failure=""),
                name="open311_request_todo",
            )
        ]

    def __str__(self) -> str:
        return self.token


class ExternalUpdate(models.Model):
    """An update an external system posted (``servicerequestupdates``): its ``update_id`` is
    kept once per application, so a repeat is refused and never applied twice."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    update_id = models.CharField(max_length=100)
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(ProblemEvent, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_datetime = models.CharField(max_length=40, blank=True)  # as the caller stated it
    media_url = models.URLField(max_length=500, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "update_id"], name="open311_update_once")
        ]

    def __str__(self) -> str:
        return self.update_id
