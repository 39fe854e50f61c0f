"""HTML pages of the cards app."""

from django.urls import path  # noqa: F401

app_name = "cards"
urlpatterns: list = []
