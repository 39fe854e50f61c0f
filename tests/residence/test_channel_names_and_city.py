"""One name per channel on every page, home cards that lead to the routes, the city asked by name (issue 12)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from applications.models import ApplicantProfile, Application, Channel
from eligibility.engine import read_policy_document
from residence.channels import CHANNEL_NAMES
from tests.applications.test_views_applicant import PROFILE_POST
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CODES = ["talent", "work", "investment", "contribution", "family"]


def _text(response) -> str:
    page = response.content.decode()
    page = page[page.index("<main") : page.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_names_a_channel_the_same_way(client, language):
    client.cookies["django_language"] = language
    with translation.override(language):
        names = {code: str(CHANNEL_NAMES[code]) for code in CODES}
    assert len(set(names.values())) == 5
    home = _text(client.get("/"))
    routes = _text(client.get(reverse("eligibility:routes")))
    check = _text(client.get(reverse("eligibility:self_check_start")))
    for code, name in names.items():
        assert name in home and name in routes and name in check, (code, name)
        assert name in _text(client.get(reverse("eligibility:route_detail", args=[code])))
        assert name in _text(client.get(reverse("eligibility:self_check", args=[code])))
        with translation.override(language):
            assert Channel(code).label == name
    assert "High-level talent" not in home and "高层次人才" not in home
    client.force_login(UserFactory(email="dana@example.org", roles=["applicant"]))
    choice = _text(client.get(reverse("applications:new")))
    for name in names.values():
        assert name in choice


def test_the_policy_calls_each_channel_by_the_same_name():
    document = read_policy_document()
    for code in CODES:
        label = document["channels"][code]["label"]
        for language, key in (("en", "en"), ("zh-hans", "zh")):
            with translation.override(language):
                assert label[key] == str(CHANNEL_NAMES[code]), (code, language)


def test_the_home_page_channel_cards_link_to_their_route_pages(client):
    page = client.get("/").content.decode()
    cards = re.findall(r'<li class="card"><h3><a href="([^"]+)"', page)
    assert cards == [reverse("eligibility:route_detail", args=[code]) for code in CODES]
    for url in cards:
        assert client.get(url).status_code == 200


def test_the_applicant_chooses_their_city_by_name(client):
    dana = UserFactory(email="dana@example.org", roles=["applicant"])
    client.force_login(dana)
    page = client.get(reverse("applications:new_profile", args=["work"])).content.decode()
    assert "City code" not in page and "GB/T 2260" not in page
    select = re.search(r'<select name="city_code".*?</select>', page, re.S).group(0)
    assert '<optgroup label="Guangdong 广东省">' in select
    assert '<option value="440100">Guangzhou 广州市</option>' in select
    assert '<option value="441900">Dongguan 东莞市</option>' in select
    assert re.search(r'<label for="id_city_code">City</label>', page)

    # A city whose code the old pattern refused (Dongguan, 441900) is stored as its code.
    response = client.post(
        reverse("applications:new_profile", args=["work"]),
        PROFILE_POST | {"city_code": "441900", "then": "next"},
    )
    assert response.status_code == 302, _text(response)[:1500]
    assert ApplicantProfile.objects.get(owner=dana).city_code == "441900"
    assert Application.objects.filter(applicant__owner=dana).count() == 1


@pytest.mark.parametrize("code", ["440199", "999900", "abc"])
def test_a_code_that_is_no_city_is_refused_with_a_message(client, code):
    dana = UserFactory(email="dana@example.org", roles=["applicant"])
    client.force_login(dana)
    response = client.post(
        reverse("applications:new_profile", args=["work"]), PROFILE_POST | {"city_code": code, "then": "next"}
    )
    assert response.status_code == 200
    assert "Choose your city from the list." in response.content.decode()
    assert not ApplicantProfile.objects.filter(owner=dana).exists()


@pytest.mark.parametrize("language, name", [("en", "Guangzhou"), ("zh-hans", "广州市")])
def test_the_officer_reads_the_applicants_city_by_name(client, ivan, alice, language, name):
    from tests.applications.factories import ProfileFactory, submitted

    application = submitted(ProfileFactory(owner=alice, city_code="440100"))
    client.force_login(ivan)
    page = client.get(
        reverse("applications:case", args=[application.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert re.search(rf"<dd[^>]*>{name}</dd>", page)
    assert "440100" not in page
