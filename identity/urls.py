"""The intake officer's pages for a case's possible duplicates."""

from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("cases/<int:pk>/duplicates/", views.case_duplicates, name="case_duplicates"),
    path("cases/<int:pk>/duplicates/<int:flag_pk>/", views.case_duplicate, name="case_duplicate"),
]
