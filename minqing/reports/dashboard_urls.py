"""URLs of the dashboard (included by reports/urls.py under the ``reports`` namespace)."""

from django.urls import path

from minqing.reports.views import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
]
