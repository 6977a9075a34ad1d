from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.i18n import set_language

from awards.views import health
from awards.views.org import LoginView

accounts = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    # Probes for load balancers (no slash: exempt from the HTTPS redirect by exact path, see settings).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include(accounts)),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Browsers and bookmarks ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path("favicon.ico", login_not_required(lambda request: HttpResponsePermanentRedirect(static("tdkt/favicon.svg")))),
    path("admin/", admin.site.urls),
    path("api/", include("awards.api.urls")),  # the REST API, its schema and its docs (docs/api.md)
    path("", include("awards.urls")),
]
