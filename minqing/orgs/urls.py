from django.urls import path

from minqing.ledger.views import home
from minqing.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", home.home, name="home"),  # 我的工作 (minqing.ledger.selectors_work)
    path("units/", views.unit_tree, name="tree"),
    path("units/lookup/", views.unit_lookup, name="unit_lookup"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/people/", views.unit_people, name="unit_people"),
    path("units/<int:pk>/households/", views.unit_households, name="unit_households"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("households/<int:pk>/", views.household_detail, name="household"),
]
