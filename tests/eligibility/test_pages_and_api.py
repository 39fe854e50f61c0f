"""Public self-check and route pages (R13), policy pages and API, and who may use them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from eligibility.models import Ban, FamilyQuota, PolicyVersion, TalentProgram
from eligibility.selectors import policy_version_in_force
from eligibility.services import policy_draft_create
from tests.eligibility.factories import BanFactory, FamilyQuotaFactory, TalentProgramFactory, policy_admin
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


@pytest.fixture
def paula():
    return policy_admin(email="paula@example.org")


@pytest.fixture
def api():
    return APIClient()


INVESTOR = {
    "amount_usd": "499999",
    "method": "direct",
    "first_investment_date": "2018-01-01",
    "enterprise_address_code": "510100",  # Chengdu: western region
    "industry_code": "C3011",  # cement: not encouraged
    "tax_record_good": True,
}


# --- public pages ------------------------------------------------------------------------------


def test_anyone_can_check_and_sees_the_explanation_and_what_if(client):
    response = client.post(
        reverse("eligibility:self_check", args=["investment"]),
        {
            "amount_usd": "499999",
            "method": "direct",
            "first_investment_date": "2018-01-01",
            "enterprise_address_code": "510100",  # Chengdu: western region
            "industry_code": "C3011",
            "tax_record_good": "yes",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not eligible" in page
    assert "500,000" in page or "500000" in page
    assert "2004 Measures" in page
    assert not PolicyVersion.objects.exclude(status="published").exists()


def test_the_self_check_page_speaks_chinese(client):
    response = client.post(
        reverse("eligibility:self_check", args=["investment"]),
        {
            "amount_usd": "500000",
            "method": "direct",
            "first_investment_date": "2018-01-01",
            "enterprise_address_code": "510100",  # Chengdu: western region
            "industry_code": "C3011",
            "tax_record_good": "yes",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    page = response.content.decode()
    assert "符合条件" in page
    assert "投资金额" in page


def test_the_self_check_form_is_built_from_the_policys_facts(client):
    page = client.get(reverse("eligibility:self_check", args=["family"])).content.decode()
    assert 'name="marriage_date"' in page
    assert 'name="talent_program_registered"' not in page


def test_bad_self_check_input_is_shown_on_the_form(client):
    response = client.post(
        reverse("eligibility:self_check", args=["family"]), {"days_in_china_by_year": "many"}
    )
    assert response.status_code == 200
    assert "whole numbers" in response.content.decode()


def test_an_unknown_route_is_a_404(client):
    assert client.get(reverse("eligibility:self_check", args=["lottery"])).status_code == 404
    assert client.get(reverse("eligibility:route_detail", args=["lottery"])).status_code == 404


def test_route_pages_come_from_the_policy_in_force(client, paula):
    page = client.get(reverse("eligibility:route_detail", args=["talent"])).content.decode()
    assert "Key talent program selection certificate" in page
    assert "Pass mark: 80 points." in page
    draft = policy_draft_create(actor=paula)
    document = draft.document
    document["channels"]["talent"]["points"]["pass_mark"] = 75
    from eligibility.services import policy_draft_update, policy_publish

    policy_draft_update(actor=paula, draft=draft, document=document)
    assert (
        "Pass mark: 80 points."
        in client.get(reverse("eligibility:route_detail", args=["talent"])).content.decode()
    )
    policy_publish(actor=paula, draft=draft)
    assert (
        "Pass mark: 75 points."
        in client.get(reverse("eligibility:route_detail", args=["talent"])).content.decode()
    )
    assert client.get(reverse("eligibility:routes")).status_code == 200


# --- self-check API ------------------------------------------------------------------------------


def test_the_self_check_api_needs_no_login_and_stores_nothing(api):
    counts = (PolicyVersion.objects.count(), Ban.objects.count())
    response = api.post(
        "/api/eligibility/self-check/", {"channel": "investment", "facts": INVESTOR}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["outcome"] == "not_eligible"
    assert body["policy_version"] == "2016.1-default"
    assert body["what_if"]
    assert any(c["id"] == "amount_500k_western" and c["outcome"] == "not_met" for c in body["criteria"])
    assert (PolicyVersion.objects.count(), Ban.objects.count()) == counts


def test_the_self_check_api_answers_in_chinese(api):
    response = api.post(
        "/api/eligibility/self-check/",
        {"channel": "investment", "facts": INVESTOR},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "不符合条件" in response.json()["summary"]


@pytest.mark.parametrize(
    "payload",
    [
        {"channel": "lottery", "facts": {}},
        {"channel": "investment", "facts": {"amount_usd": "lots"}},
        {"channel": "investment", "facts": {"shoe_size": 42}},
        {"channel": "investment"},
    ],
)
def test_bad_self_check_input_is_a_400(api, payload):
    response = api.post("/api/eligibility/self-check/", payload, format="json")
    assert response.status_code == 400, response.content
    assert "errors" in response.json()


def test_the_self_check_api_is_throttled(api, settings, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "2/minute"})
    codes = [
        api.post("/api/eligibility/self-check/", {"channel": "work", "facts": {}}, format="json").status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


# --- permissions ----------------------------------------------------------------------------------

ADMIN_PAGES = [
    "eligibility:policy_list",
    "eligibility:talent_programs",
    "eligibility:family_quotas",
    "eligibility:policy_import",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
@pytest.mark.parametrize("roles", [["applicant"], ["reviewer"], ["approver"], ["agency_staff"]])
def test_policy_pages_are_not_found_for_anyone_but_policy_admins(client, name, roles):
    client.force_login(UserFactory(roles=roles))
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_policy_admins_see_the_policy_pages(client, paula, name):
    client.force_login(paula)
    assert client.get(reverse(name)).status_code == 200


def test_drafts_are_invisible_to_others_and_cannot_be_published(client, api, paula, alice):
    draft = policy_draft_create(actor=paula)
    client.force_login(alice)
    assert client.get(reverse("eligibility:policy_detail", args=[draft.pk])).status_code == 404
    assert (
        client.post(
            reverse("eligibility:policy_publish", args=[draft.pk]),
            {"effective_from": timezone.localdate().isoformat()},
        ).status_code
        == 404
    )
    api.force_authenticate(alice)
    assert api.get(f"/api/eligibility/policy-versions/{draft.pk}/").status_code == 404
    assert (
        api.post(f"/api/eligibility/policy-versions/{draft.pk}/publish/", {}, format="json").status_code
        == 403
    )
    assert api.post("/api/eligibility/policy-versions/drafts/", {}, format="json").status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_others_cannot_change_programs_quotas_or_bans(api, alice):
    api.force_authenticate(alice)
    agency = AgencyFactory()
    assert (
        api.post(
            "/api/eligibility/talent-programs/",
            {"code": "x", "name_en": "X", "name_zh": "X", "agency": agency.code, "valid_from": "2020-01-01"},
            format="json",
        ).status_code
        == 403
    )
    assert (
        api.post("/api/eligibility/family-quotas/", {"year": 2025, "places": 1}, format="json").status_code
        == 403
    )
    assert api.get("/api/eligibility/family-quotas/").status_code == 403
    assert api.get("/api/eligibility/bans/").status_code == 403
    assert not TalentProgram.objects.exists() and not FamilyQuota.objects.exists()


def test_the_ban_page_is_for_policy_admins_and_management_officers(client, alice):
    client.force_login(alice)
    assert client.get(reverse("eligibility:bans")).status_code == 404
    client.force_login(UserFactory(roles=["management_officer"]))
    assert client.get(reverse("eligibility:bans")).status_code == 200


# --- policy administration through the portal ------------------------------------------------------


def test_a_policy_admin_changes_a_threshold_and_publishes_it(client, paula):
    client.force_login(paula)
    response = client.post(reverse("eligibility:policy_draft_create"))
    draft = PolicyVersion.objects.get(status="draft")
    assert response.url == reverse("eligibility:policy_detail", args=[draft.pk])
    form = client.get(reverse("eligibility:policy_thresholds", args=[draft.pk])).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data["investment__amount_500k_western__value"] = 600000
    assert client.post(reverse("eligibility:policy_thresholds", args=[draft.pk]), data).status_code == 302
    client.post(
        reverse("eligibility:policy_publish", args=[draft.pk]),
        {"effective_from": timezone.localdate().isoformat()},
    )
    draft.refresh_from_db()
    assert draft.status == "published"
    assert policy_version_in_force() == draft


def test_the_text_editor_shows_each_error_by_path_and_saves_nothing(client, paula):
    draft = policy_draft_create(actor=paula)
    client.force_login(paula)
    response = client.post(
        reverse("eligibility:policy_edit", args=[draft.pk]), {"fmt": "json", "text": '{"version": "x"}'}
    )
    page = response.content.decode()
    assert "missing" in page and "channels" in page
    draft.refresh_from_db()
    assert draft.document["version"] == draft.label


def test_export_downloads_yaml_and_json(client, paula):
    client.force_login(paula)
    version = policy_version_in_force()
    yaml_response = client.get(reverse("eligibility:policy_export", args=[version.pk, "yaml"]))
    assert "attachment" in yaml_response["Content-Disposition"]
    assert b"version: 2016.1-default" in yaml_response.content
    assert (
        client.get(reverse("eligibility:policy_export", args=[version.pk, "json"])).json()["version"]
        == version.label
    )


def test_the_import_page_lists_problems_and_stores_nothing(client, paula):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(paula)
    upload = SimpleUploadedFile("p.yaml", b"version: x\nchannels: {}\n")
    response = client.post(reverse("eligibility:policy_import"), {"fmt": "yaml", "file": upload})
    assert response.status_code == 200
    assert "problems" in response.content.decode()
    assert PolicyVersion.objects.count() == 1


def test_the_policy_page_shows_the_reference_tables(client, paula):
    client.force_login(paula)
    page = client.get(
        reverse("eligibility:policy_detail", args=[policy_version_in_force().pk])
    ).content.decode()
    assert "local average annual wage" in page
    assert "218300" in page
    assert reverse("eligibility:registers") in page  # the catalogues are registers of their own


def test_the_impact_page_reads_the_cases_the_applications_app_registered(client, paula):
    draft = policy_draft_create(actor=paula)
    client.force_login(paula)
    response = client.get(reverse("eligibility:policy_impact", args=[draft.pk]))
    assert response.context["report"].cases == 0  # the real source: no case submitted here


def test_the_impact_page_counts_changes_when_cases_are_offered(client, paula, monkeypatch):
    from eligibility import views

    cases = [("investment", INVESTOR | {"amount_usd": "550000"}, date(2025, 1, 1), "eligible")]
    monkeypatch.setattr(views, "submitted_cases", lambda: cases)
    draft = policy_draft_create(actor=paula)
    client.force_login(paula)
    response = client.get(reverse("eligibility:policy_impact", args=[draft.pk]))
    assert response.context["report"].changed == 0


# --- API for administrators -------------------------------------------------------------------------


def test_the_api_publishes_an_imported_policy(api, paula):
    api.force_authenticate(paula)
    exported = api.get(
        f"/api/eligibility/policy-versions/{policy_version_in_force().pk}/export/?file_format=json"
    )
    content = exported.json()["content"].replace("2016.1-default", "2026.1")
    created = api.post(
        "/api/eligibility/policy-versions/import/", {"file_format": "json", "content": content}, format="json"
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert api.post(
        "/api/eligibility/policy-versions/validate/",
        {"content": content, "file_format": "json"},
        format="json",
    ).json() == {"valid": True, "errors": []}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    published = api.post(
        f"/api/eligibility/policy-versions/{pk}/publish/", {"effective_from": tomorrow}, format="json"
    )
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    refused = api.put(f"/api/eligibility/policy-versions/{pk}/document/", {"document": {}}, format="json")
    assert refused.status_code == 404


def test_the_api_import_reports_errors_by_path(api, paula):
    api.force_authenticate(paula)
    response = api.post(
        "/api/eligibility/policy-versions/import/",
        {"file_format": "yaml", "content": "version: x\n"},
        format="json",
    )
    assert response.status_code == 400
    assert "document.(policy)" in response.json()["errors"]


def test_the_api_lists_versions_in_constant_queries(api, paula, django_assert_num_queries):
    for _ in range(3):
        policy_draft_create(actor=paula)
    api.force_authenticate(paula)
    api.get("/api/eligibility/policy-versions/")
    with django_assert_num_queries(1):
        response = api.get("/api/eligibility/policy-versions/")
    assert len(response.json()["results"]) == 4
    for _ in range(5):
        policy_draft_create(actor=paula)
    with django_assert_num_queries(1):
        response = api.get("/api/eligibility/policy-versions/")
    assert len(response.json()["results"]) == 9


def test_the_api_manages_talent_programs_quotas_and_bans(api, paula):
    api.force_authenticate(paula)
    agency = AgencyFactory(code="most")
    created = api.post(
        "/api/eligibility/talent-programs/",
        {
            "code": "qnqr",
            "name_en": "Young experts",
            "name_zh": "青年专家",
            "agency": "most",
            "valid_from": "2020-01-01",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    retired = api.patch(
        f"/api/eligibility/talent-programs/{created.json()['id']}/", {"status": "retired"}, format="json"
    )
    assert retired.json()["status"] == "retired"
    assert agency.talent_programs.count() == 1
    quota = api.post("/api/eligibility/family-quotas/", {"year": 2026, "places": 10}, format="json")
    assert quota.json() | {"id": 0} == {
        "id": 0,
        "year": 2026,
        "region": "",
        "places": 10,
        "used": 0,
        "waiting": 0,
    }
    ban = api.post(
        "/api/eligibility/bans/",
        {
            "passport_number": "E9",
            "nationality": "FRA",
            "birth_date": "1990-02-02",
            "ground": "deportation",
            "reason": "Deported 2025",
        },
        format="json",
    )
    assert ban.status_code == 201
    assert api.get("/api/eligibility/bans/").json()["results"][0]["passport_number"] == "E9"


def test_list_pages_of_programs_quotas_and_bans_render(client, paula):
    TalentProgramFactory()
    FamilyQuotaFactory()
    BanFactory()
    client.force_login(paula)
    for name in ("eligibility:talent_programs", "eligibility:family_quotas", "eligibility:bans"):
        assert client.get(reverse(name)).status_code == 200
