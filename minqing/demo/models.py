"""How the system knows the demo is loaded: ``run_demo`` records each load here.

The demo's accounts share a published password (``stages/users.py``); that is fine on a demo and
nowhere else, so ``minqing.demo.guard`` refuses to start with it unless a load is recorded.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoLoad(models.Model):
    tier = models.CharField(_("规模"), max_length=20)
    seed = models.IntegerField(_("随机种子"))
    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("演示数据载入记录")
        verbose_name_plural = _("演示数据载入记录")
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.tier} {self.seed} {self.loaded_at:%Y-%m-%d %H:%M}"
