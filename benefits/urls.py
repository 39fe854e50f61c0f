"""HTML pages of the benefits app."""

from django.urls import path

from . import views
from .feeds import BenefitChangesFeed

app_name = "benefits"
urlpatterns = [
    path("benefits/", views.catalogue, name="catalogue"),
    path("benefits/feed/", BenefitChangesFeed(), name="feed"),
    path("benefits/export.csv", views.export_csv, name="export_csv"),
    path("benefits/<int:pk>/", views.item_detail, name="item"),
    path("benefits/<int:pk>/history/", views.item_history, name="history"),
    path("benefits/my-card/", views.my_card, name="my_card"),
    path("benefits/workspace/", views.workspace, name="workspace"),
    path("benefits/workspace/new/", views.workspace_new, name="workspace_new"),
    path("benefits/workspace/<int:pk>/", views.workspace_item, name="workspace_item"),
    path("benefits/workspace/<int:pk>/edit/", views.workspace_edit, name="workspace_edit"),
    path("benefits/workspace/<int:pk>/publish/", views.workspace_publish, name="workspace_publish"),
    path("benefits/workspace/<int:pk>/withdraw/", views.workspace_withdraw, name="workspace_withdraw"),
    path("benefits/workspace/<int:pk>/comment/", views.workspace_comment, name="workspace_comment"),
    path("benefits/coverage/", views.coverage, name="coverage"),
]
