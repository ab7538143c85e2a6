"""Qorgau settings: one module, every deployment choice made by an environment variable."""

import json
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


DEBUG = envbool("QORGAU_DEBUG", "false")
# The demo and the tests run with a generated key; production must set its own.
SECRET_KEY = os.environ.get(
    "QORGAU_SECRET_KEY", "insecure-demo-key-set-QORGAU_SECRET_KEY-in-production"
)
ALLOWED_HOSTS = os.environ.get(
    "QORGAU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver"
).split(",")
SITE_URL = os.environ.get("QORGAU_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "qorgau.reference",
    "qorgau.agencies",
    "qorgau.audit",
    "qorgau.cases",
    "qorgau.referrals",
    "qorgau.protection",
    "qorgau.guardianship",
    "qorgau.best_interests",
    "qorgau.plans",
    "qorgau.reviews",
    "qorgau.screening",
    "qorgau.concerns",
    "qorgau.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "qorgau.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "qorgau.agencies.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "qorgau.agencies.middleware.NoStoreMiddleware",
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
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qorgau.agencies.context_processors.navigation",
            ],
        },
    },
]

# SQLite under var/ is the embedded default; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=envint("QORGAU_DB_CONN_MAX_AGE", 0),
    )
}
# No request-wide transaction: every change is one atomic service, and a page view that only reads
# holds no write lock (on SQLite, a request-wide IMMEDIATE transaction would serialise all pages).
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two requests never read the same audit head
    # or the same row version and then both write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("QORGAU_TEST_SQLITE", "")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "agencies:login"
LOGIN_REDIRECT_URL = "cases:home"
LOGOUT_REDIRECT_URL = "agencies:login"

# Lockout after repeated failures (django-axes): per user name and address, released after the cool-off.
AXES_FAILURE_LIMIT = envint("QORGAU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("QORGAU_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "agencies/locked_out.html"
AXES_VERBOSE = False

# Idle timeout refreshed per request, plus an absolute lifetime checked by SessionLifetimeMiddleware.
SESSION_COOKIE_AGE = envint("QORGAU_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = (
    False  # the idle timeout is renewed by SessionLifetimeMiddleware
)
QORGAU_SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
QORGAU_SESSION_ABSOLUTE_SECONDS = envint("QORGAU_SESSION_ABSOLUTE_SECONDS", 9 * 3600)
SESSION_COOKIE_SECURE = envbool("QORGAU_SECURE_COOKIES", "false")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("QORGAU_HSTS_SECONDS", 0)
SECURE_SSL_REDIRECT = envbool("QORGAU_SSL_REDIRECT", "false")
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "ru"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"
FORMAT_MODULE_PATH = ["qorgau.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "QORGAU_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        )
    }
}

MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "QORGAU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        )
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("QORGAU_FROM_EMAIL", "qorgau@localhost")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    },
    # Shared by every worker process (rate limits, single-use challenges); its table is made by
    # the concerns app's migrations.
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "qorgau_shared_cache",
    },
}
RATELIMIT_USE_CACHE = "shared"

# Keys live outside the database: a root-only keyring file here, a KMS or Vault in larger deployments.
QORGAU_KEYRING_FILE = Path(
    os.environ.get("QORGAU_KEYRING_FILE", BASE_DIR / "var" / "keys" / "keyring.json")
)
QORGAU_PAGE_SIZE = 25
QORGAU_BREAK_GLASS_HOURS = envint("QORGAU_BREAK_GLASS_HOURS", 2)

