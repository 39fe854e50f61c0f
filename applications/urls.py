"""HTML pages of the applications app."""

from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("applications/", views.application_list, name="list"),
    path("applications/new/", views.application_new, name="new"),
    path("applications/new/<str:channel>/", views.application_new_profile, name="new_profile"),
    path("applications/<int:pk>/", views.application_detail, name="detail"),
    path("applications/<int:pk>/steps/<str:step>/", views.application_step, name="step"),
    path(
        "applications/<int:pk>/dependants/<int:dependant_pk>/remove/",
        views.dependant_remove,
        name="dependant_remove",
    ),
    path("applications/<int:pk>/documents/<int:document_pk>/", views.document, name="document"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/evidence/", views.evidence_answer, name="evidence"),
    path("intermediaries/", views.authorisations, name="authorisations"),
    path("intermediaries/<int:pk>/revoke/", views.authorisation_revoke, name="authorisation_revoke"),
    path("clients/", views.clients, name="clients"),
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/read/", views.inbox_read_all, name="inbox_read_all"),
    path("nominations/", views.nominations, name="nominations"),
    path("nominations/<int:pk>/", views.nomination, name="nomination"),
    path("cases/", views.queue, name="queue"),
    path("cases/workload/", views.workload, name="workload"),
    path("cases/assign/", views.queue_assign, name="queue_assign"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/claim/", views.case_claim, name="case_claim"),
    path("cases/<int:pk>/release/", views.case_release, name="case_release"),
    path("cases/<int:pk>/actions/<str:action>/", views.case_action, name="case_action"),
    path("cases/<int:pk>/notes/", views.case_note_add, name="case_note_add"),
    path("cases/<int:pk>/notes/<int:note_pk>/", views.case_note_edit, name="case_note_edit"),
]
