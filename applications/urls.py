"""HTML pages of the applications app."""

from django.urls import path  # noqa: F401

app_name = "applications"
urlpatterns: list = []
