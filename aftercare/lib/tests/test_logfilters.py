"""Tokens in addresses never reach the logs: uvicorn's access log and Django's warnings about
4xx answers write `[secret]` where a sign-in, password, answer or webhook token was."""

import logging
import logging.config

import pytest
import uvicorn
from django.conf import settings
from django.test import Client

from aftercare.lib.logfilters import RedactSecrets, redact, with_log_filters

TOKEN = "Zq3-vX9_kLm2Pq8rTs4uVw5xYz6AbC7dEf8GhI9jK0"


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        (f"/portal/demo/login/{TOKEN}/", "/portal/demo/login/[secret]/"),
        (
            f"/portal/demo/answer/{TOKEN}/?choice=solved",
            "/portal/demo/answer/[secret]/?choice=solved",
        ),
        (f"/portal/demo/unsubscribe/{TOKEN}/", "/portal/demo/unsubscribe/[secret]/"),
        (f"/accounts/password/reset/MTI/{TOKEN}/", "/accounts/password/reset/MTI/[secret]/"),
        (f"/accounts/invitation/MTI/{TOKEN}/", "/accounts/invitation/MTI/[secret]/"),
        (f"/accounts/email/confirm/{TOKEN}:1vX:abc/", "/accounts/email/confirm/[secret]/"),
        (f"/hooks/sms/{TOKEN}/", "/hooks/sms/[secret]/"),
        # Short segments are pages, not tokens.
        ("/portal/demo/login/sent/", "/portal/demo/login/sent/"),
        ("/portal/demo/login/", "/portal/demo/login/"),
        ("/requests/301/", "/requests/301/"),
    ],
)
def test_secret_segments_are_masked(path, logged):
    assert redact(path) == logged
    assert redact(f'127.0.0.1:5000 - "GET {path} HTTP/1.1" 200') == (
        f'127.0.0.1:5000 - "GET {logged} HTTP/1.1" 200'
    )


def test_the_filter_masks_arguments_of_either_shape():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/portal/demo/login/{TOKEN}/", "1.1", 200),
        None,
    )
    assert RedactSecrets().filter(record)
    assert TOKEN not in record.getMessage()
    assert record.getMessage() == '127.0.0.1:5000 - "GET /portal/demo/login/[secret]/ HTTP/1.1" 200'
    named = logging.LogRecord("x", logging.INFO, "", 0, "%(path)s", (), None)
    named.args = {"path": f"/hooks/sms/{TOKEN}/", "n": 1}
    RedactSecrets().filter(named)
    assert named.args == {"path": "/hooks/sms/[secret]/", "n": 1}


def test_djangos_warning_about_a_bad_link_shows_no_token(org, capfd):
    """A wrong or spent link answers 400 or 410, which Django logs with its path."""
    logging.config.dictConfig(settings.LOGGING)
    capfd.readouterr()
    assert Client().get(f"/portal/{org.slug}/login/{TOKEN}/").status_code == 400
    logged = capfd.readouterr().err
    assert f"Bad Request: /portal/{org.slug}/login/[secret]/" in logged
    assert TOKEN not in logged


def test_uvicorns_access_log_shows_no_token(capfd):
    """`serve` gives uvicorn its own logging configuration with the filter on every handler."""
    config = with_log_filters(uvicorn.config.LOGGING_CONFIG)
    assert all("redact_secrets" in handler["filters"] for handler in config["handlers"].values())
    assert "filters" not in uvicorn.config.LOGGING_CONFIG["handlers"]["access"]
    logging.config.dictConfig(config)
    try:
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1:5000",
            "GET",
            f"/portal/demo/login/{TOKEN}/",
            "1.1",
            200,
        )
        logged = capfd.readouterr().out
    finally:
        logging.config.dictConfig(settings.LOGGING)
    assert '"GET /portal/demo/login/[secret]/ HTTP/1.1" 200' in logged
    assert TOKEN not in logged
