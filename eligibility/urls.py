"""HTML pages of the eligibility app."""

from django.urls import path

from . import views

app_name = "eligibility"
urlpatterns = [
    path("eligibility/check/", views.self_check_start, name="self_check_start"),
    path("eligibility/check/<slug:channel>/", views.self_check, name="self_check"),
    path("routes/", views.routes, name="routes"),
    path("routes/<slug:channel>/", views.route_detail, name="route_detail"),
    path("policy/", views.policy_list, name="policy_list"),
    path("policy/drafts/new/", views.policy_draft_create, name="policy_draft_create"),
    path("policy/schema.json", views.policy_schema_json, name="policy_schema_json"),
    path("policy/schema/", views.policy_schema_reference, name="policy_schema"),
    path("policy/import/", views.policy_import, name="policy_import"),
    path("policy/<int:pk>/", views.policy_detail, name="policy_detail"),
    path("policy/<int:pk>/export.<str:fmt>", views.policy_export, name="policy_export"),
    path("policy/<int:pk>/edit/", views.policy_edit, name="policy_edit"),
    path("policy/<int:pk>/thresholds/", views.policy_thresholds, name="policy_thresholds"),
    path(
        "policy/<int:pk>/reference/<slug:table>/year/",
        views.policy_reference_year,
        name="policy_reference_year",
    ),
    path("policy/<int:pk>/publish/", views.policy_publish, name="policy_publish"),
    path("policy/<int:pk>/delete/", views.policy_delete, name="policy_delete"),
    path("policy/<int:pk>/diff/", views.policy_diff_view, name="policy_diff"),
    path("policy/<int:pk>/impact/", views.policy_impact_view, name="policy_impact"),
    path("policy/talent-programs/", views.talent_programs, name="talent_programs"),
    path("policy/talent-programs/<int:pk>/", views.talent_program_edit, name="talent_program_edit"),
    path("policy/family-quota/", views.family_quotas, name="family_quotas"),
    path("policy/bans/", views.bans, name="bans"),
    path("policy/registers/", views.registers, name="registers"),
    path("policy/nominating-bodies/", views.nominating_bodies, name="nominating_bodies"),
    path("policy/nominating-bodies/<int:pk>/", views.nominating_bodies, name="nominating_body_edit"),
    path("policy/registers/<slug:register>/new/", views.register_draft_create, name="register_draft_create"),
    path("policy/registers/editions/<int:pk>/", views.register_edition, name="register_edition"),
    path("policy/registers/editions/<int:pk>/publish/", views.register_publish, name="register_publish"),
    path("policy/registers/editions/<int:pk>/delete/", views.register_delete, name="register_delete"),
]
