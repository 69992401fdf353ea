from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("成员")


class InspectionKind(models.TextChoices):
    SIT_IN_MEETING = "sit_in_meeting", _("列席会议")
    SIT_IN_STUDY = "sit_in_study", _("随堂听课")
    PLAN_REVIEW = "plan_review", _("审核把关")
    SPOT_CHECK = "spot_check", _("随机抽查")
    UNANNOUNCED_VISIT = "unannounced_visit", _("明察暗访")
    RECORDS_CHECK = "records_check", _("调阅")


# the records a records check (调阅) looks at: model field -> label
RECORD_FLAGS = {
    "checked_minutes": _("会议记录"),
    "checked_scripts": _("讲稿"),
    "checked_media": _("音视频资料"),
}
