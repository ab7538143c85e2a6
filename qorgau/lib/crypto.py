"""Envelope encryption of personal data and blind indexes (docs: security.md §1).

Every encrypted row has its own random 256-bit data key (DEK). The DEK is stored next to the row,
wrapped by a master key (KEK) that lives outside the database, in the keyring file. A value is
`version ‖ nonce ‖ AES-256-GCM(plaintext)` with the additional data "table:pk:column", so a ciphertext
copied to another row or column does not decrypt. Every failure raises: nothing falls back to
returning stored bytes.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

FORMAT_V1 = 1
NONCE_BYTES = 12
BLIND_INDEX_BYTES = (
    4  # 32 bits: a few false positives per lookup limit frequency leakage
)

security_log = logging.getLogger("qorgau.security")


class DecryptionError(Exception):
    """A value or a data key could not be decrypted: wrong key, tampering, or unknown format."""


class KeyringError(Exception):
    """The keyring is missing or malformed; nothing personal can be read or written."""


@dataclass(frozen=True)
class Keyring:
    active_kek_id: str
    keks: dict[str, bytes]
    index_root_key: bytes
    audit_key: bytes

    def kek(self, kek_id: str) -> bytes:
        try:
            return self.keks[kek_id]
        except KeyError:
            security_log.error("Unknown master key id %s", kek_id)
            raise DecryptionError(f"unknown master key {kek_id!r}") from None

    def column_key(self, column: str) -> bytes:
        """A per-column blind-index key derived from the index root key."""
        return _derive_column_key(self.index_root_key, column)


@functools.lru_cache(maxsize=64)
def _derive_column_key(root: bytes, column: str) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=b"qorgau-blind-index:" + column.encode(),
    )
    return hkdf.derive(root)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def new_kek_id() -> str:
    return "kek-" + secrets.token_hex(4)


def generate_keyring_data() -> dict[str, object]:
    kek_id = new_kek_id()
    return {
        "format": 1,
        "active_kek": kek_id,
        "keks": {kek_id: _b64(AESGCM.generate_key(bit_length=256))},
        "index_root_key": _b64(secrets.token_bytes(32)),
        "audit_key": _b64(secrets.token_bytes(32)),
    }


def write_keyring_file(path: Path, data: dict[str, object]) -> None:
    """Writes the keyring readable by its owner only, replacing the file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=2)
    os.replace(tmp, path)
    _cache.clear()


def read_keyring_data(path: Path) -> dict[str, object]:
    try:
        data: dict[str, object] = json.loads(path.read_text())
    except FileNotFoundError:
        raise KeyringError(
            f"No keyring at {path}: run `manage.py create_keyring` or set QORGAU_KEYRING_FILE."
        ) from None
    except (OSError, ValueError) as exc:
        raise KeyringError(f"Keyring at {path} cannot be read: {exc}") from exc
    return data


_cache: dict[tuple[str, float], Keyring] = {}
# The keyring file is looked at (stat) at most this often: a page decrypts dozens of values and
# a seed millions. A key added by rotation elsewhere is picked up within this time, or at once
# when a value names a master key this process does not know yet (see `unwrap_data_key`).
RECHECK_SECONDS = 1.0


@dataclass
class _LastCheck:
    at: float = -RECHECK_SECONDS
    path: str = ""


_checked = _LastCheck()


def keyring(*, fresh: bool = False) -> Keyring:
    path_text = str(settings.QORGAU_KEYRING_FILE)
    now = time.monotonic()
    if (
        not fresh
        and _cache
        and _checked.path == path_text
        and now - _checked.at < RECHECK_SECONDS
    ):
        return next(iter(_cache.values()))
    path = Path(path_text)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        _cache.clear()
        raise KeyringError(
            f"No keyring at {path}: run `manage.py create_keyring` or set QORGAU_KEYRING_FILE."
        ) from None
    key = (path_text, mtime)
    if key not in _cache:
        _cache.clear()
        _cache[key] = _parse(read_keyring_data(path))
    _checked.at, _checked.path = now, path_text
    return _cache[key]


