"""Each partner's lock: the cryptography behind "locked while private".

The only module that imports ``cryptography``, and only when a lock is used
(set, opened, or a private answer of a locked partner saved): the plain start
never loads it. No SQL here; ``store`` keeps what this module makes.

The scheme (docs/privacy.md says it for people):

* A lock is an X25519 key pair. Its public half is kept as it is, so a private
  answer can be sealed as it is typed without asking for the passphrase. Its
  private half is kept wrapped: AES-256-GCM under a key derived from the
  passphrase with scrypt (a random 16-byte salt per partner; n = 2**15, r = 8,
  p = 1, kept beside the salt so they can change later).
* A key check value (HMAC-SHA256 of a fixed label under the derived key, first
  16 bytes) tells a wrong passphrase at once, with one calm line.
* Each value is sealed on its own: a fresh X25519 key pair, the shared secret
  with the partner's public key through HKDF-SHA256 gives a one-time AES-256-GCM
  key, with a random 12-byte nonce; the answer's ids (sitting, exercise, prompt,
  partner) are the associated data, so a sealed value moved to another answer
  does not open.

A sealed value is text: ``"v1." + base64url(ephemeral public key | nonce |
ciphertext and tag)``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Any, NamedTuple

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
NONCE_BYTES = 12
PREFIX = "v1."
MIN_PASSPHRASE = 6
CHECK_LABEL = b"relworkbook lock check"
WRAP_AD = b"relworkbook lock private key:"
HKDF_INFO = b"relworkbook sealed value v1"


class WrongPassphrase(Exception):
    """The passphrase typed does not open this lock."""


class BrokenSeal(Exception):
    """A sealed value that does not open with the right key: damaged, or moved."""


class LockRecord(NamedTuple):
    """What the workbook keeps for one partner's lock (all text, ready for SQL and JSON)."""

    kdf: str  # JSON: {"name": "scrypt", "n": ..., "r": ..., "p": ...}
    salt: str  # base64
    check: str  # base64: the key check value
    public_key: str  # base64: raw X25519 public key
    private_key: str  # base64: nonce | AES-GCM(private key)


class Unlocked(NamedTuple):
    """An opened lock: the partner's private key, held in memory only."""

    partner: str
    private: Any  # X25519PrivateKey


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _check_value(key: bytes) -> bytes:
    return hmac.new(key, CHECK_LABEL, hashlib.sha256).digest()[:16]


def problem(passphrase: str, again: str | None = None) -> str:
    """The one-line problem with a new passphrase, or "" when it can be used."""
    if len(passphrase) < MIN_PASSPHRASE:
        return f"Please use at least {MIN_PASSPHRASE} characters (a few words are easiest to remember)."
    if passphrase != passphrase.strip():
        return "Please leave out spaces at the start and end; they are easy to forget."
    if again is not None and again != passphrase:
        return "The two passphrases are not the same; please type them again."
    return ""


def _wrap(partner: str, private: X25519PrivateKey, passphrase: str, n: int = SCRYPT_N) -> LockRecord:
    salt = os.urandom(SALT_BYTES)
    key = _derive(passphrase, salt, n, SCRYPT_R, SCRYPT_P)
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    nonce = os.urandom(NONCE_BYTES)
    wrapped = nonce + AESGCM(key).encrypt(nonce, raw, WRAP_AD + partner.encode())
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    kdf = json.dumps({"name": "scrypt", "n": n, "r": SCRYPT_R, "p": SCRYPT_P}, sort_keys=True)
    return LockRecord(kdf, _b64(salt), _b64(_check_value(key)), _b64(public), _b64(wrapped))


def new_lock(partner: str, passphrase: str, *, n: int = SCRYPT_N) -> tuple[LockRecord, Unlocked]:
    """A new lock for ``partner``: what to keep, and the opened lock."""
    private = X25519PrivateKey.generate()
    return _wrap(partner, private, passphrase, n), Unlocked(partner, private)


def open_lock(partner: str, record: LockRecord | tuple, passphrase: str) -> Unlocked:
    """The opened lock, or WrongPassphrase (told by the key check value, before anything else)."""
    record = LockRecord(*record)
    params = json.loads(record.kdf)
    key = _derive(passphrase, _unb64(record.salt), int(params["n"]), int(params["r"]), int(params["p"]))
    if not hmac.compare_digest(_check_value(key), _unb64(record.check)):
        raise WrongPassphrase(partner)
    wrapped = _unb64(record.private_key)
    try:
        raw = AESGCM(key).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], WRAP_AD + partner.encode())
    except InvalidTag:
        raise WrongPassphrase(partner) from None
    return Unlocked(partner, X25519PrivateKey.from_private_bytes(raw))


def rewrap(unlocked: Unlocked, passphrase: str) -> LockRecord:
    """The same lock (same key pair: sealed values stay as they are) under a new passphrase."""
    return _wrap(unlocked.partner, unlocked.private, passphrase)


def _value_key(shared: bytes, ephemeral: bytes, public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + public, info=HKDF_INFO).derive(shared)


def seal(public_key: str, plaintext: bytes, associated: bytes) -> str:
    """``plaintext`` sealed for the holder of ``public_key``, bound to ``associated``."""
    public = _unb64(public_key)
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    ephemeral_public = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    nonce = os.urandom(NONCE_BYTES)
    box = AESGCM(_value_key(shared, ephemeral_public, public)).encrypt(nonce, plaintext, associated)
    return PREFIX + base64.urlsafe_b64encode(ephemeral_public + nonce + box).decode("ascii")


def unseal(unlocked: Unlocked, sealed: str, associated: bytes) -> bytes:
    """The plaintext of a sealed value, or BrokenSeal."""
    if not isinstance(sealed, str) or not sealed.startswith(PREFIX):
        raise BrokenSeal("not a sealed value")
    try:
        data = base64.urlsafe_b64decode(sealed[len(PREFIX):].encode("ascii"))
    except ValueError:
        raise BrokenSeal("not a sealed value") from None
    ephemeral_public, nonce, box = data[:32], data[32:32 + NONCE_BYTES], data[32 + NONCE_BYTES:]
    try:
        shared = unlocked.private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    except ValueError:
        raise BrokenSeal("damaged") from None
    public = unlocked.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        return AESGCM(_value_key(shared, ephemeral_public, public)).decrypt(nonce, box, associated)
    except InvalidTag:
        raise BrokenSeal("does not open with this key") from None
