"""REST API of the verification app, mounted under /api/."""

from django.urls import path

from . import apis

urlpatterns = [
    path(
        "verification/applications/<int:pk>/checks/",
        apis.ApplicationChecksApi.as_view(),
        name="api_verification_application_checks",
    ),
    path("verification/checks/<int:pk>/", apis.CheckDetailApi.as_view(), name="api_verification_check"),
    path(
        "verification/checks/<int:pk>/rerun/",
        apis.CheckRerunApi.as_view(),
        name="api_verification_check_rerun",
    ),
    path("verification/monitor/", apis.MonitorApi.as_view(), name="api_verification_monitor"),
    path(
        "verification/management-cases/",
        apis.ManagementCaseListApi.as_view(),
        name="api_verification_management_cases",
    ),
    path(
        "verification/management-cases/<int:pk>/",
        apis.ManagementCaseDetailApi.as_view(),
        name="api_verification_management_case",
    ),
    path(
        "verification/management-cases/<int:pk>/close/",
        apis.ManagementCaseCloseApi.as_view(),
        name="api_verification_management_case_close",
    ),
]
