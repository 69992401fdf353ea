"""``minqing duty``: the operator bootstraps the administrator duties (三员分立) on a fresh install.

``minqing duty grant USERNAME system|security|audit``, ``minqing duty revoke USERNAME`` and
``minqing duty list``. Run by the operator on the server, as ``SYSTEM`` (audited as ``system``);
afterwards the security administrator grants and revokes duties on the admin site.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from minqing.core.errors import DomainError
from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Duty
from minqing.orgs.models import AdminDuty
from minqing.orgs.services.duties import duty_grant, duty_revoke


class Command(BaseCommand):
    help = (
        "授予、撤销或列出管理员职责(系统/安全/审计管理员) / Grant, revoke or list the administrator duties."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        grant = sub.add_parser("grant", help=_("授予管理员职责"))
        grant.add_argument("username")
        grant.add_argument("duty", choices=list(Duty.values))
        revoke = sub.add_parser("revoke", help=_("撤销管理员职责"))
        revoke.add_argument("username")
        sub.add_parser("list", help=_("列出管理员职责"))

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "list":
            for row in AdminDuty.objects.select_related("user").order_by("duty", "user__username"):
                self.stdout.write(f"{row.user.get_username()}\t{row.duty}\t{row.get_duty_display()}")
            return
        user = get_user_model().objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(_("用户“{name}”不存在").format(name=opts["username"]))
        try:
            if opts["action"] == "grant":
                row = duty_grant(actor=SYSTEM, user=user, duty=opts["duty"])
                self.stdout.write(
                    self.style.SUCCESS(
                        _("已授予 {user} {duty}").format(user=user, duty=row.get_duty_display())
                    )
                )
            else:
                held = AdminDuty.objects.filter(user=user).first()
                if held is None:
                    raise CommandError(_("用户“{name}”没有管理员职责").format(name=opts["username"]))
                duty_revoke(actor=SYSTEM, row=held)
                self.stdout.write(self.style.SUCCESS(_("已撤销 {user} 的管理员职责").format(user=user)))
        except DomainError as exc:
            raise CommandError(exc.bilingual()) from exc