# Statutory timelines are configuration (domain.md §5.4): each deadline is {"hours": n} on the
# clock or {"working_days": n} on the working-day calendar. A JSON object in the environment
# variable replaces the defaults for the urgencies it names.
QORGAU_REFERRAL_DEADLINES = {
    "immediate_danger": {"acknowledge": {"hours": 1}, "decide": {"hours": 24}},
    "urgent": {"acknowledge": {"hours": 24}, "decide": {"working_days": 3}},
    "routine": {"acknowledge": {"working_days": 3}, "decide": {"working_days": 5}},
} | json.loads(os.environ.get("QORGAU_REFERRAL_DEADLINES", "{}"))
# The public concern form (no login). Rates are "count/period" per sender (a keyed hash of the
# address) and for everyone together; the proof of work costs a browser about 2^bits hashes.
QORGAU_CONCERN_RATES = {
    "report": os.environ.get("QORGAU_CONCERN_REPORT_RATE", "5/h"),
    "report_all": os.environ.get("QORGAU_CONCERN_REPORT_RATE_ALL", "600/h"),
    "lookup": os.environ.get("QORGAU_CONCERN_LOOKUP_RATE", "20/h"),
    "lookup_all": os.environ.get("QORGAU_CONCERN_LOOKUP_RATE_ALL", "2000/h"),
}
QORGAU_CONCERN_POW_BITS = envint("QORGAU_CONCERN_POW_BITS", 15)
QORGAU_CONCERN_TRIAGE_INSTRUMENT = "hotline-intake-triage"
# A report closed without a referral is deleted this many days after closing (a referred one
# stays with the case it led to).
QORGAU_CONCERN_RETENTION_DAYS = envint("QORGAU_CONCERN_RETENTION_DAYS", 365)
# Where the sender's address is: REMOTE_ADDR, or behind a reverse proxy the header it sets
# (e.g. HTTP_X_REAL_IP); used only, hashed, for rate limits.
QORGAU_CLIENT_ADDRESS_HEADER = os.environ.get(
    "QORGAU_CLIENT_ADDRESS_HEADER", "REMOTE_ADDR"
)
# Who an immediate-danger screening result alerts at once (domain.md §5.4: police and child
# protection, ≤ 1 hour): for each, the organisation types (vocabulary org_Type) tried in order in
# the child's region, and the referral reason it is sent with.
QORGAU_IMMEDIATE_DANGER_RECIPIENTS = {
    "police": {"types": ["LawEnforcement"], "reason": "LawEnforcement"},
    "child_protection": {
        "types": ["SocialProtection", "GuardianshipAuthority"],
        "reason": "SpecialSocialServices",
    },
}
# How far each legal basis lets a referral share a case without recorded consent (a tier).
QORGAU_LEGAL_BASIS_MAX_TIER = {
    "child_protection": 2,  # identity and narrative: what any agency needs to protect the child
    "criminal_procedure": 4,  # to law enforcement only
    "consent": 0,  # only what the recorded consent covers
}
QORGAU_ESCALATION_HOURS = envint("QORGAU_ESCALATION_HOURS", 24)
# The schedule recomputes the regional referral figures every 5 minutes; a dashboard finding
# them older than this (the worker stopped) computes them itself.
QORGAU_DASHBOARD_MAX_AGE_SECONDS = envint("QORGAU_DASHBOARD_MAX_AGE_SECONDS", 900)
QORGAU_REASONABLE_GROUNDS_WORKING_DAYS = envint(
    "QORGAU_REASONABLE_GROUNDS_WORKING_DAYS", 5
)
QORGAU_REFLECTION_DAYS = envint(
    "QORGAU_REFLECTION_DAYS", 30
)  # at least 30 (CoE Art. 13)
# An unaccompanied child's guardian or legal representative: "as soon as identified" (CoE Art. 10(4)).
QORGAU_GUARDIAN_APPOINTMENT_WORKING_DAYS = envint(
    "QORGAU_GUARDIAN_APPOINTMENT_WORKING_DAYS", 3
)
# A best-interests determination is reviewed this many days after it is made, unless the
# panel sets another date (domain.md §5.4: "per plan, e.g. 3 months").
QORGAU_BEST_INTERESTS_REVIEW_DAYS = envint("QORGAU_BEST_INTERESTS_REVIEW_DAYS", 90)
# Days from a finalised risk assessment to its review, by overall level; a JSON object in the
# environment variable replaces the defaults for the levels it names.
QORGAU_RISK_REVIEW_DAYS = {"high": 7, "medium": 30, "low": 90} | json.loads(
    os.environ.get("QORGAU_RISK_REVIEW_DAYS", "{}")
)
# Case reviews: days between reviews by case priority (a JSON object in the environment variable
# replaces the priorities it names), a reminder to the owner this many days before one is due,
# and the lead organisation's supervisors told once it is this many days overdue.
QORGAU_REVIEW_INTERVAL_DAYS = {"urgent": 7, "high": 14, "normal": 30, "low": 90} | {
    k: int(v)
    for k, v in json.loads(os.environ.get("QORGAU_REVIEW_INTERVAL_DAYS", "{}")).items()
}
QORGAU_REVIEW_REMINDER_DAYS = envint("QORGAU_REVIEW_REMINDER_DAYS", 3)
QORGAU_REVIEW_ESCALATION_DAYS = envint("QORGAU_REVIEW_ESCALATION_DAYS", 7)
# Follow-up after closure (domain.md §5.4): months after the closure, a reminder to the owner
# this many days before each, supervisors told once one is this many days overdue; none for
# the closed statuses and closure reasons named here.
QORGAU_FOLLOW_UP_MONTHS = tuple(
    int(m) for m in os.environ.get("QORGAU_FOLLOW_UP_MONTHS", "6,12").split(",") if m
)
QORGAU_FOLLOW_UP_REMINDER_DAYS = envint("QORGAU_FOLLOW_UP_REMINDER_DAYS", 7)
QORGAU_FOLLOW_UP_GRACE_DAYS = envint("QORGAU_FOLLOW_UP_GRACE_DAYS", 14)
QORGAU_FOLLOW_UP_SKIP_STATUSES = tuple(
    os.environ.get("QORGAU_FOLLOW_UP_SKIP_STATUSES", "closed_not_victim").split(",")
)
QORGAU_FOLLOW_UP_SKIP_REASONS = tuple(
    os.environ.get("QORGAU_FOLLOW_UP_SKIP_REASONS", "died").split(",")
)
# Screening (domain.md §9.3): a negative result, never referred, is deleted after this many days.
QORGAU_SCREENING_RETENTION_DAYS = envint("QORGAU_SCREENING_RETENTION_DAYS", 365)
# Small-cell suppression (domain.md §9.3): a count by region below this is shown as "<N".
QORGAU_STATS_MIN_CELL = envint("QORGAU_STATS_MIN_CELL", 11)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "qorgau.security": {"handlers": ["console"], "level": "WARNING"},
    },
}
