import pytest

from aftercare.messaging.outbound.tests.fakes import (
    SMTP_PASSWORD,
    SMTP_USER,
    AuthSmtpServer,
    FakeApi,
    kavenegar,
)


@pytest.fixture(autouse=True)
def _loopback_allowed(settings):
    """The fake servers listen on loopback, which organizations may not reach by default."""
    settings.OUTBOUND_PRIVATE_HOSTS_ALLOWED = True


@pytest.fixture
def smtp_auth():
    server = AuthSmtpServer(username=SMTP_USER, password=SMTP_PASSWORD).start()
    yield server
    server.stop()


@pytest.fixture
def gateway_api():
    """A fake SMS gateway; set `.answer` to change what it says (Kavenegar's success by
    default)."""
    api = FakeApi(kavenegar).start()
    yield api
    api.stop()
