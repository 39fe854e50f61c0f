from django.urls import path

from . import views

app_name = "figures"

urlpatterns = [
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/research/", views.research_page, name="research"),
    path("statistics/policy-comparison/", views.policy_comparison_page, name="policy_comparison"),
]
