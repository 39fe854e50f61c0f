"""REST API of the eligibility app, mounted under /api/."""

from django.urls import path

from . import apis

urlpatterns = [
    path("eligibility/policy-versions/", apis.PolicyVersionListApi.as_view(), name="api_policy_versions"),
    path(
        "eligibility/policy-versions/drafts/",
        apis.PolicyDraftCreateApi.as_view(),
        name="api_policy_draft_create",
    ),
    path(
        "eligibility/policy-versions/import/", apis.PolicyVersionImportApi.as_view(), name="api_policy_import"
    ),
    path(
        "eligibility/policy-versions/validate/", apis.PolicyValidateApi.as_view(), name="api_policy_validate"
    ),
    path(
        "eligibility/policy-versions/<str:pk>/",
        apis.PolicyVersionDetailApi.as_view(),
        name="api_policy_version",
    ),
    path(
        "eligibility/policy-versions/<str:pk>/export/",
        apis.PolicyVersionExportApi.as_view(),
        name="api_policy_export",
    ),
    path(
        "eligibility/policy-versions/<str:pk>/document/",
        apis.PolicyDraftDocumentApi.as_view(),
        name="api_policy_document",
    ),
    path(
        "eligibility/policy-versions/<str:pk>/publish/",
        apis.PolicyPublishApi.as_view(),
        name="api_policy_publish",
    ),
    path("eligibility/talent-programs/", apis.TalentProgramListApi.as_view(), name="api_talent_programs"),
    path(
        "eligibility/talent-programs/<str:pk>/",
        apis.TalentProgramDetailApi.as_view(),
        name="api_talent_program",
    ),
    path("eligibility/family-quotas/", apis.FamilyQuotaListApi.as_view(), name="api_family_quotas"),
    path("eligibility/bans/", apis.BanListApi.as_view(), name="api_bans"),
    path("eligibility/self-check/", apis.SelfCheckApi.as_view(), name="api_self_check"),
]
