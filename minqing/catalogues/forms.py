"""Forms of the catalogue pages: they validate input and resolve codes and numbers in the actor's
scope into the services' arguments. They never write."""

from typing import Any, ClassVar

from django import forms
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minqing.catalogues import selectors as sel
from minqing.catalogues.models import Commendation, PowerCategory, ReformStatus
from minqing.catalogues.services.commendations import AWARDED_BY_MAX, NAME_MAX, TITLE_MAX, check_decided_on
from minqing.catalogues.services.powers import CODE_MAX
from minqing.catalogues.services.powers import NAME_MAX as ITEM_MAX
from minqing.catalogues.services.reforms import RESULT_MAX
from minqing.catalogues.services.reforms import TITLE_MAX as MEASURE_MAX
from minqing.core.errors import DomainError
from minqing.core.forms import UNIT_NOT_FOUND
from minqing.orgs.actors import Actor
from minqing.orgs.models import Person, Unit
from minqing.orgs.selectors import resolve_unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UPLOAD_MAX_MB = 20
# Suggestions for 荣誉称号 (any title may be typed).
COMMON_TITLES = (
    "优秀共产党员",
    "优秀党务工作者",
    "先进基层党组织",
    "优秀基层党组织带头人",
    "优秀第一书记",
    "劳动模范",
)


class ActorForm(forms.Form):
    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def _unit(self, field: str) -> Unit:
        lookup = resolve_unit(self.actor, self.cleaned_data.get(field, ""))
        if lookup.unit is None:
            raise forms.ValidationError(lookup.error or UNIT_NOT_FOUND)
        return lookup.unit


class RecordForm(ActorForm):
    """The form of a catalogue record: ``unit_code`` picks the unit of a new record (an edit keeps
    the unit); every other field, but those in ``OWN_FIELDS``, is the record's field and the
    services' argument of the same name."""

    OWN_FIELDS: ClassVar[tuple[str, ...]] = ("unit_code",)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # the unit of a record does not change
            del self.fields["unit_code"]

    def clean_unit_code(self) -> Unit:
        return self._unit("unit_code")

    @classmethod
    def record_fields(cls) -> list[str]:
        return [name for name in cls.base_fields if name not in cls.OWN_FIELDS]

    @classmethod
    def initial_for(cls, record: Model) -> dict[str, object]:
        """The edit form's values from ``record`` (a foreign key as its id)."""
        return {name: record.serializable_value(name) for name in cls.record_fields()}

    def arguments(self) -> dict[str, Any]:
        """The cleaned data as the services' keyword arguments (with the ``unit`` of a new record)."""
        args = {name: self.cleaned_data[name] for name in self.record_fields()}
        if "unit_code" in self.fields:
            args["unit"] = self.cleaned_data["unit_code"]
        return args


def _campaign_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("专题"), queryset=sel.campaigns(), required=False, empty_label=_("(不选)")
    )


class PowerItemForm(RecordForm):
    unit_code = forms.CharField(label=_("部门代码"), max_length=32)
    category = forms.ChoiceField(label=_("权力类别"), choices=PowerCategory.choices)
    name = forms.CharField(label=_("事项名称"), max_length=ITEM_MAX)
    code = forms.CharField(label=_("事项编码"), max_length=CODE_MAX, required=False)
    legal_basis = forms.CharField(
        label=_("设定依据"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    published_on = forms.DateField(label=_("公布日期"), widget=DATE, required=False)
    is_active = forms.BooleanField(label=_("有效"), required=False, initial=True)


class ReformForm(RecordForm):
    unit_code = forms.CharField(label=_("牵头部门代码"), max_length=32)
    title = forms.CharField(label=_("举措名称"), max_length=MEASURE_MAX)
    is_key = forms.BooleanField(label=_("重点改革"), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=ReformStatus.choices)
    campaign = _campaign_field()
    started_on = forms.DateField(label=_("启动日期"), widget=DATE, required=False)


class ReformResultForm(forms.Form):
    prefix = "result"
    date = forms.DateField(label=_("成果日期"), widget=DATE, initial=timezone.localdate)
    text = forms.CharField(
        label=_("成果内容"), max_length=RESULT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommendationForm(RecordForm):
    OWN_FIELDS = ("unit_code", "person_number")  # the person: ``person``, shown by number

    person_number = forms.CharField(
        label=_("人员编号"), max_length=32, required=False, help_text=_("系统中的人员填写编号;否则只填姓名")
    )
    name = forms.CharField(label=_("姓名"), max_length=NAME_MAX, required=False)
    unit_code = forms.CharField(label=_("单位代码"), max_length=32)
    title = forms.CharField(
        label=_("荣誉称号"),
        max_length=TITLE_MAX,
        widget=forms.TextInput(attrs={"list": "common-titles"}),
    )
    date = forms.DateField(label=_("表彰日期"), widget=DATE)
    decided_on = forms.DateField(
        label=_("表彰决定日期"),
        widget=DATE,
        required=False,
        help_text=Commendation._meta.get_field("decided_on").help_text,
    )
    awarded_by = forms.CharField(label=_("授予机关"), max_length=AWARDED_BY_MAX, required=False)
    campaign = _campaign_field()

    @classmethod
    def initial_for(cls, record: Model) -> dict[str, object]:
        assert isinstance(record, Commendation)
        return {"person_number": record.person.number if record.person else "", **super().initial_for(record)}

    def arguments(self) -> dict[str, Any]:
        return {"person": self.cleaned_data["person_number"], **super().arguments()}

    def clean_person_number(self) -> Person | None:
        number = self.cleaned_data.get("person_number", "").strip()
        if not number:
            return None
        person = sel.person_by_number(self.actor, number)
        if person is None:
            raise forms.ValidationError(_("找不到该人员编号,或该人员不在您的管辖范围内"))
        return person

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing = not data.get("person_number") and not (data.get("name") or "").strip()
        if missing and "name" not in self.errors and "person_number" not in self.errors:
            self.add_error("name", _("请填写姓名或人员编号"))
        if data.get("date") is not None:
            try:
                check_decided_on(data.get("decided_on"), data["date"])
            except DomainError as err:  # the service's rule, shown on the field
                self.add_error("decided_on", err.message)
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件(.xlsx 或 .csv)"))
