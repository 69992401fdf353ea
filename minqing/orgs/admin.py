"""Maintenance admin of the organisation network: the system administrator's (系统管理员; not
scoped: the pages are, the admin is not). Who may do what (accounts, roles, duties, API clients)
is in ``admin_access``; which duty sees which model is ``policy.ADMIN_MODELS``."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import MoveNodeForm, movenodeform_factory

from minqing.core.admin_audit import AuditedAdminMixin
from minqing.core.admin_duties import DutyInlineMixin
from minqing.orgs import admin_access  # noqa: F401  (registers the access admins)
from minqing.orgs.masking import mask_id_number, mask_phone
from minqing.orgs.models import Assignment, Household, Person, PersonIdentity, Unit
from minqing.orgs.services.records import record_save
from minqing.orgs.services.units import unit_moved


class UnitMoveForm(MoveNodeForm):
    """treebeard's move form, with the reference unit typed by id (a select of 150,000 grids
    would not render) and the copied paths of households, people and assignments kept in step."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["treebeard_ref_node"]
        field.widget = forms.TextInput(attrs={"size": 10})
        field.help_text = _("目标单位的编号(ID);留空表示作为根单位")

    def save(self, commit: bool = True) -> Any:
        old_path = self.instance.path if self.instance.pk else None
        instance = super().save(commit=commit)
        if old_path:
            unit_moved(instance, old_path)
        return instance


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, TreeAdmin):
    form = movenodeform_factory(Unit, form=UnitMoveForm)
    list_display = ("name", "code", "kind", "subkind", "division_code", "numchild")
    list_filter = ("kind", "subkind", "has_party_org")
    search_fields = ("name", "code", "division_code")
    list_per_page = 100

    def move_node(self, request: HttpRequest) -> HttpResponse:
        """Drag-and-drop moves: also rewrite the copied paths under the moved unit."""
        node = Unit.objects.filter(pk=request.POST.get("node") or 0).first()
        old_path = node.path if node else None
        response = super().move_node(request)
        if node is not None and old_path and response.status_code == 200:
            unit_moved(node, old_path)
        return response


@admin.register(Household)
class HouseholdAdmin(AuditedAdminMixin):
    list_display = ("number", "head_name", "grid", "members")
    search_fields = ("^number",)
    raw_id_fields = ("grid",)
    list_select_related = ("grid",)
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: Household, form: Any, change: bool) -> None:
        record_save(actor=request.user, obj=obj)
        self.audit_saved(request, obj, change)


class PersonIdentityInline(DutyInlineMixin, admin.StackedInline):
    """Shown masked; the full values can still be typed in to correct them."""

    model = PersonIdentity
    can_delete = False
    fields = ("masked_phone", "masked_id_number", "phone", "id_number")
    readonly_fields = ("masked_phone", "masked_id_number")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        for name in ("phone", "id_number"):
            formset.form.base_fields[name].widget = forms.PasswordInput(render_value=False)
            formset.form.base_fields[name].help_text = _("出于隐私保护不显示原值;留空则不修改")
        return formset

    @admin.display(description=_("手机号码(脱敏)"))
    def masked_phone(self, obj: PersonIdentity) -> str:
        return mask_phone(obj.phone)

    @admin.display(description=_("身份证号(脱敏)"))
    def masked_id_number(self, obj: PersonIdentity) -> str:
        return mask_id_number(obj.id_number)


@admin.register(Person)
class PersonAdmin(AuditedAdminMixin):
    list_display = ("number", "name", "unit", "rank", "is_party_member")
    list_filter = ("rank", "is_party_member")
    search_fields = ("number", "name")
    raw_id_fields = ("unit",)
    list_select_related = ("unit",)
    inlines = (PersonIdentityInline,)

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        record_save(actor=request.user, obj=obj)
        self.audit_saved(request, obj, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Keep the stored phone / ID number when its (never pre-filled) field is left empty."""
        for inline_form in formset.forms:
            inst = inline_form.instance
            if inst.pk is None or not inline_form.has_changed():
                continue
            old = PersonIdentity.objects.filter(pk=inst.pk).first()
            if old is None:
                continue
            for name in ("phone", "id_number"):
                if not inline_form.cleaned_data.get(name):
                    setattr(inst, name, getattr(old, name))
        super().save_formset(request, form, formset, change)


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdminMixin):
    list_display = ("person", "kind", "unit", "household", "start_date", "end_date")
    list_filter = ("kind",)
    search_fields = ("person__name", "person__number", "unit__name", "unit__code", "household__number")
    raw_id_fields = ("person", "unit", "household")
    list_select_related = ("person", "unit", "household")

    def save_model(self, request: HttpRequest, obj: Assignment, form: Any, change: bool) -> None:
        record_save(actor=request.user, obj=obj)
        self.audit_saved(request, obj, change)
