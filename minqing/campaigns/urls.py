"""Campaign pages. Included by ``minqing.activities.urls`` under ``activities/campaigns/``
without a namespace of their own, so the page keeps its path and its name
``activities:campaigns``."""

from django.urls import path

from minqing.campaigns import views

urlpatterns = [
    path("", views.campaigns, name="campaigns"),
]
