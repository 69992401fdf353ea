from django.urls import path

from minqing.supervision.views import inspections, pages, reports

app_name = "supervision"
urlpatterns = [
    path("", pages.groups, name="groups"),
    path("groups/new/", pages.group_new, name="group_new"),
    path("groups/<int:pk>/", pages.group_detail, name="group"),
    path("groups/<int:pk>/edit/", pages.group_edit, name="group_edit"),
    path("inspections/", inspections.inspection_list, name="inspections"),
    path("inspections/new/", inspections.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection"),
    path("units/", reports.unit_rounds, name="unit_rounds"),
    path("uninspected/", reports.never_inspected, name="never_inspected"),
]
