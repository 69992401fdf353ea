"""Demo logins: one shared password, roles on real units, so scoping can be tried in a browser."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from minqing.demo import names
from minqing.demo.context import DemoContext
from minqing.demo.registry import register_stage
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Duty, Rank, Role
from minqing.orgs.models import AdminDuty, Person, Unit
from minqing.orgs.services.duties import duty_grant
from minqing.orgs.services.people import person_create
from minqing.orgs.services.roles import role_grant

DEMO_PASSWORD = "minqing-demo-1509"


@dataclass(frozen=True)
class DemoUser:
    username: str
    label: "str | Promise"
    role: str  # "" for the superuser and the administrators
    unit_code: str  # "" for the superuser and the administrators
    duty: str = ""  # an administrator duty (三员分立)
    superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", _("系统管理员(超级用户)"), "", "", Duty.SYSTEM, superuser=True),
    DemoUser("sysadmin", _("系统管理员"), "", "", Duty.SYSTEM),
    DemoUser("secadmin", _("安全管理员"), "", "", Duty.SECURITY),
    DemoUser("auditadmin", _("审计管理员"), "", "", Duty.AUDIT),
    DemoUser("wlcb_office", _("乌兰察布市领导小组办公室"), Role.OFFICE, "150900000000"),
    DemoUser("wlht_office", _("乌兰浩特市领导小组办公室"), Role.OFFICE, "152201000000"),
    DemoUser("wlcb_leader", _("乌兰察布市领导"), Role.LEADER, "150900000000"),
    DemoUser("wlht_leader", _("乌兰浩特市领导"), Role.LEADER, "152201000000"),
    DemoUser("xam_viewer", _("兴安盟只读用户"), Role.VIEWER, "152200000000"),
    DemoUser("wlht_intake", _("乌兰浩特市受理登记员"), Role.INTAKE, "152201000000"),
    DemoUser("wlcb_inspector", _("乌兰察布市指导组成员"), Role.INSPECTOR, "150900000000"),
    DemoUser("tgwl_staff", _("土贵乌拉镇工作人员"), Role.UNIT_STAFF, "150926105000"),
    DemoUser("pdq_staff", _("平地泉镇工作人员"), Role.UNIT_STAFF, "150926106000"),
    DemoUser("heping_staff", _("和平街道工作人员"), Role.UNIT_STAFF, "152201002000"),
    DemoUser("wlhd_staff", _("乌兰哈达镇工作人员"), Role.UNIT_STAFF, "152201100000"),
)


@register_stage("users", label=_("演示账号"), order=70)
@transaction.atomic
def load_users(ctx: DemoContext) -> dict[str, int]:
    user_model = get_user_model()
    units = {
        u.code: u for u in Unit.objects.filter(code__in=[d.unit_code for d in DEMO_USERS if d.unit_code])
    }
    hashed = make_password(DEMO_PASSWORD)  # hash once: PBKDF2 is slow on purpose
    created = 0
    for d in DEMO_USERS:
        if d.unit_code and d.unit_code not in units:
            continue  # a smaller tier without that unit
        user = user_model.objects.filter(username=d.username).first()
        if user is None:
            user = user_model(username=d.username, first_name=str(d.label)[:150], password=hashed)
            user.is_superuser = user.is_staff = d.superuser
            user.save()
            created += 1
        if d.duty and not AdminDuty.objects.filter(user=user).exists():
            duty_grant(actor=SYSTEM, user=user, duty=d.duty)
        if d.role:
            role_grant(actor=SYSTEM, user=user, role=d.role, unit=units[d.unit_code])
        if d.role == Role.LEADER and not Person.objects.filter(user=user).exists():
            # a leader claims must-solve problems as a person of the organisation
            rng = ctx.rng("leader", d.username)
            person_create(
                actor=SYSTEM,
                number=f"{d.unit_code}-{d.username}",
                name=str(d.label),
                unit=units[d.unit_code],
                rank=Rank.DIVISION,
                is_party_member=True,
                duties=str(_("领导干部")),
                phone=names.phone(rng),
                id_number=names.id_number(rng, d.unit_code[:6], 1970, male=True),
                user=user,
            )
    return {"users": created}
