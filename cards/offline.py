"""Cards a counter can check without a network (R16, R25): signed QR payloads and revocation lists.

The QR code of a card carries a COSE_Sign1 message (RFC 9052) signed with Ed25519 (EdDSA, alg -8):
the card number, the names, the date of birth, the validity and a SHA-256 of the photo, in a CBOR
map with small integer keys. COSE rather than a compact JWS because the card's QR code is 27 mm
wide: CBOR with integer keys and raw bytes (signature, photo hash) is about a third shorter than
base64 of JSON inside base64, so the code has fewer, larger modules; it is also what the EU digital
COVID certificate and ISO/IEC 18013-5 driving licences use for the same job.

The protected header names the key (``kid``), so keys rotate: new cards are signed with the first
key of ``CARDS_SIGNING_KEYS``; retired keys stay in the published key set (``CARDS_RETIRED_KEYS``,
public keys only) and the cards they signed stay verifiable.

The message travels base64url-encoded (no padding) as the last segment of the public card check's
address, ``{SITE_URL}/cards/verify/<token>/``, so the same code opens the online check and can be
verified offline.

Payload map (``CARD_*`` keys below): 1 number, 2 Latin name, 3 Chinese name, 4 date of birth,
5 issued on, 6 valid until (dates as integers YYYYMMDD), 7 SHA-256 of the photo (32 bytes).
The revocation list is a COSE_Sign1 too: 1 issued at, 2 next update (Unix seconds),
3 revoked card numbers, 4 replaced card numbers (a replaced card is no longer valid either); an
18-character number is packed as one integer (`pack_number`), 9 bytes instead of 19.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

COSE_SIGN1_TAG = 18
ALG_EDDSA = -8
HEADER_ALG, HEADER_KID = 1, 4
CARD_NUMBER, CARD_LATIN_NAME, CARD_CHINESE_NAME, CARD_BIRTH, CARD_ISSUED, CARD_EXPIRES, CARD_PHOTO = range(
    1, 8
)
LIST_ISSUED_AT, LIST_NEXT_UPDATE, LIST_REVOKED, LIST_REPLACED = range(1, 5)
DEV_KEY_ID = "dev"
KEY_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,32}$")
# A token longer than this is not one of ours (a real one is about 260 characters).
MAX_TOKEN_LENGTH = 1000


class SigningKeyError(ValueError):
    """The card signing key configuration is unusable."""


class NotVerifiable(ValueError):
    """A code that is not a card payload signed by one of the administration's keys."""


@dataclass(frozen=True)
class CardKeys:
    current: str  # the key id that signs new cards and lists
    private: dict[str, Ed25519PrivateKey]
    public: dict[str, Ed25519PublicKey]  # every key a verifier accepts, current and retired

    @classmethod
    def parse(cls, signing: str, retired: str = "") -> CardKeys:
        """``id:base64(32-byte Ed25519 seed),...`` and ``id:base64(32-byte public key),...``."""
        private: dict[str, Ed25519PrivateKey] = {}
        public: dict[str, Ed25519PublicKey] = {}
        current = ""
        for kid, raw in _items(signing, "CARDS_SIGNING_KEYS"):
            private[kid] = Ed25519PrivateKey.from_private_bytes(raw)
            public[kid] = private[kid].public_key()
            current = current or kid
        if not private:
            raise SigningKeyError("CARDS_SIGNING_KEYS holds no key")
        for kid, raw in _items(retired, "CARDS_RETIRED_KEYS"):
            if kid in public:
                raise SigningKeyError(f"the key id {kid!r} is both a signing and a retired key")
            public[kid] = Ed25519PublicKey.from_public_bytes(raw)
        return cls(current=current, private=private, public=public)

    @classmethod
    def development(cls, var_dir: Path, retired: str = "") -> CardKeys:
        """A random signing key kept beside the development database (the deploy check refuses it)."""
        key_file = Path(var_dir) / "card_signing_key"
        if not key_file.exists():
            key_file.write_text(new_key())
            key_file.chmod(0o600)
        return cls.parse(f"{DEV_KEY_ID}:{key_file.read_text().strip()}", retired)

    def key_set(self) -> dict:
        """The public keys as a JSON Web Key Set (RFC 8037 OKP keys), what counters download."""
        return {
            "keys": [
                {
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "alg": "EdDSA",
                    "use": "sig",
                    "kid": kid,
                    "x": b64url(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)),
                }
                for kid, key in self.public.items()
            ]
        }


