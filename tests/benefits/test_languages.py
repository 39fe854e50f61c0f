"""Items in any configured language: texts are translation rows, so a language is data; a reader
whose language an item lacks sees the English, marked lang="en", with a notice."""

from __future__ import annotations

from django.urls import reverse

from benefits import services
from benefits.models import BenefitItem, BenefitItemTranslation, BenefitVersionTranslation

NOTICE = "fallback-notice"


def _page(client, url, language) -> str:
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


def test_a_reader_whose_language_an_item_lacks_sees_english_with_a_notice(client, published):
    url = reverse("benefits:item", args=[published.pk])
    page = _page(client, url, "ko")
    assert '<html lang="ko"' in page
    assert '<h1 lang="en" dir="ltr">Special additional deductions</h1>' in page
    assert NOTICE in page and '<article class="panel" lang="en" dir="ltr">' in page
    # The catalogue card says so too.
    card = _page(client, reverse("benefits:catalogue"), "ko")
    assert NOTICE in card and 'lang="en" dir="ltr"><a href="/benefits/' in card
    # Chinese exists: shown as it is, no notice.
    page = _page(client, url, "zh-hans")
    assert "专项附加扣除" in page and NOTICE not in page


def test_adding_a_language_to_an_item_is_a_row_not_a_column(client, published, sam, sue):
    before = {f.name for f in BenefitItemTranslation._meta.get_fields()}
    services.benefit_item_update(
        actor=sam,
        item=published,
        values={
            "title_ja": "特別追加控除",
            "description_ja": "子女教育などの特別追加控除を受けられます。",
            "legal_basis_ja": "機動車運転免許証の申請及び使用に関する規定",
        },
    )
    services.benefit_item_publish(actor=sue, item=published)
    assert {f.name for f in BenefitItemTranslation._meta.get_fields()} == before
    assert set(published.translations.values_list("language", flat=True)) == {"en", "zh-hans", "ja"}
    assert BenefitVersionTranslation.objects.filter(version__item=published, language="ja").count() == 1

    page = _page(client, reverse("benefits:item", args=[published.pk]), "ja")
    assert "特別追加控除" in page and NOTICE not in page
    api = client.get(reverse("api_benefits_item", args=[published.pk]), HTTP_ACCEPT_LANGUAGE="ja").json()
    assert api["translations"]["ja"]["title"] == "特別追加控除"
    assert api["language"] == "ja" and api["is_fallback"] is False
    # The history names the change by language.
    history = client.get(reverse("api_benefits_item_versions", args=[published.pk])).json()
    assert {c["field"] for c in history["results"][0]["changes"]} == {
        "title_ja",
        "description_ja",
        "legal_basis_ja",
    }


def test_editors_pick_the_second_language_and_the_others_stay_as_they_are(client, sam, published):
    client.force_login(sam)
    edit = reverse("benefits:workspace_edit", args=[published.pk])
    form = client.get(edit, {"language": "ar"}).content.decode()
    assert 'name="title_ar"' in form and 'dir="rtl"' in form and 'name="title_zh"' not in form
    response = client.post(
        edit,
        {
            "edit_language": "ar",
            "kind": "treatment",
            "category": "taxation",
            "applies_to": "all",
            "title_en": "Special additional deductions",
            "description_en": "Claim deductions for children's education.",
            "legal_basis_en": "Provisions on Motor Vehicle Driving Licences",
            "title_ar": "الخصومات الإضافية الخاصة",
            "save": "1",
        },
    )
    assert response.status_code == 302
    item = BenefitItem.objects.get(pk=published.pk)
    assert item.value("title_ar") == "الخصومات الإضافية الخاصة"
    assert item.value("title_zh") == "专项附加扣除"  # not on the form, not touched
    # An unknown language in the picker falls back to Chinese rather than failing.
    assert 'name="title_zh"' in client.get(edit, {"language": "jp"}).content.decode()


def test_the_api_refuses_an_unknown_language(client, sam):
    client.force_login(sam)
    response = client.post(
        reverse("api_benefits_workspace_items"),
        {"category": "taxation", "title_en": "t", "translations": {"jp": {"title": "x"}}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "translations.jp" in response.json()["errors"]
