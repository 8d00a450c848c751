"""Settings for the bureau portal: one module, driven by environment variables.

Every variable has an embedded default so that a new machine runs the portal with nothing
installed but Python (SQLite under var/, Celery eager, in-memory cache). Production sets
DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG=false and ALLOWED_HOSTS; see README.md.
"""

import os
import secrets
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()


def _secret_key() -> str:
    """The key from SECRET_KEY, else one generated once into var/secret_key (never committed)."""
    if env.str("SECRET_KEY", default=""):
        return env.str("SECRET_KEY")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    # Two-factor sign-in (TOTP with backup codes): django-otp, django-two-factor-auth's wizard.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "bureau",
    "enterprises",
    "incubation",
    "digital",
    "talent",
    "finance",
    # After the domain apps whose events it tells enterprises of (notifications/events.py).
    "notifications",
    "reports",
    "audit",
    "upstream",
    "evidence",
]

MIDDLEWARE = [
    # Outermost: a request that meets a database outage answers 503, not 500 (bureau/outage.py).
    "bureau.outage.DatabaseUnavailableMiddleware",
    # /healthz and /readyz, before host checks, HTTPS redirect, sessions and sign-in (bureau/health.py).
    "bureau.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A refused stale save (bureau.concurrency) answers with the reloaded page and the reason.
    "bureau.concurrency.StaleEditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "audit.middleware.SecurityEventMiddleware",
    "audit.throttle.LoginThrottleMiddleware",
    "audit.sessions.AbsoluteSessionLimitMiddleware",
    # Before the password-expiry redirect: a second factor first, then the password change.
    "audit.mfa.MFARequiredMiddleware",
    "audit.passwords.PasswordExpiryMiddleware",
    "bureau.middleware.NoStoreForSignedInMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "bureau.urls"
WSGI_APPLICATION = "bureau.wsgi.application"
ASGI_APPLICATION = "bureau.asgi.application"

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
                "bureau.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise. SQLite runs in WAL mode with
# IMMEDIATE transactions and a busy timeout so that concurrent requests wait instead of failing
# with "database is locked".
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file (not in-memory) so a real Celery worker process can share the test database; named
    # per test run so that two runs on one machine never share one.
    _run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or str(os.getpid())
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(VAR_DIR / f"test-{_run[:12]}.sqlite3")
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
        # The portal's queries are short counts and lists; PostgreSQL's JIT compiler spends
        # 0.1-0.3 s compiling each of the larger ones, more than it ever saves here.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
        # A database host gone silent fails a request in 5 s (the 503 page), not minutes.
        DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "bureau.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the signed-in user with the bell's unread count.
    "notifications.backends.PortalModelBackend",
]
# Passwords (等保 身份鉴别; audit/passwords.py says where this departs from OWASP ASVS):
# at least 10 characters of at least three classes, not one of the last five, and for staff,
# leadership and admins a change forced after 90 days.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "audit.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "audit.passwords.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
# A session ends 8 hours after sign-in however active (besides the 30 idle minutes).
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=8 * 3600)
# Sign-in failures from one client address before its sign-in POSTs answer 429 (audit/throttle.py).
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=30)
LOGIN_IP_WINDOW_SECONDS = env.int("LOGIN_IP_WINDOW_SECONDS", default=15 * 60)
# Password-reset e-mails: the console locally, SMTP by settings in production.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
# Notifications (notifications/): e-mails and SMS carry links to this address of the portal.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# The SMS channel: a class with send(phone, text) (notifications/sms.py); the default only logs.
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.sms.LoggingSMSBackend")
SMS_SIGNATURE = env.str("SMS_SIGNATURE", default="科技金融局")
# Enterprises that have not filed hear "about to close" this many days before the deadline.
PERIOD_CLOSING_NOTICE_DAYS = env.int("PERIOD_CLOSING_NOTICE_DAYS", default=3)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = None  # show the portal's own "signed out" page

# Two-factor sign-in (等保 身份鉴别: two or more factors). Required for bureau staff, leadership
# and the three administrators whenever DEBUG is false: no variable turns it off there (and the
# audit.E001 system check refuses a settings override that tries). Under `make run` (DEBUG true)
# it is offered, and MFA_REQUIRED=true turns it on. Enterprise users may enrol.
MFA_REQUIRED = True if not DEBUG else env.bool("MFA_REQUIRED", default=False)
TWO_FACTOR_LOGIN_TIMEOUT = 600  # seconds between the password and the token step
TWO_FACTOR_REMEMBER_COOKIE_AGE = None  # no "trust this browser": every sign-in asks
OTP_TOTP_ISSUER = "科技金融局业务平台"

