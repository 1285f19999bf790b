"""aftercare settings: everything that varies comes from environment variables."""

import hashlib
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from aftercare.lib.env import env_bool, env_int, env_list, env_str, mailer_from_url
from aftercare.lib.logfilters import with_log_filters

# Everything a process of aftercare creates (the database, the secret key, uploads, caches and
# counters under var/) is readable by the user it runs as and nobody else. AFTERCARE_UMASK
# loosens it, e.g. 027 for a group that backs the files up.
os.umask(int(env_str("AFTERCARE_UMASK", "077"), 8))
BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("AFTERCARE_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept under var/."""
    key = env_str("SECRET_KEY", "")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "servestatic.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "channels",
    "aftercare.lib",
    "aftercare.accounts",
    "aftercare.console",
    "aftercare.customers",
    "aftercare.catalog",
    "aftercare.search",
    "aftercare.warranty",
    "aftercare.inventory",
    "aftercare.knowledge",
    "aftercare.tickets",
    "aftercare.repairs",
    "aftercare.sla",
    "aftercare.notifications",
    "aftercare.messaging.outbound",
    "aftercare.messaging.inbound",
    "aftercare.portal",
    "aftercare.api",
    "aftercare.demo",
    # After aftercare.api, whose template of the docs page comes first: django-ninja's Swagger
    # UI is then served from our own static files (pinned with the package), not a public CDN.
    "ninja",
]

MIDDLEWARE = [
    "aftercare.lib.bodylimit.BodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "aftercare.accounts.middleware.TimezoneMiddleware",
]

ROOT_URLCONF = "aftercare.urls"
# Widgets drawn in Python, exactly as Django's templates draw them (aftercare/console/renderers.py).
FORM_RENDERER = "aftercare.console.renderers.ConsoleFormRenderer"
# `manage.py serve`: web processes (0: one per core) and the requests each runs at once (the rest
# wait their turn). See aftercare/lib/serving.py.
WEB_WORKERS = env_int("WEB_WORKERS", 0)
WEB_THREADS = env_int("WEB_THREADS", 2)
WSGI_APPLICATION = "aftercare.wsgi.application"
ASGI_APPLICATION = "aftercare.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aftercare.console.context_processors.tenancy",
            ],
            "builtins": ["aftercare.console.templatetags.ac"],
        },
    }
]

# SQLite in WAL mode under var/ unless DATABASE_URL says otherwise.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'aftercare.sqlite3'}")
# Connections live as long as the web threads that use them (see aftercare/lib/serving.py).
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers from every thread and process take turns (aftercare/lib/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "aftercare.lib.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }

# Background work: django.tasks stored by django-tasks-db and run by `manage.py worker` (or the
# worker inside `manage.py serve`); periodic jobs are enqueued by the scheduler.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# How often the SLA sweep looks for warnings, breaches and escalations that fell due.
SLA_SWEEP_SECONDS = env_int("SLA_SWEEP_SECONDS", 15)
# How often requests waiting in an auto-assigning team are offered to free agents again.
ROUTING_DISPATCH_SECONDS = env_int("ROUTING_DISPATCH_SECONDS", 60)
# Notices: how often retries are looked for; at most one immediate run per process per this many
# seconds (one run sends everything due); tries before a notice fails, and the longest wait
# between two (1, 2, 4 ... minutes: 8 tries span about 4 hours).
NOTICE_SWEEP_SECONDS = env_int("NOTICE_SWEEP_SECONDS", 10)
NOTICE_SEND_DEBOUNCE_SECONDS = env_int("NOTICE_SEND_DEBOUNCE_MS", 1000) / 1000
NOTICE_MAX_ATTEMPTS = env_int("NOTICE_MAX_ATTEMPTS", 8)
NOTICE_RETRY_MAX_MINUTES = env_int("NOTICE_RETRY_MAX_MINUTES", 120)
# An SLA warning or breach is mailed to the assignee only when the sweep finds it within this
# many minutes of happening (a backlog found after downtime is recorded, not mailed).
SLA_NOTICE_MAX_AGE_MINUTES = env_int("SLA_NOTICE_MAX_AGE_MINUTES", 60)
# How often waiting requests are checked for a reminder to their customer.
REMINDER_SWEEP_SECONDS = env_int("REMINDER_SWEEP_SECONDS", 900)
# How long the "solved" / "not yet" links of a resolved request's mail work.
RESOLUTION_ANSWER_MAX_AGE_DAYS = env_int("RESOLUTION_ANSWER_MAX_AGE_DAYS", 30)
# The most an emailed reply carries in files, together; larger ones are on the portal.
NOTICE_FILES_MAX_BYTES = env_int("NOTICE_FILES_MAX_BYTES", 15 * 1024 * 1024)
# Finished task results are kept this long, then pruned.
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 7)
# An API POST's Idempotency-Key answers a retry with the first answer for this many hours (then
# it is free again, and pruned); a key still in progress after this many seconds belongs to a
# request that died, and a retry takes it over (aftercare/api/idempotency.py).
IDEMPOTENCY_KEY_TTL_HOURS = env_int("IDEMPOTENCY_KEY_TTL_HOURS", 24)
IDEMPOTENCY_KEY_LEASE_SECONDS = env_int("IDEMPOTENCY_KEY_LEASE_SECONDS", 300)

