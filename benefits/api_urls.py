"""REST API of the benefits app, mounted under /api/."""

from django.urls import path

from . import apis

urlpatterns = [
    path("benefits/items/", apis.BenefitCatalogueApi.as_view(), name="api_benefits_catalogue"),
    path("benefits/items/<str:item_id>/", apis.BenefitCatalogueItemApi.as_view(), name="api_benefits_item"),
    path(
        "benefits/items/<str:item_id>/versions/",
        apis.BenefitVersionHistoryApi.as_view(),
        name="api_benefits_item_versions",
    ),
    path("benefits/my-items/", apis.BenefitHolderItemsApi.as_view(), name="api_benefits_my_items"),
    path(
        "benefits/workspace/items/",
        apis.BenefitWorkspaceItemListApi.as_view(),
        name="api_benefits_workspace_items",
    ),
    path(
        "benefits/workspace/items/<str:item_id>/",
        apis.BenefitWorkspaceItemApi.as_view(),
        name="api_benefits_workspace_item",
    ),
    path(
        "benefits/workspace/items/<str:item_id>/publish/",
        apis.BenefitWorkspacePublishApi.as_view(),
        name="api_benefits_workspace_publish",
    ),
    path(
        "benefits/workspace/items/<str:item_id>/withdraw/",
        apis.BenefitWorkspaceWithdrawApi.as_view(),
        name="api_benefits_workspace_withdraw",
    ),
    path(
        "benefits/workspace/items/<str:item_id>/comments/",
        apis.BenefitCommentApi.as_view(),
        name="api_benefits_workspace_comments",
    ),
    path("benefits/coverage/", apis.BenefitCoverageApi.as_view(), name="api_benefits_coverage"),
]
