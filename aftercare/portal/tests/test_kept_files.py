"""A request form that comes back to be fixed keeps its files (issue 13): they are kept for the
customer alone as pending uploads, shown with a "remove", attached when the form is sent, and
sent twice the form opens one request with one copy of each file."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftercare.lib.uploads import private_storage
from aftercare.portal.models import PendingUpload, RequestSubmission
from aftercare.portal.services import (
    pending_upload_store,
    pending_uploads_prune,
    portal_request_submit,
)
from aftercare.portal.tasks import pending_uploads_prune_task
from aftercare.portal.tests.conftest import sign_in
from aftercare.portal.tests.test_requests import PNG, form_data, png
from aftercare.tickets.models import Attachment, Ticket
from aftercare.tickets.tests.factories import make_customer

NEW = "/portal/demo/requests/new/"
KEY = "form-key-0123456789abcdef"
OTHER_KEY = "another-form-key-0123"
PDF = b"%PDF-1.4\n" + b"0" * 200


def pdf(name: str = "receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _send_back(client, **overrides):
    """A form with a required field left empty, so it comes back."""
    return client.post(NEW, form_data(**{"description": "", "form_key": KEY, **overrides}))


def _kept_ids(response) -> list[str]:
    return re.findall(r'name="pending_uploads" value="(\d+)"', response.content.decode())


def _stored(name: str) -> bool:
    return private_storage().exists(name)


# Kept, shown, attached


def test_a_form_sent_back_keeps_its_files_and_shows_them(org, customer, customer_client):
    response = _send_back(customer_client, attachments=[png(), pdf()])
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="error-description"' in html
    kept = list(PendingUpload.objects.order_by("pk"))
    assert [(p.filename, p.size, p.customer, p.organization) for p in kept] == [
        ("photo.png", len(PNG), customer, org),
        ("receipt.pdf", len(PDF), customer, org),
    ]
    with kept[0].file.open("rb") as handle:
        assert handle.read() == PNG
    assert _kept_ids(response) == [str(p.pk) for p in kept]
    assert html.count('data-testid="kept-file"') == 2
    assert f"Attached: <bdi>photo.png</bdi> ({len(PNG)}\xa0bytes)" in html
    assert f'name="remove_upload" value="{kept[0].pk}"' in html
    assert f'name="form_key" value="{KEY}"' in html
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_the_fixed_form_attaches_the_kept_files(
    org, customer, customer_client, django_capture_on_commit_callbacks
):
    ids = _kept_ids(_send_back(customer_client, attachments=[png()]))
    stored = PendingUpload.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = customer_client.post(NEW, form_data(form_key=KEY, pending_uploads=ids))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    attachment = ticket.attachments.get()
    assert (attachment.filename, attachment.size, attachment.uploaded_by) == (
        "photo.png",
        len(PNG),
        customer.user,
    )
    with attachment.file.open("rb") as handle:
        assert handle.read() == PNG
    # Kept files are no records: once they are the request's, they go.
    assert not PendingUpload.objects.exists()
    assert not _stored(stored)
    assert _stored(attachment.file.name)


def test_kept_and_new_files_are_attached_together_each_once(org, customer, customer_client):
    ids = _kept_ids(_send_back(customer_client, attachments=[png()]))
    # The customer picks the same photo again, and a receipt.
    response = customer_client.post(
        NEW, form_data(form_key=KEY, pending_uploads=ids, attachments=[png(), pdf()])
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert sorted(ticket.attachments.values_list("filename", flat=True)) == [
        "photo.png",
        "receipt.pdf",
    ]


def test_sending_it_back_twice_keeps_one_copy(org, customer, customer_client):
    ids = _kept_ids(_send_back(customer_client, attachments=[png()]))
    again = _send_back(customer_client, pending_uploads=ids, attachments=[png()])
    assert again.status_code == 422
    assert _kept_ids(again) == ids
    assert PendingUpload.objects.count() == 1


def test_remove_drops_the_file_and_keeps_what_was_typed(org, customer, customer_client):
    ids = _kept_ids(_send_back(customer_client, attachments=[png(), pdf()]))
    photo = PendingUpload.objects.get(filename="photo.png")
    response = customer_client.post(
        NEW, form_data(form_key=KEY, pending_uploads=ids, remove_upload=str(photo.pk))
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Drum does not spin"' in html
    assert "error-" not in html
    assert _kept_ids(response) == [ids[1]]
    assert list(PendingUpload.objects.values_list("filename", flat=True)) == ["receipt.pdf"]
    assert not Ticket.objects.exists()


# Nobody else's


@pytest.fixture
def strangers_file(org):
    stranger = make_customer(organization=org, email="stranger@example.com")
    return pending_upload_store(organization=org, customer=stranger, upload=png("secret.png"))


@pytest.fixture
def other_orgs_file(other_org, customer):
    # The same person, a customer of the other organization too.
    from aftercare.customers.services import customer_create

    elsewhere = customer_create(organization=other_org, name="Maryam", emails=["m@example.com"])
    return pending_upload_store(organization=other_org, customer=elsewhere, upload=png("o.png"))


@pytest.mark.parametrize("which", ["strangers_file", "other_orgs_file"])
def test_another_customers_kept_file_is_ignored(org, customer, customer_client, request, which):
    foreign = request.getfixturevalue(which)
    response = _send_back(customer_client, pending_uploads=[str(foreign.pk)])
    assert response.status_code == 422
    assert _kept_ids(response) == []
    assert foreign.filename not in response.content.decode()
    response = customer_client.post(NEW, form_data(pending_uploads=[str(foreign.pk)]))
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    # Removing it is ignored too: it stays its owner's.
    customer_client.post(NEW, form_data(remove_upload=str(foreign.pk)))
    assert PendingUpload.objects.filter(pk=foreign.pk).exists()
    assert _stored(foreign.file.name)


def test_ids_that_are_no_numbers_are_ignored(org, customer, customer_client):
    response = _send_back(customer_client, pending_uploads=["x", "-1", "1" * 40, "٣"])
    assert response.status_code == 422
    assert _kept_ids(response) == []
    response = customer_client.post(NEW, form_data(remove_upload="1 OR 1=1"))
    assert response.status_code == 200


def test_a_signed_out_visitor_keeps_nothing(org):
    from django.test import Client

    response = Client().post(NEW, form_data(description="", attachments=[png()]))
    assert response.status_code == 302
    assert not PendingUpload.objects.exists()


def test_an_expired_file_is_not_attached(org, customer, customer_client):
    ids = _kept_ids(_send_back(customer_client, attachments=[png()]))
    PendingUpload.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = customer_client.post(NEW, form_data(pending_uploads=ids))
    assert response.status_code == 302
    assert not Attachment.objects.exists()


# The limits of attachments


def test_a_refused_file_is_not_kept_and_says_why(org, customer, customer_client):
    fake = SimpleUploadedFile("photo.png", b"MZ not a png", content_type="image/png")
    script = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = _send_back(customer_client, attachments=[fake, script, pdf()])
    assert response.status_code == 422
    html = response.content.decode()
    assert "photo.png does not contain what its extension says." in html
    assert "run.exe: this type of file is not accepted." in html
    assert list(PendingUpload.objects.values_list("filename", flat=True)) == ["receipt.pdf"]


def test_a_file_over_the_limit_is_refused_before_it_is_written(
    org, customer, customer_client, settings, monkeypatch
):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    written = []
    storage = private_storage()
    monkeypatch.setattr(storage, "save", lambda name, *a, **k: written.append(name) or name)
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * 1024 * 1024, content_type="image/png")
    response = _send_back(customer_client, attachments=[big])
    assert response.status_code == 422
    assert "big.png is larger than 1 MB." in response.content.decode()
    assert written == []
    assert not PendingUpload.objects.exists()


def test_a_form_keeps_at_most_a_messages_worth(org, customer, customer_client, settings):
    settings.ATTACHMENT_MAX_PER_MESSAGE = 2
    ids = _kept_ids(_send_back(customer_client, attachments=[png("a.png"), png("b.png")]))
    response = _send_back(customer_client, pending_uploads=ids, attachments=[png("c.png")])
    assert response.status_code == 422
    assert "At most 2 files at once." in response.content.decode()
    assert _kept_ids(response) == ids
    assert PendingUpload.objects.count() == 2


def test_a_customers_oldest_kept_files_of_forms_left_behind_go(
    org, customer, customer_client, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_PENDING_UPLOADS_PER_CUSTOMER = 3
    first = _kept_ids(_send_back(customer_client, attachments=[png("1.png"), png("2.png")]))
    left_behind = list(PendingUpload.objects.values_list("file", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        ids = _kept_ids(
            _send_back(
                customer_client, form_key="another-form-key-0123", attachments=[png("3.png")]
            )
        )
        ids = _kept_ids(
            _send_back(
                customer_client,
                form_key=OTHER_KEY,
                pending_uploads=ids,
                attachments=[png("4.png"), png("5.png")],
            )
        )
    assert sorted(PendingUpload.objects.values_list("filename", flat=True)) == [
        "3.png",
        "4.png",
        "5.png",
    ]
    assert len(ids) == 3 and not set(ids) & set(first)
    assert not any(_stored(name) for name in left_behind)


# Sent twice


def test_a_form_sent_twice_opens_one_request_with_one_copy_of_each_file(
    org, customer, customer_client
):
    ids = _kept_ids(_send_back(customer_client, attachments=[png()]))
    data = form_data(form_key=KEY, pending_uploads=ids)
    first = customer_client.post(NEW, {**data, "attachments": [pdf()]})
    second = customer_client.post(NEW, {**data, "attachments": [pdf()]})
    ticket = Ticket.objects.get()
    assert first["Location"] == second["Location"] == f"/portal/demo/requests/{ticket.number}/"
    assert sorted(ticket.attachments.values_list("filename", flat=True)) == [
        "photo.png",
        "receipt.pdf",
    ]
    assert RequestSubmission.objects.get().ticket == ticket


def test_the_same_form_sent_again_with_other_words_is_another_request(
    org, customer, customer_client
):
    customer_client.post(NEW, form_data(form_key=KEY))
    customer_client.post(NEW, form_data(form_key=KEY, subject="And the dryer too"))
    # ...and that one sent twice is still one more.
    customer_client.post(NEW, form_data(form_key=KEY, subject="And the dryer too"))
    assert list(Ticket.objects.order_by("number").values_list("subject", flat=True)) == [
        "Drum does not spin",
        "And the dryer too",
    ]


def test_keys_are_each_customers_own(org, customer, customer_client):
    customer_client.post(NEW, form_data(form_key=KEY))
    stranger = make_customer(organization=org, email="stranger@example.com")
    response = sign_in(stranger).post(NEW, form_data(form_key=KEY))
    assert response.status_code == 302
    assert sorted(Ticket.objects.values_list("customer_id", "contact_email")) == [
        (customer.pk, "maryam@example.com"),
        (stranger.pk, "stranger@example.com"),
    ]


def test_the_submit_service_replays_the_first_answer(org, customer):
    fields = {"subject": "Noise", "description": "Loud.", "kind": "repair"}
    first = portal_request_submit(
        organization=org,
        customer=customer,
        key=KEY,
        pending_upload_ids=[],
        attachments=[png()],
        actor=None,
        **fields,
    )
    again = portal_request_submit(
        organization=org,
        customer=customer,
        key=KEY,
        pending_upload_ids=[],
        attachments=[png()],
        actor=None,
        **fields,
    )
    assert again == first
    assert Ticket.objects.count() == 1 and Attachment.objects.count() == 1


# Expiry


def test_expired_files_and_old_keys_are_pruned_and_nothing_else(
    org, customer, customer_client, django_capture_on_commit_callbacks
):
    ids = _kept_ids(_send_back(customer_client, attachments=[png("old.png")]))
    customer_client.post(NEW, form_data(form_key="sent-form-key-0123456", attachments=[pdf()]))
    fresh = pending_upload_store(organization=org, customer=customer, upload=png("new.png"))
    old = PendingUpload.objects.get(pk=ids[0])
    now = timezone.now()
    PendingUpload.objects.filter(pk=old.pk).update(expires_at=now - datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert pending_uploads_prune_task.call() == 1
    assert list(PendingUpload.objects.all()) == [fresh]
    assert not _stored(old.file.name) and _stored(fresh.file.name)
    assert RequestSubmission.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert pending_uploads_prune(now=now + datetime.timedelta(days=8)) == 1
    assert not PendingUpload.objects.exists() and not _stored(fresh.file.name)
    assert not RequestSubmission.objects.exists()
    # The request and its file are records: untouched.
    attachment = Attachment.objects.get()
    assert attachment.filename == "receipt.pdf" and _stored(attachment.file.name)
    assert Ticket.objects.count() == 1
