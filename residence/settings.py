"""Settings for the PR portal: one module, configured from the environment.

With nothing set, the portal runs on embedded defaults: a SQLite file and a Celery broker on the
filesystem (kombu's filesystem transport) under ``var/``, with a real worker process. Setting
``DATABASE_URL`` and ``REDIS_URL`` switches to PostgreSQL and Redis. With ``DEBUG`` off, the
secret key and allowed hosts must come from the environment; a missing one stops start-up.
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cards import offline as cards_offline
from residence import encryption, objectstore

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

TESTING = "pytest" in sys.modules or env.bool("TESTING", default=False)
DEBUG = env.bool("DEBUG", default=False)

# Runtime data of the embedded defaults (SQLite file, broker folders, private uploads).
# Tests keep theirs apart, so a development worker never consumes a test's messages.
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var" / ("test" if TESTING else ""))))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env("SECRET_KEY", default="")
    if key:
        return key
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    # Development only: a random key kept beside the SQLite file, so sessions survive restarts
    # and no key is ever written into the code.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"] if (DEBUG or TESTING) else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The portal's public address, printed in every card's QR code. Development: `make run` sets it
# from WEB_PORT; in production, without it, the first allowed host over HTTPS (never localhost).
SITE_URL = env(
    "SITE_URL",
    default=f"http://localhost:{env('WEB_PORT', default='8000')}"
    if (DEBUG or TESTING)
    else f"https://{ALLOWED_HOSTS[0].lstrip('.')}",
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "residence.accounts",
    "residence.audit",
    "residence.core",
    "residence.mfa",
    "eligibility",
    "applications",
    "benefits",
    "verification",
    "cards",
    "figures",
    "faq",
    "reconsideration",
    "identity",
    "privacy",
    "appointments",
    "counters",
    "payments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "residence.core.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "residence.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "residence.audit.security.DeniedAccessMiddleware",
    # After authentication: logs staff reads of case pages and documents (privacy/middleware.py).
    "privacy.middleware.CaseAccessLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: a timed-out session is told why on the log-in page.
    "residence.mfa.middleware.SessionLifetimeMiddleware",
    "residence.mfa.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# Every form's widgets with errors are marked alike (class, aria-invalid, aria-describedby).
FORM_RENDERER = "residence.core.forms.PortalFormRenderer"

ROOT_URLCONF = "residence.urls"
WSGI_APPLICATION = "residence.wsgi.application"
ASGI_APPLICATION = "residence.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "residence.core.context_processors.navigation",
                "residence.core.context_processors.languages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests share their database with a real worker process, so it must be a file, not memory.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_db.sqlite3")}
    DATABASES["default"].setdefault("OPTIONS", {})
    # The web server and the worker write concurrently: wait for the lock instead of failing.
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
USING_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
# Lag-tolerant reads (the public catalogue) on a streaming replica; see residence/dbrouter.py.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL") | {
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        # Tests read the test database through the same connection settings as the primary.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["residence.dbrouter.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache and Celery -------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        "max_connections": env.int("CELERY_BROKER_MAX_CONNECTIONS", default=64),
        # Bounded waits on a broker that is down or hung: a publish after commit gives up within
        # seconds (residence.core.outbox.publish) and the outbox's sweeper sends it later.
        "socket_connect_timeout": env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=1.0),
        "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=5.0),
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    BROKER_DIR = VAR_DIR / "broker"
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    # A broker that needs no server: messages are files; a real worker process consumes them.
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(BROKER_DIR / "control"),
    }

CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Reuse database connections across tasks (residence/celery.py closes stale ones as Django does).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)

# The task outbox (residence/core/outbox.py): a message never claimed is sent again after
# OUTBOX_UNCLAIMED_SECONDS (doubling with each send, up to OUTBOX_UNCLAIMED_MAX_SECONDS); a run
# whose worker died, once its lease has run out; a failing task is retried with backoff, at most
# OUTBOX_MAX_ATTEMPTS times. Done rows (e-mail bodies among them) are kept OUTBOX_KEEP_DAYS.
OUTBOX_UNCLAIMED_SECONDS = env.float("OUTBOX_UNCLAIMED_SECONDS", default=20.0)
OUTBOX_UNCLAIMED_MAX_SECONDS = env.float("OUTBOX_UNCLAIMED_MAX_SECONDS", default=300.0)
OUTBOX_LEASE_SECONDS = env.float("OUTBOX_LEASE_SECONDS", default=120.0)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=5.0)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=900.0)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=7)
CELERY_BEAT_SCHEDULE["outbox-sweep"] = {
    "task": "residence.core.tasks.outbox_sweep_task",
    "schedule": env.float("OUTBOX_SWEEP_EVERY_SECONDS", default=10.0),
}

# --- Auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
# An API token is refused this many days after it was issued; the client asks for a new one.
API_TOKEN_LIFETIME = timedelta(days=env.int("API_TOKEN_LIFETIME_DAYS", default=30))
# How long the link of an e-mail address verification works.
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=env.int("EMAIL_VERIFICATION_MAX_AGE_DAYS", default=7))

# --- Second factor and session lifetime (residence/mfa) ---------------------------------------------
# Every staff account must verify a second factor (TOTP or a passkey; recovery codes as a fallback)
# after its password; applicants may opt in. Sensitive actions (approve, refuse, revoke, keys, roles)
# need one given within MFA_REAUTH_SECONDS.
MFA_REAUTH_SECONDS = env.int("MFA_REAUTH_SECONDS", default=5 * 60)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="PR Portal")
# A wrong code makes the next try wait 1, 2, 4... seconds (django-otp's throttle).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# No one, administrators included, sees another person's TOTP key (or its QR code) in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# WebAuthn relying party: empty means the request's own host (validated by ALLOWED_HOSTS) and origin.
WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID", default="")
WEBAUTHN_ORIGIN = env("WEBAUTHN_ORIGIN", default="")
# Staff sessions end after 15 idle minutes and 8 hours in all; applicants' after 2 hours / 7 days.
SESSION_STAFF_IDLE_SECONDS = env.int("SESSION_STAFF_IDLE_SECONDS", default=15 * 60)
SESSION_STAFF_MAX_SECONDS = env.int("SESSION_STAFF_MAX_SECONDS", default=8 * 3600)
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=2 * 3600)
SESSION_MAX_SECONDS = env.int("SESSION_MAX_SECONDS", default=7 * 24 * 3600)
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS


PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()"
)

# Content-Security-Policy (django-csp): scripts and styles only from the portal's own static files, never
# inline, so an injected <script> or on*= attribute does not run. Uploads served back keep their own
# sandboxing policy (applications/uploads.py), which the middleware leaves as it is.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if env("CSP_REPORT_URI", default=""):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = env("CSP_REPORT_URI")

# Who reads the OpenAPI schema and its browsable docs (/api/schema/, /api/docs/): "public" (the
# default: the API is documented for every client), "signed_in", or "off".
API_DOCS = env("API_DOCS", default="public")
if API_DOCS not in ("public", "signed_in", "off"):
    raise ImproperlyConfigured('API_DOCS must be "public", "signed_in" or "off".')

# Monitoring reads /healthz's details with this in an X-Health-Token header (empty: nobody can).
HEALTH_TOKEN = env("HEALTH_TOKEN", default="")

# Proxies in front of the portal that append to X-Forwarded-For (0: none, the header is ignored).
# The login throttle (DRF NUM_PROXIES) and the lockout (axes) read the client address by this one rule.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "residence.core.client_ip.client_ip"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "residence.core.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
if env("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@pr-portal.example")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
# Each language named in itself, as the switcher shows it. The list is the one place a language is
# added: content (benefit items, the FAQ, policy texts) is stored per code (residence/languages.py),
# so a new language is this line, a message catalogue and translated data, never a migration.
# Arabic is right-to-left: base.html sets dir from get_language_bidi and the CSS uses logical sides.
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("ru", "Русский"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static and private files ---------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
try:
    _DEFAULT_STORAGE = objectstore.default_storage(
        os.environ, local_dir=env("PRIVATE_STORAGE_DIR", default=str(VAR_DIR / "private"))
    )
except objectstore.StorageURLError as error:
    raise ImproperlyConfigured(str(error)) from None
STORAGES = {
    # Uploads are private: never under STATIC or a public MEDIA URL; views stream them after a
    # permission check. STORAGE_URL (or AWS_STORAGE_BUCKET_NAME) puts them in a private S3 bucket.
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Envelope encryption of every stored file (residence/encryption.py, docs/security.md): the
# key-encryption keys, "id:base64key,...", the first one sealing new objects. Development and
# tests use a random key kept in VAR_DIR; the deploy check (residence.core.checks) requires real ones.
try:
    STORAGE_KEYRING = (
        encryption.Keyring.parse(env("STORAGE_ENCRYPTION_KEYS"))
        if env("STORAGE_ENCRYPTION_KEYS", default="").strip()
        else (encryption.Keyring.development(VAR_DIR) if (DEBUG or TESTING) else None)
    )
except encryption.EncryptionKeyError as error:
    raise ImproperlyConfigured(str(error)) from None
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Measured from the image header before decoding: 25 million pixels is a 300 dpi A3 scan, and
# decodes in about 100 MB; a 13,000 x 13,000 PNG of 480 KiB would take 500 MB or more.
UPLOAD_MAX_IMAGE_PIXELS = env.int("UPLOAD_MAX_IMAGE_PIXELS", default=25_000_000)
# What all the streams of an uploaded PDF may decode to together (image codecs count as stored).
UPLOAD_MAX_PDF_EXPANDED_BYTES = env.int("UPLOAD_MAX_PDF_EXPANDED_BYTES", default=100 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # DRF's own parsers, with JSON nested deeper than the decoder allows a 400 instead of a 500.
    "DEFAULT_PARSER_CLASSES": [
        "residence.core.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "residence.accounts.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # No filter backend: every list's filters are parsed by an input serializer (clear 400s) and
    # applied by its selector, which the HTML pages share (e.g. applications.selectors.QueueFilters
    # with keyset pages); a FilterSet in the API would be a second copy of those rules.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="120/minute"),
        "user": env("THROTTLE_USER", default="1200/minute"),
        "login": env("THROTTLE_LOGIN", default="10/minute"),
    },
    "EXCEPTION_HANDLER": "residence.core.api.exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Permanent Residence Portal API",
    "DESCRIPTION": "Applications, eligibility, benefits and card verification for foreign permanent residence.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema's own quality is tested (tests/residence/test_api_schema.py), so the deploy
    # check stays about deployment.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    # Choice sets that share a field name across apps get names of their own in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationChannelEnum": "applications.models.Channel",
        "ApplicationStatusEnum": "applications.models.Status",
        "BenefitKindEnum": "benefits.models.Kind",
        "CardStatusEnum": "cards.models.Card.Status",
        "CardKindEnum": "cards.models.Card.Kind",
        "PolicyVersionStatusEnum": "eligibility.models.PolicyVersion.Status",
        "TalentProgramStatusEnum": "eligibility.models.TalentProgram.Status",
        "BanGroundEnum": "eligibility.models.Ban.Ground",
        "ManagementCaseStatusEnum": "verification.models.ManagementCase.Status",
        "CheckStatusEnum": "verification.models.CheckStatus",
        "CheckKindEnum": "verification.checks.CheckKind",
    },
}

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probed over plain HTTP inside the cluster
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "residence.audit.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Portal-specific
PORTAL_NAME = _("Permanent Residence Portal")
HEALTHZ_WORKER_TIMEOUT = env.float("HEALTHZ_WORKER_TIMEOUT", default=2.0)

# --- cards ---
# The CJK font embedded in every card and letter (Debian: fonts-wqy-microhei).
CARDS_CJK_FONT = env("CARDS_CJK_FONT", default="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
# Institutions' card checks per API key.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["card_verify"] = env("THROTTLE_CARD_VERIFY", default="60/minute")
# The bulk card check: at most this many checks in one request, and this many requests per key.
CARDS_VERIFY_BULK_MAX = env.int("CARDS_VERIFY_BULK_MAX", default=100)
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["card_verify_bulk"] = env(
    "THROTTLE_CARD_VERIFY_BULK", default="30/minute"
)
# Anyone holding a card's code may ask for its current status (the verifier page, when online).
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["card_status"] = env("THROTTLE_CARD_STATUS", default="120/minute")
# Ed25519 keys that sign the cards' QR payloads and the revocation list (cards/offline.py,
# docs/security.md): "id:base64seed,..." the first one signing; retired public keys "id:base64key,...".
# Development and tests use a random key kept in VAR_DIR; the deploy check requires real ones.
try:
    CARDS_KEYS = (
        cards_offline.CardKeys.parse(env("CARDS_SIGNING_KEYS"), env("CARDS_RETIRED_KEYS", default=""))
        if env("CARDS_SIGNING_KEYS", default="").strip()
        else (
            cards_offline.CardKeys.development(VAR_DIR, env("CARDS_RETIRED_KEYS", default=""))
            if (DEBUG or TESTING)
            else None
        )
    )
except cards_offline.SigningKeyError as error:
    raise ImproperlyConfigured(str(error)) from None
# A counter refreshes the signed revocation list at least this often (its "next update").
CARDS_REVOCATION_LIST_HOURS = env.int("CARDS_REVOCATION_LIST_HOURS", default=24)
# Renewal may be asked for from this many days before expiry.
CARDS_RENEWAL_WINDOW_DAYS = env.int("CARDS_RENEWAL_WINDOW_DAYS", default=183)
# Days a holder has to ask for administrative reconsideration (Administrative Reconsideration Law art. 20).
CARDS_RECONSIDERATION_DAYS = env.int("CARDS_RECONSIDERATION_DAYS", default=60)
# Least days a year in China for a permanent resident when the policy in force has no
# holder_residence.min_days_per_year (the document's figure wins); eligibility.selectors reads it.
RESIDENCE_MIN_DAYS_DEFAULT = env.int("RESIDENCE_MIN_DAYS_DEFAULT", default=90)
# Warn a holder when this few days abroad are left in the year.
CARDS_RESIDENCE_WARNING_MARGIN_DAYS = env.int("CARDS_RESIDENCE_WARNING_MARGIN_DAYS", default=30)
CELERY_BEAT_SCHEDULE["cards-expire-due"] = {"task": "cards.tasks.cards_expire_due_task", "schedule": 6 * 3600}
CELERY_BEAT_SCHEDULE["cards-residence-review"] = {
    "task": "cards.tasks.residence_review_task",
    "schedule": 24 * 3600,
}

# --- service windows (R20, issue 15) ---
# Days a walk-in's claim code stays valid; the window can send a new one after that.
COUNTER_CLAIM_CODE_DAYS = env.int("COUNTER_CLAIM_CODE_DAYS", default=30)
# The period after which a card is flagged uncollected is policy data (counters.card_collection_days).
CELERY_BEAT_SCHEDULE["counters-flag-uncollected"] = {
    "task": "counters.tasks.collections_flag_uncollected_task",
    "schedule": 24 * 3600,
}

# --- published figures (R13) ---
# Processing times: decided cases over the last FIGURES_WINDOW_MONTHS; a route or office with fewer
# than FIGURES_MINIMUM_CASES decided cases publishes "too few" rather than a number.
FIGURES_WINDOW_MONTHS = env.int("FIGURES_WINDOW_MONTHS", default=6)
FIGURES_MINIMUM_CASES = env.int("FIGURES_MINIMUM_CASES", default=10)
# Public statistics: a count above zero and under FIGURES_SUPPRESS_BELOW is shown as "fewer than N"
# (with the cells withheld that would give it away by subtraction); 10 as national statistics
# offices commonly use for counts of people.
FIGURES_SUPPRESS_BELOW = env.int("FIGURES_SUPPRESS_BELOW", default=10)
# Comparing two policy versions re-evaluates every case decided in the period, in the request: a
# period with more decided cases than this is refused with a message asking for a shorter one.
FIGURES_COMPARE_MAX_CASES = env.int("FIGURES_COMPARE_MAX_CASES", default=2000)
CELERY_BEAT_SCHEDULE["figures-processing-times"] = {
    "task": "figures.tasks.processing_times_refresh_task",
    "schedule": 24 * 3600,
}

# --- verification ---
# Cross-agency verification (issue #6). Development defaults point every agency at the local agency
# simulator (`python -m simulator`, started by `make run`); production sets each agency's URL and
# credential: VERIFICATION_<AGENCY>_URL / _SECRET / _TIMEOUT (agency codes: most, mohrss, sta,
# samr, mps, nia, mca, moe).
VERIFICATION_BASE_URL = env("VERIFICATION_BASE_URL", default="http://127.0.0.1:8765")
# The shared signing secret: a development default only; production must set it.
VERIFICATION_DEFAULT_SECRET = env(
    "VERIFICATION_SECRET", default="dev-simulator-secret" if (DEBUG or TESTING) else ""
)
if not VERIFICATION_DEFAULT_SECRET:
    raise ImproperlyConfigured("VERIFICATION_SECRET must be set in the environment when DEBUG is off.")
VERIFICATION_CLIENT_ID = env("VERIFICATION_CLIENT_ID", default="CN/GOV/NIA/pr-portal")
VERIFICATION_TIMEOUT_SECONDS = env.float("VERIFICATION_TIMEOUT_SECONDS", default=10.0)
VERIFICATION_AGENCIES = {
    code: {
        "base_url": env(f"VERIFICATION_{code.upper()}_URL", default=""),
        "secret": env(f"VERIFICATION_{code.upper()}_SECRET", default=""),
        "timeout": env.float(f"VERIFICATION_{code.upper()}_TIMEOUT", default=0.0),
    }
    for code in ("most", "mohrss", "sta", "samr", "mps", "nia", "mca", "moe", "credit")
}
# Checks of one agency travel in batches of up to this many per task (bulk sends: the sweeper,
# daily management); a batch shares its claim, its result transaction and its broker message.
VERIFICATION_BATCH_SIZE = env.int("VERIFICATION_BATCH_SIZE", default=20)
# Attempts per run before a check ends as `error` / `timed_out`; backoff base * 2^n with jitter.
VERIFICATION_MAX_ATTEMPTS = env.int("VERIFICATION_MAX_ATTEMPTS", default=4)
VERIFICATION_RETRY_BASE_SECONDS = env.float("VERIFICATION_RETRY_BASE_SECONDS", default=5.0)
VERIFICATION_RETRY_MAX_SECONDS = env.float("VERIFICATION_RETRY_MAX_SECONDS", default=600.0)
# A request sent but not claimed by a worker this long after it was sent is re-sent by the sweeper
# (a message lost with the broker, or taken by a worker killed before it began); the wait doubles
# with each send up to VERIFICATION_STUCK_AFTER_SECONDS, so a long queue is not flooded with
# copies. A claimed request is re-sent once its lease (agency timeout + margin) has run out.
VERIFICATION_UNCLAIMED_SECONDS = env.float("VERIFICATION_UNCLAIMED_SECONDS", default=20.0)
VERIFICATION_STUCK_AFTER_SECONDS = env.float("VERIFICATION_STUCK_AFTER_SECONDS", default=300.0)
# An attempt holds its check for the agency's timeout plus this; then another may take over.
VERIFICATION_LEASE_MARGIN_SECONDS = env.float("VERIFICATION_LEASE_MARGIN_SECONDS", default=30.0)
# Failed checks (error, timed out) are run again automatically after this, this many times.
VERIFICATION_RERUN_FAILED_AFTER_SECONDS = env.float("VERIFICATION_RERUN_FAILED_AFTER_SECONDS", default=3600.0)
VERIFICATION_AUTO_RERUNS = env.int("VERIFICATION_AUTO_RERUNS", default=3)
# Daily management (R21): each permanent resident is re-checked this often.
VERIFICATION_MANAGEMENT_CADENCE_DAYS = env.int("VERIFICATION_MANAGEMENT_CADENCE_DAYS", default=365)
VERIFICATION_MANAGEMENT_BATCH = env.int("VERIFICATION_MANAGEMENT_BATCH", default=500)
CELERY_BEAT_SCHEDULE["verification-sweep"] = {
    "task": "verification.tasks.verification_sweep_task",
    "schedule": env.float("VERIFICATION_SWEEP_EVERY_SECONDS", default=10.0),
}
CELERY_BEAT_SCHEDULE["verification-management-rechecks"] = {
    "task": "verification.tasks.management_rechecks_due_task",
    "schedule": 24 * 3600,
}

# --- payments ---
# Card fees (issue 15): the fee schedule is policy data (the policy document's `fees` block); these
# settings say where the payment provider is. Development and tests use the simulator
# (`python -m paysim`, started by `make run`). The merchant secret signs our requests and the
# provider's notifications: a development default only, production must set it.
PAYMENTS_PROVIDER_URL = env("PAYMENTS_PROVIDER_URL", default="http://127.0.0.1:8766")
# Where the payer's browser is sent (the provider's public address; the API may be internal).
PAYMENTS_PROVIDER_PUBLIC_URL = env("PAYMENTS_PROVIDER_PUBLIC_URL", default=PAYMENTS_PROVIDER_URL)
PAYMENTS_MERCHANT_ID = env("PAYMENTS_MERCHANT_ID", default="nia-pr-portal")
PAYMENTS_SECRET = env("PAYMENTS_SECRET", default="dev-paysim-secret" if (DEBUG or TESTING) else "")
if not PAYMENTS_SECRET:
    raise ImproperlyConfigured("PAYMENTS_SECRET must be set in the environment when DEBUG is off.")
# The address the provider notifies (empty: this site's /payments/notify/ as the payer saw it).
PAYMENTS_NOTIFY_URL = env("PAYMENTS_NOTIFY_URL", default="")
PAYMENTS_TIMEOUT_SECONDS = env.float("PAYMENTS_TIMEOUT_SECONDS", default=10.0)
# A notification older (or newer) than this is refused as a possible replay.
PAYMENTS_NOTIFY_MAX_AGE_SECONDS = env.int("PAYMENTS_NOTIFY_MAX_AGE_SECONDS", default=300)
# An order the provider has not told us about is queried after this, then backing off to the max.
PAYMENTS_POLL_FIRST_SECONDS = env.float("PAYMENTS_POLL_FIRST_SECONDS", default=60.0)
PAYMENTS_POLL_MAX_SECONDS = env.float("PAYMENTS_POLL_MAX_SECONDS", default=3600.0)
# Charge the fees the policy sets (on by default). The test suite turns it off except where a test
# is about fees (tests/conftest.py), so tests about other things keep approval -> card.
PAYMENTS_FEES_CHARGED = env.bool("PAYMENTS_FEES_CHARGED", default=True)
CELERY_BEAT_SCHEDULE["payments-poll-due"] = {
    "task": "payments.tasks.orders_poll_due_task",
    "schedule": env.float("PAYMENTS_POLL_SWEEP_EVERY_SECONDS", default=30.0),
}
CELERY_BEAT_SCHEDULE["payments-reconcile-yesterday"] = {
    "task": "payments.tasks.reconcile_yesterday_task",
    "schedule": 24 * 3600,
}

# --- applications ---
# An officer's claim on a case lapses after this many minutes, so a case is never stuck with someone away.
APPLICATIONS_CLAIM_MINUTES = env.int("APPLICATIONS_CLAIM_MINUTES", default=240)
# Oversight (R24): an overdue case is escalated to its office's supervisors at its stage deadline
# and again ESCALATION_MARGIN_DAYS after it (a setting, not policy data: the policy document sets
# the deadlines, the administration how long it tolerates a missed one); the sweep runs every
# ESCALATION_SWEEP_EVERY_SECONDS and tells each case once per stage and level.
ESCALATION_MARGIN_DAYS = env.int("ESCALATION_MARGIN_DAYS", default=5)
CELERY_BEAT_SCHEDULE["applications-escalate-overdue"] = {
    "task": "applications.tasks.escalate_overdue_task",
    "schedule": env.float("ESCALATION_SWEEP_EVERY_SECONDS", default=300.0),
}
# Reconsiderations (reconsideration app) escalate on the same cadence and margin, by their own task.
CELERY_BEAT_SCHEDULE["reconsideration-escalate-overdue"] = {
    "task": "reconsideration.tasks.escalate_overdue_task",
    "schedule": env.float("ESCALATION_SWEEP_EVERY_SECONDS", default=300.0),
}

# An officer may correct an internal case note for this many minutes after writing it; after that
# it stands as written (a later note can add to it).
APPLICATIONS_NOTE_EDIT_MINUTES = env.int("APPLICATIONS_NOTE_EDIT_MINUTES", default=15)

# A nomination its body did not answer by the deadline lapses; the case goes on to review (R11).
CELERY_BEAT_SCHEDULE["applications-nominations-lapse"] = {
    "task": "applications.tasks.nominations_lapse_due_task",
    "schedule": 3600,
}

# --- audit ---
# Signed-in requests for a record that answer 404 (someone else's record) are recorded as
# access.denied, at most this many per user and minute.
AUDIT_DENIED_PER_MINUTE = env.int("AUDIT_DENIED_PER_MINUTE", default=10)
# The hash chain of the audit log is recomputed daily; a break is logged, recorded and e-mailed to
# the system administrators (residence.audit.services.audit_chain_check).
CELERY_BEAT_SCHEDULE["audit-chain-verify"] = {
    "task": "residence.audit.tasks.audit_chain_verify_task",
    "schedule": 24 * 3600,
}

# --- reconsideration ---
# Administrative reconsideration (行政复议): days to lodge after the decision (the letters say the
# same period), days for the higher office to decide, and where an overturned or remitted refusal
# goes back to ("approval": recommended for approval; "review": back with a reviewer).
RECONSIDERATION_PERIOD_DAYS = env.int("RECONSIDERATION_PERIOD_DAYS", default=CARDS_RECONSIDERATION_DAYS)
RECONSIDERATION_DECISION_DAYS = env.int("RECONSIDERATION_DECISION_DAYS", default=60)
RECONSIDERATION_APPLICATION_RETURNS_TO = {"overturned": "approval", "remitted": "review"}
RECONSIDERATION_LEGAL_BASIS = (
    "Administrative Reconsideration Law of the PRC, Articles 63-66; "
    "Measures for the Administration of Examination and Approval of Foreigners' Permanent Residence in China."
    " / 《中华人民共和国行政复议法》第六十三条至第六十六条；《外国人在中国永久居留审批管理办法》。"
)

# --- privacy ---
# Personal information (PIPL): retention periods are policy data (privacy.RetentionPeriod, defaults
# in privacy/retention.py and docs/policy-defaults.md); beat purges what is past its period daily.
CELERY_BEAT_SCHEDULE["privacy-retention-purge"] = {
    "task": "privacy.tasks.retention_purge_task",
    "schedule": 24 * 3600,
}

# --- appointments (issue 15) ---
# Applicants book up to this many days ahead (from today, the office's local date).
APPOINTMENTS_HORIZON_DAYS = env.int("APPOINTMENTS_HORIZON_DAYS", default=60)
# Reminders go the day before; the sweep runs hourly, so a booking made today for tomorrow is reminded too.
CELERY_BEAT_SCHEDULE["appointments-reminders"] = {
    "task": "appointments.tasks.reminders_send_task",
    "schedule": env.float("APPOINTMENTS_REMINDER_EVERY_SECONDS", default=3600.0),
}
