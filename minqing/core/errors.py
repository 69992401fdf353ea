"""Domain errors: an enum of codes, each with a Chinese message and its English translation."""

from enum import Enum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ErrorCode(Enum):
    PERMISSION_DENIED = _("无权操作该单位或其下级单位的数据")
    UNIT_NOT_FOUND = _("找不到单位代码 {code}")
    IMPORT_FILE_UNREADABLE = _("无法读取文件 {path}:{reason}")
    IMPORT_UNKNOWN_FORMAT = _("无法识别的文件格式:缺少必需的列 {columns}")
    IMPORT_REQUIRED = _("必填项为空")
    IMPORT_BAD_CODE = _("单位代码“{value}”格式不正确")
    IMPORT_DUPLICATE_CODE = _("单位代码“{value}”在文件中重复(第 {first} 行已出现)")
    IMPORT_UNKNOWN_KIND = _("无法识别的类别“{value}”")
    IMPORT_UNKNOWN_PARENT = _("上级单位代码“{value}”既不在文件中,也不在系统中")
    IMPORT_PARENT_CYCLE = _("上级单位关系形成循环")
    IMPORT_BAD_LEVEL = _("层级“{value}”不正确")
    IMPORT_BAD_VALUE = _("取值“{value}”不正确")

    @property
    def template(self) -> Promise:
        return self.value


class DomainError(Exception):
    """An error a user can act on; ``str()`` gives the message in the active language."""

    def __init__(self, error: ErrorCode, /, **params: Any) -> None:
        self.code = error
        self.params = params
        super().__init__(error.name)

    @property
    def message(self) -> str:
        return str(self.code.template).format(**self.params)

    def __str__(self) -> str:
        return self.message


class PermissionDeniedError(DomainError):
    def __init__(self, **params: Any) -> None:
        super().__init__(ErrorCode.PERMISSION_DENIED, **params)
