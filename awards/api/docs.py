"""The OpenAPI schema, and Swagger UI and ReDoc to read it, served from the product itself (the sidecar's
static files: no CDN). Both pages run under the product's Content-Security-Policy, widened for these two
pages alone where their libraries need it: styles they inject at run time, and ReDoc's web worker."""

from csp.decorators import csp_update
from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

DOCS_CSP = {"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}


def schema_view():
    view = SpectacularAPIView.as_view()
    view.login_required = False  # a system fetches it with its token; DRF answers 401 to nobody (DRF's default)
    return view


def _page(view):
    """A page for people: LoginRequiredMiddleware sends a visitor to the login (DRF marks its views exempt)."""
    view = csp_update(DOCS_CSP)(view)
    view.login_required = True
    return view


def swagger_view():
    return _page(SpectacularSwaggerSplitView.as_view(url_name="api_schema"))


def redoc_view():
    return _page(SpectacularRedocView.as_view(url_name="api_schema"))


def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/: the API's 404, in its own shape (never the HTML page)."""
    return JsonResponse({"errors": [{"field": None, "code": "not_found", "message": _("Not found.")}]}, status=404)


not_found.login_required = False
not_found.csrf_exempt = True  # no write happens: the 404 answers every method, never the CSRF page
