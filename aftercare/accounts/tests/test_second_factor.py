"""The second factor for staff (issue 11): an authenticator app's codes (each good once),
recovery codes (each good once, replaced as a set), failures limited like passwords, and
organizations that require one of their admins and supervisors, also for API tokens and the
Django admin's sign-in."""

import time

import pyotp
import pytest
from django.test import RequestFactory

from aftercare.accounts.admin import StaffAdminLoginForm
from aftercare.accounts.models import Organization, RecoveryCode, TotpDevice
from aftercare.accounts.services import api_token_obtain
from aftercare.accounts.services.second_factor import (
    organization_second_factor_require,
    recovery_codes_left,
    recovery_codes_regenerate,
    second_factor_enabled,
    second_factor_required,
    second_factor_verify,
    totp_disable,
    totp_enrol_confirm,
    totp_enrol_start,
)
from aftercare.lib.errors import ApplicationError
from aftercare.lib.testing import PASSWORD

IP = "198.51.100.7"


def enrol(user) -> tuple[pyotp.TOTP, list[str]]:
    """Set up an authenticator for `user` as they would: the app's first code confirms it."""
    totp = pyotp.TOTP(totp_enrol_start(user=user).secret)
    codes = totp_enrol_confirm(user=user, code=totp.now(), ip=IP)
    return totp, codes


def later_code(totp: pyotp.TOTP) -> str:
    """The code of the next time step (accepted: clocks drift by one step)."""
    return totp.at(time.time() + 30)


def test_an_app_is_on_only_once_a_code_from_it_was_checked(bob_agent):
    enrolment = totp_enrol_start(user=bob_agent)
    assert not second_factor_enabled(user=bob_agent)
    device = TotpDevice.objects.get(user=bob_agent)
    # Sealed at rest: the database holds no readable secret.
    assert enrolment.secret not in device.secret_sealed
    assert enrolment.uri.startswith("otpauth://totp/aftercare:bob%40demo.example?secret=")
    assert "<svg" in enrolment.qr_svg
    with pytest.raises(ApplicationError, match="not right") as error:
        totp_enrol_confirm(user=bob_agent, code="000000", ip=IP)
    assert error.value.field == "code"
    assert not second_factor_enabled(user=bob_agent)

    codes = totp_enrol_confirm(user=bob_agent, code=pyotp.TOTP(enrolment.secret).now(), ip=IP)
    assert second_factor_enabled(user=bob_agent)
    assert len(codes) == 10 == len(set(codes)) == recovery_codes_left(user=bob_agent)
    # Only hashes of the recovery codes are kept.
    hashes = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not {code.replace("-", "") for code in codes} & hashes
    with pytest.raises(ApplicationError, match="already set up"):
        totp_enrol_start(user=bob_agent)


def test_each_code_signs_in_once(bob_agent):
    totp, _codes = enrol(bob_agent)
    # The enrolment's own code was spent; the next step's code works once.
    assert second_factor_verify(user=bob_agent, code=totp.now(), ip=IP) is False
    code = later_code(totp)
    assert second_factor_verify(user=bob_agent, code=code, ip=IP) is True
    assert second_factor_verify(user=bob_agent, code=code, ip=IP) is False
    # A code from long ago or far ahead is refused.
    assert second_factor_verify(user=bob_agent, code=totp.at(time.time() + 300), ip=IP) is False


def test_recovery_codes_work_once_and_new_ones_replace_them(bob_agent):
    _totp, codes = enrol(bob_agent)
    first = codes[0]
    # Typed in capitals, with spaces instead of the dash.
    assert second_factor_verify(user=bob_agent, code=first.upper().replace("-", " "), ip=IP)
    assert not second_factor_verify(user=bob_agent, code=first, ip=IP)
    assert recovery_codes_left(user=bob_agent) == 9
    fresh = recovery_codes_regenerate(user=bob_agent)
    assert not second_factor_verify(user=bob_agent, code=codes[1], ip=IP)
    assert second_factor_verify(user=bob_agent, code=fresh[0], ip=IP)
    # Replaced codes are kept (retired), never deleted.
    assert RecoveryCode.objects.filter(user=bob_agent).count() == 20


def test_wrong_codes_are_limited_like_passwords(bob_agent, settings):
    settings.SIGN_IN_MAX_PER_EMAIL = 3
    totp, _codes = enrol(bob_agent)
    for _ in range(3):
        assert second_factor_verify(user=bob_agent, code="123456", ip=IP) is False
    with pytest.raises(ApplicationError, match="Too many wrong codes") as error:
        second_factor_verify(user=bob_agent, code=later_code(totp), ip=IP)
    assert error.value.code == "rate_limited"


def test_turning_it_off_retires_the_codes(bob_agent):
    _totp, codes = enrol(bob_agent)
    totp_disable(user=bob_agent)
    assert not second_factor_enabled(user=bob_agent)
    assert not second_factor_verify(user=bob_agent, code=codes[0], ip=IP)


def test_an_organization_requires_it_of_admins_and_supervisors_only(
    org, alice_admin, sam_supervisor, bob_agent, charlie_other_org
):
    assert not second_factor_required(user=alice_admin)
    organization_second_factor_require(organization=org, required=True)
    assert Organization.objects.get(pk=org.pk).require_second_factor
    assert second_factor_required(user=alice_admin)
    assert second_factor_required(user=sam_supervisor)
    assert not second_factor_required(user=bob_agent)
    assert not second_factor_required(user=charlie_other_org)


def test_api_tokens_need_the_code_of_an_account_that_has_an_app(org, bob_agent):
    totp, _codes = enrol(bob_agent)
    with pytest.raises(ApplicationError, match="authenticator app") as missing:
        api_token_obtain(email="bob@demo.example", password=PASSWORD, ip=IP)
    assert (missing.value.field, missing.value.code) == ("otp", "auth")
    with pytest.raises(ApplicationError, match="not right"):
        api_token_obtain(email="bob@demo.example", password=PASSWORD, ip=IP, otp="000000")
    token, key = api_token_obtain(
        email="bob@demo.example", password=PASSWORD, ip=IP, otp=later_code(totp)
    )
    assert key.startswith("ac_") and token.user == bob_agent


def test_no_token_without_an_app_where_the_organization_requires_one(org, alice_admin, bob_agent):
    organization_second_factor_require(organization=org, required=True)
    with pytest.raises(ApplicationError, match="requires an authenticator app") as error:
        api_token_obtain(email="alice@demo.example", password=PASSWORD, ip=IP)
    assert error.value.field == "otp"
    # An agent is not concerned.
    _token, key = api_token_obtain(email="bob@demo.example", password=PASSWORD, ip=IP)
    assert key


def test_the_django_admin_sign_in_does_not_skip_the_code(db, django_user_model):
    root = django_user_model.objects.create_superuser("root@demo.example", PASSWORD)
    request = RequestFactory().post("/admin/login/")
    form = StaffAdminLoginForm(
        request, data={"username": "root@demo.example", "password": PASSWORD}
    )
    assert form.is_valid()
    enrol(root)
    form = StaffAdminLoginForm(
        request, data={"username": "root@demo.example", "password": PASSWORD}
    )
    assert not form.is_valid()
    assert "authenticator app" in str(form.errors)
    assert form.get_user() is None
