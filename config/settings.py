"""Settings of the Digital Asset Licensing Portal.

Everything production changes is read from the environment here and nowhere else (see README,
"Production"). With no variables set the portal runs on embedded defaults: SQLite, a filesystem
Celery broker and private document storage under ``var/``, and console e-mail.
"""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.get_str("VAR_DIR") or BASE_DIR / "var")

DEBUG = env.get_bool("DEBUG", True)

SECRET_KEY = env.get_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        env.fail("SECRET_KEY", "must be set when DEBUG=0 (50 or more random characters).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdefghij"  # noqa: S105

ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [])
# Links in e-mails and QR codes; under `make run` the address it serves (PORTAL_HOST, PORTAL_PORT).
SITE_URL = (
    env.get_str("SITE_URL") or f"http://{env.get_str('PORTAL_HOST', '127.0.0.1')}:{env.get_str('PORTAL_PORT', '8000')}"
).rstrip("/")

INSTALLED_APPS = [
    "config.apps.PortalAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_countries",
    "common",
    "accounts",
    "audit",
    "registry",
    "licensing",
    "notifications",
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A license's public page and API answer, served whole to visitors who are not signed in.
    "registry.middleware.SharedAnswerMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "config.middleware.NoStoreForSignedInMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "notifications.context_processors.notices",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------
DATABASES = {"default": env.database_from_url(env.get_str("DATABASE_URL"), sqlite_path=VAR_DIR / "portal.sqlite3")}
# PostgreSQL: the role the portal runs as (audit.privileges). Set it where `migrate` runs as the
# tables' owner, and migrate grants it what it needs; the other processes connect as it.
DATABASE_RUNTIME_ROLE = env.get_str("DATABASE_RUNTIME_ROLE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Sessions read from the shared cache, written through to the database: a signed-in page saves
    # a query (1-2 ms). Only with a cache every process shares, so a sign-out holds everywhere at once.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}

# Applicants' documents live outside static and media, under random names, and are only ever
# streamed by a view that checks who asks (SPEC section 12).
DOCUMENT_STORAGE_ROOT = Path(env.get_str("DOCUMENT_STORAGE_ROOT") or VAR_DIR / "documents")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DOCUMENT_STORAGE_ROOT, "base_url": None, "file_permissions_mode": 0o640},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DOCUMENT_MAX_SIZE_MB = env.get_int("DOCUMENT_MAX_SIZE_MB", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.get_str("STATIC_ROOT") or VAR_DIR / "staticfiles")

# --- Accounts and security ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Django's rules, with messages in the portal's catalogues (accounts.validators).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.validators.CommonPasswordValidator"},
    {"NAME": "accounts.validators.NumericPasswordValidator"},
]

