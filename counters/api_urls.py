"""REST API of the service windows, mounted under /api/."""

from django.urls import path

from . import apis

urlpatterns = [
    path("counters/walk-ins/", apis.WalkInCreateApi.as_view(), name="api_counters_walk_ins"),
    path("counters/claim/", apis.WalkInClaimApi.as_view(), name="api_counters_claim"),
    path("counters/intake/<int:pk>/", apis.IntakeRecordApi.as_view(), name="api_counters_intake"),
    path(
        "counters/collections/<int:pk>/", apis.CollectionRecordApi.as_view(), name="api_counters_collection"
    ),
]
