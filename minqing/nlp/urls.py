from django.urls import path

from minqing.nlp import views

app_name = "nlp"
urlpatterns = [
    path("suggestions/", views.acceptance, name="acceptance"),
]
