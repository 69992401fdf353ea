"""``EncryptedCharField``: a CharField stored encrypted (``minqing.core.crypto``).

Python sees the plain text; the column holds a Fernet token, made in ``get_db_prep_value`` so
``save``, ``bulk_create`` and ``update`` all encrypt. ``max_length`` is the plain text's (forms,
validation); the column is as wide as the longest token. An empty value stays empty.

Each token is randomised, so the database cannot compare values: every lookup but ``isnull``
raises ``FieldError`` (a query by phone or ID number needs a keyed blind index instead).
``dumpdata`` writes the token and ``loaddata`` reads it back, so dumps hold no plain text.
"""

from typing import Any

from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.utils.datastructures import DictWrapper

from minqing.core import crypto


class EncryptedCharField(models.CharField):
    description = "Text stored encrypted (up to %(max_length)s characters)"

    def db_type_parameters(self, connection: BaseDatabaseWrapper) -> Any:
        """The column's width is the longest token's, not ``max_length``."""
        return DictWrapper(
            {**self.__dict__, "max_length": crypto.token_length(self.max_length or 0)},
            connection.ops.quote_name,
            "qn_",
        )

    def _where(self) -> str:
        model = getattr(self, "model", None)
        return f"{model._meta.db_table}.{self.column}" if model is not None else self.name

    def get_prep_value(self, value: Any) -> Any:
        """The value as given (not through ``to_python``: typed text shaped like a token is text)."""
        value = models.Field.get_prep_value(self, value)
        return value if value is None else str(value)

    def get_db_prep_value(self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        return crypto.encrypt(value) if value else value

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        return crypto.decrypt(value, where=self._where()) if value else value

    def to_python(self, value: Any) -> Any:
        """A token (from a dump being loaded) becomes its plain text; anything else as CharField.
        A token no key opens is a ``ValidationError`` (``loaddata`` stops on it)."""
        if isinstance(value, str) and crypto.is_token(value):
            try:
                return crypto.decrypt(value, where=self._where())
            except crypto.FieldKeyError as exc:
                raise ValidationError(str(exc), code="undecryptable") from exc
        return super().to_python(value)

    def value_to_string(self, obj: Model) -> str:
        """For serialisers (``dumpdata``): the token, never the plain text."""
        value = self.value_from_object(obj)
        return crypto.encrypt(value) if value else ""

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{self._where()} is encrypted and cannot be compared in the database "
            f"(lookup '{lookup_name}'): query a keyed blind index instead"
        )

    def get_transform(self, lookup_name: str) -> Any:
        return None
