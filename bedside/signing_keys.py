"""Per-user signing keys (issue 11, item 3): a signature is sealed with the signer's Ed25519
key, which only their password unlocks.

Each key pair is made when an account is created or its password is set; the private key is
stored sealed (AES-256-GCM under a key derived from the password with argon2id, the public key
as associated data), the public key in the clear. Signing unseals it with the password just
checked; ``verify`` checks every seal against the public key named, without any password. An
administrator's reset makes a new key: signatures made before stay bound to the old one, and
nobody can produce a seal under a key whose password they do not know.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argon2.low_level import Type, hash_secret_raw

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# cryptography (~25 ms to import) loads in the functions below, when a key is made, unsealed
# or checked: never on the app's way to the board (bench: app_cold_start_smoke).

_KDF = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1, "hash_len": 32}

_entropy = secrets.token_bytes
"""Where key material comes from (the record-identity test seeds it to compare digests)."""


@dataclass(frozen=True)
class SealedKey:
    """A key pair as stored: the public key (hex) and the private key sealed by a password."""

    public_key: str
    sealed: str
    """JSON: the argon2id salt, the AES-GCM nonce and the ciphertext (hex)."""


def _kek(password: str, salt: bytes) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, type=Type.ID, **_KDF)


def new_key(password: str) -> SealedKey:
    """A fresh Ed25519 key pair, its private half sealed by ``password``."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    private = Ed25519PrivateKey.from_private_bytes(_entropy(32))
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    salt, nonce = _entropy(16), _entropy(12)
    raw = private.private_bytes_raw()
    ciphertext = AESGCM(_kek(password, salt)).encrypt(nonce, raw, public)
    sealed = {"kdf": "argon2id", "salt": salt.hex(), "nonce": nonce.hex(), "ct": ciphertext.hex()}
    return SealedKey(public.hex(), json.dumps(sealed, sort_keys=True))


def unseal(key: SealedKey, password: str) -> Ed25519PrivateKey | None:
    """The private key, or ``None`` when ``password`` does not open it."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        data = json.loads(key.sealed)
        kek = _kek(password, bytes.fromhex(data["salt"]))
        raw = AESGCM(kek).decrypt(
            bytes.fromhex(data["nonce"]), bytes.fromhex(data["ct"]), bytes.fromhex(key.public_key)
        )
    except (InvalidTag, ValueError, KeyError, TypeError):
        return None
    return Ed25519PrivateKey.from_private_bytes(raw)


def seal_digest(private: Ed25519PrivateKey, digest: str) -> str:
    """The Ed25519 signature (hex) over a signature's digest."""
    return private.sign(bytes.fromhex(digest)).hex()


def seal_matches(public_key: str, digest: str, seal: str) -> bool:
    """Whether ``seal`` was made over ``digest`` by the key whose public half is given."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            bytes.fromhex(seal), bytes.fromhex(digest)
        )
    except (InvalidSignature, ValueError):
        return False
    return True
