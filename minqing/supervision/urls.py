from django.urls import path

from minqing.supervision.views import pages

app_name = "supervision"
urlpatterns = [
    path("", pages.index, name="groups"),
]