# Five failures for one username from one address lock that pair for 15 minutes; twenty from all
# addresses lock the username (accounts.lockout). The address is the one API_TRUSTED_PROXY_COUNT
# proxies saw, as for the API's rate limit.
AXES_FAILURE_LIMIT = env.get_int("AXES_FAILURE_LIMIT", 5, minimum=1)
ACCOUNT_FAILURE_LIMIT = env.get_int("ACCOUNT_FAILURE_LIMIT", 20, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.lockout.AccountThrottlingHandler"
AXES_CLIENT_IP_CALLABLE = "common.http.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

STAFF_REQUIRE_2FA = env.get_bool("STAFF_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Digital Asset Licensing Portal"
# Authenticator secrets never appear in the admin (accounts.admin replaces django-otp's device admin too).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# 12 hours at most, 30 minutes of inactivity at most (accounts.middleware.SessionTimeoutMiddleware).
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env.get_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script or style anywhere: every asset is a file under static/.
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

# --- Languages and time -----------------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
# Each language's date and number formats (config/formats/<language>/formats.py; Django has none for kk).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

# --- E-mail ---------------------------------------------------------------------------------------
vars().update(env.email_from_url(env.get_str("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "Licensing Portal <no-reply@licensing.example.kz>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------------------------------
CELERY_BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # The host part means nothing to this transport; naming one keeps kombu from warning about it.
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'celery-results'}"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = timedelta(days=1)
# A task is acknowledged only after it ran, and requeued if its worker died: tasks are idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Reminders (SPEC section 9). Sweeps derive what is due from the database, so running one late or
# twice is harmless; the relay picks up any notice whose first dispatch was lost (broker down).
DOCUMENT_REVIEW_DAYS = env.get_int("DOCUMENT_REVIEW_DAYS", 5, minimum=1)
REMINDER_SWEEP_MINUTE = env.get_int("REMINDER_SWEEP_MINUTE", 5)
NOTICE_RELAY_SECONDS = env.get_int("NOTICE_RELAY_SECONDS", 60, minimum=5)
# A claim older than this is taken to be a dead worker's and the delivery is tried again.
REMINDER_CLAIM_LEASE_SECONDS = env.get_int("REMINDER_CLAIM_LEASE_SECONDS", 600, minimum=1)
REMINDER_MAX_ATTEMPTS = env.get_int("REMINDER_MAX_ATTEMPTS", 5, minimum=1)
REMINDER_RETRY_BASE_SECONDS = env.get_int("REMINDER_RETRY_BASE_SECONDS", 60, minimum=1)
REMINDER_BATCH_SIZE = env.get_int("REMINDER_BATCH_SIZE", 100, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "sweep-document-reviews": {
        "task": "licensing.tasks.sweep_document_reviews",
        "schedule": crontab(minute=REMINDER_SWEEP_MINUTE),
    },
    "sweep-statutory-deadlines": {
        "task": "licensing.tasks.sweep_statutory_deadlines",
        "schedule": crontab(minute=REMINDER_SWEEP_MINUTE),
    },
    "sweep-information-requests": {
        "task": "licensing.tasks.sweep_information_requests",
        "schedule": crontab(minute=REMINDER_SWEEP_MINUTE),
    },
    "sweep-license-validity": {
        "task": "licensing.tasks.sweep_license_validity",
        "schedule": crontab(minute=REMINDER_SWEEP_MINUTE),
    },
    # The stored next due dates of the staff queues (licensing.deadlines): paused clocks move daily,
    # a holiday edit moves running ones.
    "refresh-paused-due-dates": {
        "task": "licensing.tasks.refresh_statutory_due_dates",
        "schedule": crontab(minute=REMINDER_SWEEP_MINUTE),
        "kwargs": {"only_paused": True},
    },
    "refresh-all-due-dates": {
        "task": "licensing.tasks.refresh_statutory_due_dates",
        "schedule": crontab(hour=1, minute=REMINDER_SWEEP_MINUTE),
    },
    "relay-notices": {"task": "notifications.tasks.relay", "schedule": timedelta(seconds=NOTICE_RELAY_SECONDS)},
}

# /healthz tells everybody which part is up or down; timings and errors go only to loopback or to
# a request with "Authorization: Bearer <HEALTHZ_TOKEN>".
HEALTHZ_TOKEN = env.get_str("HEALTHZ_TOKEN")

# --- Public API -----------------------------------------------------------------------------------
API_RATE_LIMIT = env.get_int("API_RATE_LIMIT", 120)
# How long a process trusts the register version it read (registry.cache): a change made by another
# process is seen by this one within that time. 0: read it on every request.
REGISTRY_VERSION_POLL_SECONDS = 1.0
# The registry's HTML search and verification pages, per client per minute; 0 turns it off.
PAGE_RATE_LIMIT = env.get_int("PAGE_RATE_LIMIT", 60)
# Reverse proxies in front of the portal that append the client's address to X-Forwarded-For; the
# API rate limit and the sign-in lockout count the entry this many hops from the right (0:
# REMOTE_ADDR, no proxy trusted). See common.http.client_address.
API_TRUSTED_PROXY_COUNT = env.get_int("API_TRUSTED_PROXY_COUNT", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
