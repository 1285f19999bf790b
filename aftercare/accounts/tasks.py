"""Background work of staff accounts: the password reset mail, sent by the task worker so the
page that asks for it answers alike, and as fast, whether or not the account exists."""

from django.tasks import task

from aftercare.accounts.services.credentials import password_reset_mail_send


@task()
def password_reset_mail_send_task(*, email: str, language: str) -> bool:
    """Mail a reset link if a staff account has this email."""
    return password_reset_mail_send(email=email, language=language)
