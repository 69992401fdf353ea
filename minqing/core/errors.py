"""Domain errors: an enum of codes, each with a Chinese message and its English translation."""

from enum import Enum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override


class ErrorCode(Enum):
    PERMISSION_DENIED = _("无权操作该单位或其下级单位的数据")
    UNIT_NOT_FOUND = _("找不到单位代码 {code}")
    PERSON_NUMBER_TAKEN = _("人员编号“{value}”已存在")
    HOUSEHOLD_NUMBER_TAKEN = _("网格 {grid} 下已有户号“{value}”")
    NOT_A_GRID = _("单位 {code} 不是网格(村民小组/社区网格),户只能建在网格下")
    ASSIGNMENT_ONE_TARGET = _("联系分工必须且只能指定一个联系单位或一个联系户")
    BAD_DATE_RANGE = _("结束日期不能早于开始日期")
    LOGIN_LOCKED = _("登录失败次数过多,账号已被锁定,请 {minutes} 分钟后再试,或联系管理员。")
    LOGIN_THROTTLED = _("此地址登录失败次数过多,已暂停登录,请 {minutes} 分钟后再试,或联系管理员。")
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
    IMPORT_UNSUPPORTED_FILE = _("不支持的文件类型“{value}”,请使用 .xlsx 或 .csv 文件")
    IMPORT_EMPTY_FILE = _("文件是空的,第 1 行应为表头")
    IMPORT_FORMULA_CELL = _("单元格是公式,请粘贴为数值后再导入")
    IMPORT_TOO_MANY_ROWS = _("文件 {path} 超过 {max} 行,请拆分为多个文件后再导入")
    IMPORT_TOO_LARGE = _("文件 {path} 过大(超过 {max} MB,xlsx 按解压后的大小计),请拆分为多个文件后再导入")
    IMPORT_MISSING_COLUMN = _("缺少必需的列")
    IMPORT_DUPLICATE_COLUMN = _("与第 {first} 列“{other}”重复")
    IMPORT_TOO_LONG = _("“{value}”超过 {max} 个字符")
    IMPORT_BAD_UNIT_CODE = _("单位代码“{value}”格式不正确:只能由字母、数字和 - _ . 组成,不超过 32 个字符")
    IMPORT_BAD_DIVISION_CODE = _("区划单位的代码“{value}”应为 12 位数字的统计用区划代码")
    IMPORT_CODE_KIND_MISMATCH = _("区划代码“{value}”是{actual}代码,与类别“{kind}”不符")
    IMPORT_TERRITORIAL_PARENT = _("区划代码 {unit} 的上级单位应为 {expected},而不是“{value}”")
    IMPORT_PROVINCE_PARENT = _("省级单位不应填写上级单位代码(填了“{value}”)")
    IMPORT_PARENT_REQUIRED = _("除省级单位外,必须填写上级单位代码")
    IMPORT_PARENT_CYCLE_AT = _("上级单位关系形成循环:{chain}")
    IMPORT_BAD_YES_NO = _("“{value}”应为“是”或“否”")
    IMPORT_UNKNOWN_PARTY_CATEGORY = _("无法识别的党组织类别“{value}”")
    IMPORT_PARTY_CATEGORY_WITHOUT_ORG = _("“是否有党组织”为“否”时不能填写党组织类别“{value}”")
    IMPORT_DIVISION_CODE_TAKEN = _("区划代码“{value}”已被系统中的单位 {other} 使用")
    IMPORT_WRITE_FAILED = _("写入数据库失败,未导入任何数据:{reason}")
    IMPORT_FAILED = _("{name} 中有 {count} 处错误,未导入任何数据")
    IMPORT_UNKNOWN_UNIT = _("找不到单位代码“{value}”")
    IMPORT_UNKNOWN_CAMPAIGN = _("专题“{value}”不存在")
    IMPORT_UNKNOWN_USER = _("用户“{value}”不存在或已停用")
    IMPORT_UNKNOWN_PERSON = _("人员编号“{value}”不存在")
    IMPORT_BAD_DATETIME = _("“{value}”不是有效的日期或时间(可写 2019-09-01、2019/9/1 或 2019-09-01 10:30)")
    IMPORT_RESOLVED_BEFORE_REGISTERED = _("办结时间“{value}”早于登记时间 {registered}")
    IMPORT_REQUIRED_FOR_STATE = _("状态为“{state}”时必须填写")
    IMPORT_NOT_FOR_STATE = _("状态为“{state}”时不应填写“{value}”")
    IMPORT_CHANNEL_REQUIRED = _("来源为“{source}”时必须填写渠道(来信、来访、来电或网络)")
    IMPORT_DUPLICATE_NUMBER = _("问题编号“{value}”在文件中重复(第 {first} 行已出现)")
    IMPORT_NUMBER_EXISTS_DIFFERENT = _(
        "问题编号“{value}”已存在且内容不同(不同的列:{columns});导入不修改已有问题"
    )
    TRANSITION_NOT_ALLOWED = _("问题当前状态为“{state}”,不能执行“{action}”")
    TRANSITION_ROLE = _("您的角色不能对该问题执行“{action}”")
    TRANSITION_STALE = _("该问题已被他人处理,请刷新后重试")
    TRANSITION_MISSING = _("缺少必填项:{field}")
    TRANSITION_BAD_VALUE = _("“{field}”的取值不正确:{value}")
    MERGE_TARGET = _("不能合并到该问题:{reason}")
    ALREADY_CLAIMED = _("该问题已由 {leader} 认领")
    MODERATION_BAD = _("公开审核:{reason}")
    EXTENSION_TOO_LONG = _("延期不能超过 {limit} 个工作日(已延期 {used} 个工作日)")
    EXTENSION_NONE_PENDING = _("没有待审批的延期申请")
    TRACKING_CODE_UNKNOWN = _("查询码不存在")
    # residents' messages and ratings (minqing/notify, docs/notifications.md)
    NOTIFY_BAD_PHONE = _("手机号“{value}”格式不正确,请填写 11 位手机号")
    NOTIFY_BAD_EMAIL = _("电子邮箱“{value}”格式不正确")
    NOTIFY_NO_EMAIL = _("您的账号没有电子邮箱,请先请管理员登记邮箱")
    NOTIFY_NO_PHONE = _("选择短信通知时须填写手机号")
    RATING_NOT_RESOLVED = _("问题办结后才能评价办理结果")
    RATING_DONE = _("本次办理结果已经评价过了")
    RATING_REJECTED_SATISFIED = _("问题未解决时,请选择“不满意”")
    ACTIVITY_HEADCOUNT_ONLY = _("该活动按参加人数登记,没有签到名单")
    ACTIVITY_CODE_UNKNOWN = _("签到码不存在")
    PERSON_NUMBER_UNKNOWN = _("人员编号不存在")
    RATE_LIMITED = _("提交过于频繁,请稍后再试")
    SUBMIT_BUSY = _("系统正忙,您的反映未能保存,也没有生成查询码。请稍等片刻后重新提交(填写的内容仍在下方)。")
    VISIT_ONE_TARGET = _("走访必须且只能指定一个户或一个联系点")
    VISIT_FUTURE_DATE = _("走访日期“{value}”晚于今天")
    WORKPLAN_STATE = _("工作方案当前状态为“{state}”,不能{action}")
    WORKPLAN_OPEN_EXISTS = _("该单位已报送本专题的工作方案(状态:{state}),退回后才能重新报送")
    WORKPLAN_COMMENTS_REQUIRED = _("退回修改时必须填写审核意见")
    # catalogues
    CATALOGUE_POWER_EXISTS = _("{unit} 已有“{category}”类权力事项“{name}”")
    CATALOGUE_REFORM_EXISTS = _("{unit} 已有改革举措“{title}”")
    CATALOGUE_RESULT_EXISTS = _("该改革举措在 {date} 已记录相同的改革成果")
    CATALOGUE_COMMENDATION_EXISTS = _("{unit} 的 {name} 已于 {date} 获“{title}”表彰")
    CATALOGUE_DECIDED_AFTER_DATE = _("表彰决定日期“{value}”晚于表彰日期 {date}")
    CATALOGUE_PERSON_NAME_MISMATCH = _("姓名“{value}”与人员编号 {number} 的姓名“{name}”不一致")
    CATALOGUE_ROWS_DISAGREE = _("同一改革举措的各行应一致:“{value}”与第 {first} 行的“{other}”不同")
    CATALOGUE_RESULT_INCOMPLETE = _("成果日期和成果内容须同时填写")
    CATALOGUE_UPLOAD_TOO_LARGE = _("上传的文件超过 {max} MB")
    # photos on reports and staff updates (minqing/photos, docs/photos.md)
    PHOTO_TOO_MANY = _("最多上传 {max} 张照片,您选择了 {count} 张")
    PHOTO_TOO_LARGE = _("照片“{name}”超过 {max} MB,请压缩后再上传")
    PHOTO_NOT_IMAGE = _("“{name}”不是可识别的图片,只接受 JPEG、PNG、WebP 格式的照片")
    PHOTO_TOO_MANY_PIXELS = _("照片“{name}”的像素过多(超过 {max} 万像素),请缩小后再上传")
    PHOTO_EVENT_NOT_PUBLIC = _("该办理记录不公开,其照片不能公开展示")
    # supervision
    SUPERVISION_OUTSIDE_GROUP = _("单位 {code} 不在指导组“{group}”的联系范围内")
    SUPERVISION_ASSIGNED_OUTSIDE = _("联系单位 {code} 不在派出单位“{unit}”及其下级单位之中")
    SUPERVISION_CAMPAIGN_SCOPE = _("派出单位“{unit}”与专题“{campaign}”的范围无关")
    SUPERVISION_BAD_ROUND = _("轮次应为 1 到 {max} 之间的整数(轮次不能跳号)")
    SUPERVISION_FUTURE_DATE = _("督导日期“{value}”晚于今天")
    SUPERVISION_RECORDS_REQUIRED = _("调阅时请至少选择一类资料:会议记录、讲稿或音视频资料")
    SUPERVISION_RECORDS_NOT_CHECK = _("只有督导方式为“调阅”时才能选择调阅的资料")
    SUPERVISION_FINDING_EMPTY = _("第 {n} 条督导发现的问题没有内容")
    SUPERVISION_GROUP_NAME_TAKEN = _("专题“{campaign}”中已有名为“{name}”的指导组")
    SUPERVISION_ONE_LEADER = _("一个指导组只能有一名组长")
    SUPERVISION_MEMBER_TWICE = _("“{name}”在指导组成员中重复出现")
    SUPERVISION_BAD_KIND = _("无法识别的督导方式“{value}”")
    # administrator duties (三员分立)
    DUTY_SELF = _("不能为自己授予或撤销角色、管理职责或账号权限")
    DUTY_ONE_PER_ACCOUNT = _("账号“{user}”已担任{duty},每个账号只能担任一种管理职责")
    DUTY_OTHER_ADMIN = _("系统管理员不能修改管理员或超级用户“{user}”的账号")
    DUTY_USERNAME_TAKEN = _("用户名“{value}”已存在")
    # programmes
    PROGRAMME_NAME_TAKEN = _("已有名为“{value}”的项目")
    PROGRAMME_UNKNOWN = _("项目“{value}”不存在")
    PROGRAMME_OTHER = _("项目名称“{value}”与正在上传的项目“{programme}”不符")
    PROGRAMME_TARGET_KEY_TAKEN = _("项目中已有指标代码“{value}”")
    PROGRAMME_TARGET_NAME_TAKEN = _("项目中已有名为“{value}”的指标")
    PROGRAMME_BAD_TARGET_KEY = _("指标代码“{value}”只能由小写字母、数字和下划线组成,并以字母开头")
    PROGRAMME_UNKNOWN_TARGET = _("项目中没有代码或名称为“{value}”的指标")
    PROGRAMME_MODE_REQUIRED = _("指标“{target}”按方式填报,须填写方式({modes})")
    PROGRAMME_UNKNOWN_MODE = _("方式“{value}”不是指标“{target}”的方式(可填:{modes})")
    PROGRAMME_NO_MODES = _("指标“{target}”不分方式,方式应留空(填了“{value}”)")
    PROGRAMME_MODE_IN_USE = _("方式“{value}”已有分解计划或进度报告,不能删除")
    PROGRAMME_BAD_NUMBER = _("“{value}”应为不小于 0 的数,最多 {places} 位小数")
    PROGRAMME_FUTURE_DATE = _("进度日期“{value}”晚于今天")
    PROGRAMME_BEFORE_START = _("进度日期“{value}”早于项目开始日期 {start}")
    PROGRAMME_UNIT_OUTSIDE = _("单位“{value}”不在项目单位“{owner}”及其下级单位之中")
    PROGRAMME_PLAN_OVER = _("{unit}{mode}的下级计划数之和 {children} 超过其计划数 {plan}")
    PROGRAMME_DUPLICATE_ROW = _("与第 {first} 行的单位、指标、方式和日期相同")
    PROGRAMME_MODE_PLANS_OVER = _("{unit}各方式的计划数之和 {moded} 超过其计划数 {plan}")
    PROGRAMME_MODES_AFTER_REPORTS = _("该指标已有不分方式的进度报告,不能再改为按方式填报")
    # reports (bulletins)
    BULLETIN_UNKNOWN_METRIC = _(
        "占位符“{{{name}}}”不是已登记的统计指标(可用 {{unit}}、{{as_of}}、{{campaign}} 或统计指标编号)"
    )
    BULLETIN_BAD_PLACEHOLDER = _(
        "占位符“{{{name}}}”格式不正确:应为统计指标编号(小写字母、数字、下划线和点),"
        "可加“:万”,或加“|值为0时的文字|其他时的文字”"
    )
    BULLETIN_UNBALANCED_BRACE = _(
        "第 {line} 行第 {column} 个字符的花括号“{brace}”没有配对;字面的花括号请写成 {{{{ 或 }}}}"
    )
    BULLETIN_BAD_DATE = _("日期“{value}”不正确,应写成 YYYY-MM-DD,如 2019-12-20")
    BULLETIN_NO_CAMPAIGN = _("{date} 没有覆盖单位“{unit}”的正在开展的专题,请指定专题")
    BULLETIN_NO_TEMPLATE = _("“{kind}”类专题还没有简报模板,请先新建模板")
    BULLETIN_FUTURE_DATE = _("截止日期 {value} 晚于今天,不能发布简报")
    BULLETIN_NOTES_TOO_LONG = _("简报说明共 {length} 个字符,超过上限 {max} 个字符")
    BULLETIN_PDF_UNAVAILABLE = _(
        "无法生成 PDF:本机缺少 WeasyPrint 所需的系统库(如 pango),请安装后重试,或下载 DOCX。原因:{reason}"
    )

    # nlp (category suggestion)
    NLP_BAD_HEADER = _("文件 {path} 的表头应为“title,label”或“detail,label”,实际为“{header}”")
    NLP_BAD_COLUMNS = _("文件 {path} 第 {line} 行有 {count} 列,应为 2 列")
    NLP_EMPTY_LABEL = _("文件 {path} 第 {line} 行的标签为空")
    NLP_EMPTY_FILE = _("文件 {path} 没有数据行")
    NLP_BAD_MODEL = _("无法加载模型 {path}:{reason}")
    NLP_TOO_FEW_CATEGORIES = _("训练数据只有 {count} 条、{classes} 个分类,至少需要 2 个分类")
    # nlp (duplicates, hot topics)
    NLP_CSV_HEADER = _("文件 {path} 的表头应为“{expected}”,实际为“{header}”")
    NLP_CSV_COLUMNS = _("文件 {path} 第 {line} 行有 {count} 列,应为 {expected} 列")
    NLP_EMPTY_ID = _("文件 {path} 第 {line} 行的编号为空")
    NLP_REPEATED_ID = _("文件 {path} 第 {line} 行的编号“{value}”与前面的行重复")
    NLP_BAD_TIME = _("文件 {path} 第 {line} 行的时间“{value}”无法识别,应写成如 2019/2/28 11:25:05")
    NLP_BAD_COUNT = _("文件 {path} 第 {line} 行的{column}“{value}”不是非负整数")
    NLP_BAD_TOP = _("--top 应为正整数,实际为 {value}")

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

    def bilingual(self) -> str:
        """The message in the active language (Chinese by default), then in English."""
        text = self.message
        with override("en"):
            english = self.message
        return text if english == text else f"{text} ({english})"

    def __str__(self) -> str:
        return self.message


class PermissionDeniedError(DomainError):
    def __init__(self, **params: Any) -> None:
        super().__init__(ErrorCode.PERMISSION_DENIED, **params)