# Sessions expire after 30 minutes without a request.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: five failed logins lock that user name from that address for an hour.
# Proxies in front of the portal (addresses or networks) whose X-Forwarded-For is believed:
# the client address of the security log and of the login lockout (audit/network.py).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "audit.network.axes_client_ip"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Chinese formats with ISO dates first among the input formats, so that every date box of every
# form renders a value <input type="date"> accepts (bureau/formats/zh_Hans/formats.py).
FORMAT_MODULE_PATH = ["bureau.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Redis, when configured, is the Celery broker and the cache; without it, tasks run eagerly
# in process and the cache lives in memory.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # A Redis that cannot be reached is a cache miss, never a server error (bureau/cache.py);
    # short timeouts so that a Redis host gone silent costs a page 1 s, not minutes.
    CACHES = {
        "default": {
            "BACKEND": "bureau.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            # Deployments (or parallel test workers) sharing one Redis keep apart by prefix.
            "KEY_PREFIX": env.str(
                "CACHE_KEY_PREFIX", default=os.environ.get("PYTEST_XDIST_WORKER", "")
            ),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_RESULT_EXPIRES = 24 * 3600
# Exports survive their worker (docs/exports.md): a task is acknowledged only once it has run
# and is handed back to the broker when its worker process dies; the broker hands an
# unacknowledged task to another worker only after the visibility timeout, which must stay
# above the longest export's time limit (or a running export would be started twice).
EXPORT_TIME_LIMIT = env.int("EXPORT_TIME_LIMIT", default=15 * 60)
EXPORT_HEARTBEAT_SECONDS = env.int("EXPORT_HEARTBEAT_SECONDS", default=15)
# A running export whose heartbeat is older than this has lost its worker: it is failed.
EXPORT_STALE_SECONDS = env.int("EXPORT_STALE_SECONDS", default=120)
# A queued export no worker took within this long is failed (its message was lost).
EXPORT_PENDING_SECONDS = env.int("EXPORT_PENDING_SECONDS", default=2 * 15 * 60)
# Deliveries of one export (a worker lost mid-export is one); past them the job is failed.
EXPORT_MAX_ATTEMPTS = env.int("EXPORT_MAX_ATTEMPTS", default=3)
# Without a broker (no REDIS_URL) an export runs in a daemon thread of the web process, so the
# request answers at once and the status page shows progress; off, it runs inside the request
# (tests turn it off: they want the file when the POST returns). Ignored with a broker.
EXPORT_IN_THREAD = env.bool("EXPORT_IN_THREAD", default=not REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": max(3600, 2 * EXPORT_TIME_LIMIT),
    "socket_connect_timeout": 2,
}
# With Redis down, a request that queues a task answers within a few seconds (measured: the
# export request 1.3 s with Redis stopped, where kombu's defaults took 21.5 s; at most about
# 8 s if Redis's host drops packets): one short retry of the publish and of the result backend's
# subscription, each connection attempt bounded to 2 s. Workers keep retrying at start.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
_QUICK_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_TASK_PUBLISH_RETRY_POLICY = _QUICK_RETRY
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": _QUICK_RETRY}
# Periodic work, run by `celery -A bureau beat` in production.
CELERY_BEAT_SCHEDULE = {
    "ladder-reminders": {
        "task": "enterprises.tasks.refresh_ladder_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    # Every enterprise's pre-screening results, for the new day (titles expire, the
    # assessment date moves, a new rule set may come into force).
    "prescreen-nightly": {
        "task": "enterprises.tasks.refresh_prescreen_all",
        "schedule": crontab(hour=1, minute=30),
    },
    # Proves to /readyz that beat and a worker are alive (bureau/health.py).
    "worker-heartbeat": {"task": "bureau.tasks.heartbeat", "schedule": 60.0},
    # Keeps the dashboard's figures for this year and last computed ahead of readers.
    "warm-dashboard": {
        "task": "reports.tasks.warm_dashboard",
        "schedule": crontab(minute="*/20"),
    },
    # Periods about to close and titles expiring: each enterprise told once (notifications).
    "notification-notices": {
        "task": "notifications.tasks.daily_notices",
        "schedule": crontab(hour=8, minute=0),
    },
    # Evidence-locker documents about to expire: each enterprise told once per document.
    "evidence-expiring": {
        "task": "evidence.tasks.notify_expiring_documents",
        "schedule": crontab(hour=8, minute=10),
    },
    # E-mails and SMS left pending by a refused task or a transient failure.
    "notification-sweep": {"task": "notifications.tasks.sweep_deliveries", "schedule": 300.0},
    # Fails exports whose worker is gone (also run on each export request and status poll).
    "sweep-exports": {
        "task": "reports.tasks.sweep_exports",
        "schedule": 60.0,
    },
}

# /readyz: a heartbeat older than this is "stale"; the parts whose failure answers 503 (the
# portal serves pages without Redis, so by default only the database takes a node out).
HEARTBEAT_MAX_AGE_SECONDS = env.int("HEARTBEAT_MAX_AGE_SECONDS", default=180)
READYZ_REQUIRED = env.list("READYZ_REQUIRED", default=["database"])

# How long the dashboard keeps computed figures (seconds; 0 turns the cache off). Any change to
# the data behind them starts a new version at once (bureau.figures.data_version), so this is
# only the upper bound for changes made outside the portal (SQL by hand).
FIGURE_CACHE_SECONDS = env.int("FIGURE_CACHE_SECONDS", default=3600)

# django-import-export: every import runs in one transaction, so one bad row changes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# The uploaded file waits for the confirm step in the cache, not in a folder: nothing is left
# on disk after a preview that is never confirmed, good or bad (expires after a day).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# Production hardening: on unless DEBUG, each switch overridable from the environment.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
# Under HTTPS the session and CSRF cookies carry the __Host- prefix: the browser then keeps them
# only if Secure, for this host alone and for every path (no Domain attribute can widen them).
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
if CSRF_COOKIE_SECURE:
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Content-Security-Policy (django-csp): scripts only from our own static files, no inline
# script anywhere (page behaviour is static/bureau/behaviour.js); the one exception is the hash
# of django-import-export's "select all" handler on its export page. Inline style attributes are
# still used by a few templates and by ECharts, hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [
            "'self'",
            "'unsafe-hashes'",
            "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
        ],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # The logging SMS backend's "sent" messages (numbers masked), and delivery failures.
        "notifications": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Every security event is also a log line in production (to ship to the log platform);
        # locally only warnings, so `make run` and migrate are not flooded.
        "security": {
            "handlers": ["console"],
            "level": env.str("SECURITY_LOG_LEVEL", default="WARNING" if DEBUG else "INFO"),
            "propagate": False,
        },
    },
}

# Tests that need PostgreSQL, Redis, a Celery worker or Chromium skip when those are missing,
# unless REQUIRE_SERVICES is set (as in CI), where a missing service fails the test.
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)