def _items(value: str, name: str):
    seen = set()
    for item in (part.strip() for part in (value or "").split(",")):
        if not item:
            continue
        kid, sep, encoded = item.partition(":")
        if not sep or not KEY_ID_RE.match(kid):
            raise SigningKeyError(
                f"{name} must be id:base64key[,id:base64key...] (ids of letters, digits, . _ -)"
            )
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (ValueError, binascii.Error):
            raise SigningKeyError(f"the key {kid!r} in {name} is not base64") from None
        if len(raw) != 32:
            raise SigningKeyError(f"the key {kid!r} in {name} must be 32 bytes (it is {len(raw)})")
        if kid in seen:
            raise SigningKeyError(f"the key id {kid!r} appears twice in {name}")
        seen.add(kid)
        yield kid, raw


def new_key() -> str:
    """A fresh Ed25519 seed, base64, for CARDS_SIGNING_KEYS."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


def public_key_of(seed: str) -> str:
    """The base64 public key of a seed, for CARDS_RETIRED_KEYS once the seed is retired."""
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(seed))
    return base64.b64encode(
        key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    ).decode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def from_b64url(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text or ""):
        raise NotVerifiable("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, binascii.Error):
        raise NotVerifiable("not base64url") from None


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload])


def sign(payload: dict, *, keys: CardKeys) -> bytes:
    """A tagged COSE_Sign1 message of the payload, signed with the current key."""
    protected = cbor2.dumps({HEADER_ALG: ALG_EDDSA, HEADER_KID: keys.current.encode()})
    body = cbor2.dumps(payload)
    signature = keys.private[keys.current].sign(_sig_structure(protected, body))
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, body, signature]))


def open_signed(message: bytes, *, keys: CardKeys) -> tuple[str, dict]:
    """The key id and payload of a COSE_Sign1 message one of the keys signed; NotVerifiable otherwise."""
    try:
        decoded = cbor2.loads(message)
    except Exception:  # noqa: BLE001 - cbor2 raises several kinds of error on garbage
        raise NotVerifiable("not CBOR") from None
    if isinstance(decoded, cbor2.CBORTag):
        if decoded.tag != COSE_SIGN1_TAG:
            raise NotVerifiable("not a COSE_Sign1 message")
        decoded = decoded.value
    if not (isinstance(decoded, (list, tuple)) and len(decoded) == 4):
        raise NotVerifiable("not a COSE_Sign1 message")
    protected, _unprotected, body, signature = decoded
    if not all(isinstance(part, bytes) for part in (protected, body, signature)):
        raise NotVerifiable("not a COSE_Sign1 message")
    try:
        header = cbor2.loads(protected)
        if not isinstance(header, Mapping):
            raise TypeError
        kid = header[HEADER_KID].decode("ascii")
        alg = header[HEADER_ALG]
    except Exception:  # noqa: BLE001 - a forged header may fail in any of cbor2, the lookups, decode
        raise NotVerifiable("bad protected header") from None
    key = keys.public.get(kid)
    if key is None or alg != ALG_EDDSA:
        raise NotVerifiable("unknown key")
    try:
        key.verify(signature, _sig_structure(protected, body))
    except InvalidSignature:
        raise NotVerifiable("bad signature") from None
    try:
        payload = cbor2.loads(body)
    except Exception:  # noqa: BLE001 - cbor2 raises several kinds of error on garbage
        raise NotVerifiable("bad payload") from None
    if not isinstance(payload, Mapping):
        raise NotVerifiable("bad payload")
    return kid, payload


# --- cards ------------------------------------------------------------------------------------------
def _day(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _date(value) -> dt.date:
    if not isinstance(value, int):
        raise NotVerifiable("bad date")
    try:
        return dt.date(value // 10000, value // 100 % 100, value % 100)
    except ValueError:
        raise NotVerifiable("bad date") from None


def card_payload(card, *, photo: bytes) -> dict:
    return {
        CARD_NUMBER: card.number,
        CARD_LATIN_NAME: card.latin_name,
        CARD_CHINESE_NAME: card.chinese_name,
        CARD_BIRTH: _day(card.birth_date),
        CARD_ISSUED: _day(card.issued_on),
        CARD_EXPIRES: _day(card.expires_on),
        CARD_PHOTO: hashlib.sha256(photo).digest(),
    }


def card_token(card, *, photo: bytes, keys: CardKeys) -> str:
    return b64url(sign(card_payload(card, photo=photo), keys=keys))


@dataclass(frozen=True)
class SignedCard:
    kid: str
    number: str
    latin_name: str
    chinese_name: str
    birth_date: dt.date
    issued_on: dt.date
    expires_on: dt.date
    photo_sha256: bytes


def card_from_token(token: str, *, keys: CardKeys) -> SignedCard:
    """What a signed card code says, checked against the published keys (no database)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise NotVerifiable("no token")
    kid, payload = open_signed(from_b64url(token), keys=keys)
    number, latin, chinese, photo = (
        payload.get(CARD_NUMBER),
        payload.get(CARD_LATIN_NAME),
        payload.get(CARD_CHINESE_NAME, ""),
        payload.get(CARD_PHOTO),
    )
    if not (isinstance(number, str) and isinstance(latin, str) and isinstance(chinese, str)):
        raise NotVerifiable("bad payload")
    if not isinstance(photo, bytes):
        raise NotVerifiable("bad payload")
    return SignedCard(
        kid=kid,
        number=number,
        latin_name=latin,
        chinese_name=chinese,
        birth_date=_date(payload.get(CARD_BIRTH)),
        issued_on=_date(payload.get(CARD_ISSUED)),
        expires_on=_date(payload.get(CARD_EXPIRES)),
        photo_sha256=photo,
    )


