from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("省级")
    PREFECTURE = "prefecture", _("地级(市/盟)")
    COUNTY = "county", _("县级(旗县市区)")
    TOWNSHIP = "township", _("乡级(镇/乡/苏木/街道)")
    VILLAGE = "village", _("村级(村/嘎查/社区)")
    GRID = "grid", _("网格(村民小组/社区网格)")
    AGENCY = "agency", _("机关事业单位")
    ENTERPRISE = "enterprise", _("企业")
    SOCIAL_ORG = "social_org", _("社会组织")
    OTHER = "other", _("其他")


TERRITORIAL_KINDS = (
    UnitKind.PROVINCE,
    UnitKind.PREFECTURE,
    UnitKind.COUNTY,
    UnitKind.TOWNSHIP,
    UnitKind.VILLAGE,
)

# NBS level (1-5) -> kind
LEVEL_KIND = {
    1: UnitKind.PROVINCE,
    2: UnitKind.PREFECTURE,
    3: UnitKind.COUNTY,
    4: UnitKind.TOWNSHIP,
    5: UnitKind.VILLAGE,
}


class UnitSubkind(models.TextChoices):
    NONE = "", _("—")
    STREET = "street", _("街道")
    TOWN = "town", _("镇")
    TOWNSHIP = "township", _("乡/苏木")
    TOWNSHIP_OTHER = "township_other", _("其他乡级单位")
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村/嘎查")
    VILLAGE_OTHER = "village_other", _("其他村级单位")
    VILLAGER_GROUP = "villager_group", _("村民小组")
    COMMUNITY_GRID = "community_grid", _("社区网格")


class PartyCategory(models.TextChoices):
    """Which line of a bulletin a unit's party organisation counts in."""

    NONE = "", _("—")
    AGENCY = "agency", _("机关及直属单位")
    TOWNSHIP = "township", _("镇和街道")
    VILLAGE = "village", _("嘎查村和社区")
    NON_PUBLIC = "non_public", _("非公经济和社会组织")


class Rank(models.TextChoices):
    BUREAU = "bureau", _("厅级")
    DIVISION = "division", _("处级")
    SECTION = "section", _("科级")
    STAFF = "staff", _("科员及以下")
    NONE = "none", _("无职级")


class AssignmentKind(models.TextChoices):
    CONTACT_POINT = "contact_point", _("联系点")
    DEMONSTRATION = "demonstration", _("示范联系")
    HOUSEHOLD_PAIRING = "household_pairing", _("包户")


class Role(models.TextChoices):
    OFFICE = "office", _("领导小组办公室")
    UNIT_STAFF = "unit_staff", _("单位工作人员")
    LEADER = "leader", _("领导")
    INSPECTOR = "inspector", _("督导组成员")
    INTAKE = "intake", _("受理登记员")
    VIEWER = "viewer", _("只读用户")


class Duty(models.TextChoices):
    """等保 2.0 三员分立: the three administrator duties, held by separate accounts, none able to do
    the others' work (``minqing.orgs.policy.has_duty``)."""

    SYSTEM = "system", _("系统管理员")
    SECURITY = "security", _("安全管理员")
    AUDIT = "audit", _("审计管理员")


def subkind_from_code(code: str, kind: str) -> str:
    """The NBS numbering rules: township digits 7-9, village digits 10-12."""
    if kind == UnitKind.TOWNSHIP:
        n = int(code[6:9])
        if n < 100:
            return UnitSubkind.STREET
        if n < 200:
            return UnitSubkind.TOWN
        if n < 400:
            return UnitSubkind.TOWNSHIP
        return UnitSubkind.TOWNSHIP_OTHER
    if kind == UnitKind.VILLAGE:
        n = int(code[9:12])
        if n < 200:
            return UnitSubkind.COMMUNITY
        if n < 400:
            return UnitSubkind.VILLAGE
        return UnitSubkind.VILLAGE_OTHER
    return UnitSubkind.NONE


def default_party_category(kind: str, subkind: str) -> str:
    if kind == UnitKind.AGENCY:
        return PartyCategory.AGENCY
    if kind == UnitKind.TOWNSHIP:
        return PartyCategory.TOWNSHIP
    if kind == UnitKind.VILLAGE:
        return PartyCategory.VILLAGE
    if kind in (UnitKind.ENTERPRISE, UnitKind.SOCIAL_ORG):
        return PartyCategory.NON_PUBLIC
    return PartyCategory.NONE
