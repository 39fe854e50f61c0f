"""Policy documents as files: YAML or JSON text in, a JSON-safe document out, and back (no database)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .engine import validate_policy

FORMATS = ("yaml", "json")
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
# YAML aliases can make a small file expand into an enormous document ("billion laughs").
MAX_DOCUMENT_NODES = 200_000


def jsonable(value: Any) -> Any:
    """The document as JSON stores it: dates as ISO text, mapping keys as text."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    return value


def _count_nodes(value: Any, limit: int) -> int:
    count = 0
    stack = [value]
    while stack:
        item = stack.pop()
        count += 1
        if count > limit:
            break
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def parse_policy_text(text: str | bytes, *, fmt: str) -> dict[str, Any]:
    """A document from YAML or JSON text; ValidationError {"document": [...]} if it cannot be read."""
    if fmt not in FORMATS:
        raise ValidationError({"format": [_("Choose YAML or JSON.")]})
    if isinstance(text, bytes):
        if len(text) > MAX_DOCUMENT_BYTES:
            raise ValidationError({"document": [_("The file is larger than 2 MB.")]})
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError({"document": [_("The file is not UTF-8 text.")]}) from None
    if len(text.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"document": [_("The file is larger than 2 MB.")]})
    try:
        doc = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            {
                "document": [
                    _("Not valid JSON (line %(line)s, column %(column)s): %(problem)s")
                    % {"line": error.lineno, "column": error.colno, "problem": error.msg}
                ]
            }
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ValidationError(
            {"document": [_("Not valid YAML%(where)s: %(problem)s") % {"where": where, "problem": problem}]}
        ) from None
    if not isinstance(doc, dict):
        raise ValidationError(
            {"document": [_("The file must hold one policy document (a mapping at the top).")]}
        )
    if _count_nodes(doc, MAX_DOCUMENT_NODES) > MAX_DOCUMENT_NODES:
        raise ValidationError({"document": [_("The document is too large once its aliases are expanded.")]})
    return jsonable(doc)


def dump_policy_text(doc: dict[str, Any], *, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=110)


def policy_errors(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The engine's validation errors, as plain dicts (path, code, message {en, zh})."""
    try:
        errors = validate_policy(doc)
    except Exception as error:  # noqa: BLE001 - a malformed document must be reported, never a 500
        return [
            {
                "path": "(policy)",
                "code": "unreadable",
                "message": {
                    "en": f"the document cannot be checked: {error}",
                    "zh": f"无法检查该文件：{error}",
                },
            }
        ]
    return [{"path": e.path, "code": e.code, "message": e.message} for e in errors]


def errors_as_validation(errors: list[dict[str, Any]], *, lang: str = "en") -> ValidationError:
    """Engine errors as a ValidationError keyed by "document.<path>", so each shows by its path."""
    by_path: dict[str, list[str]] = {}
    for error in errors:
        by_path.setdefault(f"document.{error['path']}", []).append(
            error["message"].get(lang) or error["message"]["en"]
        )
    return ValidationError(by_path)
