"""Password rules beside Django's own (config/settings.py, AUTH_PASSWORD_VALIDATORS)."""

from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

COMMON_ZH = Path(__file__).resolve().parent / "common_passwords_zh.txt"


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and other characters the password uses."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class CharacterClassesValidator:
    """At least ``min_classes`` of the four character classes (upper, lower, digit, other)."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码须至少包含大写字母、小写字母、数字、其他符号中的 %(n)d 类。") % {"n": self.min_classes}


class UsernameNotInPasswordValidator:
    """Not the username, nor containing it (case-insensitive). A username shorter than
    ``min_length`` is only refused as the whole password (a two-letter name would otherwise refuse
    half the passwords)."""

    def __init__(self, min_length: int = 3) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        username = (user.get_username() if user is not None else "").casefold()
        folded = password.casefold()
        if not username:
            return
        if folded == username or (len(username) >= self.min_length and username in folded):
            raise ValidationError(_("密码不能是用户名,也不能包含用户名。"), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("密码不能是用户名,也不能包含用户名。")


class ChineseCommonPasswordValidator(CommonPasswordValidator):
    """Django's check against a list, with the shipped list of common Chinese-pattern passwords
    (``common_passwords_zh.txt``: woaini1314, qq123456, 1qaz2wsx...)."""

    def __init__(self, password_list_path: Path | str = COMMON_ZH) -> None:
        lines = Path(password_list_path).read_text(encoding="utf-8").splitlines()
        self.passwords = {x.strip().lower() for x in lines if x.strip() and not x.startswith("#")}

    def validate(self, password: str, user: Any = None) -> None:
        if password.lower().strip() in self.passwords:
            raise ValidationError(_("这是常见密码,容易被猜中,请换一个。"), code="password_too_common")

    def get_help_text(self) -> str:
        return _("密码不能是常见密码。")
