from django.urls import path

from minqing.programmes.views import pages, progress

app_name = "programmes"
urlpatterns = [
    path("", pages.index, name="list"),
    path("new/", pages.programme_new, name="new"),
    path("<int:pk>/", pages.programme_detail, name="detail"),
    path("<int:pk>/export/", pages.progress_export, name="export"),
    path("<int:pk>/targets/", pages.targets, name="targets"),
    path("<int:pk>/targets/<slug:key>/", pages.target_detail, name="target"),
    path("<int:pk>/report/", progress.report_new, name="report"),
    path("<int:pk>/upload/", progress.upload, name="upload"),
    path("<int:pk>/upload/template.xlsx", progress.upload_template, name="template"),
    path("<int:pk>/reports/", progress.reports, name="reports"),
]
