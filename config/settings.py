"""Settings for every environment, driven by environment variables.

Defaults are for a developer's checkout: SQLite and Celery's filesystem transport under
``var/``, so nothing needs installing. Production sets ``DEBUG=0``, ``SECRET_KEY``,
``DATABASE_URL`` and ``CELERY_BROKER_URL`` (see ``.env.example``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.env import (
    ImproperlyConfiguredEnv,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_secret_key,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=True)

# No default secret outside DEBUG: a production start without a strong one must fail.
SECRET_KEY = env_secret_key(
    "SECRET_KEY", debug=DEBUG, development_key="insecure-development-key-only-for-debug"
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Django's admin and django-axes under the product's names (config/apps.py).
    "config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "config.apps.AxesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Two-factor sign-in and single sign-on (dealers/signin): allauth's stages after the
    # product's own login page.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "dealers",
    "maturity",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.IdleTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "dealers.signin.middleware.RequireTwoFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dealers.context_processors.navigation",
            ],
            # The "date" filter that writes "1er décembre" in French (common/templatetags.py).
            "builtins": ["common.templatetags"],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
# Persistent connections, checked before reuse: after a database restart the first
# request of each process reconnects instead of failing on a dead connection.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, for the test database too: a real Celery worker started by a
    # test must see the rows the test wrote.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: our pages run short queries with many correlated subqueries, whose estimated
    # cost crosses jit_above_cost; compiling them took seconds in bench/dashboard.py for a
    # query that runs in milliseconds. (OLTP sites commonly turn it off.)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
# Per-process memory by default; production shares one Redis cache between web workers
# (the portfolio keeps its costly aggregates there).
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL.startswith("redis://"):
    CACHES = {
        "default": {
            # Down or frozen Redis: pages are computed, not refused (config/cache.py).
            "BACKEND": "config.cache.TolerantRedisCache",
            "LOCATION": CACHE_URL,
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "dealers.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the person with their unread notification count.
    "maturity.notifications.backends.UserBackend",
]
# Login throttling: 5 failures for the same e-mail from the same address lock that pair
# for 15 minutes, whether or not the account exists (nothing to learn from the answer).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dealers.views.login_locked_out"
# Behind the TLS proxy of docs/deployment.md, the client address is the right-most
# X-Forwarded-For entry added by that proxy.
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_VERBOSE = False
# Our login form names the e-mail field "username" (Django's AuthenticationForm); failures
# are counted on the address as stored (lower case), however it was typed.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "dealers.authentication.axes_username"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Two-factor sign-in and single sign-on (django-allauth, dealers/signin) -------------
# Staff and consultants must turn TOTP on: until they do, every page sends them to its
# setup. Dealers may turn it on from their account page.
MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS = env_bool(
    "MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS", default=True
)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Maturité digitale")
MFA_PASSKEY_LOGIN_ENABLED = False
ACCOUNT_ADAPTER = "dealers.signin.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "dealers.signin.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Addresses come from invitations (or staff): nothing to verify again.
ACCOUNT_EMAIL_VERIFICATION = "none"
# Nobody signs up through an identity provider: it opens existing accounts only.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Password-reset e-mails (dealers/throttling.py): at most this many per address and per
# client address in the window; beyond, the same page and no e-mail.
PASSWORD_RESET_PER_ADDRESS = env_int("PASSWORD_RESET_PER_ADDRESS", 3)
PASSWORD_RESET_PER_CLIENT = env_int("PASSWORD_RESET_PER_CLIENT", 10)
PASSWORD_RESET_WINDOW_SECONDS = env_int("PASSWORD_RESET_WINDOW_SECONDS", 3600)

# --- Languages ------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Dates "1er décembre 2026" / "1 December 2026", times "20 h 02", decimal comma in French.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Paris"
USE_TZ = True

# --- Static and media files -----------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
WHITENOISE_USE_FINDERS = DEBUG
# Stored files (the PDF reports) go through Django's storage API, never a path: on one
# machine the filesystem under MEDIA_ROOT; with several hosts (web and worker containers
# on more than one machine) an S3-compatible bucket that every host reaches
# (django-storages; docs/deployment.md). Either way the files are private: nothing serves
# them by URL, only views that check who is asking (streamed from the storage, or, with
# S3_SIGNED_URLS, a redirect to a signed URL valid S3_SIGNED_URL_SECONDS, once checked).
STORAGE_BACKEND = env_choice("STORAGE_BACKEND", "filesystem", ("filesystem", "s3"))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# A stored PDF is readable by the application's user and group only (filesystem).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
S3_SIGNED_URLS = env_bool("S3_SIGNED_URLS", default=False)
S3_SIGNED_URL_SECONDS = env_int("S3_SIGNED_URL_SECONDS", 60)
if STORAGE_BACKEND == "s3":
    _s3_endpoint = env_str("S3_ENDPOINT_URL", "")  # empty: AWS itself
    _storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": _s3_endpoint or None,
            "region_name": env_str("S3_REGION", "") or None,
            # Empty: boto3's own chain (AWS_* variables, an instance or task role).
            "access_key": env_str("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", "") or None,
            # Objects under this prefix of the bucket (a bucket shared with other data).
            "location": env_str("S3_PREFIX", ""),
            # Private objects (the bucket's default), signed URLs only.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": S3_SIGNED_URL_SECONDS,
            "signature_version": "s3v4",
            # MinIO, moto and most S3-compatible servers want path-style addresses.
            "addressing_style": env_choice(
                "S3_ADDRESSING_STYLE",
                "path" if _s3_endpoint else "auto",
                ("auto", "path", "virtual"),
            ),
            # A download read from the bucket is spooled to a temporary file past this.
            "max_memory_size": 4 * 1024 * 1024,
            # A file's name says whose claim wrote it (reports.jobs): never renamed.
            "file_overwrite": True,
        },
    }
else:
    if S3_SIGNED_URLS:
        raise ImproperlyConfiguredEnv("S3_SIGNED_URLS=1 needs STORAGE_BACKEND=s3.")
    _storage = {"BACKEND": "common.storage.DurableFileSystemStorage"}
if not 5 <= S3_SIGNED_URL_SECONDS <= 3600:
    raise ImproperlyConfiguredEnv("S3_SIGNED_URL_SECONDS must be between 5 and 3600.")
STORAGES = {
    "default": _storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ---------------------------------------------------------------------------
# With DEBUG (``make run``), each e-mail is a file under var/mail/ (open it, click its
# links) rather than console output mixed into the worker's log; otherwise the console
# until EMAIL_BACKEND names a real one (SMTP in .env.example).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
# A slow SMTP server must not hang a request or a worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Maturité digitale <no-reply@example.com>")

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_DIR = Path(env_str("CELERY_BROKER_DIR", str(VAR_DIR / "broker")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
    }
    _results_dir = env_str("CELERY_RESULT_BACKEND_DIR", str(VAR_DIR / "results"))
    CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", f"file://{_results_dir}")
else:
    # Above the hard time limit, so a slow task is never delivered twice by accident.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 400_000)  # KiB
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Re-sends PDF reports whose message was lost (broker down at request time, worker
    # killed): the report row, not the broker, is the truth about the job.
    # Every 10 s: with a claim lost 30 s after its last heartbeat
    # (REPORTS_HEARTBEAT_STALE_AFTER), a report whose worker died is rendered again within
    # a minute. Cheap: one indexed query when nothing is stuck.
    "reports-sweep": {"task": "maturity.sweep_reports", "schedule": 10.0},
    # Deletes PDF files older than REPORT_RETENTION_DAYS (the latest per assessment and
    # language is kept) and files no report points to; daily, at night.
    "reports-retention": {"task": "maturity.purge_reports", "schedule": crontab(hour=3, minute=30)},
    # E-mails the contacts of drafts left untouched; hourly, cheap, idempotent:
    # a person gets at most one reminder a day per draft (a database constraint).
    "draft-reminders": {"task": "maturity.send_draft_reminders", "schedule": 3600.0},
    # Notification e-mails a lost message left behind; then the daily digests.
    "pending-notifications": {"task": "maturity.send_pending_notifications", "schedule": 300.0},
    "notification-digests": {
        "task": "maturity.send_notification_digests",
        "schedule": crontab(hour=env_int("NOTIFICATION_DIGEST_HOUR", 7), minute=0),
    },
    # Campaign e-mails (launch, invitations, reminders: at most one a day per person) and
    # the "due soon" / "overdue" notifications; hourly, idempotent.
    "campaign-messages": {"task": "maturity.send_campaign_messages", "schedule": 3600.0},
    # Owners of roadmap actions whose due date has come (once per due date); hourly.
    "due-actions": {"task": "maturity.notify_due_actions", "schedule": 3600.0},
    # Webhook deliveries whose message was lost (broker down, worker killed): the delivery
    # row, not the broker, says when the next attempt is due.
    "webhooks-sweep": {"task": "maturity.sweep_webhooks", "schedule": 60.0},
    # The website check of every dealership with a website address, once a month (each
    # dealership's check is its own task; a pending one is not asked twice).
    "website-checks": {
        "task": "maturity.measure_websites_monthly",
        "schedule": crontab(day_of_month=1, hour=3, minute=0),
    },
    # Peer statistics are refreshed after each submission; the hourly rebuild makes good a
    # lost message and follows changes of regions and brands.
    "peer-statistics": {"task": "maturity.rebuild_peer_statistics", "schedule": 3600.0},
    # Network dashboards: refreshed after each submission; hourly for what else moves
    # them (a campaign launched, a dealership added to a network, a lost message).
    "network-aggregates": {"task": "maturity.rebuild_network_aggregates", "schedule": 3600.0},
}
# Task modules live in each feature folder (autodiscovery only finds ``<app>/tasks.py``).
CELERY_IMPORTS = (
    "maturity.measured.tasks",
    "maturity.reports.tasks",
    "maturity.followup.tasks",
    "maturity.notifications.tasks",
    "maturity.campaigns.tasks",
    "maturity.webhooks.tasks",
    "maturity.peers.tasks",
    "maturity.network.tasks",
)

# --- Outgoing requests (the website check) -------------------------------------------------
# Loopback and private targets are refused (SSRF guard, common/outgoing.py) unless this is
# on: for the tests and the demo, never in production (refused with DEBUG=0 unless forced).
OUTGOING_ALLOW_PRIVATE = env_bool("OUTGOING_ALLOW_PRIVATE", default=False)
if (
    OUTGOING_ALLOW_PRIVATE
    and not DEBUG
    and not env_bool("OUTGOING_ALLOW_PRIVATE_FORCE", default=False)
):
    raise ImproperlyConfiguredEnv(
        "OUTGOING_ALLOW_PRIVATE=1 lets the website check reach private addresses: refused "
        "with DEBUG=0 (set OUTGOING_ALLOW_PRIVATE_FORCE=1 if you really mean it)."
    )

# --- Rules of the dashboards ------------------------------------------------------------
# Every threshold a page or an alert applies, in one place (they used to be spread over the
# modules that apply them).
# Peer benchmarks (medians, quartiles) are only shown when at least this many OTHER
# dealerships with a submitted result are in the group, so that nobody can work back to a
# single peer's scores. A privacy rule, not a preference: not read from the environment.
PEER_MIN_OTHERS = 5
# Network dashboards: a group (the network itself, a region, a profile, a quarter, a
# campaign) is shown only when at least this many dealerships are in it. The same privacy
# rule as the peers': a network manager never works back to one dealership's scores.
NETWORK_MIN_DEALERSHIPS = 5
# The network dashboard's trend: this many quarters, the current one included.
NETWORK_TREND_QUARTERS = 8
# The network dashboard's campaign completion: the latest this many campaigns.
NETWORK_CAMPAIGNS_SHOWN = 10
# Portfolio: a change of the overall score counts as "up" / "down" from this many points
# (a rung change always counts); smaller moves are the wobble of one answer.
PORTFOLIO_CHANGE_POINTS = 1
# Portfolio alert "dropped": an area lost at least this many points since the previous
# assessment.
ALERT_AREA_DROP_POINTS = env_int("ALERT_AREA_DROP_POINTS", 5)
# Portfolio alert "stalled": nobody moved the roadmap for this many days after a submission.
ALERT_STALLED_DAYS = env_int("ALERT_STALLED_DAYS", 60)
# Portfolio alerts on measured signals: a lead-response test sent within this many days
# still without reply after the grid's delay; under this share of the reviews answered;
# the rating down by this much or more against the previous reviews import.
ALERT_LEAD_TEST_DAYS = env_int("ALERT_LEAD_TEST_DAYS", 90)
ALERT_REVIEW_ANSWERED_BELOW = 0.5
ALERT_RATING_DROP = 0.3

# --- Draft reminders -------------------------------------------------------------------
# Remind a dealership's contacts when its draft assessment has been untouched this many
# days, then again every this many days while it stays untouched.
DRAFT_REMINDER_AFTER_DAYS = env_int("DRAFT_REMINDER_AFTER_DAYS", 14)
# Portfolio to-do: a draft untouched this many days is "stalled" (with a "remind" button).
DRAFT_STALLED_DAYS = env_int("DRAFT_STALLED_DAYS", 14)

# --- Campaigns -------------------------------------------------------------------------
# A campaign holds at most this many dealerships (one launch is one transaction).
CAMPAIGN_MAX_DEALERSHIPS = env_int("CAMPAIGN_MAX_DEALERSHIPS", 500)
# Its creator and the contacts still to submit are told this many days before the due date.
CAMPAIGN_DUE_SOON_DAYS = env_int("CAMPAIGN_DUE_SOON_DAYS", 3)

# --- Outgoing requests and webhooks -----------------------------------------------------
# Let outgoing requests (website checks, webhooks) reach private and loopback addresses and
# webhooks use plain http: for tests and a local demo only, never in production.
OUTGOING_ALLOW_PRIVATE = env_bool("OUTGOING_ALLOW_PRIVATE", default=False)
# A webhook delivery is tried at most this many times (transient failures only: network
# errors, timeouts, 5xx, 429), waiting WEBHOOK_RETRY_BASE_SECONDS, then twice as long after
# each failure (at most WEBHOOK_RETRY_MAX_SECONDS).
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30)
WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 6 * 3600)
# Each attempt waits at most this long for the endpoint's answer.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# Webhook endpoints a person may register.
WEBHOOK_ENDPOINTS_PER_USER = env_int("WEBHOOK_ENDPOINTS_PER_USER", 10)

# --- PDF reports ----------------------------------------------------------------------
# A report still queued after this many seconds is sent again by the sweeper.
REPORTS_RESEND_QUEUED_AFTER = env_int("REPORTS_RESEND_QUEUED_AFTER", 120)
# While a PDF renders, its claim's heartbeat is written every this many seconds; a claim
# whose heartbeat is older than REPORTS_HEARTBEAT_STALE_AFTER seconds is lost (the worker
# died) and the sweep re-queues it. The status page then says it takes longer than usual.
REPORTS_HEARTBEAT_SECONDS = env_int("REPORTS_HEARTBEAT_SECONDS", 5)
REPORTS_HEARTBEAT_STALE_AFTER = env_int("REPORTS_HEARTBEAT_STALE_AFTER", 30)
if REPORTS_HEARTBEAT_STALE_AFTER < 3 * REPORTS_HEARTBEAT_SECONDS:
    raise ImproperlyConfiguredEnv(
        "REPORTS_HEARTBEAT_STALE_AFTER must be at least 3 x REPORTS_HEARTBEAT_SECONDS: "
        "a live render would be taken for a dead one."
    )
# PDF files are deleted this many days after they were made, except the latest per
# assessment and language (0: keep every file). The row stays; its page offers to make it
# again.
REPORT_RETENTION_DAYS = env_int("REPORT_RETENTION_DAYS", 90)
if REPORT_RETENTION_DAYS < 0:
    raise ImproperlyConfiguredEnv("REPORT_RETENTION_DAYS must be 0 (keep all) or more.")
# Mail the requester when their PDF is ready (in the report's language).
REPORTS_EMAIL_WHEN_READY = env_bool("REPORTS_EMAIL_WHEN_READY", default=True)

# --- Production hardening -------------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# No inline script or style anywhere: scripts and styles come from our static files only
# (charts are inline SVG with presentation attributes, which CSP does not restrict).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
SESSION_COOKIE_HTTPONLY = True
# A session ends after SESSION_IDLE_SECONDS without a request, and in any case after
# SESSION_COOKIE_AGE; answers are saved as they are typed, so nothing is lost.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 2 * 3600)
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- REST API -------------------------------------------------------------------------
# Personal access tokens: every token expires, after at most this many days; a person
# holds at most API_TOKENS_PER_USER active ones.
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)
API_TOKENS_PER_USER = env_int("API_TOKENS_PER_USER", 20)
# A token's "last used" is written at most once per this many seconds (not on every call).
API_TOKEN_LAST_USED_EVERY = 60
# Requests per token (DRF rate syntax: "600/min", "10000/day").
API_THROTTLE_RATE = env_str("API_THROTTLE_RATE", "600/min")
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["maturity.api.authentication.AccessTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["maturity.api.throttling.AccessTokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "maturity.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "maturity.api.schema.AutoSchema",
    # No OPTIONS introspection: the schema describes the API (OPTIONS answers 405).
    "DEFAULT_METADATA_CLASS": None,
    "EXCEPTION_HANDLER": "maturity.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_VERSIONING_CLASS": None,
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dealer digital maturity API",
    "DESCRIPTION": (
        "Dealerships, assessments and their answers, results, roadmaps, PDF reports, the "
        "consultant's portfolio, measurements (website checks, lead-response tests, customer "
        "reviews imports) and campaigns. Authenticate with a personal access token "
        "(`Authorization: Bearer dmat_…`) created on your account page. Every error has the "
        "same JSON body: see the `Error` schema."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AssessmentStatusEnum": "maturity.models.Assessment.Status",
        "ReportStatusEnum": "maturity.models.Report.Status",
        "RoadmapStatusEnum": "maturity.models.RoadmapActionStatus.Status",
        "LanguageEnum": "dealers.models.LANGUAGE_CHOICES",
        "WebsiteCheckStatusEnum": "maturity.models.Measurement.Status",
        "CampaignStatusEnum": "maturity.api.filters.CAMPAIGN_STATUS_CHOICES",
    },
}