def _parse(data: dict[str, object]) -> Keyring:
    try:
        keks_raw = data["keks"]
        if not isinstance(keks_raw, dict):
            raise TypeError("keks must be an object")
        keks = {str(k): base64.b64decode(v) for k, v in keks_raw.items()}
        ring = Keyring(
            active_kek_id=str(data["active_kek"]),
            keks=keks,
            index_root_key=base64.b64decode(str(data["index_root_key"])),
            audit_key=base64.b64decode(str(data["audit_key"])),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise KeyringError(f"Keyring is malformed: {exc!r}") from exc
    if ring.active_kek_id not in ring.keks or any(
        len(k) != 32 for k in ring.keks.values()
    ):
        raise KeyringError(
            "Keyring is malformed: the active master key is missing or not 256 bits."
        )
    return ring


def _seal(key: bytes, plaintext: bytes, aad: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return (
        bytes([FORMAT_V1]) + nonce + AESGCM(key).encrypt(nonce, plaintext, aad.encode())
    )


def _open(key: bytes, blob: bytes, aad: str) -> bytes:
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[0] != FORMAT_V1:
        security_log.error("Unknown ciphertext format for %s", aad)
        raise DecryptionError(f"unknown ciphertext format for {aad}")
    try:
        return AESGCM(key).decrypt(
            blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :], aad.encode()
        )
    except InvalidTag:
        security_log.error("Authentication failed while decrypting %s", aad)
        raise DecryptionError(f"value for {aad} failed authentication") from None


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap_data_key(
    dek: bytes, *, owner: str, ring: Keyring | None = None
) -> tuple[str, bytes]:
    ring = ring or keyring()
    return ring.active_kek_id, _seal(ring.kek(ring.active_kek_id), dek, "dek:" + owner)


def unwrap_data_key(
    wrapped: bytes, *, kek_id: str, owner: str, ring: Keyring | None = None
) -> bytes:
    ring = ring or keyring()
    if kek_id not in ring.keks:  # rotated by another process since we last looked
        ring = keyring(fresh=True)
    return _open(ring.kek(kek_id), bytes(wrapped), "dek:" + owner)


def encrypt_value(plaintext: str, dek: bytes, aad: str) -> bytes:
    return _seal(dek, plaintext.encode(), aad)


def decrypt_value(blob: bytes, dek: bytes, aad: str) -> str:
    return _open(dek, bytes(blob), aad).decode()


def blind_index(value: str, column: str, ring: Keyring | None = None) -> str:
    """A truncated keyed hash for exact-match lookups; the caller normalises `value` first."""
    ring = ring or keyring()
    digest = hmac.new(ring.column_key(column), value.encode(), hashlib.sha256).digest()
    return digest[:BLIND_INDEX_BYTES].hex()


def audit_mac(message: bytes) -> str:
    return hmac.new(keyring().audit_key, message, hashlib.sha256).hexdigest()


def keyring_path() -> Path:
    return Path(settings.QORGAU_KEYRING_FILE)


def add_master_key() -> str:
    """Adds a new master key to the keyring and makes it the one that wraps new data keys."""
    data = read_keyring_data(keyring_path())
    kek_id = new_kek_id()
    keks = dict(data["keks"])  # type: ignore[call-overload]
    keks[kek_id] = _b64(AESGCM.generate_key(bit_length=256))
    write_keyring_file(keyring_path(), {**data, "keks": keks, "active_kek": kek_id})
    return kek_id


def retire_master_keys() -> None:
    """Keeps only the active master key; call when no row is wrapped by another one."""
    data = read_keyring_data(keyring_path())
    active = str(data["active_kek"])
    write_keyring_file(keyring_path(), {**data, "keks": {active: data["keks"][active]}})  # type: ignore[index]
