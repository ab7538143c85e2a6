"""One JSON error shape for the whole API: {"error": {"code", "message", "fields": [{"field", "message"}]}}."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from qorgau.cases.errors import ServiceError, StaleEdit


class FormInvalid(Exception):
    """Input that is well typed but breaks a rule of the domain, with the fields at fault."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(str(errors))


def error_body(
    code: str, message: str, fields: list[dict[str, str]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "error": {"code": code, "message": message, "fields": fields or [], **extra}
    }


def install(api: NinjaAPI) -> None:
    def respond(
        request: HttpRequest, status: int, body: dict[str, Any]
    ) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, error_body("not_found", _("Not found.")))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(
            request,
            403,
            error_body("forbidden", _("You may read this record but not change it.")),
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(
            request,
            401,
            error_body("unauthenticated", _("A valid API token is required.")),
        )

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = []
        for err in exc.errors:
            loc = [
                str(p)
                for p in err.get("loc", ())
                if p not in ("body", "query", "path", "payload")
            ]
            fields.append(
                {
                    "field": ".".join(loc),
                    "message": _("This value is missing or has the wrong type."),
                }
            )
        return respond(
            request, 422, error_body("invalid", _("The request is not valid."), fields)
        )

    @api.exception_handler(FormInvalid)
    def form_invalid(request: HttpRequest, exc: FormInvalid) -> HttpResponse:
        fields = [
            {"field": f, "message": m} for f, msgs in exc.errors.items() for m in msgs
        ]
        return respond(
            request, 422, error_body("invalid", _("The request is not valid."), fields)
        )

    @api.exception_handler(StaleEdit)
    def stale(request: HttpRequest, exc: StaleEdit) -> HttpResponse:
        body = error_body(
            "stale", str(exc.message), current_version=exc.current_version
        )
        return respond(request, 409, body)

    @api.exception_handler(ServiceError)
    def refused(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        fields = (
            [{"field": exc.field, "message": str(exc.message)}] if exc.field else []
        )
        return respond(request, 400, error_body("refused", str(exc.message), fields))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, error_body("error", str(exc)))
