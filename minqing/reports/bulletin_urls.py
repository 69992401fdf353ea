"""URLs of bulletins (included by reports/urls.py under the ``reports`` namespace)."""

from django.urls import path

from minqing.reports.views import bulletins

urlpatterns = [
    path("", bulletins.index, name="index"),
]
