from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from residence.accounts import apis as account_apis
from residence.accounts import token_views, verification_views
from residence.accounts import views as account_views
from residence.accounts import views as accounts_views
from residence.accounts.forms import EmailAuthenticationForm, QueuedPasswordResetForm
from residence.audit import views as audit_views
from residence.core import api_docs
from residence.core import views as core_views

api_patterns = [
    path("me/", account_apis.MeApi.as_view(), name="api_me"),
    path("auth/token/", account_apis.TokenObtainApi.as_view(), name="api_token"),
    path("auth/tokens/", token_views.TokenListApi.as_view(), name="api_tokens"),
    path("agencies/", account_apis.AgencyListApi.as_view(), name="api_agencies"),
    path("offices/", account_apis.OfficeListApi.as_view(), name="api_offices"),
    path("schema/", api_docs.ApiSchemaView.as_view(), name="api_schema"),
    path("docs/", api_docs.ApiDocsView.as_view(url_name="api_schema"), name="api_docs"),
    path("", include("eligibility.api_urls")),
    path("", include("applications.api_urls")),
    path("", include("benefits.api_urls")),
    path("", include("verification.api_urls")),
    path("", include("cards.api_urls")),
    path("", include("figures.api_urls")),
    path("", include("counters.api_urls")),
]

urlpatterns = [
    path("", accounts_views.landing, name="landing"),
    path("home/", accounts_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/register/", account_views.register, name="register"),
    path("accounts/verification/sent/", verification_views.registration_sent, name="registration_sent"),
    path(
        "accounts/verification/resend/",
        verification_views.verification_resend,
        name="email_verification_resend",
    ),
    path("accounts/verify/<str:token>/", verification_views.verify, name="email_verify"),
    path("accounts/tokens/", token_views.account_tokens, name="account_tokens"),
    path("accounts/tokens/revoke/", token_views.account_token_revoke, name="account_token_revoke"),
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
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=verification_views.PasswordResetSetForm),
        name="password_reset_confirm",
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
    path("", include("payments.urls")),
    path("", include("reconsideration.urls")),
    path("", include("figures.urls")),
    path("", include("faq.urls")),
    path("", include("identity.urls")),
    path("", include("privacy.urls")),
    path("", include("appointments.urls")),
    path("", include("counters.urls")),
]

handler404 = "residence.core.views.page_not_found"
