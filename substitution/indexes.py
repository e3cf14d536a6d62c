"""Index classes the migrations and models share."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.expressions import OrderBy


class NullsOrderedIndex(models.Index):
    """An index with ``NULLS FIRST``/``NULLS LAST`` in its order on PostgreSQL. SQLite cannot say
    NULLS in ``CREATE INDEX``; it sorts NULLs first in ascending order anyway, so there the
    index is created with the plain order (the embedded default must migrate)."""

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = [
            OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e
            for e in self.expressions
        ]
        return models.Index(*plain, name=self.name).create_sql(
            model, schema_editor, using=using, **kwargs
        )
