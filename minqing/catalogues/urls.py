from django.urls import path

from minqing.catalogues.views import commendations, pages, powers, reforms

app_name = "catalogues"
urlpatterns = [
    path("", pages.index, name="index"),
    path("powers/", powers.power_list, name="powers"),
    path("powers/new/", powers.power_new, name="power_new"),
    path("powers/export/", powers.power_export, name="power_export"),
    path("powers/import/", powers.power_upload, name="power_import"),
    path("powers/<int:pk>/", powers.power_detail, name="power"),
    path("reforms/", reforms.reform_list, name="reforms"),
    path("reforms/new/", reforms.reform_new, name="reform_new"),
    path("reforms/export/", reforms.reform_export, name="reform_export"),
    path("reforms/import/", reforms.reform_upload, name="reform_import"),
    path("reforms/<int:pk>/", reforms.reform_detail, name="reform"),
    path("reforms/<int:pk>/results/", reforms.reform_result_new, name="reform_result_new"),
    path("commendations/", commendations.commendation_list, name="commendations"),
    path("commendations/new/", commendations.commendation_new, name="commendation_new"),
    path("commendations/export/", commendations.commendation_export, name="commendation_export"),
    path("commendations/import/", commendations.commendation_upload, name="commendation_import"),
    path("commendations/<int:pk>/", commendations.commendation_detail, name="commendation"),
]
