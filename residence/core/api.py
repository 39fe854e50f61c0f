"""What every API shares: one error shape, and errors that never become a 500 for bad input."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import Conflict


class ConflictError(exceptions.APIException):
    """A service's Conflict as DRF answers it: a 409 with the service's sentence."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Conflict.")
    default_code = "conflict"


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class ValidationErrorSerializer(serializers.Serializer):
    """A 400: field names mapped to their messages."""

    detail = serializers.CharField(required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a body nested too deep for Python's decoder a 400, not a RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise exceptions.ParseError(_("JSON parse error: the document is nested too deeply.")) from error


class OptionalBooleanField(serializers.BooleanField):
    """In a query string an absent boolean means "no filter", not False (DRF's form default)."""

    default_empty_html = serializers.empty


class PageInputSerializer(serializers.Serializer):
    """The query parameters of every keyset-paged list: ``?cursor=`` from the last page's ``next``."""

    cursor = serializers.CharField(required=False, max_length=500)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)


def query_params(serializer_class, request) -> dict:
    """Validated query parameters; a blank value is an error unless the field allows it.

    DRF reads an empty query parameter of an optional field as "absent" (its HTML-form default),
    so ``?status=`` would silently list everything; here it is a 400 naming the parameter.
    """
    serializer = serializer_class(data=request.query_params)
    blank = [
        name
        for name, field in serializer.fields.items()
        if request.query_params.get(name) == "" and not getattr(field, "allow_blank", False)
    ]
    if blank:
        raise ValidationError({name: [_("This value may not be blank.")] for name in blank})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _django_validation_to_drf(error: ValidationError) -> exceptions.ValidationError:
    if hasattr(error, "message_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"non_field_errors": error.messages})


def exception_handler(exc, context):
    """Map Django's errors from services to DRF's, then give every error the same envelope."""
    if isinstance(exc, ValidationError):
        exc = _django_validation_to_drf(exc)
    elif isinstance(exc, Conflict):
        exc = ConflictError(exc.detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if getattr(exc, "www_authenticate", None):
        # A refused token is a 401 even where session authentication comes first (DRF makes it a
        # 403 then, as sessions have no WWW-Authenticate scheme): the client must get a new token.
        exc.status_code = 401
        exc.auth_header = exc.www_authenticate
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {"detail": "Invalid input.", "errors": _flatten(errors)}
    elif not (isinstance(data, dict) and "detail" in data):
        response.data = {"detail": str(data)}
    return response


def _flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    """Nested serializer errors as {"field.sub": [messages]}, so every client reads one shape."""
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(errors, list) and any(isinstance(v, dict | list) for v in errors):
        flat = {}
        for index, value in enumerate(errors):
            flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = errors if isinstance(errors, list) else [errors]
    return {prefix or "non_field_errors": [str(m) for m in messages]}
