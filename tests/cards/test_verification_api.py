from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from cards import numbers
from cards.models import InstitutionApiKey, VerificationQuery
from cards.services import institution_api_key_issue, institution_create, revocation_decide, revocation_open

pytestmark = pytest.mark.django_db
URL = "/api/cards/verify/"


@pytest.fixture
def bank_key(sysadmin):
    cache.clear()
    bank = institution_create(actor=sysadmin, name_en="Bank of Guangzhou", name_zh="广州银行", kind="bank")
    return institution_api_key_issue(actor=sysadmin, institution=bank)


def ask(raw_key, number, birth_date="1985-04-12"):
    client = APIClient()
    return client.post(
        URL, {"card_number": number, "birth_date": birth_date}, format="json", HTTP_X_API_KEY=raw_key
    )


def test_a_valid_card_answers_valid_and_the_query_is_logged(card, bank_key):
    key, raw = bank_key
    response = ask(raw, card.number)
    assert response.status_code == 200
    assert response.json()["answer"] == "valid"
    assert response.json()["holder_name"] == "MARTIN Alice Claire"
    query = VerificationQuery.objects.get()
    assert (query.institution, query.card, query.answer) == (key.institution, card, "valid")


def test_keys_are_stored_hashed_never_in_clear(bank_key):
    key, raw = bank_key
    assert raw not in key.key_hash and raw.split(".", 1)[1] not in str(
        InstitutionApiKey.objects.values().get()
    )


def test_a_bad_key_is_refused_and_nothing_is_logged(card, bank_key):
    key, raw = bank_key
    assert ask(raw[:-2] + "xx", card.number).status_code == 401
    assert ask("", card.number).status_code == 401
    assert VerificationQuery.objects.count() == 0


def test_a_user_token_is_not_an_institution_key(card, alice):
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice).key}")
    assert (
        client.post(URL, {"card_number": card.number, "birth_date": "1985-04-12"}, format="json").status_code
        == 401
    )


def test_a_revoked_key_no_longer_works(card, bank_key, sysadmin):
    from cards.services import institution_api_key_revoke

    key, raw = bank_key
    institution_api_key_revoke(actor=sysadmin, api_key=key)
    assert ask(raw, card.number).status_code == 401


def test_a_wrong_birth_date_and_an_unknown_number_give_the_same_answer(card, bank_key):
    _key, raw = bank_key
    wrong_date = ask(raw, card.number, birth_date="1985-04-13").json()
    unknown = ask(
        raw, numbers.compose(province="CN-BJ", nationality="USA", birth_date=dt.date(1990, 1, 1), sequence=1)
    ).json()
    assert wrong_date["answer"] == unknown["answer"] == "no_match"
    assert wrong_date["holder_name"] is None and unknown["holder_name"] is None
    assert list(VerificationQuery.objects.values_list("answer", flat=True)) == ["no_match", "no_match"]


def test_a_mistyped_number_is_a_400_not_a_query(card, bank_key):
    _key, raw = bank_key
    response = ask(raw, card.number[:-1] + ("0" if card.number[-1] != "0" else "1"))
    assert response.status_code == 400
    assert "card_number" in response.json()["errors"]


def test_an_older_15_character_number_is_accepted(bank_key):
    _key, raw = bank_key
    assert ask(raw, "FRA440019850412").json()["answer"] == "no_match"


def test_queries_are_throttled_per_key(card, bank_key, settings, monkeypatch):
    from cards.apis import PerInstitutionKeyThrottle

    monkeypatch.setattr(PerInstitutionKeyThrottle, "THROTTLE_RATES", {"card_verify": "3/minute"})
    _key, raw = bank_key
    codes = [ask(raw, card.number).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert VerificationQuery.objects.count() == 3


def test_a_revoked_card_answers_revoked_the_moment_the_revocation_is_approved(card, bank_key, mona, arthur):
    _key, raw = bank_key
    case = revocation_open(actor=mona, card=card, ground="fraud", evidence="Forged tax records.")
    assert ask(raw, card.number).json()["answer"] == "valid"
    revocation_decide(actor=arthur, case=case, decision="revoke", reason="Forged records.")
    assert ask(raw, card.number).json()["answer"] == "revoked"


def test_an_expired_card_answers_expired_even_before_the_nightly_run(card, bank_key):
    from cards.models import Card

    _key, raw = bank_key
    Card.objects.filter(pk=card.pk).update(issued_on=dt.date(2010, 1, 1), expires_on=dt.date(2020, 1, 1))
    assert ask(raw, card.number).json()["answer"] == "expired"


def test_holders_list_only_their_own_cards(card, holder, bob, django_assert_num_queries):
    client = APIClient()
    client.force_authenticate(holder)
    with django_assert_num_queries(2):
        response = client.get("/api/cards/mine/")
    assert [c["number"] for c in response.json()["results"]] == [card.number]
    client.force_authenticate(bob)
    assert client.get("/api/cards/mine/").json() == {"results": [], "next": None}
