"""REST API of the applications app, mounted under /api/."""

from django.urls import path

from . import apis

urlpatterns = [
    path("ping/", apis.PingApi.as_view(), name="api_ping"),
    path("profiles/", apis.ProfileListApi.as_view(), name="api_profiles"),
    path("profiles/<int:pk>/", apis.ProfileDetailApi.as_view(), name="api_profile"),
    path("applications/", apis.ApplicationListApi.as_view(), name="api_applications"),
    path("applications/<int:pk>/", apis.ApplicationDetailApi.as_view(), name="api_application"),
    path("applications/<int:pk>/submit/", apis.ApplicationSubmitApi.as_view(), name="api_application_submit"),
    path(
        "applications/<int:pk>/withdraw/",
        apis.ApplicationWithdrawApi.as_view(),
        name="api_application_withdraw",
    ),
    path(
        "applications/<int:pk>/evidence/", apis.EvidenceAnswerApi.as_view(), name="api_application_evidence"
    ),
    path("applications/<int:pk>/timeline/", apis.TimelineApi.as_view(), name="api_application_timeline"),
    path(
        "applications/<int:pk>/dependants/",
        apis.DependantListApi.as_view(),
        name="api_application_dependants",
    ),
    path(
        "applications/<int:pk>/dependants/<int:dependant_pk>/",
        apis.DependantDetailApi.as_view(),
        name="api_application_dependant",
    ),
    path(
        "applications/<int:pk>/documents/", apis.DocumentListApi.as_view(), name="api_application_documents"
    ),
    path("applications/<int:pk>/claim/", apis.ClaimApi.as_view(), name="api_application_claim"),
    path("applications/<int:pk>/release/", apis.ReleaseApi.as_view(), name="api_application_release"),
    path(
        "applications/<int:pk>/actions/<slug:action>/",
        apis.OfficerActionApi.as_view(),
        name="api_application_action",
    ),
    path("documents/<int:pk>/download/", apis.DocumentDownloadApi.as_view(), name="api_document_download"),
    path("notifications/", apis.NotificationListApi.as_view(), name="api_notifications"),
    path("notifications/<int:pk>/read/", apis.NotificationReadApi.as_view(), name="api_notification_read"),
    path("queue/", apis.QueueApi.as_view(), name="api_queue"),
    path("queue/counts/", apis.QueueCountsApi.as_view(), name="api_queue_counts"),
    path("queue/assign/", apis.AssignApi.as_view(), name="api_queue_assign"),
    path("workload/", apis.WorkloadApi.as_view(), name="api_workload"),
]
