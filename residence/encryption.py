"""Envelope encryption of stored files: a data key per object, wrapped by a key-encryption key.

Every object the portal stores (uploads, photos, generated cards and letters) is sealed before it
reaches the disk or the bucket: a fresh 256-bit data key encrypts the content with AES-GCM, and
the data key is itself encrypted (wrapped, AES-GCM again) by a key-encryption key (KEK) that
lives in the environment, never in the database or the store. The KEK's id travels in the
object's header, so a reader knows which KEK unwraps it and a rotation can leave old objects as
they are until `manage.py storage_rewrap` re-wraps their data keys under the new one (only the
48-byte wrapped key changes; the content's ciphertext stays).

Layout of a sealed object (all lengths in bytes)::

    b"PRENC1" | 1: len(kid) | kid (ASCII) | 12: wrap nonce | 48: wrapped data key | 12: nonce | ciphertext+16-byte tag

Both layers are authenticated: the wrapped key's AES-GCM binds the key id (associated data), the
content's binds the magic and its nonce, so a changed key id, wrapped key or byte of content fails
to open instead of opening wrong; and a re-wrap rewrites only the header.
An object without the magic prefix is a file written before encryption: it is read as it is
(the migration path), and `storage_rewrap` seals it.

Keys come from ``STORAGE_ENCRYPTION_KEYS``: ``id:base64key[,id:base64key...]``, 32-byte keys, the
first one encrypting new objects. Without it, development and tests use a random key kept in
``VAR_DIR`` (id ``dev``); the deploy check refuses that in production.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"PRENC1"
NONCE_BYTES = 12
KEY_BYTES = 32
WRAPPED_BYTES = KEY_BYTES + 16
DEV_KEY_ID = "dev"
KEY_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class EncryptionKeyError(ValueError):
    """The key configuration is unusable (bad syntax, wrong length, unknown id)."""


class ObjectUnreadable(OSError):
    """A sealed object whose key is not configured, or that was altered."""


@dataclass(frozen=True)
class Keyring:
    current: str  # the id of the KEK that wraps new data keys
    keys: dict[str, bytes]

    @classmethod
    def parse(cls, value: str) -> Keyring:
        keys: dict[str, bytes] = {}
        current = ""
        for item in (part.strip() for part in value.split(",")):
            if not item:
                continue
            kid, sep, encoded = item.partition(":")
            if not sep or not KEY_ID_RE.match(kid):
                raise EncryptionKeyError(
                    "STORAGE_ENCRYPTION_KEYS must be id:base64key[,id:base64key...] (ids of letters, digits, . _ -)"
                )
            try:
                key = base64.b64decode(encoded, validate=True)
            except ValueError:
                raise EncryptionKeyError(
                    f"the key {kid!r} in STORAGE_ENCRYPTION_KEYS is not base64"
                ) from None
            if len(key) != KEY_BYTES:
                raise EncryptionKeyError(f"the key {kid!r} must be {KEY_BYTES} bytes (it is {len(key)})")
            if kid in keys:
                raise EncryptionKeyError(f"the key id {kid!r} appears twice in STORAGE_ENCRYPTION_KEYS")
            keys[kid] = key
            current = current or kid
        if not keys:
            raise EncryptionKeyError("STORAGE_ENCRYPTION_KEYS holds no key")
        return cls(current=current, keys=keys)

    @classmethod
    def development(cls, var_dir: Path) -> Keyring:
        """A random KEK kept beside the development database (never used in production)."""
        key_file = Path(var_dir) / "storage_kek"
        if not key_file.exists():
            key_file.write_text(base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode())
            key_file.chmod(0o600)
        return cls.parse(f"{DEV_KEY_ID}:{key_file.read_text().strip()}")


def new_key() -> str:
    """A fresh KEK, base64, for STORAGE_ENCRYPTION_KEYS."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


@dataclass(frozen=True)
class Header:
    kid: str
    wrap_nonce: bytes
    wrapped_key: bytes
    nonce: bytes
    length: int  # bytes before the ciphertext

    @property
    def raw_prefix(self) -> bytes:
        kid = self.kid.encode("ascii")
        return MAGIC + bytes([len(kid)]) + kid + self.wrap_nonce + self.wrapped_key + self.nonce


