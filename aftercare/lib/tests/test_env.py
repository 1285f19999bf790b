"""Settings read from the environment: the email URL names a mailer, or stops the start."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from aftercare.lib.env import mailer_from_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_plain_smtp_with_a_percent_encoded_user_and_password():
    mailer = mailer_from_url("smtp://support%40shop.example:p%40ss%3Aword@mail.example:2525")

    assert mailer == {
        "BACKEND": SMTP,
        "OPTIONS": {
            "host": "mail.example",
            "port": 2525,
            "timeout": 10.0,
            "username": "support@shop.example",
            "password": "p@ss:word",
        },
    }


def test_starttls_and_implicit_tls_take_their_usual_ports_and_a_timeout():
    starttls = mailer_from_url("smtp+starttls://u:p@mail.example?timeout=3")["OPTIONS"]
    implicit = mailer_from_url("smtps://u:p@mail.example")["OPTIONS"]

    assert (starttls["port"], starttls["use_tls"], starttls["timeout"]) == (587, True, 3.0)
    assert (implicit["port"], implicit["use_ssl"]) == (465, True)
    assert "use_ssl" not in starttls and "use_tls" not in implicit
    assert mailer_from_url("smtp://relay")["OPTIONS"] == {
        "host": "relay",
        "port": 25,
        "timeout": 10.0,
    }


def test_files_console_and_memory():
    assert mailer_from_url("file:///var/mail/out")["OPTIONS"] == {"file_path": "/var/mail/out"}
    assert mailer_from_url("console://")["BACKEND"].endswith("console.EmailBackend")
    assert mailer_from_url("locmem://")["BACKEND"].endswith("locmem.EmailBackend")


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("smtpx://mail.example", "unknown scheme 'smtpx'"),
        ("mail.example:25", "unknown scheme"),
        ("smtp://", "must name the mail server"),
        ("smtp://mail.example:notaport", "not a valid URL"),
        ("smtp://mail.example?timeout=soon", "timeout must be a number"),
        ("file://", "must name a directory"),
    ],
)
def test_a_url_that_names_no_mailer_stops_the_start_and_says_why(url, says):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL") as error:
        mailer_from_url(url)
    assert says in str(error.value)
