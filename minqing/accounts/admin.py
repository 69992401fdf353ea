"""No admin for the second-factor devices: django-otp registers its own (plain Django admins,
which would show a TOTP secret to whoever passes Django's model permissions). A user enrolls
and renews on /accounts/second-factor/, and the security administrator resets one there
(``minqing.accounts.services.second_factor.second_factor_reset``, audited)."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
