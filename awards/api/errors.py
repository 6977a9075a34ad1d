"""Every error the API answers, in one shape: {"errors": [{"field": …, "code": …, "message": …}]}.

`field` is the path of the value in the request body (`id_number`, `answers.II.1`, `documents.0.number`), or
null for the request as a whole; `code` is stable for programs to test; `message` is the sentence a person reads,
in the user's language (Vietnamese by default). docs/api.md lists the codes.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from ..services.api import IdempotencyConflict


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):  # a service's rule: the same sentences the pages show
        exc = exceptions.ValidationError(detail=_django_details(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):  # a selector's deny(), a service's refusal: the pages' 403
        exc = exceptions.PermissionDenied()
    if isinstance(exc, IdempotencyConflict):
        return error_response(exc.status, [error(None, exc.code, exc.message)])
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a programming error: Django's 500, logged with its traceback
    if isinstance(exc, exceptions.APIException):
        response.data = {"errors": list(_flatten(exc.get_full_details(), None))}
    return response


def error(field: str | None, code: str, message: str) -> dict:
    return {"field": field, "code": code, "message": str(message)}


def error_response(status_code: int, errors: list[dict], headers: dict | None = None) -> Response:
    return Response({"errors": errors}, status=status_code, headers=headers)


def not_found_response() -> Response:
    return error_response(status.HTTP_404_NOT_FOUND, [error(None, "not_found", _("Not found."))])


def _django_details(exc: DjangoValidationError):
    """A Django ValidationError as DRF's detail: per field when it has fields, keeping each message's code."""
    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): [
                exceptions.ErrorDetail(message, code=problem.code or "invalid")
                for problem in problems
                for message in problem.messages
            ]
            for field, problems in exc.error_dict.items()
        }
    return [
        exceptions.ErrorDetail(message, code=problem.code or "invalid")
        for problem in exc.error_list
        for message in problem.messages
    ]


def _flatten(details, path: str | None):
    """DRF's nested details ({field: [{message, code}]}, lists per item) as a flat list with dotted paths."""
    if isinstance(details, dict) and set(details) == {"message", "code"}:
        yield error(path, details["code"] or "invalid", details["message"])
    elif isinstance(details, dict):
        for key, value in details.items():
            if key in (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS):
                yield from _flatten(value, path)
            else:
                yield from _flatten(value, f"{path}.{key}" if path else str(key))
    elif isinstance(details, list):
        nested = any(isinstance(item, dict) and set(item) != {"message", "code"} for item in details)
        for index, item in enumerate(details):
            if nested:  # a list of objects: each item's errors under its index
                yield from _flatten(item, f"{path}.{index}" if path else str(index))
            else:
                yield from _flatten(item, path)
