"""Pages of the privacy app: the person's own, and the officers'."""

from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.mine, name="mine"),
    path("privacy/export.json", views.export_json, name="export_json"),
    path("privacy/export.pdf", views.export_pdf, name="export_pdf"),
    path("privacy/consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("privacy/corrections/", views.correction_new, name="correction_new"),
    path("privacy/requests/", views.corrections, name="corrections"),
    path("privacy/requests/<int:pk>/answer/", views.correction_answer, name="correction_answer"),
    path("privacy/cases/<int:pk>/", views.case, name="case"),
    path("privacy/cases/<int:pk>/hold/", views.hold_place, name="hold_place"),
    path("privacy/holds/<int:pk>/release/", views.hold_release, name="hold_release"),
]
