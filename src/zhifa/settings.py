"""Settings for zhifa, read from the environment.

Every value comes from an environment variable through the strict helpers
below; a bad production value stops the process with a message that says
which variable is wrong and why (see README, "配置").
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"环境变量 {name} 的值 {raw!r} 无法识别：请使用 true 或 false。")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ZHIFA_ENV = env_str("ZHIFA_ENV", "development")
if ZHIFA_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"环境变量 ZHIFA_ENV 的值 {ZHIFA_ENV!r} 无效：只能是 development 或 production。"
    )
PRODUCTION = ZHIFA_ENV == "production"

# Every file the platform writes lives under the data dir (database, blobs,
# the generated secret key, logs).
DATA_DIR = Path(env_str("ZHIFA_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("ZHIFA_DEBUG", default=not PRODUCTION)


def _secret_key() -> str:
    key = env_str("ZHIFA_SECRET_KEY")
    if key:
        if PRODUCTION and len(key) < 50:
            raise ImproperlyConfigured("ZHIFA_SECRET_KEY 太短：生产环境的密钥至少需要 50 个字符。")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "生产环境（ZHIFA_ENV=production）必须设置 ZHIFA_SECRET_KEY；"
            "为防止会话被伪造，平台拒绝在没有密钥的情况下启动。"
        )
    # Embedded default: generate once, keep it in the data dir so sessions
    # survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "生产环境（ZHIFA_ENV=production）不能开启调试模式：调试页面会泄露配置和数据。"
        "请删除 ZHIFA_DEBUG 或设为 false。"
    )

ALLOWED_HOSTS = env_list("ZHIFA_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("生产环境必须设置 ZHIFA_ALLOWED_HOSTS（以逗号分隔的域名）。")
CSRF_TRUSTED_ORIGINS = env_list("ZHIFA_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "zhifa.core",
    "zhifa.jobs",
    "zhifa.workdays",
    "zhifa.rules",
    "zhifa.orgs",
    "zhifa.ledger",
    "zhifa.officers",
    "zhifa.catalog",
    "zhifa.cases",
    "zhifa.review",
    "zhifa.disclosure",
    "zhifa.portal",
    "zhifa.demo",
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
    "axes.middleware.AxesMiddleware",
    "zhifa.core.access.AccessMiddleware",
]

ROOT_URLCONF = "zhifa.urls"
WSGI_APPLICATION = "zhifa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhifa.core.context_processors.platform",
                "zhifa.portal.context_processors.portal_nav",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'zhifa.sqlite3'}",
        conn_max_age=int(env_str("ZHIFA_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers continue while a writer commits; IMMEDIATE takes the
    # write lock at BEGIN so two writers queue instead of failing mid-way.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # FULL: an acknowledged ledger entry survives power loss, not only
            # a process crash (ledger.md §4.4).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock an account/IP pair after repeated
# failures; an administrator unlocks it in the admin or it cools off.
AXES_FAILURE_LIMIT = int(env_str("ZHIFA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env_str("ZHIFA_LOGIN_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env_str("ZHIFA_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("ZHIFA_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "blobs"

# Storage: the filesystem under the data dir by default; an S3-compatible
# store (evidence bucket) when ZHIFA_STORAGE=s3.
ZHIFA_STORAGE = env_str("ZHIFA_STORAGE", "filesystem")
if ZHIFA_STORAGE == "filesystem":
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
elif ZHIFA_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("ZHIFA_S3_BUCKET"),
            "endpoint_url": env_str("ZHIFA_S3_ENDPOINT_URL") or None,
            "access_key": env_str("ZHIFA_S3_ACCESS_KEY_ID"),
            "secret_key": env_str("ZHIFA_S3_SECRET_ACCESS_KEY"),
            "region_name": env_str("ZHIFA_S3_REGION") or None,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "file_overwrite": False,
            "default_acl": None,
            # Spool big objects to disk when opened instead of holding them in memory.
            "max_memory_size": 2621440,
        },
    }
    if not _default_storage["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("ZHIFA_STORAGE=s3 时必须设置 ZHIFA_S3_BUCKET。")
else:
    raise ImproperlyConfigured(
        f"环境变量 ZHIFA_STORAGE 的值 {ZHIFA_STORAGE!r} 无效：只能是 filesystem 或 s3。"
    )
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ZHIFA_LOG_LEVEL", "WARNING")},
}

# The platform's name as shown in page titles and printed documents.
ZHIFA_PLATFORM_NAME = env_str("ZHIFA_PLATFORM_NAME", "行政执法综合管理平台")

# The ledger (全过程记录). The origin names the log in every signed
# checkpoint; the hash is fixed when the log is created.
ZHIFA_LEDGER_ORIGIN = env_str("ZHIFA_LEDGER_ORIGIN", "zhifa.local/ledger")
ZHIFA_LEDGER_HASH = env_str("ZHIFA_LEDGER_HASH", "sha256")
if ZHIFA_LEDGER_HASH not in {"sha256", "sm3"}:
    raise ImproperlyConfigured(
        f"环境变量 ZHIFA_LEDGER_HASH 的值 {ZHIFA_LEDGER_HASH!r} 无效：只能是 sha256 或 sm3。"
    )
# The log's signing key: generated into the data dir on first use in the
# embedded default; production points this at a key file it provisions.
ZHIFA_LEDGER_KEY_FILE = Path(env_str("ZHIFA_LEDGER_KEY_FILE") or DATA_DIR / "ledger" / "log.key")
if PRODUCTION and not env_str("ZHIFA_LEDGER_KEY_FILE"):
    raise ImproperlyConfigured(
        "生产环境必须设置 ZHIFA_LEDGER_KEY_FILE（检查点签名私钥文件），私钥不得自动生成或存入数据库。"
    )
# Checkpoints: how often the worker signs a new tree head (only if it grew).
ZHIFA_CHECKPOINT_INTERVAL = int(env_str("ZHIFA_CHECKPOINT_INTERVAL", "60"))
# A witness run by this instance (e.g. the supervising justice bureau's):
# its name and key file. Empty name: this instance runs no witness.
ZHIFA_WITNESS_NAME = env_str("ZHIFA_WITNESS_NAME", "" if PRODUCTION else "zhifa.local/witness")
ZHIFA_WITNESS_KEY_FILE = Path(
    env_str("ZHIFA_WITNESS_KEY_FILE") or DATA_DIR / "ledger" / "witness.key"
)
# Evidence uploads: size limit and the media types accepted (checked by
# content, not by file name).
ZHIFA_EVIDENCE_MAX_BYTES = int(env_str("ZHIFA_EVIDENCE_MAX_BYTES", str(4 * 1024**3)))

# Official documents (执法文书): font families in order of preference (agencies
# install their licensed 仿宋_GB2312); PDF engine auto = LibreOffice when
# installed (the PDF of the very DOCX issued), else WeasyPrint.
ZHIFA_DOCUMENT_FONTS = env_list(
    "ZHIFA_DOCUMENT_FONTS", "FangSong_GB2312,FangSong,Noto Serif CJK SC"
)
ZHIFA_DOCUMENT_PDF_ENGINE = env_str("ZHIFA_DOCUMENT_PDF_ENGINE", "auto")
ZHIFA_DOCUMENT_PDF_TIMEOUT = int(env_str("ZHIFA_DOCUMENT_PDF_TIMEOUT", "120"))
ZHIFA_EVIDENCE_TYPES = env_list(
    "ZHIFA_EVIDENCE_TYPES",
    "image/jpeg,image/png,image/heic,image/webp,video/mp4,video/quicktime,video/webm,"
    "audio/mpeg,audio/mp4,audio/wav,audio/amr,application/pdf",
)

# Officers: the key that signs the QR codes printed on certificates. Losing
# it makes every printed card read as forged, so production provisions it.
ZHIFA_QR_KEY_FILE = Path(env_str("ZHIFA_QR_KEY_FILE") or DATA_DIR / "officers" / "qr.key")
if PRODUCTION and not env_str("ZHIFA_QR_KEY_FILE"):
    raise ImproperlyConfigured("生产环境必须设置 ZHIFA_QR_KEY_FILE（执法证件二维码签名私钥文件）。")
# The public address printed in QR codes; without it the request's host is used.
ZHIFA_PUBLIC_URL = env_str("ZHIFA_PUBLIC_URL")
# Reverse proxies in front of the app (for the client address the verify
# page's rate limit counts); 0 when clients connect directly.
ZHIFA_TRUSTED_PROXY_COUNT = int(env_str("ZHIFA_TRUSTED_PROXY_COUNT", "0"))

# The JSON API (/api/v1/, zhifa.core.api): a token (`zhifa api_token USER`)
# for mobile apps and integrations, the staff session for the browser. Every
# view declares who may use it; an undeclared one is refused.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["zhifa.core.api_defaults.DeclaredAccess"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "zhifa.core.api_defaults.Pagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "zhifa.core.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{ZHIFA_PLATFORM_NAME} API",
    "DESCRIPTION": (
        "办案接口：程序定义、案件登记与办理、证据、文书。认证：请求头 "
        "Authorization: Token <令牌>（令牌由管理员用 zhifa api_token 用户名 签发），"
        "或浏览器中已登录的会话。错误信息均为中文：400 返回 {errors: {字段: [信息]}}，"
        "409 返回 {detail, refusals: [{guard, message, citation}]}。"
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PartyKindEnum": "zhifa.cases.models.Party.Kind",
        "EvidenceKindEnum": "zhifa.cases.models.EvidenceKind",
    },
}

# Disclosure (事后公开). The penalised natural person's name on the portal:
# "mask" (张某某) or "keep" (rules.md PUB-08 removes only other persons' names;
# PUB-10 publishes the name in counterfeit cases). Search backend: auto
# follows the database (SQLite FTS5 / PostgreSQL tsvector + GIN).
ZHIFA_DISCLOSURE_PARTY_NAME = env_str("ZHIFA_DISCLOSURE_PARTY_NAME", "mask")
if ZHIFA_DISCLOSURE_PARTY_NAME not in {"mask", "keep"}:
    raise ImproperlyConfigured(
        f"环境变量 ZHIFA_DISCLOSURE_PARTY_NAME 的值 {ZHIFA_DISCLOSURE_PARTY_NAME!r} 无效：只能是 mask 或 keep。"
    )
ZHIFA_SEARCH_BACKEND = env_str("ZHIFA_SEARCH_BACKEND", "auto")
if ZHIFA_SEARCH_BACKEND not in {"auto", "sqlite", "postgresql"}:
    raise ImproperlyConfigured(
        f"环境变量 ZHIFA_SEARCH_BACKEND 的值 {ZHIFA_SEARCH_BACKEND!r} 无效：只能是 auto、sqlite 或 postgresql。"
    )
# Publication periods by category (zhifa.disclosure.periods), e.g.
# "penalty=disclosure.period_general,penalty_natural=disclosure.period_local_natural".
ZHIFA_DISCLOSURE_PERIOD_RULES = dict(
    item.split("=", 1) for item in env_list("ZHIFA_DISCLOSURE_PERIOD_RULES") if "=" in item
)
