"""Supervision: guidance groups (指导组) and their inspections (督导), whose findings become problems.

A guidance group is sent by a unit's office (派出单位) for one campaign; it has members (one
组长, any 副组长 and 成员, each a person of the organisation or just a name) and the units it
is assigned to (联系单位). An inspection is one visit of a group to one unit on one day, of one
kind (列席会议, 随堂听课, 审核把关, 随机抽查, 明察暗访, 调阅). Each finding of an inspection is
registered in the ledger as a problem with source 督导发现 and keeps a link to it.

Rounds (轮次): round n of a group is the group's n-th sweep through its units; every
inspection carries its round number (see ``services.inspections`` for how it is assigned).

Inspections and assignments copy their unit's path, so "everything under X" is one prefix
filter (minqing.core.paths).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign
from minqing.orgs.models import PATH_OPS, Person, Unit
from minqing.supervision.enums import RECORD_FLAGS, InspectionKind, MemberRole


class GuidanceGroup(models.Model):
    name = models.CharField(_("指导组名称"), max_length=100)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("专题"), on_delete=models.PROTECT, related_name="guidance_groups"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("派出单位"), on_delete=models.PROTECT, related_name="guidance_groups_sent"
    )
    path = models.CharField(max_length=255, editable=False)  # copy of unit.path
    units: "models.ManyToManyField[Unit, GroupUnit]" = models.ManyToManyField(
        Unit, through="GroupUnit", verbose_name=_("联系单位"), related_name="guidance_groups"
    )
    created_at = models.DateTimeField(_("成立时间"))

    class Meta:
        verbose_name = _("指导组")
        verbose_name_plural = _("指导组")
        ordering = ["campaign_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="sup_group_campaign_name"),
        ]
        indexes = [models.Index(fields=["path"], name="sup_group_path", opclasses=PATH_OPS)]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """One member of a group: a person of the organisation, or only a name (a retired cadre)."""

    group = models.ForeignKey(GuidanceGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)  # the person's name when linked
    role = models.CharField(_("职务"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("指导组成员")
        verbose_name_plural = _("指导组成员")
        ordering = ["group_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"], condition=Q(role=MemberRole.LEADER), name="sup_member_one_leader"
            ),
            models.UniqueConstraint(
                fields=["group", "person"], condition=Q(person__isnull=False), name="sup_member_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.get_role_display()})"


class GroupUnit(models.Model):
    """A unit a group is assigned to; the group inspects it and the units below it."""

    group = models.ForeignKey(GuidanceGroup, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, verbose_name=_("联系单位"), on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255, editable=False)  # copy of unit.path

    class Meta:
        verbose_name = _("指导组联系单位")
        verbose_name_plural = _("指导组联系单位")
        constraints = [models.UniqueConstraint(fields=["group", "unit"], name="sup_groupunit_once")]
        indexes = [models.Index(fields=["path"], name="sup_groupunit_path", opclasses=PATH_OPS)]

    def __str__(self) -> str:
        return f"{self.group_id} → {self.unit_id}"


class Inspection(models.Model):
    """One visit of a group to one unit on one day."""

    group = models.ForeignKey(
        GuidanceGroup, verbose_name=_("指导组"), on_delete=models.PROTECT, related_name="inspections"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("督导单位"), on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255, editable=False)  # copy of unit.path
    date = models.DateField(_("督导日期"))
    kind = models.CharField(_("督导方式"), max_length=20, choices=InspectionKind.choices)
    round = models.PositiveSmallIntegerField(_("轮次"))
    checked_minutes = models.BooleanField(_("调阅会议记录"), default=False)
    checked_scripts = models.BooleanField(_("调阅讲稿"), default=False)
    checked_media = models.BooleanField(_("调阅音视频资料"), default=False)
    notes = models.TextField(_("督导情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("督导")
        verbose_name_plural = _("督导")
        constraints = [
            models.CheckConstraint(condition=Q(round__gte=1), name="sup_inspection_round"),
            models.CheckConstraint(
                condition=Q(kind=InspectionKind.RECORDS_CHECK)
                | Q(checked_minutes=False, checked_scripts=False, checked_media=False),
                name="sup_inspection_records_only_for_check",
            ),
        ]
        indexes = [
            models.Index(
                fields=["path", "date"], name="sup_inspection_path_date", opclasses=[*PATH_OPS, "date_ops"]
            ),
            models.Index(fields=["group", "round"], name="sup_inspection_group_round"),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} #{self.round} {self.unit_id} {self.date}"

    def records_checked(self) -> list[str]:
        return [str(label) for field, label in RECORD_FLAGS.items() if getattr(self, field)]


class Finding(models.Model):
    """A problem an inspection found; registered in the ledger when the inspection is recorded."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("发现的问题"))
    category = models.ForeignKey(
        "ledger.Category",
        verbose_name=_("分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    problem = models.OneToOneField(
        "ledger.Problem", verbose_name=_("问题"), on_delete=models.PROTECT, related_name="finding"
    )

    class Meta:
        verbose_name = _("督导发现的问题")
        verbose_name_plural = _("督导发现的问题")
        ordering = ["inspection_id", "position", "id"]

    def __str__(self) -> str:
        return self.text[:50]
