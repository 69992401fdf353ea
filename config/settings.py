"""Minqing settings, read from the environment (django-environ).

DATABASE_URL defaults to the embedded SQLite database at var/minqing.sqlite3.
"""

from pathlib import Path

import environ

from config.huey import huey_settings
from config.photos import photo_storage
from config.security import content_security_policy, install_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
    SESSION_COOKIE_AGE=(int, 30 * 60),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

VAR_DIR = Path(env.str("MINQING_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "minqing.core.apps.DutyAdminConfig",  # django.contrib.admin, its site obeying the admin duties
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "huey.contrib.djhuey",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "minqing.core",
    "minqing.orgs",
    "minqing.campaigns",
    "minqing.ledger",
    "minqing.activities",
    "minqing.supervision",
    "minqing.programmes",
    "minqing.catalogues",
    "minqing.reports",
    "minqing.demo",
    "minqing.accounts",
    "minqing.notify",
    "minqing.api",
    "minqing.open311",
    "minqing.webhooks",
    "ninja",
    "minqing.nlp",
    "minqing.photos",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "minqing.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "minqing.core.replica.PinAfterWriteMiddleware",
    "minqing.accounts.middleware.IdentityMiddleware",
    "minqing.api.middleware.ApiRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "minqing" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["django.contrib.humanize.templatetags.humanize"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minqing.orgs.context_processors.scope",
                "minqing.orgs.context_processors.menu",
                "minqing.ledger.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'minqing.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
            ),
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in-memory test database
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    if env.bool("MINQING_DB_TRANSACTION_POOLER", default=False):
        # through PgBouncer in transaction pooling: no server-side cursors, no prepared statements
        # (a server connection serves another client between transactions; docs/deploy.md)
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None

# Reads on a streaming replica (PostgreSQL; docs/deploy.md): dashboards, bulletins, exports and the
# public list, unless it lags more than MINQING_REPLICA_MAX_LAG_SECONDS (minqing/core/replica.py).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["minqing.core.replica.ReplicaRouter"]
MINQING_REPLICA_MAX_LAG_SECONDS = env.float("MINQING_REPLICA_MAX_LAG_SECONDS", default=10.0)
MINQING_REPLICA_LAG_CHECK_SECONDS = env.float("MINQING_REPLICA_LAG_CHECK_SECONDS", default=2.0)
MINQING_REPLICA_PIN_SECONDS = env.int("MINQING_REPLICA_PIN_SECONDS", default=30)
# a bulletin's heaviest figures on a second connection at once (PostgreSQL; minqing/reports/metrics/lanes.py)
MINQING_METRIC_LANES = env.bool("MINQING_METRIC_LANES", default=True)
# /metrics (Prometheus): with a token, for a scraper elsewhere; without one, this machine only
MINQING_METRICS_TOKEN = env.str("MINQING_METRICS_TOKEN", default="")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
# each language by its own name (the switch in the top bar shows them untranslated)
LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "minqing" / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # npm assets (make install: npm ci): node_modules/echarts/dist/echarts.min.js as vendor/echarts/
    "minqing.reports.dashboard.assets.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    # photos on reports and staff updates (minqing.photos, config/photos.py, docs/photos.md)
    "photos": photo_storage(env, VAR_DIR),
}
# photos: at most this many per report or staff update, each at most this many bytes and pixels
# (the pixel guard refuses decompression bombs before decoding); stored re-encoded without EXIF,
# the longest side capped, with a display copy and a thumbnail
MINQING_PHOTO_MAX_COUNT = env.int("MINQING_PHOTO_MAX_COUNT", default=3)
MINQING_PHOTO_MAX_BYTES = env.int("MINQING_PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
MINQING_PHOTO_MAX_PIXELS = env.int("MINQING_PHOTO_MAX_PIXELS", default=40_000_000)
MINQING_PHOTO_MAX_SIDE = env.int("MINQING_PHOTO_MAX_SIDE", default=2048)
MINQING_PHOTO_DISPLAY_SIDE = env.int("MINQING_PHOTO_DISPLAY_SIDE", default=800)
MINQING_PHOTO_THUMB_SIDE = env.int("MINQING_PHOTO_THUMB_SIDE", default=240)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "orgs:home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env("SESSION_COOKIE_AGE")
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Login failure lockout (等保 2.0, minqing/core/lockout.py), all within the last LOCK_MINUTES:
# MAX_FAILURES of one username from one client address lock it at that address (other addresses
# can still sign in, so nobody can lock a colleague out); IP_MAX_FAILURES from one address, any
# usernames, refuse that address for everyone; USERNAME_MAX_FAILURES of one username from any
# addresses lock it everywhere (distributed guessing).
MINQING_LOGIN_MAX_FAILURES = env.int("MINQING_LOGIN_MAX_FAILURES", default=5)
MINQING_LOGIN_IP_MAX_FAILURES = env.int("MINQING_LOGIN_IP_MAX_FAILURES", default=20)
MINQING_LOGIN_USERNAME_MAX_FAILURES = env.int("MINQING_LOGIN_USERNAME_MAX_FAILURES", default=50)
MINQING_LOGIN_LOCK_MINUTES = env.int("MINQING_LOGIN_LOCK_MINUTES", default=15)
# imports and uploads (every file goes through minqing.core.tabular.read_table): a file with more
# rows, or larger (an xlsx as unpacked), is refused before it is read into memory
MINQING_IMPORT_MAX_ROWS = env.int("MINQING_IMPORT_MAX_ROWS", default=200_000)
MINQING_IMPORT_MAX_MB = env.int("MINQING_IMPORT_MAX_MB", default=200)

# huey: the deadline job's queue (SQLite at var/huey.sqlite3, Redis with MINQING_HUEY_REDIS_URL).
HUEY = huey_settings(env, VAR_DIR)

# Deployment and headers (issue 16, docs/deploy-security.md). SECRET_KEY from the environment,
# else this install's own key, generated once into VAR_DIR/secret_key (mode 0600); never a key
# published in the source. Headers on every response, over plain http too (`make run`): CSP
# (django-csp, our own files only: no inline script or style), X-Frame-Options DENY,
# Referrer-Policy same-origin, nosniff. HSTS, Secure cookies and the https redirect are in
# config/production.py (DJANGO_SETTINGS_MODULE=config.production).
SECRET_KEY = install_secret_key(env.str("SECRET_KEY", default=""), VAR_DIR)
INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware"
)
CONTENT_SECURITY_POLICY = content_security_policy()
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Personal data encrypted at rest (issue 16, privacy: minqing/core/crypto.py, docs/privacy.md):
# Fernet keys, comma-separated, the first encrypts and all decrypt (rotation: put the new key
# first, run `minqing rotate_field_keys`, then drop the old one). Unset (make run, tests): one
# random key made once in VAR_DIR/field_keys (mode 0600); `check --deploy` warns about that.
MINQING_FIELD_KEYS = env.list("MINQING_FIELD_KEYS", default=[])
MINQING_FIELD_KEYS_FILE = VAR_DIR / "field_keys"
# Identity (issue 16, the identity part: minqing/accounts, docs/identity.md).
# Password policy: at least MINQING_PASSWORD_MIN_LENGTH characters (never fewer than 8), three of
# the four character classes, not the username nor containing it, not a common password (Django's
# list and minqing/accounts/common_passwords_zh.txt); changed every MINQING_PASSWORD_MAX_AGE_DAYS
# days (0: never expires), an expired password sends its user to the change page first.
MINQING_PASSWORD_MIN_LENGTH = max(env.int("MINQING_PASSWORD_MIN_LENGTH", default=10), 8)
MINQING_PASSWORD_MAX_AGE_DAYS = env.int("MINQING_PASSWORD_MAX_AGE_DAYS", default=90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": MINQING_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "minqing.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "minqing.accounts.validators.UsernameNotInPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "minqing.accounts.validators.ChineseCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Second factor (django-otp: TOTP, and ten single-use recovery codes): required of every admin-site
# user (staff, superusers, the three administrator duties) and of the holders of these roles
# (comma-separated Role values, e.g. "office,leader"; empty: admin-site users only).
MINQING_OTP_REQUIRED_ROLES = env.list("MINQING_OTP_REQUIRED_ROLES", default=["office"])
OTP_TOTP_ISSUER = env.str("MINQING_OTP_ISSUER", default="Minqing")
# Idle logout: a session without a request for this many minutes ends (0: off).
MINQING_IDLE_TIMEOUT_MINUTES = env.int("MINQING_IDLE_TIMEOUT_MINUTES", default=10)
# --- audit (issue 16, the audit part: minqing/core/audit*.py, docs/audit.md) ---
# One audit context per request (who, from where; the downloads and the 403s it answers). Appended
# here rather than in the list above so that it runs after the authentication middleware.
MIDDLEWARE.append("minqing.core.audit_middleware.AuditMiddleware")
# Rows older than this many days are archived (gzip JSON lines + manifest, verified) and only
# then deleted, daily by the huey job and by `minqing audit_archive`. At least 180: a smaller
# value stops the start-up (GB/T 22239-2019 keeps audit records six months).
MINQING_AUDIT_RETENTION_DAYS = env.int("MINQING_AUDIT_RETENTION_DAYS", default=180)
MINQING_AUDIT_ARCHIVE_DIR = Path(env.str("MINQING_AUDIT_ARCHIVE_DIR", default=str(VAR_DIR / "audit-archive")))

# --- issue 15 item 5, phone check-in (checkin) ---
# how many last digits of a phone identify an attendee with their name (at least this many)
MINQING_CHECKIN_PHONE_DIGITS = env.int("MINQING_CHECKIN_PHONE_DIGITS", default=4)
# failed identifications (wrong digits, unknown name or number, several matches) allowed per
# client IP, and per name (phone digits), in MINQING_CHECKIN_RATE_WINDOW seconds; 0 disables
MINQING_CHECKIN_FAILURE_LIMIT = env.int("MINQING_CHECKIN_FAILURE_LIMIT", default=20)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"timed": {"format": "[%(asctime)s] %(levelname)s:%(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "timed": {"class": "logging.StreamHandler", "formatter": "timed"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # the job worker's own lines (`minqing run_huey`), once each: tasks started, done, failed
    "loggers": {"huey": {"handlers": ["timed"], "level": "INFO", "propagate": False}},
}

# Public endpoints (the online form): at most this many submissions per client IP in the
# window (seconds), shared by all workers through the database; 0 disables the limit.
# The open API (minqing/api, docs/api.md): per-key rate limit (calls per window), its backend
# (database: exact across workers; cache: atomic counters in the Django cache, for Redis), the
# largest request body, and an optional shared cache (e.g. redis://127.0.0.1:6379/1).
MINQING_API_RATE_LIMIT = env.int("MINQING_API_RATE_LIMIT", default=600)
MINQING_API_RATE_WINDOW = env.int("MINQING_API_RATE_WINDOW", default=60)
MINQING_API_MAX_BODY = env.int("MINQING_API_MAX_BODY", default=1_000_000)
# Seconds a worker process keeps a key it has checked (minqing.api.keys.credential_for): a
# revocation, deactivation or role change made in another process takes effect within them.
MINQING_API_KEY_CACHE_SECONDS = env.int("MINQING_API_KEY_CACHE_SECONDS", default=5)
# Seconds a worker keeps the Open311 jurisdictions, offered services and their attributes
# (minqing.core.short_cache): a catalogue change made in another process is seen within them.
MINQING_CATALOGUE_CACHE_SECONDS = env.int("MINQING_CATALOGUE_CACHE_SECONDS", default=30)
if env("MINQING_CACHE_URL", default=""):
    CACHES = {"default": env.cache_url("MINQING_CACHE_URL")}
MINQING_API_RATE_BACKEND = env(
    "MINQING_API_RATE_BACKEND", default="cache" if "CACHES" in globals() else "database"
)
# Open311 GeoReport v2 (minqing/open311, docs/open311.md): the jurisdiction (a unit code) a call
# without jurisdiction_id means (empty: required wherever the tree has more than one unit); queue
# POSTed requests (answer a token, record the feedback in a huey job) instead of recording them
# before the answer; the contact the discovery document names.
MINQING_OPEN311_JURISDICTION = env("MINQING_OPEN311_JURISDICTION", default="")
MINQING_OPEN311_QUEUE = env.bool("MINQING_OPEN311_QUEUE", default=False)
MINQING_OPEN311_CONTACT = env("MINQING_OPEN311_CONTACT", default="")
# webhooks (docs/api.md, ## Webhooks): the first retry after this many seconds, doubling up to
# RETRY_MAX; a delivery fails after MAX_ATTEMPTS tries; each try waits TIMEOUT seconds for the
# answer; a sender's claim on a delivery expires after CLAIM_SECONDS (a worker that died mid-send)
MINQING_WEBHOOK_RETRY_FIRST = env.int("MINQING_WEBHOOK_RETRY_FIRST", default=60)
MINQING_WEBHOOK_RETRY_MAX = env.int("MINQING_WEBHOOK_RETRY_MAX", default=6 * 3600)
MINQING_WEBHOOK_MAX_ATTEMPTS = env.int("MINQING_WEBHOOK_MAX_ATTEMPTS", default=16)
MINQING_WEBHOOK_TIMEOUT = env.float("MINQING_WEBHOOK_TIMEOUT", default=10.0)
MINQING_WEBHOOK_CLAIM_SECONDS = env.int("MINQING_WEBHOOK_CLAIM_SECONDS", default=120)
# how long a process keeps its list of active subscriptions (a change made in another process is
# seen within this many seconds; 0: read it for every event)
MINQING_WEBHOOK_SUBSCRIPTIONS_TTL = env.float("MINQING_WEBHOOK_SUBSCRIPTIONS_TTL", default=2.0)
MINQING_PUBLIC_RATE_LIMIT = env.int("MINQING_PUBLIC_RATE_LIMIT", default=10)
MINQING_PUBLIC_RATE_WINDOW = env.int("MINQING_PUBLIC_RATE_WINDOW", default=3600)
# the online form's place picker (/public/places/: the cascade, the search, "use my location"):
# reads per client IP in the window (seconds), counted in the cache; 0 disables the limit
MINQING_PUBLIC_LOOKUP_LIMIT = env.int("MINQING_PUBLIC_LOOKUP_LIMIT", default=300)
MINQING_PUBLIC_LOOKUP_WINDOW = env.int("MINQING_PUBLIC_LOOKUP_WINDOW", default=300)
# the published list (晒出来, docs/moderation.md): a resident's report waits for staff to check it;
# with this many hours set, a report nobody has checked or kept private after that long is
# published by the moderation job (its suggested public title and text, personal details masked).
# 0 (the default): never automatically, every report is checked by hand.
MINQING_PUBLIC_AUTO_PUBLISH_HOURS = env.float("MINQING_PUBLIC_AUTO_PUBLISH_HOURS", default=0)
# the phone check-in (/a/<code>/): attempts per client IP; a meeting hall may share one address
MINQING_CHECKIN_RATE_LIMIT = env.int("MINQING_CHECKIN_RATE_LIMIT", default=300)
MINQING_CHECKIN_RATE_WINDOW = env.int("MINQING_CHECKIN_RATE_WINDOW", default=3600)

# --- messages outside the app (issue 14 part 4, issue 15 part 2: minqing/notify, docs/notifications.md) ---
# The sender of each channel: "file" (default: one JSON line per message in MINQING_SENDER_FILE and
# a log line; nothing leaves the machine), "smtp" (e-mail through the EMAIL_* settings below),
# "http_sms" (an SMS provider's HTTP-JSON endpoint, MINQING_SMS_*), or a dotted class path.
MINQING_SENDERS = {
    "email": env.str("MINQING_EMAIL_SENDER", default="file"),
    "sms": env.str("MINQING_SMS_SENDER", default="file"),
}
MINQING_SENDER_FILE = Path(env.str("MINQING_SENDER_FILE", default=str(VAR_DIR / "sent-messages.jsonl")))
MINQING_SMS_URL = env.str("MINQING_SMS_URL", default="")
MINQING_SMS_KEY = env.str("MINQING_SMS_KEY", default="")
MINQING_SMS_TEMPLATE = env.str("MINQING_SMS_TEMPLATE", default="")
MINQING_SMS_TIMEOUT = env.float("MINQING_SMS_TIMEOUT", default=10.0)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="minqing@localhost")
# the site's address as residents reach it, for the links in messages (tracking page, unsubscribe)
MINQING_SITE_URL = env.str("MINQING_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# a message that failed is tried again after 1, 2, 4 ... minutes (at most an hour apart), at most
# this many times in all; the job worker's sweep (every minute) also sends what a restart left pending
MINQING_OUTBOX_MAX_ATTEMPTS = env.int("MINQING_OUTBOX_MAX_ATTEMPTS", default=8)
# finished messages (sent, given up, cancelled) are deleted by the sweep this many days after
MINQING_OUTBOX_KEEP_DAYS = env.int("MINQING_OUTBOX_KEEP_DAYS", default=30)
# "send to my phone", subscriptions and ratings on the public pages: per client IP in the window
MINQING_PUBLIC_MESSAGE_LIMIT = env.int("MINQING_PUBLIC_MESSAGE_LIMIT", default=5)
