from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from residence.accounts import apis as account_apis
from residence.accounts import views as account_views
from residence.accounts.forms import EmailAuthenticationForm, QueuedPasswordResetForm
from residence.core import views as core_views

api_patterns = [
    path("me/", account_apis.MeApi.as_view(), name="api_me"),
    path("auth/token/", account_apis.TokenObtainApi.as_view(), name="api_token"),
    path("agencies/", account_apis.AgencyListApi.as_view(), name="api_agencies"),
    path("offices/", account_apis.OfficeListApi.as_view(), name="api_offices"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("", include("eligibility.api_urls")),
    path("", include("applications.api_urls")),
    path("", include("benefits.api_urls")),
    path("", include("verification.api_urls")),
    path("", include("cards.api_urls")),
]

urlpatterns = [
    path("", core_views.landing, name="landing"),
    path("home/", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("audit/", core_views.audit_log, name="audit_log"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/register/", account_views.register, name="register"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/mfa/", include("residence.mfa.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include(api_patterns)),
    path("admin/", admin.site.urls),
    path("", include("eligibility.urls")),
    path("", include("applications.urls")),
    path("", include("benefits.urls")),
    path("", include("verification.urls")),
    path("", include("cards.urls")),
    path("", include("reconsideration.urls")),
]

handler404 = "residence.core.views.page_not_found"
