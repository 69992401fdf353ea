"""``minqing demo_logins``: the demo accounts, their password, role (or administrator duty) and unit."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from minqing.accounts.services.second_factor import has_second_factor, second_factor_required
from minqing.demo.stages.users import DEMO_PASSWORD, DEMO_USERS
from minqing.orgs.enums import Duty, Role
from minqing.orgs.models import RoleAssignment


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    return s + " " * max(w - _width(s), 0)


def _second_factor(user: User) -> str:
    if has_second_factor(user):
        return _("已绑定")
    return _("首次登录时绑定") if second_factor_required(user) else "—"


def _both(text: str) -> list[str]:
    """The note in the active language, and in English after it when that is another."""
    with override("en"):
        english = _(text)
    return [_(text)] if _(text) == english else [_(text), english]


class Command(BaseCommand):
    help = "列出演示账号 / List the demo logins."

    def handle(self, *args: Any, **opts: Any) -> None:
        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=[d.username for d in DEMO_USERS])
        }
        if not users:
            self.stdout.write(_("没有演示账号,请先运行 minqing demo。"))
            return
        roles: dict[str, list[str]] = {}
        for ra in RoleAssignment.objects.filter(user__in=users.values()).select_related("user", "unit"):
            roles.setdefault(ra.user.username, []).append(f"{Role(ra.role).label}@{ra.unit.name}")
        head = [_("用户名"), _("密码"), _("角色"), _("单位"), _("两步验证"), _("说明")]
        body = []
        for d in DEMO_USERS:
            if d.username not in users:
                continue
            u = users[d.username]
            if d.duty:
                role = Duty(d.duty).label + (_("、超级用户") if u.is_superuser else "")
                body.append(
                    [
                        d.username,
                        DEMO_PASSWORD,
                        role,
                        _("全部") if u.is_superuser else "—",
                        _second_factor(u),
                        str(d.label),
                    ]
                )
                continue
            for entry in roles.get(d.username, []):
                role, unit = entry.split("@", 1)
                body.append([d.username, DEMO_PASSWORD, role, unit, _second_factor(u), str(d.label)])
        widths = [max(_width(str(r[i])) for r in [head, *body]) for i in range(len(head))]
        self.stdout.write(_("演示账号(共用演示密码,仅供演示环境使用):"))
        for r in [head, ["-" * w for w in widths], *body]:
            self.stdout.write("  ".join(_pad(str(c), w) for c, w in zip(r, widths, strict=True)).rstrip())
        self.stdout.write("")
        for line in _both(SECOND_FACTOR_NOTE):
            self.stdout.write(line)


SECOND_FACTOR_NOTE = gettext_noop(
    "注意:领导小组办公室和各管理员账号(admin、sysadmin、secadmin、auditadmin)必须使用两步验证。"
    "首次登录时会打开“设置两步验证”页面:"
    "用手机上的验证器应用(如 FreeOTP、Google 身份验证器、微信小程序“腾讯身份验证器”)扫描二维码,"
    "输入 6 位验证码,并保存显示的 10 个恢复码。详见 docs/identity.md。"
)
