"""URLs of bulletins (included by reports/urls.py under the ``reports`` namespace)."""

from django.urls import path

from minqing.reports.views import bulletins

urlpatterns = [
    path("", bulletins.index, name="index"),
    path("download/<str:fmt>/", bulletins.download, name="download"),
    path("publish/", bulletins.publish, name="publish"),
    path("notes/", bulletins.notes, name="notes"),
    path("published/", bulletins.published, name="published"),
    path("published/export/", bulletins.published_export, name="published_export"),
    path("published/check/", bulletins.published_check_all, name="published_check_all"),
    path("published/<int:pk>/", bulletins.published_detail, name="published_detail"),
    path("published/<int:pk>/check/", bulletins.published_check, name="published_check"),
    path("published/<int:pk>/<str:fmt>/", bulletins.published_download, name="published_download"),
    path("templates/", bulletins.templates, name="templates"),
    path("templates/default/<str:kind>/", bulletins.template_default_edit, name="template_default_edit"),
    path("templates/unit/<str:code>/<str:kind>/", bulletins.template_edit, name="template_edit"),
    path("templates/unit/<str:code>/<str:kind>/copy/", bulletins.template_copy, name="template_copy"),
    path("templates/unit/<str:code>/<str:kind>/reset/", bulletins.template_reset, name="template_reset"),
]
