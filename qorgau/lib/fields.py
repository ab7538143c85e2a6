"""Model fields that keep personal data encrypted at rest with a data key per row (docs: security.md §1).

A model holding such fields inherits `EnvelopeEncrypted`: a UUID primary key (known before insert, so
it can be bound into each ciphertext), the row's wrapped data key and the master-key id that wraps it.
Values are decrypted lazily on first access and only through the row's own key; an encrypted column
cannot be filtered on, and a plaintext value can never reach the database by a path that skips
encryption (`QuerySet.update`, `bulk_update`): the field refuses it.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, cast

from django.core.exceptions import FieldError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from qorgau.lib import crypto


class Sealed(bytes):
    """Ciphertext as loaded from the database, not yet decrypted."""


class EncryptedDescriptor:
    def __init__(self, field: EncryptedTextField) -> None:
        self.field = field

    def __get__(
        self, instance: EnvelopeEncrypted | None, owner: type | None = None
    ) -> Any:
        if instance is None:
            return self
        value = instance.__dict__.get(self.field.attname)
        if isinstance(value, Sealed):
            column = self.field.column or self.field.attname
            value = self.field.decode(instance.decrypt_column(column, value))
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: EnvelopeEncrypted, value: Any) -> None:
        if isinstance(value, bytes | memoryview) and not isinstance(value, Sealed):
            value = Sealed(bytes(value))
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.BinaryField):  # type: ignore[type-arg]
    """Text encrypted with the row's data key; empty text is stored as NULL."""

    descriptor_class = EncryptedDescriptor

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def encode(self, value: Any) -> str:
        return str(value)

    def decode(self, text: str) -> Any:
        return text

    def is_empty(self, value: Any) -> bool:
        return value is None or value == ""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if self.is_empty(value):
            return None
        return cast(EnvelopeEncrypted, model_instance).encrypt_column(
            self.column or self.attname, self.encode(value)
        )

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        if value is not None and not isinstance(value, bytes | memoryview):
            raise TypeError(
                f"{self.name} holds personal data and is written only by Model.save()"
            )
        return super().get_db_prep_value(value, connection, prepared)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.name} is encrypted and cannot be searched; use its blind index"
            )
        return super().get_lookup(lookup_name)

    def value_to_string(self, obj: models.Model) -> str:
        raise FieldError(f"{self.name} is encrypted and is not serialised")


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (a list of other spellings, say) encrypted as one text."""

    def encode(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def decode(self, text: str) -> Any:
        return json.loads(text)

    def is_empty(self, value: Any) -> bool:
        return value is None or value in ("", [], {})


class WrappedKeyField(models.BinaryField):  # type: ignore[type-arg]
    """The row's data key wrapped by the master key; created on the first save."""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        cast(EnvelopeEncrypted, model_instance).data_key()
        return getattr(model_instance, self.attname)


class EnvelopeEncrypted(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wrapped_key = WrappedKeyField(null=True, editable=False)
    kek_id = models.CharField(max_length=32, blank=True, editable=False, db_index=True)

    class Meta:
        abstract = True

    def _key_owner(self) -> str:
        return f"{self._meta.db_table}:{self.pk}"

    def data_key(self) -> bytes:
        cached: bytes | None = getattr(self, "_data_key", None)
        if cached is not None:
            return cached
        if self.wrapped_key:
            dek = crypto.unwrap_data_key(
                self.wrapped_key, kek_id=self.kek_id, owner=self._key_owner()
            )
        else:
            dek = crypto.new_data_key()
            self.kek_id, self.wrapped_key = crypto.wrap_data_key(
                dek, owner=self._key_owner()
            )
        self._data_key = dek
        return dek

    def _aad(self, column: str) -> str:
        return f"{self._meta.db_table}:{self.pk}:{column}"

    def encrypt_column(self, column: str, plaintext: str) -> bytes:
        return crypto.encrypt_value(plaintext, self.data_key(), self._aad(column))

    def decrypt_column(self, column: str, blob: bytes) -> str:
        return crypto.decrypt_value(blob, self.data_key(), self._aad(column))
