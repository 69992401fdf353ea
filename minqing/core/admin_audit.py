"""Every write made through the admin lands in the audit trail."""

from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from minqing.core.admin_duties import DutyModelAdmin
from minqing.core.audit import audit
from minqing.core.models import AuditEvent


class AuditedAdminMixin(DutyModelAdmin):
    """Audits saves and deletions (one-by-one and bulk) made in the admin (whose permissions are
    the duties', ``DutyModelAdmin``)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self.audit_saved(request, obj, change)

    @staticmethod
    def audit_saved(request: HttpRequest, obj: Model, change: bool) -> None:
        """The audit row of a save; an admin whose save_model writes through a service calls it."""
        action = AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE
        audit(actor=request.user, action=action, obj=obj, detail=f"admin: {obj}"[:500], request=request)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)

    @staticmethod
    def _audit_delete(request: HttpRequest, obj: Model) -> None:
        audit(
            actor=request.user,
            action=AuditEvent.Action.DELETE,
            obj=obj,
            detail=f"admin: {obj}"[:500],
            request=request,
        )