# Redis, when one machine is not enough: shared cache (rate limits), the websocket layer, and a
# lock so that exactly one scheduler is active however many are started.
REDIS_URL = env_str("REDIS_URL", "")
SCHEDULER_LOCK_SECONDS = env_int("SCHEDULER_LOCK_SECONDS", 15)
# Rate-limit counters: in Redis when it is set, else in files every process of the machine
# appends to (aftercare/lib/ratelimit.py).
RATE_LIMIT_DIRECTORY = None if REDIS_URL else VAR_DIR / "ratelimit"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "aftercare",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "aftercare"},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    # Web processes and the task worker of one machine reach each other's websockets through
    # Unix datagrams in a private directory per installation, short enough for a socket path.
    _installation = hashlib.sha256(str(VAR_DIR.resolve()).encode()).hexdigest()[:12]
    _layer_directory = Path(tempfile.gettempdir()) / f"aftercare-{_installation}"
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "aftercare.lib.channel_layer.CrossProcessChannelLayer",
            "CONFIG": {"directory": str(_layer_directory)},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "tickets:queue"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fa", _("Persian")),
    ("tr", _("Turkish")),
    ("kk", _("Kazakh")),
]
LOCALE_PATHS = [BASE_DIR / "aftercare" / "locale"]
FORMAT_MODULE_PATH = ["aftercare.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "aftercare_language"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "aftercare" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "aftercare.lib.staticfiles.StaticStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
# Django sets stored files to these modes whatever the umask (its defaults let anyone read them).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Attachments are kept in private storage and served only through a permission check.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_MAX_PER_MESSAGE = env_int("ATTACHMENT_MAX_PER_MESSAGE", 10)
# Images of knowledge articles: kept in private storage too, served to whoever may read them.
KNOWLEDGE_IMAGE_MAX_BYTES = env_int("KNOWLEDGE_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The TLS profile: on when SITE_URL is https:// (or HTTPS=true). Cookies are sent over TLS only,
# plain HTTP is redirected, and browsers are told (HSTS) to use nothing else for a year. Behind
# a proxy that terminates TLS, `serve --proxy-headers` tells Django the request came over TLS.
HTTPS = env_bool("HTTPS", SITE_URL.startswith("https://"))
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every answer: scripts only from our own files (no page carries
# inline script; aftercare/static/aftercare/behaviours.js binds what inline handlers did), no
# plugins, no framing, forms posting only here. Inline styles stay allowed: style attributes and
# the documents' print styles cannot run code.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "aftercare <no-reply@localhost>")
EMAIL_URL = env_str("EMAIL_URL", "console://")
# Inbound mail: the address replies come back to (a request's token goes after a '+'; the mail
# server must deliver plus-addresses to the same mailbox), and how it is processed.
INBOUND_EMAIL_ADDRESS = env_str("INBOUND_EMAIL_ADDRESS", "")
INBOUND_EMAIL_MAX_BYTES = env_int("INBOUND_EMAIL_MAX_BYTES", 50 * 1024 * 1024)
INBOUND_MAX_ATTEMPTS = env_int("INBOUND_MAX_ATTEMPTS", 5)
INBOUND_POLL_SECONDS = env_int("INBOUND_POLL_SECONDS", 60)
INBOUND_SWEEP_SECONDS = env_int("INBOUND_SWEEP_SECONDS", 30)
# A message whose processor died is due again after this long.
INBOUND_PROCESSING_LEASE_SECONDS = env_int("INBOUND_PROCESSING_LEASE_SECONDS", 300)
# A sender whose mail arrives faster than this (messages in 10 minutes) is a loop: the rest is
# stored and not answered.
INBOUND_FLOOD_LIMIT = env_int("INBOUND_FLOOD_LIMIT", 30)
# smtp://, smtp+starttls://, smtps:// (user, password, port, ?timeout=), file:///dir or console://;
# an unknown scheme stops the start (aftercare/lib/env.py, mailer_from_url).
MAILERS = {"default": mailer_from_url(EMAIL_URL)}

# Each organization's own mail server, email provider and SMS gateway (messaging.outbound): they
# may not point into this installation's own network (loopback, private addresses) unless this
# says so. A provider's inbound webhook body (the message raw, again parsed, attachments in
# base64) is refused past this size before it is read.
OUTBOUND_PRIVATE_HOSTS_ALLOWED = env_bool("OUTBOUND_PRIVATE_HOSTS_ALLOWED", False)
INBOUND_WEBHOOK_MAX_BYTES = env_int("INBOUND_WEBHOOK_MAX_BYTES", 3 * INBOUND_EMAIL_MAX_BYTES)

# Bodies and uploads are capped before they are read or written (aftercare/lib/bodylimit.py):
# a body declaring more than REQUEST_MAX_BYTES is answered 413 unread; no uploaded file larger
# than the largest any form takes (an attachment, a sales export) reaches the disk; a form takes
# at most a message's worth of files.
UNIT_IMPORT_MAX_BYTES = env_int("UNIT_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
UPLOAD_MAX_FILE_BYTES = max(ATTACHMENT_MAX_BYTES, UNIT_IMPORT_MAX_BYTES)
REQUEST_MAX_BYTES = env_int(
    "REQUEST_MAX_BYTES", ATTACHMENT_MAX_BYTES * ATTACHMENT_MAX_PER_MESSAGE + 1024 * 1024
)
# Addresses that take larger bodies: the providers' inbound webhooks (their own view refuses a
# body past INBOUND_WEBHOOK_MAX_BYTES before reading it).
REQUEST_MAX_BYTES_BY_PREFIX = {"/hooks/": max(REQUEST_MAX_BYTES, INBOUND_WEBHOOK_MAX_BYTES)}
DATA_UPLOAD_MAX_NUMBER_FILES = ATTACHMENT_MAX_PER_MESSAGE
# Where uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE wait while a request is read (the
# system's temporary directory if unset).
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR", "") or None
FILE_UPLOAD_HANDLERS = [
    "aftercare.lib.bodylimit.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Behind a reverse proxy (`serve --proxy-headers`, or PROXY_HEADERS): the client's address and
# scheme are taken from X-Forwarded-For and X-Forwarded-Proto when the connection comes from one
# of these addresses or networks, and only then.
PROXY_HEADERS = env_bool("PROXY_HEADERS", False)
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"])

# Password sign-ins (console and API tokens) allowed per email and per address in a window.
SIGN_IN_MAX_PER_EMAIL = env_int("SIGN_IN_MAX_PER_EMAIL", 10)
SIGN_IN_MAX_PER_IP = env_int("SIGN_IN_MAX_PER_IP", 30)
SIGN_IN_WINDOW_MINUTES = env_int("SIGN_IN_WINDOW_MINUTES", 15)

# Staff accounts by mail: how long an invitation's set-password link works, a password reset
# link (Django's PASSWORD_RESET_TIMEOUT, in seconds) and an email change's confirmation link;
# reset links asked for per address and per client in a window; invitations resent per member
# in an hour.
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 7)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_MINUTES", 60) * 60
EMAIL_CHANGE_MAX_AGE_HOURS = env_int("EMAIL_CHANGE_MAX_AGE_HOURS", 24)
PASSWORD_RESET_MAX_PER_EMAIL = env_int("PASSWORD_RESET_MAX_PER_EMAIL", 3)
PASSWORD_RESET_MAX_PER_IP = env_int("PASSWORD_RESET_MAX_PER_IP", 20)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 15)
INVITATION_RESEND_MAX_PER_HOUR = env_int("INVITATION_RESEND_MAX_PER_HOUR", 5)

# One-time portal sign-in links.
PORTAL_LOGIN_LINK_MINUTES = env_int("PORTAL_LOGIN_LINK_MINUTES", 20)
# The public warranty check by serial: look-ups per client address in a window.
WARRANTY_CHECK_MAX_PER_IP = env_int("WARRANTY_CHECK_MAX_PER_IP", 30)
WARRANTY_CHECK_WINDOW_MINUTES = env_int("WARRANTY_CHECK_WINDOW_MINUTES", 10)
# The help centre's search and the articles suggested while a request is typed (about two a
# second while typing): look-ups per client address in a window.
HELP_SEARCH_MAX_PER_IP = env_int("HELP_SEARCH_MAX_PER_IP", 300)
HELP_SEARCH_WINDOW_MINUTES = env_int("HELP_SEARCH_WINDOW_MINUTES", 10)

API_PAGE_SIZE_DEFAULT = 50
API_PAGE_SIZE_MAX = 200
QUEUE_PAGE_SIZE = 50

# Tokens in addresses (sign-in, password and answer links) are masked in every log line.
LOGGING = with_log_filters(
    {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"console": {"class": "logging.StreamHandler"}},
        "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
        # Every task start and finish is logged at INFO: only with LOG_LEVEL=INFO or DEBUG.
        "loggers": {
            "django.tasks": {"level": env_str("LOG_LEVEL", "WARNING"), "propagate": True},
            "django_tasks_db": {"level": env_str("LOG_LEVEL", "WARNING"), "propagate": True},
        },
    }
)
