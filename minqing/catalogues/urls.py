from django.urls import path

from minqing.catalogues.views import pages

app_name = "catalogues"
urlpatterns = [
    path("", pages.index, name="index"),
]
