from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordRecord(models.Model):
    """When a user's password was last set (``set_password`` then ``save``: the password-change
    page, the admin, ``createsuperuser``, the demo), for the expiry of
    ``MINQING_PASSWORD_MAX_AGE_DAYS``. Kept by ``minqing.accounts.signals``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="password_record",
    )
    changed_at = models.DateTimeField(_("密码设置时间"))

    class Meta:
        verbose_name = _("密码记录")
        verbose_name_plural = _("密码记录")

    def __str__(self) -> str:
        return f"{self.user_id} {self.changed_at:%Y-%m-%d}"
