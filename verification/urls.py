"""HTML pages of the verification app."""

from django.urls import path

from . import views

app_name = "verification"
urlpatterns = [
    path("verification/monitor/", views.monitor, name="monitor"),
    path("verification/applications/<int:pk>/", views.application_checks, name="application_checks"),
    path("verification/checks/<int:pk>/rerun/", views.check_rerun, name="check_rerun"),
    path("verification/management/", views.management_queue, name="management_queue"),
    path("verification/management/<int:pk>/", views.management_case, name="management_case"),
    path(
        "verification/management/<int:pk>/findings/<int:index>/revoke/",
        views.management_finding_revoke,
        name="management_finding_revoke",
    ),
]
