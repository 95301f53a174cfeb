"""Fawang settings: one module, configured by environment variables.

Every setting a deployment may change is read from a ``FAWANG_*`` variable here, with a
default that runs a single-machine demo on SQLite. See docs/deployment.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from fawang.env import env_bool, env_rate

BASE_DIR = Path(__file__).resolve().parent
# Runtime state (SQLite files, uploads, huey queue) lives outside the package.
VAR_DIR = Path(os.environ.get("FAWANG_VAR_DIR", Path.cwd() / "var")).resolve()


DEBUG = env_bool("FAWANG_DEBUG", False)
TESTING = env_bool("FAWANG_TESTING", False)
# The demo key is only for local runs; a deployment must set FAWANG_SECRET_KEY.
DEMO_SECRET_KEY = "fawang-insecure-demo-key-change-me-in-production"
SECRET_KEY = os.environ.get("FAWANG_SECRET_KEY", DEMO_SECRET_KEY)
# Key for personal data encrypted at rest (Fernet, urlsafe base64, 32 bytes). Several keys may
# be given separated by commas: the first encrypts, all decrypt (key rotation).
DEMO_PII_KEY = "ZmF3YW5nLWRlbW8tcGlpLWtleS0zMi1ieXRlcy0hISE="
PII_KEYS = [k.strip() for k in os.environ.get("FAWANG_PII_KEYS", DEMO_PII_KEY).split(",") if k.strip()]
# Key of the HMAC blind index used for exact lookups of encrypted ID numbers and phones. It must
# never change when PII_KEYS rotate; unset, it falls back to the oldest PII key (see core/pii.py).
PII_BLIND_INDEX_KEY = os.environ.get("FAWANG_PII_BLIND_INDEX_KEY", "")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("FAWANG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("FAWANG_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "huey.contrib.djhuey",
    # Fawang apps: one domain concept each (see docs/architecture.md).
    "fawang.core",
    "fawang.regions",
    "fawang.accounts",
    "fawang.directory",
    # knowledge before the business lines: their demo data cites articles.
    "fawang.knowledge",
    "fawang.catalog",
    "fawang.cases",
    "fawang.legalaid",
    "fawang.mediation",
    "fawang.consultation",
    "fawang.complaints",
    "fawang.portal",
    "fawang.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Users with a confirmed TOTP device must enter a token before any staff page or API call.
    "fawang.core.middleware.OTPEnforcementMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fawang.core.middleware.AuditContextMiddleware",
    # axes must be last: it inspects the response of the login views.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"

ROOT_URLCONF = "fawang.urls"
WSGI_APPLICATION = "fawang.wsgi.application"

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
                "fawang.core.context_processors.platform",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)

# Django's cache holds what the processes of a node should agree on: rate-limit counters, the
# case-progress lookup lockout, the WeChat access token. The default memory cache is per process
# (a limit then counts per web worker); FAWANG_CACHE_URL=redis://… shares it between workers and hosts.
_cache_url = os.environ.get("FAWANG_CACHE_URL", "")
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url,
                          "KEY_PREFIX": "fawang"}}
elif _cache_url:
    raise ImproperlyConfigured("FAWANG_CACHE_URL must be a redis://, rediss:// or unix:// URL")

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("FAWANG_DATABASE_URL", f"sqlite:///{VAR_DIR / 'fawang.sqlite3'}"),
        conn_max_age=int(os.environ.get("FAWANG_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the huey worker share one file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # The huey worker checkpoints the WAL every minute (``core.services.sqlite_wal_checkpoint``);
        # the automatic checkpoint inside a commit is only a safety net, at 10,000 pages (~40 MB)
        # instead of SQLite's 1,000, where it cost half of a case intake's commit.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        f"PRAGMA wal_autocheckpoint={int(os.environ.get('FAWANG_SQLITE_WAL_AUTOCHECKPOINT', '10000'))};",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("FAWANG_DB_CONN_MAX_AGE", "60"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Development and tests serve static files straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

# Login lockout (django-axes): five failures lock the username+IP pair for one hour.
AXES_FAILURE_LIMIT = int(os.environ.get("FAWANG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("FAWANG_AXES_ENABLED", True)
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"

# Background jobs: huey, SQLite storage by default; FAWANG_HUEY_REDIS_URL switches to Redis.
HUEY_IMMEDIATE = env_bool("FAWANG_HUEY_IMMEDIATE", TESTING)
if os.environ.get("FAWANG_HUEY_REDIS_URL"):
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "fawang",
        "url": os.environ["FAWANG_HUEY_REDIS_URL"],
        "immediate": HUEY_IMMEDIATE,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "fawang",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }
TASKS = {"default": {"BACKEND": "fawang.core.tasks_backend.HueyBackend"}}
# After a commit that queued notifications, at most one immediate dispatcher run is enqueued per
# this many seconds (later commits in the window share one deferred run); 0 = one per commit.
OUTBOX_KICK_COALESCE_SECONDS = 0.0 if HUEY_IMMEDIATE else float(
    os.environ.get("FAWANG_OUTBOX_KICK_COALESCE_SECONDS", "1.0"))

# Notifications leave through the outbox; the console adapter prints them (development).
FAWANG_NOTIFICATION_ADAPTERS = {
    "sms": os.environ.get("FAWANG_SMS_ADAPTER", "fawang.core.notifications.ConsoleAdapter"),
    # With the account's AppSecret, WeChat notices are pushed as customer-service messages.
    "wechat": os.environ.get("FAWANG_WECHAT_ADAPTER", "fawang.portal.wechat_push.WechatCustomerMessageAdapter"
                             if os.environ.get("FAWANG_WECHAT_APP_SECRET") else "fawang.core.notifications.ConsoleAdapter"),
    "site": "fawang.core.notifications.SiteMessageAdapter",
}

# The WeChat official account (掌上12348) whose server URL is /wechat/: the token set in its
# 服务器配置, and for 安全模式 its AppID and EncodingAESKey. Without a token the endpoint is off (404).
FAWANG_WECHAT_TOKEN = os.environ.get("FAWANG_WECHAT_TOKEN", "")
FAWANG_WECHAT_APP_ID = os.environ.get("FAWANG_WECHAT_APP_ID", "")
FAWANG_WECHAT_AES_KEY = os.environ.get("FAWANG_WECHAT_AES_KEY", "")
# The AppSecret lets the platform write to followers first (客服消息: late answers, staff replies,
# case results); FAWANG_WECHAT_API_BASE is WeChat's API root (changed only for tests).
FAWANG_WECHAT_APP_SECRET = os.environ.get("FAWANG_WECHAT_APP_SECRET", "")
FAWANG_WECHAT_API_BASE = os.environ.get("FAWANG_WECHAT_API_BASE", "https://api.weixin.qq.com/cgi-bin/")
# A template message (模板消息) of the account for case notices once a follower's 48 hours are over:
# its template id, and which of subject, body, number, time, platform fills each of its keys.
FAWANG_WECHAT_NOTICE_TEMPLATE = os.environ.get("FAWANG_WECHAT_NOTICE_TEMPLATE", "")
FAWANG_WECHAT_NOTICE_TEMPLATE_FIELDS = os.environ.get(
    "FAWANG_WECHAT_NOTICE_TEMPLATE_FIELDS", "thing1=subject,character_string2=number,thing3=body,time4=time")
# F16: each county's hot topics mass-sent to its followers on the 1st of the month (uses one of
# the 4 mass messages WeChat allows per follower and month); needs the AppSecret.
FAWANG_WECHAT_HOT_TOPICS_PUSH = env_bool("FAWANG_WECHAT_HOT_TOPICS_PUSH", True)
# The site's public address (https://12348.example.gov.cn), for links in messages sent outside a
# request (the monthly hot topics); without it those messages carry no link.
FAWANG_PUBLIC_URL = os.environ.get("FAWANG_PUBLIC_URL", "")

# Rate limits per client on public writes (fawang.core.throttle): "COUNT/SECONDS", or 0 for none.
# FAWANG_TRUSTED_PROXIES: how many reverse proxies in front append to X-Forwarded-For (0 = none).
FAWANG_TRUSTED_PROXIES = int(os.environ.get("FAWANG_TRUSTED_PROXIES", "0") or 0)
FAWANG_THROTTLE = {
    scope: limit for scope in ("consult", "callback")
    if (limit := env_rate(f"FAWANG_THROTTLE_{scope.upper()}")) is not None
}

# The province this node serves and the demo region it is shipped with.
FAWANG_PLATFORM_NAME = os.environ.get("FAWANG_PLATFORM_NAME", "12348河南法网")
FAWANG_HOTLINE = "12348"

# Optional LLM (OpenAI-compatible) used only to phrase answers grounded in retrieved articles.
FAWANG_LLM_BASE_URL = os.environ.get("FAWANG_LLM_BASE_URL", "")
FAWANG_LLM_API_KEY = os.environ.get("FAWANG_LLM_API_KEY", "")
FAWANG_LLM_MODEL = os.environ.get("FAWANG_LLM_MODEL", "")
# Working days a lawyer or expert has to answer each round of an escalated consultation.
FAWANG_CONSULT_ROUND_DAYS = int(os.environ.get("FAWANG_CONSULT_ROUND_DAYS", "2"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FAWANG_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
