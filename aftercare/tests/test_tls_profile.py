"""The TLS profile (finding 7 of the outside review: no HSTS, no secure cookies, nothing said of
TLS): on when SITE_URL is https://, checked by Django's own `check --deploy`."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings
from django.test import Client

from aftercare.lib.testing import PASSWORD

REPO = Path(__file__).resolve().parents[2]


def _deploy_check(tmp_path, **extra) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "HTTPS", "SESSION_COOKIE_SECURE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="aftercare.settings",
        AFTERCARE_VAR_DIR=str(tmp_path),
        SITE_URL="https://support.example.com",
        ALLOWED_HOSTS="support.example.com",
        SECRET_KEY=secrets.token_urlsafe(50),
        EMAIL_URL="smtp+starttls://mailer:secret@mail.example.com:587",
        DEBUG="0",
        **extra,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout + result.stderr


def test_check_deploy_leaves_only_the_domain_wide_choices(tmp_path):
    output = _deploy_check(tmp_path)
    # What stays is the operator's to decide: HSTS for every subdomain, and the preload list.
    assert "security.W005" in output and "security.W021" in output
    for code in ("W004", "W008", "W009", "W012", "W016", "W018", "W020", "W019", "E001"):
        assert code not in output, output
    clean = _deploy_check(
        tmp_path, SECURE_HSTS_INCLUDE_SUBDOMAINS="true", SECURE_HSTS_PRELOAD="true"
    )
    assert "System check identified no issues" in clean, clean


def test_over_tls_cookies_are_secure_and_hsts_is_sent(settings, bob_agent):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    plain = Client().get("/accounts/login/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/accounts/login/"
    client = Client()
    page = client.get("/accounts/login/", secure=True)
    assert page["Strict-Transport-Security"] == "max-age=31536000"
    assert page.cookies["csrftoken"]["secure"] is True
    signed_in = client.post(
        "/accounts/login/",
        {"email": "bob@demo.example", "password": PASSWORD},
        secure=True,
    )
    assert signed_in.status_code == 302
    assert signed_in.cookies["sessionid"]["secure"] is True
    assert signed_in.cookies["sessionid"]["httponly"] is True


def test_plain_http_by_default():
    # The default (SITE_URL on http://, as `make run` serves): nothing forces TLS.
    assert django_settings.SECURE_SSL_REDIRECT is False
    assert django_settings.SECURE_HSTS_SECONDS == 0
