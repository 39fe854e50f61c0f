"""HTML pages of the service windows."""

from django.urls import path

from . import views

app_name = "counters"
urlpatterns = [
    path("counters/", views.workspace, name="workspace"),
    path("counters/walk-ins/new/", views.walk_in_new, name="walk_in_new"),
    path("counters/walk-ins/<int:pk>/code/", views.walk_in_code, name="walk_in_code"),
    path("counters/intake/<int:pk>/", views.intake, name="intake"),
    path("counters/collections/<int:pk>/", views.collection, name="collection"),
    path("counters/claim/", views.claim, name="claim"),
]
