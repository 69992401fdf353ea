"""The organisation network: unit tree, households, people, assignments and roles.

Units are a treebeard materialized-path tree. Households, people and assignments are flat
tables that carry a copy of their unit's path, so "everything under X" is one prefix filter
(see minqing.core.paths) and never a join through the tree.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from minqing.core.fields import EncryptedCharField
from minqing.orgs.enums import AssignmentKind, Duty, PartyCategory, Rank, Role, UnitKind, UnitSubkind

PATH_OPS = ["varchar_pattern_ops"]  # used on PostgreSQL; ignored by SQLite


class Unit(MP_Node):
    steplen = 3  # 46,656 children per unit; depth is small (province .. grid = 6)

    # unique: on PostgreSQL Django adds a varchar_pattern_ops twin index ("..._like"), which serves
    # the LIKE 'prefix%' subtree filter; on SQLite the unique index serves the range filter.
    path = models.CharField(max_length=255, unique=True)
    code = models.CharField(_("单位代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100, db_index=True)
    kind = models.CharField(_("类别"), max_length=20, choices=UnitKind.choices, db_index=True)
    subkind = models.CharField(_("细类"), max_length=20, choices=UnitSubkind.choices, blank=True, default="")
    division_code = models.CharField(
        _("区划代码"), max_length=12, null=True, blank=True, unique=True, help_text=_("12 位统计用区划代码")
    )
    has_party_org = models.BooleanField(_("有党组织"), default=False)
    party_category = models.CharField(
        _("党组织统计类别"), max_length=20, choices=PartyCategory.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        indexes = [
            models.Index(fields=["kind", "path"], name="orgs_unit_kind_path"),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.code})"

    @property
    def ancestry_paths(self) -> list[str]:
        """The paths of this unit and every unit above it, top first."""
        step = self.steplen
        return [self.path[:i] for i in range(step, len(self.path) + 1, step)]


class Household(models.Model):
    grid = models.ForeignKey(
        Unit, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="households"
    )
    path = models.CharField(max_length=255, editable=False)  # copy of grid.path
    number = models.CharField(_("户号"), max_length=32)
    head_name = models.CharField(_("户主"), max_length=50, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    members = models.PositiveSmallIntegerField(_("人口数"), default=1)

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        constraints = [models.UniqueConstraint(fields=["grid", "number"], name="orgs_household_grid_number")]
        indexes = [models.Index(fields=["path"], name="orgs_household_path", opclasses=PATH_OPS)]

    def __str__(self) -> str:
        return f"{self.number} {self.head_name}"


class GridHouseholds(models.Model):
    """How many households each grid holds: written only by the database's own triggers on
    ``orgs_household`` (insert, delete, a household moved to another grid; migration
    ``0007_grid_households``), so every write path (services, bulk inserts, imports, the admin,
    raw SQL) keeps it right, and a figure over many grids (households covered by demonstration)
    sums a few thousand counters instead of counting hundreds of thousands of households."""

    grid = models.OneToOneField(
        Unit,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="grid_households",
    )
    households = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("网格户数")
        verbose_name_plural = _("网格户数")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.grid_id}: {self.households}"


class Person(models.Model):
    number = models.CharField(_("人员编号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="people"
    )
    path = models.CharField(max_length=255, editable=False)  # copy of unit.path
    rank = models.CharField(_("职级"), max_length=20, choices=Rank.choices, default=Rank.NONE)
    is_party_member = models.BooleanField(_("是否党员"), default=False)
    duties = models.CharField(_("职务"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [models.Index(fields=["path"], name="orgs_person_path", opclasses=PATH_OPS)]

    def __str__(self) -> str:
        return f"{self.name}({self.number})"


class PersonIdentity(models.Model):
    """Phone and ID number, kept apart from the person and shown masked; reads are audited."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="identity")
    # encrypted at rest (minqing.core.fields): never filter on them
    phone = EncryptedCharField(_("手机号码"), max_length=20, blank=True)
    id_number = EncryptedCharField(_("身份证号"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("人员身份信息")
        verbose_name_plural = _("人员身份信息")

    def __str__(self) -> str:
        return f"identity of person #{self.pk}"


class Assignment(models.Model):
    """A cadre assigned to a unit or grid (contact point, demonstration) or a household (pairing)."""

    person = models.ForeignKey(
        Person, verbose_name=_("干部"), on_delete=models.CASCADE, related_name="assignments"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=AssignmentKind.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("联系单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("联系户"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    path = models.CharField(max_length=255, editable=False)  # copy of the target's path
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("联系分工")
        verbose_name_plural = _("联系分工")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(unit__isnull=False, household__isnull=True)
                    | Q(unit__isnull=True, household__isnull=False)
                ),
                name="orgs_assignment_one_target",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="orgs_assignment_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["path"], name="orgs_assignment_path", opclasses=PATH_OPS),
            models.Index(fields=["unit", "kind"], name="orgs_assignment_unit_kind"),
            # one kind over a subtree (the bulletin's demonstration figures): the kind's rows only
            # (covering: every column those figures read, so no table row is visited)
            models.Index(
                fields=["kind", "path", "start_date", "end_date", "unit", "person", "household"],
                name="orgs_assignment_kind_path",
                opclasses=["varchar_ops", *PATH_OPS, "date_ops", "date_ops", *["int8_ops"] * 3],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.unit or self.household} ({self.get_kind_display()})"


class RoleAssignment(models.Model):
    """A user's role on a unit; the user sees that unit's subtree and nothing else."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="unit_roles"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="role_assignments"
    )

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="orgs_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} @ {self.unit}"


class Application(models.Model):
    """An API client (the 12345 hotline system, a mini-program, a province platform): bound to one
    unit and acting with ``roles`` on that unit's subtree, as a user holding those roles would."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="applications"
    )
    roles = models.JSONField(_("角色"), default=list, blank=True)
    # what its keys may be used for (minqing.api.scopes.Scope): scopes narrow, roles decide
    scopes = models.JSONField(_("权限范围"), default=list, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接入应用")
        verbose_name_plural = _("接入应用")

    def __str__(self) -> str:
        return self.name

    @property
    def is_authenticated(self) -> bool:
        return True


class AdminDuty(models.Model):
    """An account's administrator duty (系统/安全/审计管理员). One duty per account: the
    one-to-one key is what keeps the three apart."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="admin_duty"
    )
    duty = models.CharField(_("管理职责"), max_length=20, choices=Duty.choices)
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("管理员职责")
        verbose_name_plural = _("管理员职责")

    def __str__(self) -> str:
        return f"{self.user} {self.get_duty_display()}"
