"""Forms of the programme pages: they validate input and resolve codes in the actor's scope into
the services' arguments. They never write."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.campaigns.models import Campaign
from minqing.core.errors import DomainError, ErrorCode
from minqing.core.forms import UNIT_NOT_FOUND
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.models import Unit
from minqing.orgs.selectors import resolve_unit
from minqing.programmes import selectors
from minqing.programmes.models import Programme, ShareBasis, Target

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MODES_SPLIT = re.compile(r"[\s,,、;;/]+")
UNIT_NOT_IN_PROGRAMME = _("找不到该单位代码,或该单位不在本项目及您的管辖范围内")
UPLOAD_MAX_MB = 10


def _quantity(
    label: Any, *, required: bool = True, places: int = 2, help_text: Any = ""
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_digits=14 if places == 2 else 16,
        decimal_places=places,
        required=required,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=100)
    unit_code = forms.CharField(
        label=_("项目单位代码"), max_length=32, help_text=_("由该单位的领导小组办公室管理指标和计划")
    )
    campaign = forms.ModelChoiceField(
        label=_("专题"),
        queryset=Campaign.objects.order_by("-start_date", "name"),
        required=False,
        empty_label=_("(不属于专题)"),
    )
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if Programme.objects.filter(name=name).exists():
            raise forms.ValidationError(_("已有同名项目"))
        return name

    def clean_unit_code(self) -> Unit:
        code = self.cleaned_data.get("unit_code", "").strip()
        lookup = resolve_unit(self.actor, code, policy.OFFICE)
        if lookup.unit is None:
            raise forms.ValidationError(lookup.error or UNIT_NOT_FOUND)
        unit = lookup.unit
        return unit

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("结束日期不能早于开始日期"))
        return data


def split_modes(text: str) -> list[str]:
    return list(dict.fromkeys(m for m in MODES_SPLIT.split(text.strip()) if m))


class TargetForm(forms.Form):
    key = forms.RegexField(
        label=_("指标代码"),
        regex=r"^[a-z][a-z0-9_]{0,39}$",
        max_length=40,
        help_text=_("小写字母、数字和下划线,如 housing;用作统计口径的编号,建立后不能修改"),
    )
    name = forms.CharField(label=_("指标名称"), max_length=100)
    measure = forms.CharField(label=_("计量单位"), max_length=10, help_text=_("如 户、间、公里、个"))
    plan_quantity = _quantity(_("计划数"))
    share_basis = forms.ChoiceField(
        label=_("占计划口径"), choices=ShareBasis.choices, initial=ShareBasis.STARTED
    )
    modes = forms.CharField(
        label=_("方式"),
        max_length=200,
        required=False,
        help_text=_("可不填;分方式填报时列出各方式,用顿号或空格分隔,如 新建、维修加固、转移置换"),
    )

    def __init__(self, *args: Any, target: Target | None = None, **kwargs: Any) -> None:
        if target is not None:
            kwargs.setdefault(
                "initial",
                {
                    "key": target.key,
                    "name": target.name,
                    "measure": target.measure,
                    "plan_quantity": target.plan_quantity,
                    "share_basis": target.share_basis,
                    "modes": "、".join(target.modes),
                },
            )
        super().__init__(*args, **kwargs)
        if target is not None:
            self.fields["key"].disabled = True

    def clean_modes(self) -> list[str]:
        return split_modes(self.cleaned_data.get("modes", ""))


class PlanForm(forms.Form):
    prefix = "plan"
    unit_code = forms.CharField(label=_("单位代码"), max_length=32)
    mode = forms.ChoiceField(label=_("方式"), required=False)
    quantity = _quantity(_("计划数"), required=False, help_text=_("留空则删除该单位的计划"))

    def __init__(self, *args: Any, actor: Actor, target: Target, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor, self.target = actor, target
        mode = self.fields["mode"]
        assert isinstance(mode, forms.ChoiceField)
        mode.choices = [("", _("(全部方式合计)")), *((m, m) for m in target.modes)]

    def clean_unit_code(self) -> Unit:
        unit = selectors.unit_in_programme(self.actor, self.target.programme, self.cleaned_data["unit_code"])
        if unit is None:
            raise forms.ValidationError(UNIT_NOT_IN_PROGRAMME)
        return unit


def target_mode_choices(targets: list[Target]) -> list[tuple[str, str]]:
    """One choice per target, or per target and mode: ``housing|新建``."""
    out = []
    for t in targets:
        if t.modes:
            out += [(f"{t.key}|{m}", f"{t.name} · {m}({t.measure})") for m in t.modes]
        else:
            out.append((f"{t.key}|", f"{t.name}({t.measure})"))
    return out


class ReportForm(forms.Form):
    unit_code = forms.CharField(
        label=_("单位代码"), max_length=32, help_text=_("本单位或管辖范围内的下级单位")
    )
    target = forms.ChoiceField(label=_("指标"))
    date = forms.DateField(label=_("截至日期"), widget=DATE, initial=timezone.localdate)
    in_progress = _quantity(_("在建(累计)"))
    completed = _quantity(_("完工(累计)"))
    funds = _quantity(_("投入资金(万元,累计)"), places=4)

    def __init__(
        self, *args: Any, actor: Actor, programme: Programme, targets: list[Target], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.actor, self.programme = actor, programme
        self.targets = {t.key: t for t in targets}
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = target_mode_choices(targets)

    def clean_unit_code(self) -> Unit:
        unit = selectors.unit_in_programme(self.actor, self.programme, self.cleaned_data["unit_code"])
        if unit is None:
            raise forms.ValidationError(UNIT_NOT_IN_PROGRAMME)
        return unit

    def clean_target(self) -> tuple[Target, str]:
        key, _sep, mode = self.cleaned_data["target"].partition("|")
        return self.targets[key], mode


class UploadForm(forms.Form):
    file = forms.FileField(label=_("进度文件(.xlsx 或 .csv)"))

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > UPLOAD_MAX_MB * 1024 * 1024:
            # in Chinese and English, as the refusals of the file's content are
            raise forms.ValidationError(
                DomainError(ErrorCode.CATALOGUE_UPLOAD_TOO_LARGE, max=UPLOAD_MAX_MB).bilingual()
            )
        name = (f.name or "").lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("请上传 .xlsx 或 .csv 文件"))
        return f
