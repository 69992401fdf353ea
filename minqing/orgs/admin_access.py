"""The admin of who may do what (三员分立): accounts, unit roles, administrator duties, API clients.

Every write goes through a service that checks the duty and audits (``services.accounts``,
``roles``, ``duties``). Django's own User admin (passwords, groups, permissions, the superuser
flag) and Group admin are replaced: nobody sets those through the admin.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin  # noqa: F401  (registers User and Group first)
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minqing.core.admin_duties import DutyModelAdmin
from minqing.core.errors import DomainError
from minqing.orgs import policy
from minqing.orgs.actors import Actor
from minqing.orgs.enums import Duty
from minqing.orgs.models import AdminDuty, Application, RoleAssignment
from minqing.orgs.services.accounts import (
    ACCESS_FIELDS,
    BASIC_FIELDS,
    account_create,
    account_set_access,
    account_unlock,
    account_update,
    may_change_account,
)
from minqing.orgs.services.duties import check_duty_grant, duty_grant, duty_revoke
from minqing.orgs.services.roles import check_role_change, role_revoke, role_save

admin.site.unregister(User)
admin.site.unregister(Group)


class ActorForm(forms.ModelForm):
    """A ModelForm that knows who submits it (set by ``get_form``) and shows a service's
    refusal on the form instead of failing the save."""

    actor: Actor

    def refuse(self, check: Any, *args: Any) -> None:
        try:
            check(*args)
        except DomainError as exc:
            raise ValidationError(exc.message) from exc


def _own(request: HttpRequest, obj: Any) -> bool:
    """``obj`` (a role or duty row) is the signed-in user's own: not theirs to change."""
    return obj is not None and obj.user_id == request.user.pk


def bound_form(form_class: Any, request: HttpRequest) -> Any:
    return type(form_class.__name__, (form_class,), {"actor": request.user})


@admin.register(User)
class AccountAdmin(DutyModelAdmin):
    list_display = ("username", "first_name", "last_name", "is_active", "is_staff", "duty", "last_login")
    list_filter = ("is_active", "is_staff", "admin_duty__duty")
    search_fields = ("username", "first_name", "last_name", "email")
    fields = (*BASIC_FIELDS, *ACCESS_FIELDS, "is_superuser", "duty", "last_login", "date_joined")
    readonly_fields = ("is_superuser", "duty", "last_login", "date_joined")
    list_select_related = ("admin_duty",)
    actions = ("unlock",)

    @admin.display(description=_("管理职责"))
    def duty(self, obj: User) -> str:
        row: AdminDuty | None = getattr(obj, "admin_duty", None)  # list_select_related
        return row.get_duty_display() if row is not None else "—"

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return BASIC_FIELDS if obj is None else self.fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_change_account(request.user, obj)

    def has_unlock_permission(self, request: HttpRequest) -> bool:
        return policy.has_duty(request.user, Duty.SECURITY)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        actor: Actor = request.user
        data = form.cleaned_data
        try:
            if not change:
                created = account_create(actor=actor, **{f: data.get(f, "") for f in BASIC_FIELDS})
                obj.pk, obj._state.adding = created.pk, False
                return
            user = User.objects.get(pk=obj.pk)
            basic = {f: data[f] for f in form.changed_data if f in BASIC_FIELDS}
            access = {f: data[f] for f in form.changed_data if f in ACCESS_FIELDS}
            if basic:
                account_update(actor=actor, user=user, values=basic)
            if access:
                account_set_access(actor=actor, user=user, values=access)
        except DomainError as exc:
            raise PermissionDenied(exc.message) from exc

    @admin.action(description=_("解除登录锁定"), permissions=["unlock"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        done = 0
        for user in queryset:
            try:
                account_unlock(actor=request.user, user=user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{user}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, gettext("已解除 {n} 个账号的登录锁定").format(n=done))


class RoleAssignmentForm(ActorForm):
    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "unit")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("user") is not None:
            self.refuse(check_role_change, self.actor, data["user"])
        if self.instance.pk:
            self.refuse(check_role_change, self.actor, RoleAssignment.objects.get(pk=self.instance.pk).user)
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(DutyModelAdmin):
    """Unit roles: the security administrator's, through ``services.roles`` (audited there)."""

    form = RoleAssignmentForm
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name", "unit__code")
    raw_id_fields = ("user", "unit")
    list_select_related = ("user", "unit")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        return bound_form(super().get_form(request, obj, change, **kwargs), request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not _own(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not _own(request, obj)

    def save_model(self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool) -> None:
        role_save(actor=request.user, assignment=obj)

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        role_revoke(actor=request.user, assignment=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        for obj in queryset.exclude(user_id=request.user.pk or 0).select_related("user", "unit"):
            role_revoke(actor=request.user, assignment=obj)


class AdminDutyForm(ActorForm):
    class Meta:
        model = AdminDuty
        fields = ("user", "duty")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("user") is not None:
            self.refuse(check_duty_grant, self.actor, data["user"])
        return data

    def validate_unique(self) -> None:
        """``check_duty_grant`` names the duty the account holds already."""


@admin.register(AdminDuty)
class AdminDutyAdmin(DutyModelAdmin):
    """The three duties: granted and revoked by the security administrator (never their own),
    one per account, through ``services.duties`` (audited there)."""

    form = AdminDutyForm
    list_display = ("user", "duty", "granted_at")
    list_filter = ("duty",)
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
    list_select_related = ("user",)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        return bound_form(super().get_form(request, obj, change, **kwargs), request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not _own(request, obj)

    def save_model(self, request: HttpRequest, obj: AdminDuty, form: Any, change: bool) -> None:
        row = duty_grant(actor=request.user, user=obj.user, duty=obj.duty)
        obj.pk, obj._state.adding = row.pk, False

    def delete_model(self, request: HttpRequest, obj: AdminDuty) -> None:
        duty_revoke(actor=request.user, row=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AdminDuty]) -> None:
        for obj in queryset.exclude(user_id=request.user.pk or 0).select_related("user"):
            duty_revoke(actor=request.user, row=obj)


@admin.register(Application)
class ApplicationAdmin(DutyModelAdmin):
    """API clients: each acts with its roles on its unit's subtree (keys come with the API). The
    system administrator creates one (name and unit) and renames it; the security administrator
    gives it roles, moves it to another unit and switches it on or off. Each save or deletion is
    audited by ``core.audit_writes`` (one PERMISSION row with its unit, name, roles and switch)."""

    fields = ("name", "unit", "roles", "is_active")
    list_display = ("name", "unit", "roles", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "unit__name", "unit__code")
    raw_id_fields = ("unit",)
    list_select_related = ("unit",)

    def duty_fields(self, request: HttpRequest, obj: Any = None) -> frozenset[str] | None:
        mine = super().duty_fields(request, obj)
        if obj is None and mine is not None and policy.has_duty(request.user, Duty.SYSTEM):
            return mine | {"unit"}  # a new client, without roles: its unit is no grant yet
        return mine

    def save_model(self, request: HttpRequest, obj: Application, form: Any, change: bool) -> None:
        if not change:
            obj.roles, obj.is_active = [], False  # the security administrator grants and switches on
        super().save_model(request, obj, form, change)
