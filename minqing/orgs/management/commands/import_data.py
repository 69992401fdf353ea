"""``minqing import KIND FILE`` (``manage.py import_data KIND FILE``)."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minqing.core.errors import DomainError, ErrorCode
from minqing.core.importing import IMPORTERS, ImportFailed, get_importer
from minqing.core.importing.audited import refuse_import
from minqing.orgs.actors import SYSTEM, Actor

HELP = gettext_lazy(
    "导入 Excel(.xlsx)或 CSV(UTF-8 或 GBK)文件。第 1 行为表头,可用中文表头或英文别名。"
    "先检查全部行:有任何错误时逐条列出(第几行、哪一列、原因)并不导入任何数据;"
    "没有错误时在一个事务中写入,重复导入同一文件不会产生变化。"
    "units:单位格式(单位代码, 名称, 类别, 上级单位代码, 可选 是否有党组织、党组织类别)"
    "或统计局区划代码文件(code, name, level, parent_code)。"
    "区划单位(省至村级)须用 12 位统计用区划代码,上级须为代码对应的上一级;"
    "上级代码为 150000000000(内蒙古自治区)而文件和系统中都没有该单位时,自动建立该自治区为根单位,"
    "其他找不到的上级单位报错。"
    "problems:问题格式(问题编号, 专题名称, 来源, 渠道, 标题, 内容, 所属单位代码, 责任单位代码, 登记时间, "
    "是否突出问题, 认领人员编号, 是否必解问题, 状态, 办结时间, 办结方式, 整改措施, 满意度);"
    "每行按登记时间、办结时间生成办理记录;问题编号已存在且内容相同的行不变,内容不同的行报错。"
)
HELP_STUDY = gettext_lazy(
    "campaigns:专题名称, 类型, 范围单位代码, 开始日期, 结束日期。"
    "people:人员编号, 姓名, 所属单位代码, 职级, 是否党员, 职务。"
    "activities:活动编号, 专题名称, 活动类型, 组织单位代码, 开始时间, 结束时间, 标题, "
    "参加人数(仅限没有签到名单的活动)。"
    "attendance:活动编号, 人员编号, 签到时间。格式详见 docs/import-formats.md。"
)


HELP_MORE = gettext_lazy(
    "progress:项目名称, 单位代码, 指标, 方式, 日期, 在建, 完工, 投入资金(万元)(累计数)。"
    "powers:部门代码, 权力类别, 事项名称, 设定依据;"
    "reforms:部门代码, 举措名称, 是否重点, 状态, 成果日期, 成果内容;"
    "commendations:单位代码, 姓名, 荣誉称号, 表彰日期, 可选 表彰决定日期(清单类键相同的行更新已有记录)。"
    "--user 用户名:以该用户的身份导入,只能写入其管辖范围内的单位,审计记录记该用户;不加时以系统身份导入。"
)


def active_user(username: str | None) -> Actor:
    """The active user named ``username``; ``SYSTEM`` when no name is given."""
    if not username:
        return SYSTEM
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise DomainError(ErrorCode.IMPORT_UNKNOWN_USER, value=username)
    return user


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # translated when asked, not at import
        return f"{HELP} {HELP_STUDY} {HELP_MORE}"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS), help=_("导入的数据类型"))
        parser.add_argument("file", help=_(".xlsx 或 .csv 文件"))
        parser.add_argument("--no-progress", action="store_true", help=_("不显示进度条"))
        parser.add_argument("--user", help=_("以该用户的身份导入(按其管辖范围检查权限,审计记录记该用户)"))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        importer = get_importer(options["kind"])
        progress = not options["no_progress"] and self.stderr.isatty()
        try:
            actor = active_user(options.get("user"))
        except DomainError as exc:
            refuse_import(options["kind"], path.name, actor=SYSTEM, code=exc.code)
            raise CommandError(exc.bilingual()) from exc
        try:
            result = importer(path, actor=actor, progress=progress)
        except ImportFailed as exc:
            for item in exc.issues:
                self.stderr.write(item.bilingual())
            raise CommandError(
                DomainError(ErrorCode.IMPORT_FAILED, name=path.name, count=len(exc.issues)).bilingual()
            ) from exc
        except DomainError as exc:
            raise CommandError(exc.bilingual()) from exc
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(self.style.SUCCESS(result.summary()))
