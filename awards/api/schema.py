"""The OpenAPI schema's conventions: every operation documents the errors it may answer, in the one shape of
awards/api/errors.py, so that a client (and Schemathesis, tests/test_api_schema.py) can rely on them. The schema
is written for developers, in English; what the API answers to people (errors) is in their language."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="Path of the value in the request body, or null.")
    code = serializers.CharField(help_text="Stable, for programs: required, invalid, unknown_field, not_found…")
    message = serializers.CharField(help_text="What a person reads, in the user's language (Vietnamese).")


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)


READ_ERRORS = {
    "400": "The request is malformed (a parameter, a character the server refuses).",
    "401": "No valid credentials: sign in, or send a valid API token.",
    "403": "Not allowed: out of your scope, or a rule of the workflow refuses it.",
    "404": "No such object or address.",
    "405": "This method is not allowed here.",
    "406": "The response cannot be given in the format asked for.",
}
WRITE_ERRORS = {
    **READ_ERRORS,
    "400": "The body is invalid: each error names its field.",
    "409": "The object changed meanwhile, or the same Idempotency-Key is still being processed.",
    "415": "The body must be JSON.",
    "422": "This Idempotency-Key was used for a different request.",
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = WRITE_ERRORS if self.method in ("POST", "PUT", "PATCH", "DELETE") else READ_ERRORS
        for code, description in errors.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses
