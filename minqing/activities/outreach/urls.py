from django.urls import path

from minqing.activities.outreach import views as v

app_name = "outreach"
urlpatterns = [
    path("", v.index, name="index"),
    path("research/", v.research_list, name="research"),
    path("research/new/", v.topic_new, name="topic_new"),
    path("research/<int:pk>/", v.topic_detail, name="topic"),
    path("research/<int:pk>/interviews/", v.interview_add, name="interview_add"),
    path("research/<int:pk>/reports/", v.report_add, name="report_add"),
    path("visits/", v.visit_list, name="visits"),
    path("visits/new/", v.visit_new, name="visit_new"),
    path("plans/", v.plan_list, name="plans"),
    path("plans/new/", v.plan_new, name="plan_new"),
    path("plans/<int:pk>/", v.plan_detail, name="plan"),
    path("plans/<int:pk>/review/", v.plan_review, name="plan_review"),
    path("coverage/", v.coverage, name="coverage"),
]
