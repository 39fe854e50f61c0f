"""Who may do what, in the screens, the API and the admin alike.

Staff draft their own agency's items; supervisors publish and withdraw them; policy administrators
see everything and comment but edit nothing; the public and applicants read published items only.
Another agency's item is a 404, and nothing changes.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from benefits.models import BenefitComment, BenefitItem

from .conftest import item_values

pytestmark = pytest.mark.django_db


def state_of(item) -> tuple:
    item = BenefitItem.objects.get(pk=item.pk)
    return (
        item.state,
        item.value("title_en"),
        item.lock_version,
        item.versions.count(),
        BenefitComment.objects.count(),
    )


PERSONAS = ["anonymous", "applicant", "sam", "sue", "hank", "hera", "paula"]

# persona -> expected status for (view workspace item, edit, publish, withdraw, comment)
# on a published item of the tax administration (sam's and sue's agency).
HTML_EXPECTED = {
    "anonymous": {"view": 302, "edit": 302, "publish": 302, "withdraw": 302, "comment": 302},
    "applicant": {"view": 404, "edit": 404, "publish": 404, "withdraw": 404, "comment": 404},
    "sam": {"view": 200, "edit": 200, "publish": "refused", "withdraw": "refused", "comment": "refused"},
    "sue": {"view": 200, "edit": 200, "publish": "conflict", "withdraw": "done", "comment": "refused"},
    "hank": {"view": 404, "edit": 404, "publish": 404, "withdraw": 404, "comment": 404},
    "hera": {"view": 404, "edit": 404, "publish": 404, "withdraw": 404, "comment": 404},
    "paula": {"view": 200, "edit": 403, "publish": "refused", "withdraw": "refused", "comment": "done"},
}


@pytest.fixture
def personas(applicant, sam, sue, hank, hera, paula):
    return {
        "anonymous": None,
        "applicant": applicant,
        "sam": sam,
        "sue": sue,
        "hank": hank,
        "hera": hera,
        "paula": paula,
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["view", "edit", "publish", "withdraw", "comment"])
def test_the_screens_enforce_the_matrix(client, personas, published, persona, action):
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    expected = HTML_EXPECTED[persona][action]
    before = state_of(published)
    if action == "view":
        response = client.get(reverse("benefits:workspace_item", args=[published.pk]))
    elif action == "edit":
        response = client.post(
            reverse("benefits:workspace_edit", args=[published.pk]),
            {
                **{k: v for k, v in item_values().items() if v is not None},
                "title_en": "Edited",
                "kind": "treatment",
                "applies_to": "all",
                "save": "1",
            },
        )
        if expected == 200:  # allowed: the edit is saved as a pending revision
            assert response.status_code == 302
            assert BenefitItem.objects.get(pk=published.pk).value("title_en") == "Edited"
            return
    elif action == "publish":
        response = client.post(reverse("benefits:workspace_publish", args=[published.pk]))
    elif action == "withdraw":
        response = client.post(reverse("benefits:workspace_withdraw", args=[published.pk]), {"reason": "r"})
    else:
        response = client.post(
            reverse("benefits:workspace_comment", args=[published.pk]), {"body": "Please add a link."}
        )

    if expected == "done":
        assert response.status_code == 302
        assert state_of(published) != before
        return
    if expected in ("refused", "conflict"):
        assert response.status_code in (302, 403)
    else:
        assert response.status_code == expected
    assert state_of(published) == before


API_EXPECTED = {
    # persona: (GET item, PATCH, publish, withdraw, comment)
    "anonymous": (403, 403, 403, 403, 403),
    "applicant": (404, 404, 404, 404, 404),
    "sam": (200, None, 403, 403, 403),
    "sue": (200, None, 409, 200, 403),
    "hank": (404, 404, 404, 404, 404),
    "hera": (404, 404, 404, 404, 404),
    "paula": (200, 403, 403, 403, 201),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_enforces_the_matrix(client, personas, published, persona):
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    get, patch, publish, withdraw, comment = API_EXPECTED[persona]
    url = reverse("api_benefits_workspace_item", args=[published.pk])
    before = state_of(published)
    assert client.get(url).status_code == get
    if patch is not None:
        assert client.patch(url, {"title_en": "Edited"}, content_type="application/json").status_code == patch
    assert client.post(reverse("api_benefits_workspace_publish", args=[published.pk])).status_code == publish
    if comment == 201:
        assert (
            client.post(
                reverse("api_benefits_workspace_comments", args=[published.pk]), {"body": "ok"}
            ).status_code
            == 201
        )
        assert BenefitComment.objects.count() == before[4] + 1
        return
    assert (
        client.post(
            reverse("api_benefits_workspace_comments", args=[published.pk]), {"body": "x"}
        ).status_code
        == comment
    )
    response = client.post(reverse("api_benefits_workspace_withdraw", args=[published.pk]), {"reason": "r"})
    assert response.status_code == withdraw
    if withdraw != 200:
        assert state_of(published) == before


def test_the_public_reads_published_items_without_logging_in(client, published):
    assert client.get(reverse("benefits:item", args=[published.pk])).status_code == 200
    assert client.get(reverse("api_benefits_item", args=[published.pk])).status_code == 200


def test_the_workspace_lists_only_the_agencys_own_items(
    client, published, hr_published, sam, paula, applicant
):
    client.force_login(sam)
    page = client.get(reverse("benefits:workspace"), {"state": "published"}).content.decode()
    assert published.value("title_en") in page and hr_published.value("title_en") not in page
    data = client.get(reverse("api_benefits_workspace_items")).json()
    assert [r["id"] for r in data["results"]] == [published.pk]

    client.force_login(paula)
    data = client.get(reverse("api_benefits_workspace_items")).json()
    assert {r["id"] for r in data["results"]} == {published.pk, hr_published.pk}

    client.force_login(applicant)
    assert client.get(reverse("benefits:workspace")).status_code == 404
    assert client.get(reverse("api_benefits_workspace_items")).status_code == 403


def test_another_agency_cannot_create_into_someone_elses_agency(client, hank, tax):
    client.force_login(hank)
    response = client.post(
        reverse("api_benefits_workspace_items"),
        {"category": "taxation", "title_en": "Mine", "agency": tax.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert BenefitItem.objects.get().agency.code == "mohrss"


def test_api_create_edit_publish_withdraw_by_the_agency(client, sam, sue):
    client.force_login(sam)
    response = client.post(
        reverse("api_benefits_workspace_items"),
        item_values(effective_date="2022-04-01"),
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    item_id = response.json()["id"]
    response = client.patch(
        reverse("api_benefits_workspace_item", args=[item_id]),
        {"title_en": "Convert a foreign licence", "lock_version": 0},
        content_type="application/json",
    )
    assert response.status_code == 200
    stale = client.patch(
        reverse("api_benefits_workspace_item", args=[item_id]),
        {"title_en": "Stale", "lock_version": 0},
        content_type="application/json",
    )
    assert stale.status_code == 409
    client.force_login(sue)
    assert client.post(reverse("api_benefits_workspace_publish", args=[item_id])).json()["version"] == 1
    assert (
        client.post(reverse("api_benefits_workspace_withdraw", args=[item_id]), {"reason": "gone"}).json()[
            "state"
        ]
        == "withdrawn"
    )
    client.force_login(sam)
    edit = client.patch(
        reverse("api_benefits_workspace_item", args=[item_id]),
        {"title_en": "Back"},
        content_type="application/json",
    )
    assert edit.status_code == 409
    assert BenefitItem.objects.get(pk=item_id).value("title_en") == "Convert a foreign licence"


def test_api_bad_input_is_a_400_with_field_errors(client, sam, sue):
    client.force_login(sam)
    url = reverse("api_benefits_workspace_items")
    assert client.post(url, {"category": "taxation", "title_en": ""}, content_type="application/json").json()[
        "errors"
    ].keys() == {"title_en"}
    big = client.post(
        url,
        {"category": "taxation", "title_en": "t", "description_en": "x" * 10_001},
        content_type="application/json",
    )
    assert big.status_code == 400
    assert "description_en" in big.json()["errors"]
    assert (
        client.post(
            url, {"category": "nonsense", "title_en": "t"}, content_type="application/json"
        ).status_code
        == 400
    )
    assert not BenefitItem.objects.exists()
    # English alone publishes (other languages fall back to it); a translation, given, must be
    # complete. Texts may come flattened (title_en) or as the translations object the output has.
    item = client.post(
        url,
        {
            "category": "taxation",
            "title_en": "Half translated",
            "description_en": "d",
            "translations": {"ja": {"title": "半分だけ翻訳"}},
        },
        content_type="application/json",
    ).json()
    assert item["translations"]["ja"]["title"] == "半分だけ翻訳"
    client.force_login(sue)
    response = client.post(reverse("api_benefits_workspace_publish", args=[item["id"]]))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"description_ja"}
    client.force_login(sam)
    english_only = client.post(
        url,
        {"category": "taxation", "title_en": "Only English", "description_en": "d"},
        content_type="application/json",
    ).json()
    client.force_login(sue)
    assert (
        client.post(reverse("api_benefits_workspace_publish", args=[english_only["id"]])).status_code == 200
    )


def test_the_admin_follows_the_same_rules(client, published, hr_published, sam, sue, hank, sysadmin):
    for user in (sam, sue, hank):
        user.is_staff = True
        user.save()
    client.force_login(hank)
    assert client.get(reverse("admin:benefits_benefititem_change", args=[published.pk])).status_code in (
        302,
        404,
    )
    listing = client.get(reverse("admin:benefits_benefititem_changelist")).content.decode()
    assert hr_published.value("title_en") in listing and published.value("title_en") not in listing
    before = state_of(published)
    client.post(
        reverse("admin:benefits_benefititem_changelist"),
        {"action": "publish_selected", "_selected_action": [published.pk]},
    )
    assert state_of(published) == before

    client.force_login(sam)
    response = client.post(
        reverse("admin:benefits_benefititem_change", args=[published.pk]),
        {
            **item_values(title_en="Via admin", category="taxation", effective_date="2022-04-01"),
            "kind": "treatment",
            "applies_to": "all",
            "link": "",
        },
    )
    assert response.status_code == 302
    item = BenefitItem.objects.get(pk=published.pk)
    assert item.value("title_en") == "Via admin" and item.has_pending_changes
    assert item.published_version.value("title_en") != "Via admin"

    client.post(
        reverse("admin:benefits_benefititem_changelist"),
        {"action": "publish_selected", "_selected_action": [published.pk]},
    )
    assert BenefitItem.objects.get(pk=published.pk).versions.count() == 1  # staff cannot publish

    client.force_login(sue)
    client.post(
        reverse("admin:benefits_benefititem_changelist"),
        {"action": "publish_selected", "_selected_action": [published.pk]},
    )
    assert BenefitItem.objects.get(pk=published.pk).versions.count() == 2

    client.force_login(sysadmin)
    assert client.get(reverse("admin:benefits_benefititem_change", args=[published.pk])).status_code == 200
    client.post(
        reverse("admin:benefits_benefititem_changelist"),
        {"action": "withdraw_selected", "_selected_action": [published.pk]},
    )
    assert BenefitItem.objects.get(pk=published.pk).state == "published"