# --- revocation list --------------------------------------------------------------------------------
CHECK_CHARACTERS = "0123456789X"
NEW_NUMBER = re.compile(r"^9[0-9]{16}[0-9X]$")


def pack_number(number: str) -> int | str:
    """A card number in the list: the 18-character number as one integer (its 17 digits times 11
    plus its check character), 9 bytes of CBOR instead of 19; the older lettered numbers as text."""
    if NEW_NUMBER.match(number):
        return int(number[:17]) * 11 + CHECK_CHARACTERS.index(number[17])
    return number


def unpack_number(value: int | str) -> str:
    if isinstance(value, int):
        digits, check = divmod(value, 11)
        return f"{digits:017d}{CHECK_CHARACTERS[check]}"
    if isinstance(value, str):
        return value
    raise NotVerifiable("bad list")


def revocation_list(
    *,
    revoked: list[str],
    replaced: list[str],
    issued_at: dt.datetime,
    valid_for: dt.timedelta,
    keys: CardKeys,
) -> bytes:
    return sign(
        {
            LIST_ISSUED_AT: int(issued_at.timestamp()),
            LIST_NEXT_UPDATE: int((issued_at + valid_for).timestamp()),
            LIST_REVOKED: sorted(map(pack_number, revoked), key=str),
            LIST_REPLACED: sorted(map(pack_number, replaced), key=str),
        },
        keys=keys,
    )


@dataclass(frozen=True)
class RevocationList:
    issued_at: dt.datetime
    next_update: dt.datetime
    revoked: frozenset[str]
    replaced: frozenset[str]


def revocation_list_open(message: bytes, *, keys: CardKeys) -> RevocationList:
    _kid, payload = open_signed(message, keys=keys)
    try:
        return RevocationList(
            issued_at=dt.datetime.fromtimestamp(payload[LIST_ISSUED_AT], tz=dt.UTC),
            next_update=dt.datetime.fromtimestamp(payload[LIST_NEXT_UPDATE], tz=dt.UTC),
            revoked=frozenset(map(unpack_number, payload[LIST_REVOKED])),
            replaced=frozenset(map(unpack_number, payload[LIST_REPLACED])),
        )
    except (KeyError, TypeError, ValueError, OverflowError):
        raise NotVerifiable("bad list") from None


def offline_status(card: SignedCard, *, revocations: RevocationList | None, today: dt.date) -> str:
    """What a counter without a network concludes: valid, expired, revoked or replaced."""
    if revocations is not None:
        if card.number in revocations.revoked:
            return "revoked"
        if card.number in revocations.replaced:
            return "replaced"
    if today > card.expires_on:
        return "expired"
    return "valid"


def token_from_text(text: str) -> str:
    """The token in what a scanner read: the card check's address, or the bare token."""
    text = (text or "").strip()
    marker = "/cards/verify/"
    if marker in text:
        text = text.split(marker, 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return text[:MAX_TOKEN_LENGTH]
