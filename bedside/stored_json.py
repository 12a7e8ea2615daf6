"""A model that keeps one of its fields exactly as it was stored.

An event's payload and a protocol version are hashed over the JSON they were first stored as.
A model that gains an optional field in a later release would write that JSON differently, so
the stored form travels with the object: it is kept when the object is read, and written back
when the object is dumped to JSON (hashes, exports). A new object's stored form is its dump.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar, Self

from pydantic import (
    BaseModel,
    ModelWrapValidatorHandler,
    PrivateAttr,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)


class KeepsStoredJson(BaseModel):
    """Base of a model whose field :attr:`stored_field` keeps its JSON as stored."""

    stored_field: ClassVar[str]
    """The field whose stored JSON is kept (set by each subclass)."""
    _stored: dict[str, Any] | None = PrivateAttr(default=None)

    def stored_json(self) -> dict[str, Any]:
        """The field as stored (or, for a new object, as it will be stored)."""
        if self._stored is None:
            value = getattr(self, self.stored_field)
            self._stored = value.model_dump(mode="json")
        return self._stored

    @model_validator(mode="wrap")
    @classmethod
    def _keep_stored(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        raw = data.get(cls.stored_field) if isinstance(data, dict) else None
        obj = handler(data)
        if isinstance(raw, dict):
            obj._stored = copy.deepcopy(raw)
        return obj

    @model_serializer(mode="wrap")
    def _dump_stored(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        if info.mode == "json" and isinstance(data, dict) and self.stored_field in data:
            data[self.stored_field] = copy.deepcopy(self.stored_json())
        return data
