"""The admin site obeys the three administrator duties (三员分立), not Django's flags.

``DutyAdminSite`` opens the site to an active staff account holding a duty; every ModelAdmin and
inline of the project derives from ``DutyModelAdmin`` / ``DutyInlineMixin``, whose permissions
ask ``policy.admin_allows`` (which models each duty manages) instead of ``is_superuser`` and
Django's model permissions. A ModelAdmin may only narrow them further (a read-only model).
"""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from minqing.orgs import policy


class DutyAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        """An active staff account holding one of the three duties, in a session verified by its
        second factor (the identity middleware sends it there first; this holds without it too);
        a superuser flag alone is not enough."""
        user = request.user
        if not (user.is_active and user.is_staff and policy.has_any_duty(user)):
            return False
        return bool(getattr(user, "is_verified", lambda: False)())


def _allows(request: HttpRequest, model: type[Model], op: str) -> bool:
    return policy.admin_allows(request.user, model._meta.label_lower, op)


class DutyModelAdmin(admin.ModelAdmin):
    """View, add, change and delete as the user's duty allows (``policy.ADMIN_MODELS``); fields of
    a model two duties share (``policy.ADMIN_FIELDS``) are read-only to the duty that does not
    write them."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _allows(request, self.model, "view") or self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _allows(request, self.model, "add")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _allows(request, self.model, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _allows(request, self.model, "delete")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return any(_allows(request, self.model, op) for op in policy.ADMIN_ALL)

    def duty_fields(self, request: HttpRequest, obj: Any = None) -> frozenset[str] | None:
        """The fields the user's duty writes here; ``None`` when the whole form is theirs."""
        return policy.admin_fields(request.user, self.model._meta.label_lower)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """A shared model's admin declares ``fields``; those the duty does not write are shown
        read-only."""
        readonly = list(super().get_readonly_fields(request, obj))
        mine = self.duty_fields(request, obj)
        if mine is None:
            return readonly
        assert self.fields is not None, f"{type(self).__name__} of a shared model declares fields"
        return readonly + [f for f in self.fields if f not in mine and f not in readonly]


class DutyInlineMixin:
    """The same for an inline (placed before ``admin.StackedInline`` / ``TabularInline``)."""

    model: type[Model]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _allows(request, self.model, "view") or _allows(request, self.model, "change")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _allows(request, self.model, "add")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _allows(request, self.model, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _allows(request, self.model, "delete")
