from django.urls import path

from minqing.programmes.views import pages

app_name = "programmes"
urlpatterns = [
    path("", pages.index, name="list"),
]
