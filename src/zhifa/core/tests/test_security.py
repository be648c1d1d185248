"""Security baseline: Argon2, login lockout, production refuses unsafe settings."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

from zhifa.orgs.tests.factories import UserFactory


def test_argon2_is_the_production_hasher():
    # Test settings swap in a fast hasher; the real settings must put Argon2 first.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhifa.settings"}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            "print(settings.PASSWORD_HASHERS[0])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"
    encoded = Argon2PasswordHasher().encode("correct-horse-battery", "saltsaltsalt")
    assert encoded.startswith("argon2$argon2id$")


def test_password_validators_are_on():
    names = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(client):
    UserFactory(username="zhangwei")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/staff/login/", {"username": "zhangwei", "password": "wrong"})
        assert response.status_code == 200
        assert (
            "请输入一个正确的" in response.content.decode() or "不正确" in response.content.decode()
        )
    # The failure that reaches the limit locks the account.
    response = client.post("/staff/login/", {"username": "zhangwei", "password": "wrong"})
    assert response.status_code == 429
    # Now even the right password is refused until the cool-off or an admin unlocks.
    response = client.post(
        "/staff/login/", {"username": "zhangwei", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "账户已暂时锁定" in response.content.decode()


@pytest.mark.django_db
def test_correct_password_logs_in(client):
    UserFactory(username="lina")
    response = client.post(
        "/staff/login/", {"username": "lina", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response["Location"] == "/staff/"


def _start(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    env.update(
        {"DJANGO_SETTINGS_MODULE": "zhifa.settings", "ZHIFA_DATA_DIR": settings.DATA_DIR.as_posix()}
    )
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _start({"ZHIFA_ENV": "production", "ZHIFA_ALLOWED_HOSTS": "zhifa.example.cn"})
    assert result.returncode != 0
    assert "必须设置 ZHIFA_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = _start(
        {
            "ZHIFA_ENV": "production",
            "ZHIFA_DEBUG": "true",
            "ZHIFA_SECRET_KEY": "k" * 60,
            "ZHIFA_ALLOWED_HOSTS": "zhifa.example.cn",
        }
    )
    assert result.returncode != 0
    assert "不能开启调试模式" in result.stderr


def test_production_with_good_settings_starts_with_secure_cookies_and_hsts():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s;"
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)",
        ],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")},
            "DJANGO_SETTINGS_MODULE": "zhifa.settings",
            "ZHIFA_ENV": "production",
            "ZHIFA_SECRET_KEY": "k" * 60,
            "ZHIFA_ALLOWED_HOSTS": "zhifa.example.cn",
            "ZHIFA_LEDGER_KEY_FILE": "/run/secrets/zhifa-log.key",
            "ZHIFA_QR_KEY_FILE": "/run/secrets/zhifa-qr.key",
            "ZHIFA_DATA_DIR": settings.DATA_DIR.as_posix(),
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "False"]


def test_development_keeps_a_generated_secret_in_the_data_dir():
    key_file = settings.DATA_DIR / "secret_key"
    assert key_file.exists() and key_file.read_text().strip() == settings.SECRET_KEY


def test_production_refuses_to_generate_a_ledger_key():
    result = _start(
        {
            "ZHIFA_ENV": "production",
            "ZHIFA_SECRET_KEY": "k" * 60,
            "ZHIFA_ALLOWED_HOSTS": "zhifa.example.cn",
        }
    )
    assert result.returncode != 0 and "ZHIFA_LEDGER_KEY_FILE" in result.stderr


def test_unknown_env_value_is_refused():
    result = _start({"ZHIFA_ENV": "staging"})
    assert result.returncode != 0 and "ZHIFA_ENV" in result.stderr
