"""The card's QR code carries a signed payload a counter verifies offline; keys rotate, old cards stay verifiable."""

from __future__ import annotations

import datetime as dt
import hashlib

import cbor2
import pytest
from django.urls import reverse

from cards import offline
from cards.context import card_context
from cards.tokens import number_from_token

from .pdftools import qr_codes

pytestmark = pytest.mark.django_db


def _keys(*seeds: tuple[str, str], retired: str = "") -> offline.CardKeys:
    return offline.CardKeys.parse(",".join(f"{kid}:{seed}" for kid, seed in seeds), retired)


def _photo(card) -> bytes:
    with card.photo.open("rb") as handle:
        return handle.read()


def test_the_payload_names_the_card_and_the_holder_and_hashes_the_photo(card, settings):
    token = offline.card_token(card, photo=_photo(card), keys=settings.CARDS_KEYS)
    signed = offline.card_from_token(token, keys=settings.CARDS_KEYS)
    assert signed.number == card.number
    assert signed.latin_name == card.latin_name
    assert signed.chinese_name == card.chinese_name
    assert (signed.birth_date, signed.issued_on, signed.expires_on) == (
        card.birth_date,
        card.issued_on,
        card.expires_on,
    )
    assert signed.photo_sha256 == hashlib.sha256(_photo(card)).digest()
    assert signed.kid == settings.CARDS_KEYS.current
    # Small enough for the card's 27 mm code (a real one is about 260 characters).
    assert len(token) < 320


def test_the_card_pdf_qr_code_is_the_public_check_address_with_the_signed_payload(card, settings):
    from cards.documents import render_pdf

    (url,) = qr_codes(render_pdf("card", card_context(card)))
    prefix = settings.SITE_URL.rstrip("/") + "/cards/verify/"
    assert url.startswith(prefix) and url.endswith("/")
    token = url[len(prefix) : -1]
    assert offline.card_from_token(token, keys=settings.CARDS_KEYS).number == card.number
    assert number_from_token(token) == card.number


def test_a_card_signed_with_a_retired_key_stays_verifiable_after_rotation(card):
    old_seed, new_seed = offline.new_key(), offline.new_key()
    before = _keys(("2026a", old_seed))
    token = offline.card_token(card, photo=_photo(card), keys=before)
    after = _keys(("2027a", new_seed), retired=f"2026a:{offline.public_key_of(old_seed)}")
    assert after.current == "2027a"
    assert "2026a" not in after.private
    assert offline.card_from_token(token, keys=after).kid == "2026a"
    assert {key["kid"] for key in after.key_set()["keys"]} == {"2026a", "2027a"}
    new_token = offline.card_token(card, photo=_photo(card), keys=after)
    assert offline.card_from_token(new_token, keys=after).kid == "2027a"
    # A counter that never received the retired key cannot verify the old card.
    with pytest.raises(offline.NotVerifiable):
        offline.card_from_token(token, keys=_keys(("2027a", new_seed)))


def test_a_payload_signed_by_someone_else_is_not_verifiable(card, settings):
    forged = offline.card_token(
        card, photo=_photo(card), keys=_keys((settings.CARDS_KEYS.current, offline.new_key()))
    )
    with pytest.raises(offline.NotVerifiable):
        offline.card_from_token(forged, keys=settings.CARDS_KEYS)


def test_an_altered_payload_is_not_verifiable(card, settings):
    message = cbor2.loads(
        offline.from_b64url(offline.card_token(card, photo=_photo(card), keys=settings.CARDS_KEYS))
    )
    protected, unprotected, body, signature = message.value
    payload = cbor2.loads(body)
    payload[offline.CARD_EXPIRES] = 20991231
    altered = offline.b64url(
        cbor2.dumps(cbor2.CBORTag(18, [protected, unprotected, cbor2.dumps(payload), signature]))
    )
    with pytest.raises(offline.NotVerifiable):
        offline.card_from_token(altered, keys=settings.CARDS_KEYS)
    response = _public(altered)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "!!!", "A" * 2000, offline.b64url(b"\xff\x00"), offline.b64url(cbor2.dumps([1, 2]))],
)
def test_garbage_is_not_verifiable_and_never_an_error(token, settings):
    with pytest.raises(offline.NotVerifiable):
        offline.card_from_token(token, keys=settings.CARDS_KEYS)


def _public(token):
    from django.test import Client

    return Client().get(reverse("cards:public_verify", kwargs={"token": token}))


def test_the_public_check_opens_a_signed_code(card, settings):
    token = offline.card_token(card, photo=_photo(card), keys=settings.CARDS_KEYS)
    response = _public(token)
    assert response.status_code == 200
    assert "Valid until" in response.content.decode()


@pytest.mark.parametrize(
    "value",
    [
        "nokey",
        "k1:not-base64!",
        "k1:" + offline.b64url(b"short"),
        f"k1:{offline.new_key()},k1:{offline.new_key()}",
        "",
    ],
)
def test_a_bad_signing_key_configuration_is_refused(value):
    with pytest.raises(offline.SigningKeyError):
        offline.CardKeys.parse(value)


def test_the_development_key_is_made_once_under_var_dir(tmp_path):
    first = offline.CardKeys.development(tmp_path)
    again = offline.CardKeys.development(tmp_path)
    assert first.current == offline.DEV_KEY_ID
    assert first.key_set() == again.key_set()
    assert (tmp_path / "card_signing_key").stat().st_mode & 0o077 == 0


def test_the_deploy_check_requires_a_production_card_signing_key():
    from tests.deploy_check import deploy_check

    missing = deploy_check(CARDS_SIGNING_KEYS="")
    assert "residence.E003" in missing.stderr + missing.stdout
    development = deploy_check(CARDS_SIGNING_KEYS=f"dev:{offline.new_key()}")
    assert "residence.E004" in development.stderr + development.stdout


def test_an_offline_verdict_reads_the_revocation_list_and_the_date(card, settings):
    signed = offline.card_from_token(
        offline.card_token(card, photo=_photo(card), keys=settings.CARDS_KEYS), keys=settings.CARDS_KEYS
    )
    now = dt.datetime.now(dt.UTC)
    listed = offline.revocation_list_open(
        offline.revocation_list(
            revoked=[card.number],
            replaced=[],
            issued_at=now,
            valid_for=dt.timedelta(hours=24),
            keys=settings.CARDS_KEYS,
        ),
        keys=settings.CARDS_KEYS,
    )
    assert listed.next_update - listed.issued_at == dt.timedelta(hours=24)
    assert offline.offline_status(signed, revocations=listed, today=card.issued_on) == "revoked"
    assert offline.offline_status(signed, revocations=None, today=card.issued_on) == "valid"
    assert (
        offline.offline_status(signed, revocations=None, today=card.expires_on + dt.timedelta(days=1))
        == "expired"
    )


@pytest.mark.parametrize("number", ["944276197909300026", "91158619850412701X", "FRA440185041201"])
def test_a_listed_card_number_packs_and_unpacks_to_itself(number):
    assert offline.unpack_number(offline.pack_number(number)) == number


def test_the_command_prints_a_seed_and_the_public_key_to_keep_when_it_is_retired():
    import io

    from django.core.management import call_command

    call_command("card_signing_key", stdout=(seed := io.StringIO()))
    call_command("card_signing_key", "--public", seed.getvalue().strip(), stdout=(public := io.StringIO()))
    keys = offline.CardKeys.parse(f"new:{offline.new_key()}", f"old:{public.getvalue().strip()}")
    assert set(keys.public) == {"new", "old"}
