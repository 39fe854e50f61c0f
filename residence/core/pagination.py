"""Keyset (cursor) pagination over a whole ordering, for every list in the portal.

A page is "the rows after the last row of the previous page", compared as a row value over all
ordering fields, so a deep page costs what the first page costs and no row repeats or goes
missing however many rows share a first-field value (DRF's CursorPagination pages by the first
field plus an offset capped at 1,000, which repeats rows on low-cardinality orderings).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

MAX_PAGE_SIZE = 200


class InvalidCursor(Http404):
    """A cursor we did not hand out names no page: a 404, as DRF's own cursor pagination answers."""


@dataclass(frozen=True)
class KeysetPage:
    items: list
    next_cursor: str | None


def _encode(values: list[Any]) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return {"dt": value.isoformat()}
        if isinstance(value, dt.date):
            return {"d": value.isoformat()}
        if isinstance(value, Decimal):
            return {"dec": str(value)}
        return value

    raw = json.dumps([plain(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, size: int) -> list[Any]:
    def typed(value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            ((kind, text),) = value.items()
            parsers: dict[str, Callable[[str], Any]] = {
                "dt": dt.datetime.fromisoformat,
                "d": dt.date.fromisoformat,
                "dec": Decimal,
            }
            parse = parsers.get(kind)
            if parse is None:
                raise ValueError(kind)
            return parse(text)
        if isinstance(value, dict | list):
            raise ValueError("nested value")
        return value

    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(decoded, list):
            raise TypeError("a cursor is a list")
        values = [typed(v) for v in decoded]
    except (ValueError, TypeError, ArithmeticError) as error:
        raise InvalidCursor(_("This cursor is not valid. Start again from the first page.")) from error
    if len(values) != size:
        raise InvalidCursor(_("This cursor is not valid. Start again from the first page."))
    return values


def _typed_like_fields(model, ordering: Sequence[str], values: list[Any]) -> list[Any]:
    """Each value as its ordering field's type, or InvalidCursor: a forged ``["abc"]``, ``[null]`` or
    ``[1e400]`` must be refused here, not reach the database as a 500."""
    typed = []
    for field_name, value in zip(ordering, values, strict=True):
        field = _field(model, field_name.lstrip("-"))
        if value is None or isinstance(value, bool) or not _finite(value):
            raise InvalidCursor(_("This cursor is not valid. Start again from the first page."))
        if field is not None:
            try:
                value = field.to_python(value)
                field.run_validators(value)
            except (ValidationError, ValueError, TypeError, ArithmeticError) as error:
                raise InvalidCursor(
                    _("This cursor is not valid. Start again from the first page.")
                ) from error
            if value is None or not _finite(value):
                raise InvalidCursor(_("This cursor is not valid. Start again from the first page."))
        typed.append(value)
    return typed


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Decimal):
        return value.is_finite()
    return True


def _field(model, path: str):
    """The model field a ``a__b`` ordering path ends at, or None for an annotation."""
    field = None
    for part in path.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.get_field("id" if part == "pk" else part)
        except FieldDoesNotExist:
            return None
        model = field.related_model if field.is_relation else None
    if field is not None and field.is_relation:
        field = field.target_field
    return field


def _after(ordering: Sequence[str], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in ``ordering``: (a > x) or (a = x and b > y) or ..."""
    condition = Q()
    equal_so_far = Q()
    for field, value in zip(ordering, values, strict=True):
        name = field.lstrip("-")
        step = Q(**{f"{name}__lt" if field.startswith("-") else f"{name}__gt": value})
        condition |= equal_so_far & step
        equal_so_far &= Q(**{name: value})
    return condition


def keyset_paginate(
    queryset: QuerySet, *, ordering: Sequence[str], cursor: str | None, page_size: int
) -> KeysetPage:
    """One page of ``queryset`` in ``ordering``; the last ordering field must be unique and no field null."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    queryset = queryset.order_by(*ordering)
    if cursor:
        values = _typed_like_fields(queryset.model, ordering, _decode(cursor, len(ordering)))
        if (
            len({f.startswith("-") for f in ordering}) == 1
            and connections[queryset.db].vendor == "postgresql"
        ):
            # One direction: a row-value comparison, which PostgreSQL answers from a composite
            # index in the same order (the OR-expansion below defeats that index).
            model = queryset.model
            columns = ", ".join(
                f"{model._meta.db_table}.{model._meta.get_field(f.lstrip('-')).column}" for f in ordering
            )
            placeholders = ", ".join(["%s"] * len(values))
            op = "<" if ordering[0].startswith("-") else ">"
            queryset = queryset.extra(where=[f"({columns}) {op} ({placeholders})"], params=values)  # noqa: S610
        else:
            queryset = queryset.filter(_after(ordering, values))
    rows = list(queryset[: page_size + 1])
    items = rows[:page_size]
    next_cursor = None
    if len(rows) > page_size:
        last = items[-1]
        next_cursor = _encode([getattr(last, f.lstrip("-")) for f in ordering])
    return KeysetPage(items=items, next_cursor=next_cursor)


def keyset_page_for_request(
    request, queryset: QuerySet, *, ordering: Sequence[str], page_size: int = 50
) -> KeysetPage:
    """The page an HTML list's ``?cursor=`` names; a broken or stale cursor starts again at the top."""
    try:
        return keyset_paginate(
            queryset, ordering=ordering, cursor=request.GET.get("cursor") or None, page_size=page_size
        )
    except InvalidCursor:
        return keyset_paginate(queryset, ordering=ordering, cursor=None, page_size=page_size)


def page_envelope(page: KeysetPage, results: list | None = None) -> dict[str, Any]:
    """A list page as every API answers it: ``{"results": [...], "next": cursor or null}``.

    ``results`` are the page's items as the caller serialised them (default: the items themselves,
    for an output serializer to read).
    """
    return {"results": page.items if results is None else results, "next": page.next_cursor}
