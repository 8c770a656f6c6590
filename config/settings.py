"""Settings, read from the environment: one commented block per integration.

Every integration defaults to its local stand-in (SQLite, the in-memory channel
layer, the simulated payment terminal), so `make demo` needs nothing but Python.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

from config.env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_secret,
    env_str,
    local_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("KIOSK_DATA_DIR", str(BASE_DIR / "var")))

# --- Core ---------------------------------------------------------------------
DEBUG = env_bool("KIOSK_DEBUG", False)
SECRET_KEY = env_secret("KIOSK_SECRET_KEY") or local_secret_key(DATA_DIR)
SECRET_KEY_FALLBACKS = env_list("KIOSK_SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = env_list("KIOSK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("KIOSK_CSRF_TRUSTED_ORIGINS", [])
# A kiosk's CSRF failure shows the kiosk's error screen, with its way back.
CSRF_FAILURE_VIEW = "kiosk.views.errors.csrf_failure"
# A store server behind its TLS reverse proxy (deploy/): secure cookies, HTTPS
# only, HSTS, and the proxy's X-Forwarded-Proto trusted. Off for a kiosk that
# is its own server on 127.0.0.1 (the demo, a single-kiosk store).
TLS = env_bool("KIOSK_TLS", False)
# Cookies marked Secure when the kiosk is served over TLS (store LAN deployments).
SECURE_COOKIES = env_bool("KIOSK_SECURE_COOKIES", TLS)
if TLS:
    SECURE_SSL_REDIRECT = True
    # The proxy's health checks reach daphne directly, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    # Only the proxy talks to daphne (it listens on loopback or a private
    # network), and the proxy sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("KIOSK_HSTS_SECONDS", 31_536_000, minimum=0)
    SILENCED_SYSTEM_CHECKS = [
        # The store server is one host name on the store's network: its
        # subdomains are not ours to pin to HTTPS, nor is a browser preload list
        # meant for a name that is not public.
        "security.W005",
        "security.W021",
    ]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "channels",
    "kiosk",
    "loyalty",
    "hardware",
    "kitchen",
]
# The stand-ins of the demo and the tests (`manage.py sandbox`, the virtual
# scanner and printer) live in a package of the source tree that the wheel
# leaves out: a store's installation runs without it.
if importlib.util.find_spec("sandboxes") is not None:
    INSTALLED_APPS.append("sandboxes")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kiosk.middleware.KioskDeviceMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each loyalty programme keeps its own pages in its folder.
        "DIRS": [
            BASE_DIR / "templates",
            *sorted((BASE_DIR / "loyalty" / "providers").glob("*/templates")),
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kiosk.context_processors.kiosk",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------
# SQLite by default: WAL, synchronous=FULL (a paid order survives a pulled plug)
# and IMMEDIATE transactions (writers queue instead of failing "database is
# locked"). DATABASE_URL selects PostgreSQL for stores with several kiosks.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    # PostgreSQL: each web process and worker keeps a pool of open connections
    # instead of opening one per request (KIOSK_DB_POOL_SIZE=0 turns it off).
    _pool_size = env_int("KIOSK_DB_POOL_SIZE", 8, minimum=0)
    if _pool_size and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": _pool_size,
            "timeout": 10,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("KIOSK_SQLITE_PATH", str(DATA_DIR / "db.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 5,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL",
            },
            # The browser tests share the database with a daphne process, so
            # the test database is a file, never :memory:; one per test run.
            "TEST": {
                "NAME": env_str(
                    "KIOSK_TEST_SQLITE_PATH",
                    str(
                        Path(tempfile.gettempdir())
                        / f"kiosk-test-{os.getpid()}.sqlite3"
                    ),
                )
            },
        }
    }

# --- Channels and cache (Redis) ----------------------------------------------
# REDIS_URL selects the Redis channel layer and cache (several processes);
# without it the in-memory layer serves the single-process demo.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
        # What every process must see alike (identification attempt counts).
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shared",
        },
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Without Redis the database is what processes and restarts share.
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kiosk_shared_cache",
        },
    }

# --- Sessions, cookies, login -------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LOGIN_URL = "admin:login"

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "kiosk" / "locale"]
TIME_ZONE = env_str("KIOSK_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------
# daphne serves both itself (a kiosk is its own server); a store with several
# kiosks may put a reverse proxy in front.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("KIOSK_MEDIA_ROOT", str(DATA_DIR / "media")))

# --- Security headers ---------------------------------------------------------
# No inline script or style anywhere: htmx is configured through a meta tag and
# every behaviour lives in static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Kiosk behaviour (timers in seconds) --------------------------------------
KIOSK_IDLE_SECONDS = env_int("KIOSK_IDLE_SECONDS", 90, minimum=5)
# WCAG 2.2 SC 2.2.1: at least 20 s to extend the session.
KIOSK_IDLE_WARNING_SECONDS = env_int("KIOSK_IDLE_WARNING_SECONDS", 20, minimum=20)
KIOSK_CONFIRMATION_SECONDS = env_int("KIOSK_CONFIRMATION_SECONDS", 30, minimum=5)
KIOSK_PAYMENT_FAILED_SECONDS = env_int("KIOSK_PAYMENT_FAILED_SECONDS", 5, minimum=1)
# A message ("Added to your order.") shows this long over the screen; warnings
# and errors twice as long.
KIOSK_MESSAGE_SECONDS = env_int("KIOSK_MESSAGE_SECONDS", 4, minimum=1)
KIOSK_ACCESSIBILITY_TIME_FACTOR = env_int(
    "KIOSK_ACCESSIBILITY_TIME_FACTOR", 2, minimum=1
)
KIOSK_MAX_LINE_QUANTITY = env_int("KIOSK_MAX_LINE_QUANTITY", 20, minimum=1)
KIOSK_MAX_CART_LINES = env_int("KIOSK_MAX_CART_LINES", 50, minimum=1)
KIOSK_PROVISIONING_LINK_HOURS = env_int("KIOSK_PROVISIONING_LINK_HOURS", 24, minimum=1)
KIOSK_DEVICE_COOKIE = "kiosk_device"
# Drafts left behind by a browser that never reset are cancelled after this.
KIOSK_ABANDONED_DRAFT_MINUTES = env_int("KIOSK_ABANDONED_DRAFT_MINUTES", 30, minimum=1)

# --- Payment terminal ---------------------------------------------------------
# "simulator": the simulated terminal (approve, decline, timeout, cancel chosen
# on screen). A real terminal integration registers its own name.
PAYMENT_TERMINAL = env_str("KIOSK_PAYMENT_TERMINAL", "simulator")
# The kiosk gives up on a terminal that has not answered after this long: it
# asks the terminal to cancel, and the order stays open for the counter.
PAYMENT_TERMINAL_TIMEOUT_SECONDS = env_float(
    "KIOSK_PAYMENT_TERMINAL_TIMEOUT_SECONDS", 120.0
)
# Webhook signing secrets per terminal vendor, beside those set on each
# kiosk's terminal in admin (credentials "webhook_secret"): Stripe's
# endpoint secret (whsec_…) for POST /payments/stripe/webhook/.
PAYMENT_WEBHOOK_SECRETS = {"stripe": env_secret("STRIPE_WEBHOOK_SECRET", default="")}

# --- Loyalty ------------------------------------------------------------------
# Every call to a loyalty programme goes through loyalty.http with these
# timeouts. Interactive calls (identify, rewards, buy) share one budget per
# step; past it the kiosk carries on without loyalty. Postings (orders,
# claims) run in the outbox worker with their own, longer timeouts.
LOYALTY_HTTP_CONNECT_TIMEOUT = env_float("LOYALTY_HTTP_CONNECT_TIMEOUT", 0.5)
LOYALTY_HTTP_READ_TIMEOUT = env_float("LOYALTY_HTTP_READ_TIMEOUT", 2.0)
LOYALTY_INTERACTIVE_BUDGET_SECONDS = env_float(
    "LOYALTY_INTERACTIVE_BUDGET_SECONDS", 2.5
)
LOYALTY_POST_CONNECT_TIMEOUT = env_float("LOYALTY_POST_CONNECT_TIMEOUT", 1.0)
LOYALTY_POST_READ_TIMEOUT = env_float("LOYALTY_POST_READ_TIMEOUT", 5.0)
# Pongo: the local sandbox by default; OAuth client of this kiosk platform.
PONGO_BASE_URL = env_str("PONGO_BASE_URL", "http://127.0.0.1:8801")
PONGO_CLIENT_ID = env_str("PONGO_CLIENT_ID", "kiosk-sandbox")
PONGO_CLIENT_SECRET = env_secret("PONGO_CLIENT_SECRET", default="kiosk-sandbox-secret")
# RBI: the middleware's address is built from the store's region, environment
# and brand; RBI_BASE_URL overrides it (the local sandbox by default, empty for
# the real hosts). Sanity content likewise.
RBI_BASE_URL = env_str("RBI_BASE_URL", "http://127.0.0.1:8802")
RBI_SANITY_URL = env_str("RBI_SANITY_URL", "")
# Identification attempts before loyalty pauses (enumeration of members):
# per kiosk and minute, and per phone number or pass and 10 minutes.
LOYALTY_IDENTIFY_PER_KIOSK_MINUTE = env_int(
    "LOYALTY_IDENTIFY_PER_KIOSK_MINUTE", 5, minimum=1
)
LOYALTY_IDENTIFY_PER_IDENTIFIER = env_int(
    "LOYALTY_IDENTIFY_PER_IDENTIFIER", 3, minimum=1
)
# A posting whose worker died is taken again after this lease.
LOYALTY_OUTBOX_LEASE_SECONDS = env_float("LOYALTY_OUTBOX_LEASE_SECONDS", 30.0)
# A posting the programme did not take is tried again after a random delay of
# at most 2 s × 2^attempts, and never more than this.
LOYALTY_OUTBOX_BACKOFF_CAP_SECONDS = env_float(
    "LOYALTY_OUTBOX_BACKOFF_CAP_SECONDS", 300.0
)
# A worker claims this many due postings at once and writes their results in
# one transaction; what it has not called by half the lease goes back.
LOYALTY_OUTBOX_BATCH_SIZE = env_int("LOYALTY_OUTBOX_BATCH_SIZE", 50, minimum=1)
# Customers' phone numbers kept for postings are cleared once posted, on
# cancel and when a posting is given up; anything left after this many days.
LOYALTY_PHONE_RETENTION_DAYS = env_int("LOYALTY_PHONE_RETENTION_DAYS", 7, minimum=1)
# Local emulators of the loyalty programmes (demo, development, tests).
SANDBOX_PONGO_PORT = env_int("SANDBOX_PONGO_PORT", 8801, minimum=1)
SANDBOX_RBI_PORT = env_int("SANDBOX_RBI_PORT", 8802, minimum=1)
SANDBOX_ADYEN_PORT = env_int("SANDBOX_ADYEN_PORT", 8803, minimum=1)
SANDBOX_STRIPE_PORT = env_int("SANDBOX_STRIPE_PORT", 8804, minimum=1)
# Where the Stripe sandbox sends its events (signed with its fixed secret);
# empty: only to endpoints registered through its API.
SANDBOX_STRIPE_WEBHOOK_URL = env_str("SANDBOX_STRIPE_WEBHOOK_URL", "")
SANDBOX_ADYEN_WEBHOOK_URL = env_str("SANDBOX_ADYEN_WEBHOOK_URL", "")
SANDBOX_DATA_DIR = Path(env_str("SANDBOX_DATA_DIR", str(DATA_DIR / "sandboxes")))

# --- Hardware -----------------------------------------------------------------
# Each kiosk's hardware agent (scanner and receipt printer) connects to
# /ws/device/ with its device token (admin: Devices → rotate the token).
# A receipt still waiting for its printer after this long is dropped and
# marked "not printed": the customer has long had the number on screen.
HARDWARE_PRINT_JOB_EXPIRY_SECONDS = env_int(
    "HARDWARE_PRINT_JOB_EXPIRY_SECONDS", 3600, minimum=60
)
# A paid order's receipt whose loyalty posting may bring text for it (a
# guest's code to claim points, RBI) waits for it at most this long, then
# prints without it. The order number is on screen at once all the same.
HARDWARE_RECEIPT_LOYALTY_WAIT_SECONDS = env_float(
    "HARDWARE_RECEIPT_LOYALTY_WAIT_SECONDS", 3.0
)
# An agent must send its token within this many seconds of connecting.
HARDWARE_AGENT_HELLO_SECONDS = env_float("HARDWARE_AGENT_HELLO_SECONDS", 5.0)
# Scans relayed from one agent in any second; more are dropped and logged.
HARDWARE_SCANS_PER_SECOND = env_int("HARDWARE_SCANS_PER_SECOND", 10, minimum=1)
# Kiosk pages show a field to "scan" a code by hand (the demo turns it on).
HARDWARE_DEVELOPMENT_CONTROLS = env_bool("HARDWARE_DEVELOPMENT_CONTROLS", False)
# The demo's virtual printers listen from this port up (one per kiosk), with
# their control endpoints 80 ports above; the virtual scanners' control
# endpoints from HARDWARE_DEMO_SCANNER_PORT up.
HARDWARE_DEMO_PRINTER_PORT = env_int("HARDWARE_DEMO_PRINTER_PORT", 9100, minimum=1)
HARDWARE_DEMO_SCANNER_PORT = env_int("HARDWARE_DEMO_SCANNER_PORT", 9190, minimum=1)

# --- Kitchen (timers in seconds) ----------------------------------------------
# A bumped ticket can be recalled for this long.
KITCHEN_RECALL_SECONDS = env_int("KITCHEN_RECALL_SECONDS", 600, minimum=10)
# A ready number leaves the customers' board after this long, if not handed over.
KITCHEN_BOARD_READY_SECONDS = env_int("KITCHEN_BOARD_READY_SECONDS", 600, minimum=30)
# The board reloads its numbers this often (for numbers leaving by time).
KITCHEN_BOARD_REFRESH_SECONDS = env_int("KITCHEN_BOARD_REFRESH_SECONDS", 30, minimum=5)
# The estimated wait is the average preparation of the orders ready in this window.
KITCHEN_ESTIMATE_MINUTES = env_int("KITCHEN_ESTIMATE_MINUTES", 30, minimum=1)

# --- Demo ---------------------------------------------------------------------
DEMO_HOST = env_str("KIOSK_DEMO_HOST", "127.0.0.1")
DEMO_PORT = env_int("KIOSK_DEMO_PORT", 8000, minimum=1)

# --- Logging ------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("KIOSK_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.channels.server": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
        # The Stripe library logs every request at INFO: the payment screen
        # polls each second.
        "stripe": {"level": "WARNING"},
    },
}
