"""What a counter downloads (key set, signed revocation list), the online status check, and the bulk card check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from cards import offline
from cards.models import VerificationQuery
from cards.services import institution_api_key_issue, institution_create, revocation_decide, revocation_open
from cards.tokens import signed_token, verification_token

pytestmark = pytest.mark.django_db
BULK = "/api/cards/verify/bulk/"


def _token(card) -> str:
    with card.photo.open("rb") as handle:
        return signed_token(card, photo=handle.read())


def _revoke(card, mona, arthur):
    case = revocation_open(actor=mona, card=card, ground="fraud", evidence="Forged tax records.")
    revocation_decide(actor=arthur, case=case, decision="revoke", reason="Forged.")


@pytest.fixture
def bank_key(sysadmin):
    cache.clear()
    bank = institution_create(actor=sysadmin, name_en="Bank of Guangzhou", name_zh="广州银行", kind="bank")
    return institution_api_key_issue(actor=sysadmin, institution=bank)


def test_the_key_set_publishes_the_public_keys_and_no_private_one(client, settings):
    response = client.get(reverse("cards:offline_keys"))
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert key["kid"] == settings.CARDS_KEYS.current
    assert (key["kty"], key["crv"], key["alg"]) == ("OKP", "Ed25519", "EdDSA")
    assert "d" not in key


def test_the_revocation_list_is_signed_and_names_the_revoked_card(client, card, mona, arthur, settings):
    _revoke(card, mona, arthur)
    response = client.get(reverse("cards:offline_revocation_list"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/cose")
    listed = offline.revocation_list_open(response.content, keys=settings.CARDS_KEYS)
    assert card.number in listed.revoked
    assert listed.next_update - listed.issued_at == dt.timedelta(hours=settings.CARDS_REVOCATION_LIST_HOURS)
    # Small: a few hundred bytes for a handful of cards.
    assert len(response.content) < 300


def test_an_altered_revocation_list_does_not_open(client, card, mona, arthur, settings):
    _revoke(card, mona, arthur)
    body = bytearray(client.get(reverse("cards:offline_revocation_list")).content)
    body[-70] ^= 1  # inside the payload
    with pytest.raises(offline.NotVerifiable):
        offline.revocation_list_open(bytes(body), keys=settings.CARDS_KEYS)


def test_the_verifier_page_may_use_the_camera_and_runs_no_inline_script(client):
    response = client.get(reverse("cards:offline_verifier"))
    assert response.status_code == 200
    assert "camera=(self)" in response["Permissions-Policy"]
    page = response.content.decode()
    assert 'id="verifier-config" type="application/json"' in page
    assert "js/card-verifier.js" in page


def test_without_javascript_the_verifier_form_opens_the_public_check(client, card):
    token = _token(card)
    response = client.get(reverse("cards:offline_verifier"), {"code": f"http://x/cards/verify/{token}/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cards:public_verify", kwargs={"token": token})
    bad = client.get(reverse("cards:offline_verifier"), {"code": "x/cards/verify/"})
    assert bad.status_code == 200
    assert "This is not the code of a permanent residence card." in bad.content.decode()


def test_the_service_worker_keeps_the_page_its_script_and_the_lists(client):
    response = client.get(reverse("cards:offline_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    for url in (reverse("cards:offline_verifier"), reverse("cards:offline_keys"), "card-verifier.js"):
        assert url in body


def test_the_online_status_says_revoked_once_the_card_is_revoked(card, mona, arthur):
    client = APIClient()
    token = _token(card)
    assert client.post("/api/cards/status/", {"token": token}, format="json").json()["status"] == "issued"
    _revoke(card, mona, arthur)
    answer = client.post("/api/cards/status/", {"token": token}, format="json").json()
    assert answer == {
        "status": "revoked",
        "card_number": card.number,
        "expires_on": card.expires_on.isoformat(),
    }
    # The older HMAC codes are accepted too.
    legacy = client.post("/api/cards/status/", {"token": verification_token(card.number)}, format="json")
    assert legacy.json()["status"] == "revoked"


@pytest.mark.parametrize("token", ["garbage", "", "A" * 1001])
def test_the_online_status_of_a_forged_code_is_refused(card, token):
    response = APIClient().post("/api/cards/status/", {"token": token}, format="json")
    assert response.status_code in (400, 404)


def test_a_bulk_check_answers_in_order_and_logs_every_check(card, bank_key, mona, arthur):
    key, raw = bank_key
    checks = [
        {"card_number": card.number, "birth_date": "1985-04-12"},
        {"card_number": card.number, "birth_date": "1990-01-01"},
        {"card_number": "911586198504127013", "birth_date": "1985-04-12"},
    ]
    response = APIClient().post(BULK, {"checks": checks}, format="json", HTTP_X_API_KEY=raw)
    assert response.status_code == 200, response.json()
    assert [r["answer"] for r in response.json()["results"]] == ["valid", "no_match", "no_match"]
    assert VerificationQuery.objects.filter(api_key=key).count() == 3
    assert sorted(VerificationQuery.objects.values_list("answer", flat=True)) == [
        "no_match",
        "no_match",
        "valid",
    ]
    _revoke(card, mona, arthur)
    again = APIClient().post(BULK, {"checks": checks[:1]}, format="json", HTTP_X_API_KEY=raw)
    assert again.json()["results"][0]["answer"] == "revoked"


def test_a_bulk_check_over_the_limit_is_refused_clearly_and_logs_nothing(card, bank_key, settings):
    settings.CARDS_VERIFY_BULK_MAX = 5
    _key, raw = bank_key
    checks = [{"card_number": card.number, "birth_date": "1985-04-12"}] * 6
    response = APIClient().post(BULK, {"checks": checks}, format="json", HTTP_X_API_KEY=raw)
    assert response.status_code == 400
    assert response.json()["errors"]["checks"] == [
        "At most 5 checks can be sent in one request; this one has 6. Split it."
    ]
    assert VerificationQuery.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [{}, {"checks": []}, {"checks": "x"}, {"checks": [{"card_number": "1", "birth_date": "nope"}]}, []],
)
def test_a_bad_bulk_body_is_a_400_that_logs_nothing(card, bank_key, body):
    _key, raw = bank_key
    response = APIClient().post(BULK, body, format="json", HTTP_X_API_KEY=raw)
    assert response.status_code == 400
    assert VerificationQuery.objects.count() == 0


def test_the_bulk_check_needs_an_institution_key(card):
    response = APIClient().post(BULK, {"checks": []}, format="json")
    assert response.status_code in (401, 403)
