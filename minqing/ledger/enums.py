from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    CALL = "call", _("来电")
    ONLINE = "online", _("网络")


class Source(models.TextChoices):
    PUBLIC = "public", _("群众反映")
    SELF_INSPECTION = "self_inspection", _("自我检视")
    PETITION_BACKLOG = "petition_backlog", _("信访积案")
    SUPERVISION = "supervision", _("督导发现")
    RESEARCH = "research", _("调研发现")


class State(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ASSIGNED = "assigned", _("已交办")
    ACCEPTED = "accepted", _("已受理")
    RECTIFYING = "rectifying", _("整改中")
    RESOLVED = "resolved", _("已办结")
    CLOSED = "closed", _("已销号")
    RETURNED = "returned", _("已退回")
    MERGED = "merged", _("已合并")


OPEN_STATES = (State.REGISTERED, State.ASSIGNED, State.ACCEPTED, State.RECTIFYING, State.RETURNED)
DONE_STATES = (State.RESOLVED, State.CLOSED)


class Moderation(models.TextChoices):
    """Whether a problem may be on the public list (晒出来): staff check it first
    (``services/moderation.py``)."""

    PENDING = "pending", _("待审核公开")
    APPROVED = "approved", _("已审核公开")
    PRIVATE = "private", _("不公开")


class ResolutionKind(models.TextChoices):
    ON_THE_SPOT = "on_the_spot", _("立行立改")
    RECTIFIED = "rectified", _("限期整改")
    EXPLAINED = "explained", _("解释说明")
    TRANSFERRED = "transferred", _("转办")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class Action(models.TextChoices):
    """Workflow actions; each is a row of the transition table in ``services/workflow.py``."""

    REGISTER = "register", _("登记")
    ASSIGN = "assign", _("交办")
    ACCEPT = "accept", _("受理")
    RETURN = "return", _("退回")
    CLAIM = "claim", _("领导认领")
    START = "start", _("开始整改")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    GRANT_EXTENSION = "grant_extension", _("批准延期")
    DENY_EXTENSION = "deny_extension", _("不批准延期")
    RESOLVE = "resolve", _("办结")
    CLOSE = "close", _("核实销号")
    CALLBACK = "callback", _("回访")
    REOPEN = "reopen", _("重新整改")
    MERGE = "merge", _("合并")
    NOTE = "note", _("备注")
    OVERDUE = "overdue", _("逾期")
    ESCALATE = "escalate", _("上报上级")
    MODERATE = "moderate", _("公开审核")
