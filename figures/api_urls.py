"""REST API of the figures app, mounted under /api/."""

from django.urls import path

from . import apis

urlpatterns = [
    path("figures/population/", apis.PopulationFeedApi.as_view(), name="api_figures_population"),
]
