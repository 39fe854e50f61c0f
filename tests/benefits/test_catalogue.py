"""The public catalogue: search in both languages, filters, item pages, history, feed and exports."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from benefits import services
from benefits.models import BenefitItem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "keyword", ["专项附加扣除", "附加扣除", "deductions", "Deduction", "children's education"]
)
def test_the_public_finds_a_published_item_by_a_chinese_or_an_english_keyword(client, published, keyword):
    response = client.get(reverse("benefits:catalogue"), {"q": keyword})
    assert response.status_code == 200
    assert published.value("title_en") in response.content.decode()


def test_the_api_search_finds_it_in_both_languages_too(client, published):
    for keyword in ("专项附加扣除", "deductions"):
        data = client.get(reverse("api_benefits_catalogue"), {"q": keyword}).json()
        assert [row["id"] for row in data["results"]] == [published.pk]


def test_a_search_that_matches_nothing_says_so(client, published):
    response = client.get(reverse("benefits:catalogue"), {"q": "驾驶证 spaceship"})
    assert published.value("title_en") not in response.content.decode()
    assert "Nothing matches" in response.content.decode()


def test_drafts_and_pending_revisions_are_not_public(client, published, sam):
    draft = services.benefit_item_create(
        actor=sam, values={"category": "taxation", "title_en": "Only a draft"}
    )
    services.benefit_item_update(actor=sam, item=published, values={"title_en": "Secret new title"})
    page = client.get(reverse("benefits:catalogue")).content.decode()
    assert "Secret new title" not in page
    assert "Special additional deductions" in page  # the published version stays public
    assert client.get(reverse("benefits:item", args=[draft.pk])).status_code == 404
    data = client.get(reverse("api_benefits_catalogue")).json()
    assert [row["translations"]["en"]["title"] for row in data["results"]] == [
        "Special additional deductions"
    ]


def test_filters_by_category_agency_and_who_it_applies_to(client, published, hr_published):
    url = reverse("benefits:catalogue")
    assert (
        hr_published.value("title_en")
        in client.get(url, {"category": "employment_social_insurance"}).content.decode()
    )
    assert hr_published.value("title_en") not in client.get(url, {"category": "taxation"}).content.decode()
    assert hr_published.value("title_en") not in client.get(url, {"agency": "sta"}).content.decode()
    assert published.value("title_en") in client.get(url, {"agency": "sta"}).content.decode()
    page = client.get(url, {"applies_to": "working"}).content.decode()
    assert hr_published.value("title_en") in page and published.value("title_en") not in page


def test_html_in_a_description_is_shown_escaped(client, sam, sue):
    item = services.benefit_item_create(
        actor=sam,
        values={
            "category": "taxation",
            "title_en": "Escaping",
            "title_zh": "转义",
            "description_en": "<script>alert('x')</script>\nSecond line",
            "description_zh": "<b>粗体</b>",
        },
    )
    services.benefit_item_publish(actor=sue, item=item)
    html = client.get(reverse("benefits:item", args=[item.pk])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>Second line" in html


def test_the_item_page_has_a_permanent_url_in_both_languages(client, published):
    url = reverse("benefits:item", args=[published.pk])
    assert url == f"/benefits/{published.pk}/"
    english = client.get(url).content.decode()
    assert "Special additional deductions" in english
    chinese = client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
    assert "<h1>专项附加扣除</h1>" in chinese


def test_a_withdrawn_item_says_so_at_its_url_and_shows_nothing_else(client, published, sue):
    services.benefit_item_withdraw(actor=sue, item=published, reason="Replaced by the annual reconciliation.")
    response = client.get(reverse("benefits:item", args=[published.pk]))
    assert response.status_code == 410
    assert "withdrew" in response.content.decode()
    assert published.value("description_en") not in response.content.decode()
    assert client.get(reverse("benefits:history", args=[published.pk])).status_code == 404
    assert client.get(reverse("api_benefits_item", args=[published.pk])).status_code == 404


def test_the_history_shows_what_changed_between_versions(client, published, sam, sue):
    services.benefit_item_update(
        actor=sam,
        item=published,
        values={
            "description_en": "Claim deductions for children's education and rent.",
            "title_zh": "个税专项附加扣除",
        },
    )
    services.benefit_item_publish(actor=sue, item=published)
    html = client.get(reverse("benefits:history", args=[published.pk])).content.decode()
    assert "Version 2" in html and "Version 1" in html
    assert '<span class="visually-hidden">added: </span> and rent</ins>' in html
    assert '<ins><span class="visually-hidden">added: </span>个税</ins>' in html

    data = client.get(reverse("api_benefits_item_versions", args=[published.pk])).json()
    assert [v["version"] for v in data["results"]] == [2, 1]
    assert {c["field"] for c in data["results"][0]["changes"]} == {"description_en", "title_zh"}


def test_the_atom_feed_lists_publications(client, published):
    response = client.get(reverse("benefits:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Special additional deductions (version 1" in body
    assert f"/benefits/{published.pk}/" in body


def test_the_csv_export_has_every_published_item_in_both_languages(client, published, hr_published, sam):
    services.benefit_item_create(actor=sam, values={"category": "taxation", "title_en": "Only a draft"})
    response = client.get(reverse("benefits:export_csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {r["title_zh"] for r in rows} == {"专项附加扣除", "参加社会保险"}
    filtered = client.get(reverse("benefits:export_csv"), {"agency": "mohrss"})
    assert (
        len(list(csv.DictReader(io.StringIO(b"".join(filtered.streaming_content).decode("utf-8-sig"))))) == 1
    )


def test_the_csv_export_defuses_spreadsheet_formulas(client, sam, sue):
    item = services.benefit_item_create(
        actor=sam,
        values={
            "category": "taxation",
            "title_en": '=HYPERLINK("x")',
            "title_zh": "公式",
            "description_en": "d",
            "description_zh": "描述",
        },
    )
    services.benefit_item_publish(actor=sue, item=item)
    body = b"".join(client.get(reverse("benefits:export_csv")).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_the_catalogue_pages_with_a_constant_number_of_queries(
    client, sam, sue, django_assert_max_num_queries
):
    for n in range(25):
        item = services.benefit_item_create(
            actor=sam,
            values={
                "category": "taxation",
                "title_en": f"Item {n}",
                "title_zh": f"条目{n}",
                "description_en": "d",
                "description_zh": "描述",
            },
        )
        services.benefit_item_publish(actor=sue, item=item)
    with django_assert_max_num_queries(6):
        first = client.get(reverse("api_benefits_catalogue"), {"page_size": 10}).json()
    with django_assert_max_num_queries(6):
        second = client.get(
            reverse("api_benefits_catalogue"), {"page_size": 10, "cursor": first["next"]}
        ).json()
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    with django_assert_max_num_queries(10):
        assert client.get(reverse("benefits:catalogue")).status_code == 200


def test_a_broken_cursor_starts_again_on_the_page_and_is_a_404_in_the_api(client, published):
    assert client.get(reverse("benefits:catalogue"), {"cursor": "!!!"}).status_code == 200
    assert client.get(reverse("api_benefits_catalogue"), {"cursor": "!!!"}).status_code == 404
    assert client.get(reverse("api_benefits_catalogue"), {"page_size": ""}).status_code == 400
    assert client.get("/api/benefits/items/null,null/").json() == {"detail": "Not found."}


def test_json_export_is_the_api_with_no_login(client, published):
    response = client.get(reverse("api_benefits_catalogue"), {"format": "json"})
    assert response.status_code == 200
    assert json.loads(response.content)["results"][0]["agency"]["code"] == "sta"


def test_the_public_api_is_throttled(client, published, monkeypatch, settings):
    from django.core.cache import cache
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"})
    cache.clear()
    codes = [client.get(reverse("api_benefits_catalogue")).status_code for _ in range(4)]
    cache.clear()
    assert codes == [200, 200, 200, 429]


def test_a_nul_byte_in_the_search_is_harmless(client, published):
    assert client.get(reverse("benefits:catalogue"), {"q": "tax\x00"}).status_code == 200
    assert client.get(reverse("api_benefits_catalogue"), {"q": "tax\x00"}).status_code in (200, 400)


def test_the_items_state_is_never_public_for_drafts_in_the_api(client, draft):
    assert client.get(reverse("api_benefits_item", args=[draft.pk])).status_code == 404
    assert BenefitItem.objects.get(pk=draft.pk).state == "draft"


def test_workspace_and_history_pages_cost_the_same_however_many_rows(
    client, sam, sue, django_assert_max_num_queries
):
    def make(n):
        for i in range(n):
            item = services.benefit_item_create(
                actor=sam,
                values={
                    "category": "taxation",
                    "title_en": f"T{i}",
                    "title_zh": f"标题{i}",
                    "description_en": "d",
                    "description_zh": "描述",
                },
            )
            services.benefit_item_publish(actor=sue, item=item)
            services.benefit_item_update(actor=sam, item=item, values={"description_en": "d2"})
            services.benefit_item_publish(actor=sue, item=item)
        return item

    item = make(3)
    client.force_login(sam)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("api_benefits_workspace_items"))
    # The texts are translation rows: one more query per list of versions (the page, the ones
    # before them, the item's public version), however many versions there are.
    with django_assert_max_num_queries(10):
        client.get(reverse("api_benefits_item_versions", args=[item.pk]))
    make(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("api_benefits_workspace_items"))
