"""Forms of the ledger pages: intake by a clerk, the public online form, one small form per action.

Forms validate and turn input into the arguments of the services in
``minqing.ledger.services``; they never write.
"""

import re
import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minqing.core.forms import UNIT_NOT_FOUND
from minqing.core.paths import prefix_q
from minqing.core.text import PlainCharField
from minqing.ledger import places, selectors
from minqing.ledger.enums import Action, Channel, ResolutionKind, Satisfaction, Urgency
from minqing.ledger.models import Category, Problem
from minqing.ledger.services.intake import ChannelDetails, Reporter
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.models import RoleAssignment, Unit
from minqing.orgs.selectors import resolve_unit

PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{4,18}[0-9]$")
ID_RE = re.compile(r"^([0-9]{15}|[0-9]{17}[0-9Xx])$")
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def new_token() -> str:
    return uuid.uuid4().hex


def _clean_phone(value: str) -> str:
    value = value.strip()
    if value and not PHONE_RE.match(value):
        raise forms.ValidationError(_("请填写正确的电话号码(只含数字、空格、- 和开头的 +)"))
    return value


def _unit_label(u: Unit) -> str:
    return f"{'  ' * max(0, u.depth - 1)}{u.name}({u.code})"


class TokenField(forms.CharField):
    """The hidden idempotency token: a double submit of one form page creates one feedback."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=forms.HiddenInput, required=False, max_length=32, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return value if TOKEN_RE.match(value or "") else ""


class IntakeForm(forms.Form):
    """A clerk records a letter, a visit or a call (the channel comes from the URL)."""

    title = PlainCharField(label=_("标题"), max_length=200)
    content = PlainCharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 5}))
    unit_code = forms.CharField(
        label=_("反映对象单位代码"),
        max_length=32,
        required=False,
        help_text=_("填写单位代码,或在下面选择"),
    )
    unit = forms.ChoiceField(label=_("或选择单位"), required=False)
    place = PlainCharField(label=_("地点"), max_length=200, required=False)
    category = forms.ModelChoiceField(
        label=_("分类"), queryset=Category.objects.all(), required=False, empty_label=_("(不选)")
    )
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    letter_date = forms.DateField(
        label=_("来信日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    address = PlainCharField(label=_("来信地址"), max_length=200, required=False)
    visitors = forms.IntegerField(label=_("来访人数"), min_value=1, max_value=9999, required=False)
    group_visit = forms.BooleanField(label=_("集体访"), required=False)
    caller = forms.CharField(label=_("来电号码"), max_length=20, required=False)
    name = PlainCharField(label=_("反映人姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    anonymous = forms.BooleanField(label=_("匿名反映(不记录反映人信息)"), required=False)
    merge_number = forms.CharField(
        label=_("合并到已有问题"),
        max_length=32,
        required=False,
        help_text=_("同一事项已登记过时,填写已有问题的编号"),
    )
    token = TokenField()

    CHANNEL_FIELDS: dict[str, tuple[str, ...]] = {
        Channel.LETTER: ("letter_date", "address"),
        Channel.VISIT: ("visitors", "group_visit"),
        Channel.CALL: ("caller",),
    }
    ALL_CHANNEL_FIELDS = ("letter_date", "address", "visitors", "group_visit", "caller")

    def __init__(self, *args: Any, actor: Actor, channel: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.channel = channel
        units = selectors.intake_units(actor)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = [("", _("(请选择)")), *((str(u.pk), _unit_label(u)) for u in units)]
        own = self.CHANNEL_FIELDS.get(channel, ())
        for name in self.ALL_CHANNEL_FIELDS:
            if name not in own:
                del self.fields[name]
        if channel == Channel.LETTER:
            self.fields["letter_date"].required = True
        if channel == Channel.VISIT:
            self.fields["visitors"].initial = 1

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("phone", ""))

    def clean_caller(self) -> str:
        return _clean_phone(self.cleaned_data.get("caller", ""))

    def clean_id_number(self) -> str:
        value = self.cleaned_data.get("id_number", "").strip()
        if value and not ID_RE.match(value):
            raise forms.ValidationError(_("身份证号应为 15 位数字,或 17 位数字加 1 位数字或 X"))
        return value.upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        code, pk = (data.get("unit_code") or "").strip(), data.get("unit") or ""
        unit: Unit | None = None
        if code:
            lookup = resolve_unit(self.actor, code, policy.INTAKE)
            unit = lookup.unit
            if unit is None:
                self.add_error("unit_code", lookup.error or UNIT_NOT_FOUND)
        elif pk:
            unit = Unit.objects.filter(pk=pk).first()
            if unit is None or not policy.has_role(self.actor, policy.INTAKE, unit.path):
                self.add_error("unit", _("该单位不在您的管辖范围内"))
                unit = None
        else:
            self.add_error("unit_code", _("请填写单位代码或选择单位"))
        data["unit_obj"] = unit
        number = (data.get("merge_number") or "").strip()
        data["merge_into"] = None
        if number:
            target = selectors.problem_for_merge(self.actor, number)
            if target is None:
                self.add_error("merge_number", _("找不到该问题编号,或该问题已被合并"))
            data["merge_into"] = target
        return data

    def reporter(self) -> Reporter:
        d = self.cleaned_data
        return Reporter(
            name=d.get("name", "").strip(),
            phone=(d.get("phone") or d.get("caller") or "").strip(),
            id_number=d.get("id_number", ""),
            address=d.get("address", "").strip(),
        )

    def details(self) -> ChannelDetails:
        d = self.cleaned_data
        return ChannelDetails(
            letter_date=d.get("letter_date"),
            visitors=d.get("visitors"),
            group_visit=bool(d.get("group_visit")),
        )


class PublicSubmitForm(forms.Form):
    """The online form (网络): no login. The place is picked in the cascade (``county``,
    ``township``, ``village``: minqing.ledger.places, rendered by the page), or from a search's
    results (``unit``), or typed in the search box as a unit code (``unit_code``)."""

    title = PlainCharField(label=_("标题"), max_length=100)
    content = PlainCharField(label=_("反映内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    unit_code = forms.CharField(
        label=_("查找所在地(乡镇、街道、村、社区的名称或单位代码)"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}),
    )
    unit = forms.CharField(widget=forms.HiddenInput, max_length=32, required=False)
    name = PlainCharField(
        label=_("姓名(选填)"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("联系电话(选填)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
    )
    anonymous = forms.BooleanField(label=_("匿名反映"), required=False)
    token = TokenField()

    KEPT = ("title", "content", "unit_code", "unit", "name", "phone", "anonymous", "token")

    @classmethod
    def kept(cls, data: Any, unit: Unit | None) -> "PublicSubmitForm":
        """An unbound form holding what was typed (a search or a step down the cascade: nothing
        is checked or stored yet), with ``unit`` the place picked so far."""
        initial = {f: data.get(f, "") for f in cls.KEPT}
        initial["anonymous"] = bool(data.get("anonymous"))
        initial["unit"] = unit.code if unit is not None else ""
        initial["token"] = initial["token"] or new_token()
        return cls(initial=initial)

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        picked = places.cascade_choice(self.data) or places.unit_by_code(data.get("unit") or "")
        typed = (data.get("unit_code") or "").strip()
        typed_unit = places.unit_by_code(typed) if typed else None
        unit = picked or typed_unit
        if picked is not None and typed_unit is not None and not picked.path.startswith(typed_unit.path):
            # a code typed to search (a county's 150902, then a village picked under it) is no conflict
            self.add_error(
                "unit_code", _("查找框中的单位代码与所选地点不一致:请点“查找”重新选择,或清空查找框")
            )
        elif unit is None and typed:
            found = places.search(typed, limit=2)
            unit = places.unit_by_code(found[0].code) if len(found) == 1 else None
            if unit is None and found:
                self.add_error(
                    "unit_code", _("有多个地点符合“{text}”:请点“查找”,在结果中选择").format(text=typed)
                )
            elif unit is None:
                self.add_error("unit_code", _("找不到该单位代码(只能选择省、市、旗县、乡镇街道、村社区)"))
        elif unit is None:
            self.add_error("unit_code", _("请选择所在地,或填写单位代码"))
        data["unit_obj"] = unit
        return data

    def reporter(self) -> Reporter:
        d = self.cleaned_data
        return Reporter(name=d.get("name", "").strip(), phone=d.get("phone", ""))


# --- action forms ---------------------------------------------------------------------------


class ActionForm(forms.Form):
    """Base of the forms on a problem's page; ``params()`` gives the service's keyword arguments."""

    action: str = ""
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(label=_("说明"), max_length=2000, required=False, widget=forms.TextInput())
    # the step may show on the public tracking page; its note only when this is ticked
    public = forms.BooleanField(
        label=_("公开"), required=False, help_text=_("勾选后,说明在公开查询页显示,并通知关注此问题的群众")
    )

    def __init__(self, *args: Any, actor: Actor, problem: Problem, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.action)
        kwargs.setdefault("initial", {"expected_version": problem.version})
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.problem = problem

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"note": self.cleaned_data.get("note", "")}
        if "public" in self.fields:
            out["public"] = bool(self.cleaned_data.get("public"))
        return out


class SimpleActionForm(ActionForm):
    pass


class InternalActionForm(ActionForm):
    """A step that never shows on the public timeline: its note is internal, no 公开 box."""

    public = None  # type: ignore[assignment]


class DenyExtensionForm(InternalActionForm):
    action = Action.DENY_EXTENSION


class AssignForm(ActionForm):
    action = Action.ASSIGN
    unit_code = forms.CharField(label=_("责任单位代码"), max_length=32)
    due_date = forms.DateField(
        label=_("办理期限(选填)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    owner = forms.CharField(label=_("承办人账号(选填)"), max_length=150, required=False)
    # an online report or a call arrives without one: the dispatcher settles it when assigning
    category = forms.ModelChoiceField(
        label=_("分类"),
        queryset=Category.objects.order_by("full_name"),
        required=False,
        empty_label=_("(不变)"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].initial = self.problem.category_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        lookup = resolve_unit(self.actor, data.get("unit_code") or "", policy.DISPATCHERS)
        unit = lookup.unit
        if unit is None and data.get("unit_code"):
            self.add_error("unit_code", lookup.error or UNIT_NOT_FOUND)
        data["unit_obj"] = unit
        username = (data.get("owner") or "").strip()
        data["owner_obj"] = None
        if username and unit is not None:
            role = (
                RoleAssignment.objects.filter(user__username=username, user__is_active=True)
                .select_related("user", "unit")
                .filter(prefix_q(unit.path, "unit__path"))
                .first()
            )
            if role is None:
                self.add_error("owner", _("该账号不是责任单位或其下级单位的工作人员"))
            else:
                data["owner_obj"] = role.user
        return data

    def params(self) -> dict[str, Any]:
        d = self.cleaned_data
        out = {**super().params(), "responsible_unit": d["unit_obj"], "due_date": d.get("due_date")}
        if d.get("owner_obj") is not None:
            out["owner"] = d["owner_obj"]
        if d.get("category") is not None:
            out["category"] = d["category"]
        return out


class ReturnForm(InternalActionForm):
    action = Action.RETURN
    note = forms.CharField(label=_("退回理由"), max_length=2000)


class ClaimForm(ActionForm):
    action = Action.CLAIM
    must_solve = forms.BooleanField(label=_("作为必解问题"), required=False, initial=True)

    def params(self) -> dict[str, Any]:
        return {**super().params(), "must_solve": bool(self.cleaned_data.get("must_solve"))}


class ExtensionRequestForm(ActionForm):
    action = Action.REQUEST_EXTENSION
    days = forms.IntegerField(label=_("延期工作日"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("延期理由"), max_length=500)
    note = None  # type: ignore[assignment]
    public = None  # type: ignore[assignment]

    def params(self) -> dict[str, Any]:
        return {"days": self.cleaned_data["days"], "reason": self.cleaned_data["reason"]}


class ResolveForm(ActionForm):
    action = Action.RESOLVE
    resolution_kind = forms.ChoiceField(label=_("办结方式"), choices=ResolutionKind.choices)
    measures = forms.CharField(label=_("整改措施"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def params(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {**super().params(), "resolution_kind": d["resolution_kind"], "measures": d["measures"]}


class CallbackForm(ActionForm):
    action = Action.CALLBACK
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices)

    def params(self) -> dict[str, Any]:
        return {**super().params(), "satisfaction": self.cleaned_data["satisfaction"]}


class MergeForm(ActionForm):
    action = Action.MERGE
    into = forms.CharField(label=_("合并到问题编号"), max_length=32)

    def clean_into(self) -> Problem:
        target = selectors.problem_for_merge(self.actor, self.cleaned_data.get("into", ""))
        if target is None:
            raise forms.ValidationError(_("找不到该问题编号,或该问题已被合并"))
        return target

    def params(self) -> dict[str, Any]:
        return {**super().params(), "into": self.cleaned_data["into"]}


class NoteForm(ActionForm):
    action = Action.NOTE
    note = forms.CharField(label=_("备注"), max_length=2000)
    public = forms.BooleanField(label=_("在公开查询页显示"), required=False)

    def params(self) -> dict[str, Any]:
        return {"note": self.cleaned_data["note"], "public": bool(self.cleaned_data.get("public"))}


def _simple(name: str) -> type[ActionForm]:
    return type(f"{name.title().replace('_', '')}Form", (SimpleActionForm,), {"action": name})


ACTION_FORMS: dict[str, type[ActionForm]] = {
    Action.ASSIGN: AssignForm,
    Action.ACCEPT: _simple(Action.ACCEPT),
    Action.RETURN: ReturnForm,
    Action.CLAIM: ClaimForm,
    Action.START: _simple(Action.START),
    Action.REQUEST_EXTENSION: ExtensionRequestForm,
    Action.GRANT_EXTENSION: _simple(Action.GRANT_EXTENSION),
    Action.DENY_EXTENSION: DenyExtensionForm,
    Action.RESOLVE: ResolveForm,
    Action.CLOSE: _simple(Action.CLOSE),
    Action.CALLBACK: CallbackForm,
    Action.MERGE: MergeForm,
    Action.NOTE: NoteForm,
}


class ModerationForm(forms.Form):
    """公开审核 on a problem's page: the public title and text, then approve or keep private (the
    button pressed, ``decision``)."""

    public_title = PlainCharField(
        label=_("公开标题"),
        max_length=200,
        required=False,
        help_text=_("公开清单显示的标题;留空则用隐去个人信息后的原标题"),
    )
    public_text = PlainCharField(
        label=_("公开内容"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("已预先隐去电话、身份证号和反映人姓名,请再核对;留空则公开清单不显示内容"),
    )
    note = forms.CharField(label=_("审核说明(仅内部可见)"), max_length=500, required=False)
    decision = forms.ChoiceField(
        choices=[("approve", _("审核通过,公开")), ("private", _("不公开"))], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "moderation")
        super().__init__(*args, **kwargs)
