"""HTML pages of the cards app."""

from django.urls import path

from . import views

app_name = "cards"
urlpatterns = [
    path("cards/verify/<str:token>/", views.public_verify, name="public_verify"),
    path("cards/verify/<str:token>/photo", views.public_photo, name="public_photo"),
    path("cards/check/", views.offline_verifier, name="offline_verifier"),
    path("cards/check/worker.js", views.offline_worker, name="offline_worker"),
    path("cards/check/keys.json", views.offline_keys, name="offline_keys"),
    path("cards/check/revoked.cose", views.offline_revocation_list, name="offline_revocation_list"),
    path("cards/mine/", views.my_card, name="my_card"),
    path("cards/<int:pk>/photo", views.card_photo, name="card_photo"),
    path("cards/documents/<int:pk>/", views.document_download, name="document"),
    path("cards/requests/", views.card_requests, name="requests"),
    path("cards/requests/<int:pk>/decide", views.card_request_decide, name="request_decide"),
    path("cards/revocations/", views.revocations, name="revocations"),
    path("cards/revocations/<int:pk>/", views.revocation, name="revocation"),
    path("cards/residence/", views.residence, name="residence"),
    path("cards/institutions/", views.institutions, name="institutions"),
    path("cards/institutions/<int:pk>/", views.institution, name="institution"),
]