# The largest file any upload (Excel import, Word template) may be, checked before parsing.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Zip-based uploads (.xlsx, .docx): parts, and bytes once inflated (bureau/uploads.py).
UPLOAD_MAX_ZIP_ENTRIES = env.int("UPLOAD_MAX_ZIP_ENTRIES", default=2000)
UPLOAD_MAX_UNCOMPRESSED_BYTES = env.int("UPLOAD_MAX_UNCOMPRESSED_BYTES", default=300 * 1024 * 1024)
# Scanned documents of the evidence locker (PDF, JPEG, PNG): the largest one accepted.
UPLOAD_MAX_DOCUMENT_BYTES = env.int("UPLOAD_MAX_DOCUMENT_BYTES", default=20 * 1024 * 1024)
# Where the evidence locker keeps its files: outside MEDIA_ROOT and STATIC_ROOT, never served
# by URL; only evidence's download view reads them (access checked, each download logged).
EVIDENCE_ROOT = env.path("EVIDENCE_ROOT", default=str(VAR_DIR / "private" / "evidence"))
# Documents whose validity ends within this many days are on the ladder reminders page and
# their enterprise is told once (evidence.tasks.notify_expiring_documents).
EVIDENCE_EXPIRING_DAYS = env.int("EVIDENCE_EXPIRING_DAYS", default=90)

# An enterprise figure's deadline reminder and the like: how far ahead "expiring soon" looks.
EXPIRING_SOON_DAYS = 180
