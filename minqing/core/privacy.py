"""Where personal data lives: one registry of the model fields that hold it, and the report of
``minqing privacy`` built from it (with row counts, encryption, masking, readers, retention, and
the files under ``VAR_DIR``).

A field whose name suggests personal data (``SUSPECT_TOKENS``) must be declared here, in
``PERSONAL`` or in ``NOT_PERSONAL``: ``minqing/core/tests/test_privacy.py`` fails otherwise.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minqing.core import crypto
from minqing.core.fields import EncryptedCharField
from minqing.orgs import policy
from minqing.orgs.enums import Duty, Role

Text = str | Promise


@dataclass(frozen=True)
class Entry:
    """Personal data in some fields of one model."""

    fields: tuple[str, ...]
    kind: Text
    shown: Text  # where and how it is shown (masked or not)
    retention: Text
    roles: frozenset[str] = frozenset()  # a policy role set that may read it, in scope
    duty: str = ""  # an administrator duty that may read it
    readers_note: Text = ""


_IN_SCOPE = _("本单位及下级范围内")
_FOREVER = _("长期保存,无自动删除")

PERSONAL: dict[str, Entry] = {
    "ledger.FeedbackIdentity": Entry(
        ("name", "phone", "id_number", "address"),
        _("反映人姓名、联系电话、身份证号、来信地址"),
        _("列表和详情不显示;点击“查看反映人信息”后显示全文,每次查看记入审计"),
        _("随反映记录长期保存,无自动删除"),
        roles=policy.REPORTER_READERS,
        readers_note=_("被反映单位及其下级的用户一律不可见(ledger.access)"),
    ),
    "orgs.PersonIdentity": Entry(
        ("phone", "id_number"),
        _("干部、党员的手机号码、身份证号"),
        _("脱敏显示(138****1234、150902********1234);“显示完整信息”记入审计"),
        _("随人员记录保存,删除人员时一并删除"),
        roles=policy.PERSON_REVEALERS,
        readers_note=_("其他角色只见脱敏值"),
    ),
    "orgs.Person": Entry(
        ("name",),
        _("干部、党员姓名"),
        _("人员列表、联系分工、活动签到等页面显示全名"),
        _FOREVER,
        roles=policy.ANY_ROLE,
        readers_note=_IN_SCOPE,
    ),
    "orgs.Household": Entry(
        ("head_name", "address"),
        _("户主姓名、住址"),
        _("户列表和联系户页面显示全文"),
        _FOREVER,
        roles=policy.ANY_ROLE,
        readers_note=_IN_SCOPE,
    ),
    "ledger.Feedback": Entry(
        ("title", "content", "place"),
        _("群众反映的标题、内容、地点(可能含个人信息)"),
        _("问题详情页显示全文;公开查询页只显示公开说明"),
        _FOREVER,
        roles=policy.ANY_ROLE,
        readers_note=_("可见该问题的用户"),
    ),
    "ledger.Problem": Entry(
        ("title", "description"),
        _("问题标题、描述(摘自群众反映,可能含个人信息)"),
        _("问题列表、详情和导出显示全文"),
        _FOREVER,
        roles=policy.ANY_ROLE,
        readers_note=_("可见该问题的用户"),
    ),
    "open311.ServiceRequest": Entry(
        ("first_name", "last_name", "phone", "email", "address_string", "description"),
        _("Open311 请求的反映人姓名、电话、电子邮件(加密)及地址、内容"),
        _("任何 Open311 回答都不显示反映人;姓名和电话登记后移入反映人信息并在此清空,电子邮件只存于此"),
        _("随反映记录长期保存,无自动删除"),
        readers_note=_("没有页面或接口显示;不向被反映单位显示"),
    ),
    "ledger.ProblemEvent": Entry(
        ("actor_name", "note"),
        _("办理记录的操作人账号和说明"),
        _("问题详情的办理记录显示全文"),
        _FOREVER,
        roles=policy.ANY_ROLE,
        readers_note=_("可见该问题的用户"),
    ),
    "activities.Visit": Entry(
        ("notes",),
        _("走访记录(可能含群众个人情况)"),
        _("走访页面显示全文"),
        _FOREVER,
        roles=policy.ANY_ROLE,
        readers_note=_IN_SCOPE,
    ),
    "supervision.GroupMember": Entry(
        ("name",),
        _("指导组成员姓名"),
        _("指导组页面显示全名"),
        _FOREVER,
        roles=policy.ANY_ROLE,
        readers_note=_IN_SCOPE,
    ),
    "catalogues.Commendation": Entry(
        ("name",),
        _("受表彰人员姓名(公开表彰)"),
        _("表彰目录显示全名"),
        _FOREVER,
        roles=policy.ANY_ROLE,
        readers_note=_IN_SCOPE,
    ),
    "auth.User": Entry(
        ("username", "first_name", "last_name", "email"),
        _("用户账号、姓名、电子邮箱"),
        _("页面显示账号和姓名;后台显示全部"),
        _("账号存续期间"),
        duty=Duty.SYSTEM,
    ),
    "core.AuditEvent": Entry(
        ("actor_name", "ip", "detail"),
        _("审计记录的操作人账号、来源 IP 地址、说明"),
        _("审计页面显示全文"),
        _("至少保存 180 天,到期归档而不删除"),
        duty=Duty.AUDIT,
    ),
    "core.RateLimitHit": Entry(
        ("key",),
        _("公开表单提交者的 IP 地址(限流计数)"),
        _("不在任何页面显示"),
        _("限流时间窗口(MINQING_PUBLIC_RATE_WINDOW 秒)过后清除"),
        readers_note=_("仅数据库管理员"),
    ),
    "sessions.Session": Entry(
        ("session_data",),
        _("登录会话(用户编号、登录状态)"),
        _("不在任何页面显示"),
        _("空闲超时(SESSION_COOKIE_AGE)后失效;过期行由 clearsessions 清除"),
        readers_note=_("仅数据库管理员"),
    ),
    "notify.Subscription": Entry(
        ("address",),
        _("订阅办理进展的反映人手机号或电子邮箱(加密保存)"),
        _("查询页只向持查询码者脱敏显示(139****3333);员工页面不显示"),
        _("随反映记录保存;退订后不再使用"),
        readers_note=_("仅持查询码者(脱敏)和消息发送任务"),
    ),
    "notify.StaffPreference": Entry(
        ("phone",),
        _("员工接收短信通知的手机号(加密保存)"),
        _("只在本人的“通知方式”页面显示"),
        _("账号存续期间"),
        readers_note=_("仅本人"),
    ),
    "notify.OutboxMessage": Entry(
        ("address", "body"),
        _("待发和已发消息的收件地址(加密保存)和正文"),
        _("不在任何页面显示"),
        _("发送完成(或放弃、取消)MINQING_OUTBOX_KEEP_DAYS 天后由消息任务删除"),
        readers_note=_("仅数据库管理员和消息发送任务"),
    ),
    "ledger.ResidentRating": Entry(
        ("comment",),
        _("反映人对办理结果的评价意见(可能含个人信息)"),
        _("问题详情页显示;公开查询页和问题清单不显示"),
        _FOREVER,
        roles=policy.ANY_ROLE,
        readers_note=_("可见该问题的用户"),
    ),
    "admin.LogEntry": Entry(
        ("object_repr", "change_message"),
        _("后台修改历史(可能含人员姓名)"),
        _("后台“历史”页面显示"),
        _FOREVER,
        duty=Duty.SYSTEM,
    ),
}

# names that suggest personal data, as whole words of a field name (``head_name`` -> name)
SUSPECT_TOKENS = frozenset(
    {
        "name",
        "phone",
        "mobile",
        "tel",
        "telephone",
        "address",
        "email",
        "mail",
        "ip",
        "caller",
        "birth",
        "birthday",
        "gender",
        "sex",
        "contact",
        "username",
        "idcard",
        "passport",
    }
)
_SUSPECT_RE = re.compile(r"id_?number|id_?card|ip_?addr")

# fields whose name looks personal but that hold none (names of units, categories, types ...)
NOT_PERSONAL = frozenset(
    {
        "auth.Permission.name",
        "otp_totp.TOTPDevice.name",  # the device's label ("authenticator"), not its owner's name
        "otp_static.StaticDevice.name",  # the recovery codes' label
        "auth.Group.name",
        "orgs.Unit.name",
        "orgs.Application.name",
        "campaigns.Campaign.name",
        "ledger.Category.name",
        "ledger.Category.full_name",
        "open311.ServiceAttributeValue.name",  # a choice's label
        "open311.ServiceRequest.address_id",  # a unit code
        "api.ApiKey.name",  # a key's label
        "api.IdempotentAnswer.caller",  # a digest of the credential
        "activities.ActivityType.name",
        "activities.RollupState.name",
        "ledger.ProblemRollupState.name",  # the rollup's name ("problems")
        "supervision.GuidanceGroup.name",
        "programmes.Programme.name",
        "programmes.Target.name",
        "catalogues.PowerItem.name",
        # random names of a photo's files in the photos storage (the photos themselves carry no
        # metadata, and reach the public only once staff approve them: docs/photos.md)
        "photos.Photo.original_name",
        "photos.Photo.display_name",
        "photos.Photo.thumb_name",
    }
)


def is_suspect(name: str) -> bool:
    return bool(SUSPECT_TOKENS.intersection(name.lower().split("_"))) or bool(_SUSPECT_RE.search(name))


def undeclared_fields() -> list[str]:
    """Concrete fields of installed models that look personal and are declared nowhere."""
    declared = {f"{label}.{f}" for label, e in PERSONAL.items() for f in e.fields} | NOT_PERSONAL
    out = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            key = f"{model._meta.label}.{f.name}"
            if is_suspect(f.name) and key not in declared:
                out.append(key)
    return out


def _readers(e: Entry) -> str:
    parts = []
    if e.roles:
        parts.append("、".join(str(label) for value, label in Role.choices if value in e.roles))
    if e.duty:
        parts.append(str(Duty(e.duty).label))
    if e.readers_note:
        parts.append(str(e.readers_note))
    return ";".join(parts)


@dataclass
class FieldRow:
    model: str
    table: str
    column: str
    kind: str
    encrypted: bool
    shown: str
    readers: str
    retention: str
    rows: int


@dataclass
class FileRow:
    path: str
    bytes: int
    what: str


@dataclass
class Report:
    fields: list[FieldRow] = field(default_factory=list)
    files: list[FileRow] = field(default_factory=list)
    key_source: str = ""
    key_count: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "fields": [vars(r) for r in self.fields],
            "files": [vars(r) for r in self.files],
            "keys": {"source": self.key_source, "count": self.key_count},
        }


_FILES: list[tuple[str, Text]] = [
    ("huey.sqlite3*", _("任务队列(截止期提醒等任务):不含个人信息")),
    ("*.sqlite3*", _("数据库文件(SQLite):含上列全部表,加密字段为密文")),
    ("field_keys", _("字段加密密钥(未设置 MINQING_FIELD_KEYS 时使用):能解开上列加密字段")),
    ("*archive*", _("审计归档:操作人账号、IP 地址")),
    ("staticfiles", _("静态文件:不含个人信息")),
]


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def var_files(var_dir: Path) -> list[FileRow]:
    rows = []
    for path in sorted(var_dir.iterdir()) if var_dir.is_dir() else []:
        what = next((str(w) for pat, w in _FILES if path.match(pat)), gettext("未登记:请核查是否含个人信息"))
        rows.append(FileRow(str(path), _size(path), what))
    return rows


def report() -> Report:
    out = Report()
    for label, e in PERSONAL.items():
        try:
            model = apps.get_model(label)
        except LookupError:  # an app not installed
            continue
        count = model._default_manager.count()
        for name in e.fields:
            f = model._meta.get_field(name)
            out.fields.append(
                FieldRow(
                    model=label,
                    table=model._meta.db_table,
                    column=str(getattr(f, "column", name)),
                    kind=str(e.kind),
                    encrypted=isinstance(f, EncryptedCharField),
                    shown=str(e.shown),
                    readers=_readers(e),
                    retention=str(e.retention),
                    rows=count,
                )
            )
    out.files = var_files(Path(settings.VAR_DIR))
    env_keys = [k for k in settings.MINQING_FIELD_KEYS if k.strip()]
    out.key_source = "MINQING_FIELD_KEYS" if env_keys else str(settings.MINQING_FIELD_KEYS_FILE)
    out.key_count = len(crypto.configured_keys())
    return out