def read_header(data: bytes) -> Header:
    if not is_sealed(data):
        raise ObjectUnreadable("not a sealed object")
    at = len(MAGIC)
    try:
        kid_length = data[at]
        at += 1
        kid = data[at : at + kid_length].decode("ascii")
        at += kid_length
        wrap_nonce = data[at : at + NONCE_BYTES]
        at += NONCE_BYTES
        wrapped = data[at : at + WRAPPED_BYTES]
        at += WRAPPED_BYTES
        nonce = data[at : at + NONCE_BYTES]
        at += NONCE_BYTES
    except (IndexError, UnicodeDecodeError):
        raise ObjectUnreadable("the object's encryption header is damaged") from None
    if len(nonce) != NONCE_BYTES or len(data) < at + 16:
        raise ObjectUnreadable("the object's encryption header is damaged")
    return Header(kid=kid, wrap_nonce=wrap_nonce, wrapped_key=wrapped, nonce=nonce, length=at)


def _kek(keyring: Keyring, kid: str) -> bytes:
    try:
        return keyring.keys[kid]
    except KeyError:
        raise ObjectUnreadable(f"the object was sealed with key {kid!r}, which is not configured") from None


def _wrap(kek: bytes, kid: str, data_key: bytes) -> tuple[bytes, bytes]:
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(kek).encrypt(nonce, data_key, MAGIC + kid.encode("ascii"))


def _unwrap(keyring: Keyring, header: Header) -> bytes:
    try:
        return AESGCM(_kek(keyring, header.kid)).decrypt(
            header.wrap_nonce, header.wrapped_key, MAGIC + header.kid.encode("ascii")
        )
    except InvalidTag:
        raise ObjectUnreadable(f"the data key does not open with key {header.kid!r}") from None


def _content_aad(nonce: bytes) -> bytes:
    return MAGIC + nonce


def _header(kid: str, kek: bytes, data_key: bytes, nonce: bytes) -> bytes:
    wrap_nonce, wrapped = _wrap(kek, kid, data_key)
    return Header(kid=kid, wrap_nonce=wrap_nonce, wrapped_key=wrapped, nonce=nonce, length=0).raw_prefix


def seal(plaintext: bytes, keyring: Keyring) -> bytes:
    kid = keyring.current
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(NONCE_BYTES)
    header = _header(kid, _kek(keyring, kid), data_key, nonce)
    return header + AESGCM(data_key).encrypt(nonce, plaintext, _content_aad(nonce))


def open_sealed(data: bytes, keyring: Keyring) -> bytes:
    """The content of a sealed object; an unsealed one (written before encryption) as it is."""
    if not is_sealed(data):
        return data
    header = read_header(data)
    data_key = _unwrap(keyring, header)
    try:
        return AESGCM(data_key).decrypt(header.nonce, data[header.length :], _content_aad(header.nonce))
    except InvalidTag:
        raise ObjectUnreadable("the object was altered or is damaged") from None


def key_id_of(data: bytes) -> str | None:
    """The id of the KEK that wraps the object's data key (None: not sealed)."""
    return read_header(data).kid if is_sealed(data) else None


def rewrap(data: bytes, keyring: Keyring) -> bytes | None:
    """The object with its data key wrapped by the current KEK (plaintext: sealed); None if already so.

    Only the header changes: the data key is unwrapped with the old KEK and wrapped with the new
    one; the content's ciphertext (and its nonce) stay as they are.
    """
    if not is_sealed(data):
        return seal(data, keyring)
    header = read_header(data)
    if header.kid == keyring.current:
        return None
    data_key = _unwrap(keyring, header)
    kid = keyring.current
    return _header(kid, _kek(keyring, kid), data_key, header.nonce) + data[header.length :]


def configured_keyring() -> Keyring:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    keyring = getattr(settings, "STORAGE_KEYRING", None)
    if keyring is None:
        raise ImproperlyConfigured("STORAGE_ENCRYPTION_KEYS must be set: stored files are encrypted with it.")
    return keyring
