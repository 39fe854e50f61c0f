"""REST API of the cards app, mounted under /api/."""

from django.urls import path

from . import apis

urlpatterns = [
    path("cards/verify/", apis.CardVerifyApi.as_view(), name="api_cards_verify"),
    path("cards/verify/bulk/", apis.CardVerifyBulkApi.as_view(), name="api_cards_verify_bulk"),
    path("cards/status/", apis.CardStatusApi.as_view(), name="api_cards_status"),
    path("cards/mine/", apis.MyCardListApi.as_view(), name="api_cards_mine"),
]
