"""Reads of the webhooks for the application's page: its subscriptions and their deliveries
(the caller passes an application from ``minqing.api.selectors.managed_application``)."""

from django.db.models import Count, QuerySet

from minqing.orgs.models import Application
from minqing.webhooks.models import Delivery, DeliveryStatus, Subscription

PAGE = 100


def subscriptions_of(application: Application) -> list[Subscription]:
    return list(application.webhooks.order_by("-is_active", "pk"))


def deliveries_of(application: Application, status: str = "") -> QuerySet[Delivery]:
    """The application's deliveries, newest first, optionally of one status."""
    qs = Delivery.objects.filter(subscription__application=application).select_related(
        "event", "subscription"
    )
    if status in DeliveryStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def delivery_for(application: Application, pk: int) -> Delivery | None:
    return (
        Delivery.objects.select_related("subscription__application__unit")
        .filter(pk=pk, subscription__application=application)
        .first()
    )


def status_counts(application: Application) -> dict[str, int]:
    rows = (
        Delivery.objects.filter(subscription__application=application)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts = {s: 0 for s in DeliveryStatus.values}
    counts.update(dict(rows))
    return counts
