"""Receivers: the password's date, and the idle clock and expiry of each new session."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from minqing.accounts import idle
from minqing.accounts.services.passwords import password_recorded, session_expiry_note


@receiver(post_save, sender=get_user_model())
def _password_set(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    """``set_password`` keeps the raw password in ``_password`` until ``save`` has run (Django's
    ``AbstractBaseUser.save`` then calls the validators' ``password_changed``): every path that
    sets a password passes here. A user created with a hash already set (the demo hashes once for
    all its accounts) counts too."""
    if kwargs.get("raw"):
        return  # loaddata
    if getattr(instance, "_password", None) is not None or (created and instance.has_usable_password()):
        password_recorded(instance)


@receiver(user_logged_in)
def _session_started(sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        idle.touch(request, force=True)
        session_expiry_note(request, user)
